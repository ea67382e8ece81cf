// Runs the catalogue over one Ingress: every key under the annotation prefix
// ends as a verdict (exact / approximate / unsupported / unknown / invalid),
// and the transforms named by the catalogue turn the convertible ones into intents.
import type { Capabilities } from '../model/contour.js';
import { formatVersion, HTTPPROXY_FEATURES, versionAtLeast } from '../model/contour.js';
import { finding, type Fidelity, type Finding, type FindingId, type Severity } from '../model/findings.js';
import type { ConfigMap, Ingress, Service } from '../model/ingress.js';
import { ingressKey } from '../model/ingress.js';
import { emptyPolicy, type IngressPolicy } from '../model/policy.js';
import type { Catalogue, CatalogueEntry, InvalidValueBehaviour, TargetMapping } from './catalogue.js';
import type { TransformContext, TransformOptions } from './transform.js';
import { TRANSFORMS } from './transforms/index.js';
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
}

export interface MapContextOptions {
  options?: TransformOptions;
  catalogue: Catalogue;
  caps: Capabilities;
  prefix: string;
  services: Service[];
  configMaps: ConfigMap[];
}

export interface MappedIngress {
  ingress: Ingress;
  policy: IngressPolicy;
  isCanary: boolean;
  verdicts: AnnotationVerdict[];
  /** Set when an annotation value makes nginx refuse the whole Ingress. */
  skipReason?: string;
}

export function mapIngress(ingress: Ingress, opts: MapContextOptions): MappedIngress {
  const { catalogue, caps, prefix } = opts;
  const target = caps.target;
  const present = new Map<string, string>();
  for (const [fullKey, value] of Object.entries(ingress.annotations)) {
    if (fullKey.startsWith(`${prefix}/`)) present.set(fullKey.slice(prefix.length + 1), value);
  }
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

  // Run each transform once, when any of its keys is present and nginx would read it.
  const honoured = [...present.keys()].filter((k) => !isCanary || honouredOnCanary(k));
  const transforms = new Set<string>();
  for (const key of honoured) {
    const name = entryOf(key)?.transform;
    if (name) transforms.add(name);
  }
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
  return mapped;
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
  return finding(v.findingId, v.severity, { ingresses, annotation: fullKey(prefix, v.key) }, data, v.fidelity);
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
