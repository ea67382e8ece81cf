// Runs the catalogue over one Ingress: every key under the annotation prefix
// ends as a verdict (exact / approximate / unsupported / unknown / invalid),
// and the transforms named by the catalogue turn the convertible ones into intents.
import type { Capabilities } from '../model/contour.js';
import { formatVersion, HTTPPROXY_FEATURES, versionAtLeast } from '../model/contour.js';
import { finding, type Fidelity, type Finding, type FindingId, type Severity } from '../model/findings.js';
import { NGINX_SETTINGS_DEFAULT, type NginxSettings, type RiskLevel } from '../model/controller.js';
import type { ConfigMap, Ingress, Service } from '../model/ingress.js';
import { ingressKey } from '../model/ingress.js';
import { emptyPolicy, type IngressPolicy } from '../model/policy.js';
import type { Catalogue, CatalogueEntry, InvalidValueBehaviour, TargetMapping } from './catalogue.js';
import type { TransformContext, TransformOptions } from './transform.js';
import { TRANSFORMS } from './transforms/index.js';
import { ASSUMED_WITHOUT_CONTROLLER } from './controller-config.js';
import { parseGoBool, showValue } from './values.js';

export const DEFAULT_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';

export interface AnnotationVerdict {
  /** The key without prefix. */
  key: string;
  value: string;
  fidelity: Fidelity;
  severity: Severity;
  message: string;
  findingId: FindingId;
  /** The Contour version that would convert it, when --contour-version is what stands in the way. */
  needsContour?: string;
  /** Ids of the later-stage findings that downgraded this verdict (see convert.ts). */
  causes?: FindingId[];
  /**
   * The full key, for an annotation that is not under the nginx prefix (cert-manager,
   * external-dns, housekeeping or unknown keys: see src/map/ecosystem.ts); `key` is the same.
   */
  annotation?: string;
  /** The tool that owns such an annotation, per the ecosystem catalogue. */
  tool?: string;
}

/** The full annotation key of a verdict. */
export const verdictAnnotation = (v: AnnotationVerdict, prefix: string): string => v.annotation ?? `${prefix}/${v.key}`;

export interface MapContextOptions {
  options?: TransformOptions;
  catalogue: Catalogue;
  caps: Capabilities;
  prefix: string;
  services: Service[];
  configMaps: ConfigMap[];
  /** The controller's settings (src/map/controller-config.ts); absent: nginx's defaults, gated annotations taken as enabled. */
  settings?: NginxSettings;
}

/** An access control the controller's configuration put on every route of an Ingress, lost in the output. */
export interface LostSetting {
  control: string;
  /** The ConfigMap key or flag that set it. */
  setting: string;
  reason: string;
}

export interface MappedIngress {
  ingress: Ingress;
  policy: IngressPolicy;
  isCanary: boolean;
  verdicts: AnnotationVerdict[];
  /** Verdicts of the annotations outside the nginx prefix (src/map/ecosystem), set by convert.ts. */
  ecosystem?: AnnotationVerdict[];
  /** Set when an annotation value makes nginx refuse the whole Ingress. */
  skipReason?: string;
  /** Set when the controller's configuration makes nginx refuse to load the Ingress (reported as controller.not-loaded). */
  notLoaded?: string;
  /** Access controls from the controller's configuration that the output cannot keep on this Ingress's routes. */
  lostSettings?: LostSetting[];
}

const SETTINGS_WITHOUT_CONTROLLER: NginxSettings = { ...NGINX_SETTINGS_DEFAULT, ...ASSUMED_WITHOUT_CONTROLLER };
const RISK_RANK: Record<RiskLevel, number> = { Low: 0, Medium: 1, High: 2, Critical: 3 };
/** ingress-nginx's check of Prefix and Exact paths under strict-validate-path-type. */
const STRICT_PATH = /^\/[A-Za-z0-9._\-/]*$/;

/**
 * Why nginx, as configured, does not load this Ingress at all (undefined: it does). Only what the
 * tool knows for certain: snippets are Critical; the other annotations' risk levels are not all known.
 */
function notLoadedReason(present: Map<string, string>, settings: NginxSettings, catalogue: Catalogue, prefix: string): string | undefined {
  const snippets = [...present.keys()].filter((k) => catalogue.get(k)?.valueType === 'snippet').sort();
  if (snippets.length > 0 && RISK_RANK[settings.annotationsRiskLevel] < RISK_RANK.Critical)
    return `${prefix}/${snippets[0]} is a Critical-risk annotation and annotations-risk-level is ${settings.annotationsRiskLevel}`;
  for (const word of settings.annotationValueWordBlocklist) {
    const hit = [...present.entries()].find(([, v]) => v.includes(word));
    if (hit) return `the value of ${prefix}/${hit[0]} contains "${word}" from annotation-value-word-blocklist`;
  }
  return undefined;
}

/**
 * Paths strict-validate-path-type refuses. Only ingress-nginx's admission webhook enforces it:
 * the real controller (v1.11, traffic suite) still serves a stored Ingress with such a path, as a
 * plain path, so it is converted and named (controller.strict-path-type).
 */
export function strictPathViolations(ingress: Ingress, settings: NginxSettings): { path: string; pathType: string }[] {
  if (!settings.strictValidatePathType) return [];
  return ingress.rules.flatMap((rule) =>
    rule.paths.filter((p) => (p.pathType === 'Exact' || p.pathType === 'Prefix') && !STRICT_PATH.test(p.path)).map((p) => ({ path: p.path, pathType: p.pathType ?? '' })),
  );
}

export function mapIngress(ingress: Ingress, opts: MapContextOptions): MappedIngress {
  const { catalogue, caps, prefix } = opts;
  const target = caps.target;
  const present = new Map<string, string>();
  for (const [fullKey, value] of Object.entries(ingress.annotations)) {
    if (fullKey.startsWith(`${prefix}/`)) present.set(fullKey.slice(prefix.length + 1), value);
  }
  const settings = opts.settings ?? SETTINGS_WITHOUT_CONTROLLER;
  const overrides = new Map<string, AnnotationVerdict>();
  const policy = emptyPolicy();
  let skipReason: string | undefined;
  // The same parser the canary transform uses: nginx reads `canary` with Go's ParseBool.
  const canaryValue = present.get('canary');
  const isCanary = canaryValue !== undefined && parseGoBool(canaryValue) === true;
  // nginx honours only the catalogue's `canary: true` keys on a canary Ingress; the rest come from the mainline.
  const honouredOnCanary = (key: string): boolean => catalogue.get(key)?.canary === true;

  const entryOf = (key: string): CatalogueEntry | undefined => catalogue.get(key);
  const mappingOf = (key: string): TargetMapping | undefined => entryOf(key)?.[target];
  const valueOf = (key: string): string | undefined => {
    for (const spelling of catalogue.spellings(key)) {
      const v = present.get(spelling);
      if (v !== undefined) return v.trim();
    }
    return present.get(key)?.trim();
  };
  const presentSpelling = (key: string): string => catalogue.spellings(key).find((s) => present.has(s)) ?? key;
  const override = (key: string, fidelity: Fidelity, severity: Severity, message: string, findingId: FindingId): void => {
    const k = presentSpelling(key);
    // An invalid value is the verdict that matters: a later note about the same key does not hide it.
    if (overrides.get(k)?.fidelity === 'invalid' && fidelity !== 'invalid') return;
    // Messages quote values; whatever a value holds, a message stays one bounded line.
    overrides.set(k, { key: k, value: present.get(k) ?? '', fidelity, severity, message: clip(message), findingId });
  };

  const ctx: TransformContext = {
    ingress,
    caps,
    target,
    services: opts.services,
    configMaps: opts.configMaps,
    options: opts.options ?? {},
    settings,
    get: valueOf,
    supported: (key) => {
      const m = mappingOf(key);
      if (!m || m.fidelity === 'unsupported') return false;
      return !m.minContour || target !== 'httpproxy' || versionAtLeast(caps.version, m.minContour);
    },
    invalid: (key, message, severity = 'warn', given?: InvalidValueBehaviour) => {
      // Some keys fail in more than one way (e.g. not an integer vs out of range): the caller may say which.
      const behaviour = given ?? entryOf(key)?.invalid ?? 'silent-default';
      if (behaviour === 'ingress-skipped') {
        skipReason ??= `${presentSpelling(key)} is invalid`;
        override(key, 'invalid', 'error', `${message}; nginx refuses to load this Ingress, so none of its paths is converted`, 'annotation.invalid-value');
      } else if (behaviour === 'location-denied') {
        policy.route.deny = { statusCode: 503, reason: `${presentSpelling(key)} is invalid` };
        const expressible = caps.has('directResponse');
        override(
          key,
          'invalid',
          expressible ? 'warn' : 'error',
          `${message}; nginx answers 503 on these paths (fail closed)${expressible ? ', and so does the output' : ', which the target cannot express: the paths are left out'}`,
          'annotation.invalid-value',
        );
      } else override(key, 'invalid', severity, message, 'annotation.invalid-value');
    },
    ignored: (key, message) => override(key, 'exact', 'info', message, 'annotation.ignored'),
    approximate: (key, message, severity = 'warn') => override(key, 'approximate', severity, message, 'annotation.approximate'),
    unsupported: (key, message, severity = 'error') => override(key, 'unsupported', severity, message, 'annotation.unsupported'),
    exact: (key) => override(key, 'exact', 'info', mappingOf(key)?.message ?? 'converted', 'annotation.exact'),
    requires: (key, feature, what) => {
      if (caps.has(feature)) return true;
      const needs = HTTPPROXY_FEATURES[feature];
      const k = presentSpelling(key);
      const message =
        target === 'httpproxy'
          ? `${what} needs Contour ${needs} or newer (--contour-version is ${formatVersion(caps.version)}); not converted`
          : `${what}: IngressRoute cannot express it; not converted`;
      if (overrides.get(k)?.fidelity !== 'invalid') {
        const verdict: AnnotationVerdict = {
          key: k,
          value: present.get(k) ?? '',
          fidelity: 'unsupported',
          severity: mappingOf(key)?.severity ?? 'warn',
          message: clip(message),
          findingId: target === 'httpproxy' ? 'annotation.version' : 'annotation.unsupported',
        };
        if (target === 'httpproxy') verdict.needsContour = needs;
        overrides.set(k, verdict);
      }
      return false;
    },
  };

  const notLoaded = notLoadedReason(present, settings, catalogue, prefix);
  if (notLoaded) {
    // nginx never served this Ingress: nothing of it is converted, and its annotations say why.
    const verdicts = [...present.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]): AnnotationVerdict => ({
        key,
        value,
        fidelity: 'exact',
        severity: 'info',
        message: `nginx does not load this Ingress (${notLoaded}); not converted either`,
        findingId: 'annotation.ignored',
      }));
    return { ingress, policy, isCanary, verdicts, skipReason: 'not loaded by nginx', notLoaded };
  }
  // Snippets nginx strips: allowed by the risk level, but allow-snippet-annotations is off.
  if (!settings.allowSnippetAnnotations) {
    for (const key of present.keys()) {
      if (entryOf(key)?.valueType === 'snippet') override(key, 'exact', 'info', 'nginx strips snippet annotations (allow-snippet-annotations is false); not converted either', 'annotation.ignored');
    }
  }

  // Run each transform once, when any of its keys is present and nginx would read it, or when the
  // controller's settings make it act on every Ingress.
  const honoured = [...present.keys()].filter((k) => !isCanary || honouredOnCanary(k));
  const transforms = new Set<string>();
  for (const key of honoured) {
    const name = entryOf(key)?.transform;
    if (name) transforms.add(name);
  }
  if (!isCanary) for (const [name, t] of Object.entries(TRANSFORMS)) if (t.global?.(settings)) transforms.add(name);
  for (const name of [...transforms].sort()) {
    const transform = TRANSFORMS[name];
    if (!transform) throw new Error(`mappings name transform "${name}", which does not exist`);
    transform.apply(ctx, policy);
  }

  const verdicts: AnnotationVerdict[] = [];
  for (const [key, value] of [...present.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = entryOf(key);
    if (!entry) {
      verdicts.push({
        key,
        value,
        fidelity: 'unknown',
        severity: 'warn',
        message: `not an ingress-nginx annotation (typo, or from a newer release?); ignored`,
        findingId: 'annotation.unknown',
      });
      continue;
    }
    if (isCanary && !honouredOnCanary(key)) {
      verdicts.push({
        key,
        value,
        fidelity: 'exact',
        severity: 'info',
        message: 'nginx ignores this annotation on a canary Ingress (the mainline settings apply); not converted either',
        findingId: 'annotation.ignored-on-canary',
      });
      continue;
    }
    verdicts.push(overrides.get(key) ?? defaultVerdict(entry, value, caps));
  }
  const mapped: MappedIngress = { ingress, policy, isCanary, verdicts };
  if (skipReason) mapped.skipReason = skipReason;
  const lost = isCanary ? [] : [...globalAccessLists(ctx, policy, settings), ...globalAuth(ctx, policy, settings)];
  if (lost.length > 0) mapped.lostSettings = lost;
  return mapped;
}

/** The controller's IP lists on a target that cannot filter by address: an access control lost. */
function globalAccessLists(ctx: TransformContext, policy: IngressPolicy, settings: NginxSettings): LostSetting[] {
  if (policy.route.deny || ctx.supported('allowlist-source-range')) return [];
  const reason = ctx.target === 'httpproxy' ? `IP allow/deny lists need Contour ${HTTPPROXY_FEATURES.ipFilters} or newer` : 'IngressRoute cannot filter by client address';
  const lost: LostSetting[] = [];
  if (settings.allowlistSourceRange.length > 0 && ctx.get('allowlist-source-range') === undefined)
    lost.push({ control: 'IP allow-list (ConfigMap whitelist-source-range)', setting: 'whitelist-source-range', reason });
  if (settings.denylistSourceRange.length > 0 && ctx.get('denylist-source-range') === undefined)
    lost.push({ control: 'IP deny-list (ConfigMap denylist-source-range)', setting: 'denylist-source-range', reason });
  if (settings.blockCidrs.length > 0) lost.push({ control: 'IP deny-list (ConfigMap block-cidrs)', setting: 'block-cidrs', reason });
  return lost;
}

/**
 * ConfigMap global-auth-url: nginx authenticates every location unless the Ingress sets
 * enable-global-auth "false" or its own auth-url. With --auth-extension Contour's authorization
 * takes over; without it the control is lost and lowering denies the routes.
 */
function globalAuth(ctx: TransformContext, policy: IngressPolicy, settings: NginxSettings): LostSetting[] {
  if (!settings.globalAuthUrl || policy.route.deny) return [];
  const optOut = ctx.get('enable-global-auth');
  if (optOut !== undefined && parseGoBool(optOut) === false) return [];
  if (ctx.get('auth-url') !== undefined) return [];
  const ext = ctx.options.authExtension;
  if (ext && ctx.target === 'httpproxy' && ctx.caps.has('authorization')) {
    policy.host.authorization ??= { namespace: ext.namespace, name: ext.name };
    policy.route.authRequired = true;
    return [];
  }
  const reason = ext ? 'the target cannot authorize requests' : 'no --auth-extension names an ExtensionService to take over';
  return [{ control: 'external authentication (ConfigMap global-auth-url)', setting: 'global-auth-url', reason }];
}

const MAX_MESSAGE = 600;

function clip(message: string): string {
  const line = message.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : '?'));
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

function defaultVerdict(entry: CatalogueEntry, value: string, caps: Capabilities): AnnotationVerdict {
  // Object literals, not spreads of a shared base: this runs for every annotation of every Ingress.
  const m = entry[caps.target];
  const key = entry.key;
  if (entry.valueType === 'snippet') {
    return { key, value, fidelity: 'unsupported', severity: 'error', message: m.message, findingId: 'annotation.snippet' };
  }
  if (entry.legacy) {
    return { key, value, fidelity: 'unsupported', severity: m.severity, message: m.message, findingId: 'annotation.legacy' };
  }
  if (m.fidelity !== 'unsupported' && m.minContour && caps.target === 'httpproxy' && !versionAtLeast(caps.version, m.minContour)) {
    return {
      key,
      value,
      fidelity: 'unsupported',
      severity: m.severity === 'info' ? 'info' : 'warn',
      message: `needs Contour ${m.minContour} or newer (--contour-version is ${formatVersion(caps.version)}); not converted`,
      findingId: 'annotation.version',
      needsContour: m.minContour,
    };
  }
  const findingId: FindingId = m.fidelity === 'exact' ? 'annotation.exact' : m.fidelity === 'approximate' ? 'annotation.approximate' : 'annotation.unsupported';
  return { key, value, fidelity: m.fidelity, severity: m.fidelity === 'exact' ? 'info' : m.severity, message: m.message, findingId };
}

/** Verdicts worth a line on stderr: everything but exact conversions. */
export function verdictFindings(mapped: MappedIngress, prefix: string): Finding[] {
  const ingresses = [ingressKey(mapped.ingress)];
  return mapped.verdicts
    .filter((v) => v.fidelity !== 'exact' || v.findingId === 'annotation.ignored-on-canary' || v.findingId === 'annotation.ignored')
    .map((v) => verdictFinding(v, ingresses, prefix));
}

/** One annotation verdict as a finding (the message is the verdict's). */
export function verdictFinding(v: AnnotationVerdict, ingresses: string[], prefix: string): Finding {
  const data: Record<string, string> = { message: v.message, value: showValue(v.value) };
  if (v.needsContour) data.needsContour = v.needsContour;
  return finding(v.findingId, v.severity, { ingresses, annotation: v.annotation ?? fullKey(prefix, v.key) }, data, v.fidelity);
}

/** `prefix/key`, one string per distinct key (a fleet has hundreds of thousands of verdict findings, and few keys). */
const FULL_KEYS = new Map<string, Map<string, string>>();

function fullKey(prefix: string, key: string): string {
  let byKey = FULL_KEYS.get(prefix);
  if (!byKey) FULL_KEYS.set(prefix, (byKey = new Map<string, string>()));
  let full = byKey.get(key);
  if (full === undefined) {
    full = `${prefix}/${key}`;
    if (byKey.size < 10_000) byKey.set(key, full);
  }
  return full;
}
