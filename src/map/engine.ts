// Runs the catalogue over one Ingress: every key under the annotation prefix
// ends as a verdict (exact / approximate / unsupported / unknown / invalid),
// and the transforms named by the catalogue turn the convertible ones into intents.
import type { Capabilities, Feature, Target } from '../model/contour.js';
import { formatVersion, HTTPPROXY_FEATURES, versionAtLeast } from '../model/contour.js';
import { finding, withSubject, type Fidelity, type Finding, type FindingId, type Severity } from '../model/findings.js';
import { NGINX_SETTINGS_DEFAULT, type NginxSettings, type RiskLevel } from '../model/controller.js';
import type { ConfigMap, Ingress, Service } from '../model/ingress.js';
import { ingressKey } from '../model/ingress.js';
import { emptyPolicy, type IngressPolicy } from '../model/policy.js';
import type { Catalogue, CatalogueEntry, InvalidValueBehaviour, TargetMapping } from './catalogue.js';
import type { Transform, TransformContext, TransformOptions } from './transform.js';
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
function notLoadedReason(present: Present, settings: NginxSettings, prefix: string): string | undefined {
  if (RISK_RANK[settings.annotationsRiskLevel] < RISK_RANK.Critical) {
    // The first snippet key in sorted order (`<` compares as the default sort), without a list per Ingress.
    let first: string | undefined;
    for (let i = 0; i < present.size; i++) {
      const k = present.key(i);
      if (present.entry(i)?.valueType === 'snippet' && (first === undefined || k < first)) first = k;
    }
    if (first !== undefined) return `${prefix}/${first} is a Critical-risk annotation and annotations-risk-level is ${settings.annotationsRiskLevel}`;
  }
  // An indexed loop: this runs for every Ingress, and an iterator was allocated even for an empty list.
  const blocklist = settings.annotationValueWordBlocklist;
  for (let w = 0; w < blocklist.length; w++) {
    const word = blocklist[w]!;
    for (let i = 0; i < present.size; i++) if (present.value(i).includes(word)) return `the value of ${prefix}/${present.key(i)} contains "${word}" from annotation-value-word-blocklist`;
  }
  return undefined;
}

/**
 * Paths strict-validate-path-type refuses. Only ingress-nginx's admission webhook enforces it:
 * the real controller (v1.11, traffic suite) still serves a stored Ingress with such a path, as a
 * plain path, so it is converted and named (controller.strict-path-type).
 */
export function strictPathViolations(ingress: Ingress, settings: NginxSettings): readonly { path: string; pathType: string }[] {
  if (!settings.strictValidatePathType) return NO_VIOLATIONS;
  // Indexed loops, a list only when there is something: this runs for every Ingress, and nearly
  // all have no such path.
  let out: { path: string; pathType: string }[] | undefined;
  const rules = ingress.rules;
  for (let i = 0; i < rules.length; i++) {
    const paths = rules[i]!.paths;
    for (let j = 0; j < paths.length; j++) {
      const p = paths[j]!;
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !STRICT_PATH.test(p.path)) (out ??= []).push({ path: p.path, pathType: p.pathType });
    }
  }
  return out ?? NO_VIOLATIONS;
}

const NO_VIOLATIONS: readonly { path: string; pathType: string }[] = Object.freeze([]);

/**
 * What one conversion run (one catalogue, one target and Contour version) can share between its
 * Ingresses: fleets repeat annotation keys and values, so a key's support and a (key, value)'s
 * default verdict are worked out once. Verdicts are never modified once made (convert.ts copies one
 * to downgrade it), so Ingresses share them.
 */
class RunMemo {
  private readonly supportedByKey = new Map<string, boolean>();
  private readonly spellingsByKey = new Map<string, string[]>();
  private readonly byEntry = new Map<CatalogueEntry, Map<string, AnnotationVerdict>>();
  private readonly unknownByKey = new Map<string, Map<string, AnnotationVerdict>>();
  private readonly canaryIgnoredByKey = new Map<string, Map<string, AnnotationVerdict>>();
  /** Short key by full key: one string per distinct key instead of a slice per annotation. */
  private readonly shortKeys = new Map<string, string>();
  /** Shared policies by the hash of their content (see intern), chained when hashes collide. */
  private readonly policies = new Map<number, InternedPolicy>();
  private policyCount = 0;
  private empty: IngressPolicy | undefined;

  constructor(
    readonly catalogue: Catalogue,
    readonly caps: Capabilities,
  ) {}

  /** The catalogue's spellings of a key, one lookup instead of two (transforms ask for every key they read). */
  spellings(key: string): string[] {
    let list = this.spellingsByKey.get(key);
    if (list === undefined) {
      list = this.catalogue.spellings(key);
      if (this.spellingsByKey.size < MEMO_LIMIT) this.spellingsByKey.set(key, list);
    }
    return list;
  }

  shortKey(fullKey: string, prefixLength: number): string {
    let key = this.shortKeys.get(fullKey);
    if (key === undefined) {
      key = fullKey.slice(prefixLength);
      if (this.shortKeys.size < MEMO_LIMIT) this.shortKeys.set(fullKey, key);
    }
    return key;
  }

  supported(key: string): boolean {
    let yes = this.supportedByKey.get(key);
    if (yes === undefined) {
      const m = this.catalogue.get(key)?.[this.caps.target];
      yes = !(!m || m.fidelity === 'unsupported') && (!m.minContour || this.caps.target !== 'httpproxy' || versionAtLeast(this.caps.version, m.minContour));
      this.supportedByKey.set(key, yes);
    }
    return yes;
  }

  defaultVerdict(entry: CatalogueEntry, value: string): AnnotationVerdict {
    let byValue = this.byEntry.get(entry);
    if (!byValue) this.byEntry.set(entry, (byValue = new Map<string, AnnotationVerdict>()));
    return byValue.get(value) ?? remember(byValue, value, defaultVerdict(entry, value, this.caps));
  }

  unknown(key: string, value: string): AnnotationVerdict {
    return this.fixedVerdict(this.unknownByKey, key, value, 'unknown', 'warn', 'annotation.unknown', 'not an ingress-nginx annotation (typo, or from a newer release?); ignored');
  }

  canaryIgnored(key: string, value: string): AnnotationVerdict {
    return this.fixedVerdict(
      this.canaryIgnoredByKey,
      key,
      value,
      'exact',
      'info',
      'annotation.ignored-on-canary',
      'nginx ignores this annotation on a canary Ingress (the mainline settings apply); not converted either',
    );
  }

  /** A verdict whose fields do not depend on the value, remembered per key and value (arguments, not a closure: it runs per annotation). */
  private fixedVerdict(
    byKey: Map<string, Map<string, AnnotationVerdict>>,
    key: string,
    value: string,
    fidelity: Fidelity,
    severity: Severity,
    findingId: FindingId,
    message: string,
  ): AnnotationVerdict {
    let byValue = byKey.get(key);
    if (!byValue) {
      byValue = new Map<string, AnnotationVerdict>();
      if (byKey.size < MEMO_LIMIT) byKey.set(key, byValue);
    }
    return byValue.get(value) ?? remember(byValue, value, { key, value, fidelity, severity, message, findingId });
  }

  /**
   * One policy object for every Ingress whose transforms asked for the same settings: a fleet has
   * ≈ 10× fewer distinct policies than Ingresses, and the route table, the plan and the emitter's
   * per-policy parts (built once per policy object) hold them to the end of emission. Policies are
   * only read once mapped (later stages copy one to change it), so equal ones are shared; frozen,
   * so a write to a shared one fails loudly instead of changing other Ingresses. Only policies of
   * flat settings are shared (see PolicyTokens): they are cheap to compare, and most of a fleet.
   */
  intern(policy: IngressPolicy): IngressPolicy {
    // A quarter of a fleet's Ingresses ask for nothing: no tokens to make and look up for them.
    if (policy.canary === undefined && isEmpty(policy.route) && isEmpty(policy.host)) return (this.empty ??= frozen(policy));
    const tokens = POLICY_TOKENS;
    tokens.reset();
    if (!tokens.part(policy.route)) return policy;
    // Most Ingresses set nothing for their hosts and are no canary: no more tokens for them.
    if (!isEmpty(policy.host)) {
      tokens.marker(HOST_PART);
      if (!tokens.part(policy.host)) return policy;
    }
    if (policy.canary !== undefined) {
      tokens.marker(CANARY_PART);
      if (!tokens.part(policy.canary)) return policy;
    }
    const first = this.policies.get(tokens.hash);
    for (let known = first; known !== undefined; known = known.next) if (tokens.equals(known.tokens)) return known.policy;
    if (this.policyCount < POLICY_LIMIT) {
      this.policies.set(tokens.hash, { tokens: tokens.copy(), policy: frozen(policy), next: first });
      this.policyCount++;
    }
    return policy;
  }
}

/** Distinct values remembered per key (beyond, verdicts are made per annotation as before). */
const MEMO_LIMIT = 512;

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** A shared policy, the tokens of its content, and the next one whose tokens hash the same. */
interface InternedPolicy {
  tokens: unknown[];
  policy: IngressPolicy;
  next: InternedPolicy | undefined;
}

/** Marks the structure in a token list: objects (never equal to a value), each with its hash. */
interface Marker {
  readonly hash: number;
}
const OBJECT_START: Marker = Object.freeze({ hash: 0x51ed27 });
const OBJECT_END: Marker = Object.freeze({ hash: 0x2f6b91 });
const LIST_START: Marker = Object.freeze({ hash: 0x6a09e6 });
const HOST_PART: Marker = Object.freeze({ hash: 0x3c6ef3 });
const CANARY_PART: Marker = Object.freeze({ hash: 0x1f83d9 });

/**
 * The content of a policy as a list of tokens, when each field of its parts holds a scalar, a
 * list of scalars, or an object of those (else: something else, such as per-path rewrites or a
 * list of headers, which few Ingresses share; such policies are not shared). Field names, then
 * each value: a scalar as itself, a list as a marker, its length and its items, an object between
 * two markers; the parts after the route behind a marker each. Unambiguous: markers are objects
 * no value is, and field names and values alternate. A field set to undefined counts as absent,
 * as it does for every reader. Two policies are shared when their lists are equal item by item
 * (`===`: the type of a value counts, and field order too, since parts of a policy go to the
 * output as they are). One list serves every Ingress in turn (interning runs to its end without
 * yielding); its hash picks the candidates, and no key text is made per Ingress.
 */
class PolicyTokens {
  private readonly list: unknown[] = [];
  private count = 0;
  hash = 0;

  reset(): void {
    this.count = 0;
    this.hash = 0x811c9dc5 | 0;
  }

  marker(marker: Marker): void {
    this.push(marker, marker.hash);
  }

  /** Adds a policy part; false when it holds something that is not flat. */
  part(part: object): boolean {
    for (const field in part) {
      const value: unknown = (part as Record<string, unknown>)[field];
      if (value === undefined) continue;
      this.push(field, nameHash(field));
      if (typeof value !== 'object') this.push(value, scalarHash(value));
      else if (value === null) return false;
      else if (Array.isArray(value)) {
        if (!this.scalars(value)) return false;
      } else {
        this.marker(OBJECT_START);
        for (const inner in value) {
          const v: unknown = (value as Record<string, unknown>)[inner];
          if (v === undefined) continue;
          this.push(inner, nameHash(inner));
          if (typeof v !== 'object') this.push(v, scalarHash(v));
          else if (!Array.isArray(v) || !this.scalars(v)) return false;
        }
        this.marker(OBJECT_END);
      }
    }
    return true;
  }

  equals(tokens: unknown[]): boolean {
    if (tokens.length !== this.count) return false;
    const list = this.list;
    for (let i = 0; i < tokens.length; i++) if (tokens[i] !== list[i]) return false;
    return true;
  }

  copy(): unknown[] {
    return this.list.slice(0, this.count);
  }

  /** A list of scalars; false when it holds something else. */
  private scalars(list: unknown[]): boolean {
    this.marker(LIST_START);
    this.push(list.length, list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v === 'object' || v === undefined) return false;
      this.push(v, scalarHash(v));
    }
    return true;
  }

  private push(token: unknown, hash: number): void {
    this.list[this.count++] = token;
    this.hash = Math.imul(this.hash ^ hash, 0x01000193);
  }
}

const POLICY_TOKENS = new PolicyTokens();

/** Field names are few: their length and first and last characters tell them apart well enough (tokens are compared anyway). */
function nameHash(name: string): number {
  return name.length === 0 ? 0 : (name.length << 16) ^ (name.charCodeAt(0) << 8) ^ name.charCodeAt(name.length - 1);
}

function scalarHash(v: unknown): number {
  if (typeof v === 'string') {
    // At most the first 32 characters and the length: a hash only picks candidates.
    let h = v.length;
    const end = v.length < 32 ? v.length : 32;
    for (let i = 0; i < end; i++) h = Math.imul(h, 31) + v.charCodeAt(i);
    return h | 0;
  }
  if (typeof v === 'number') return (v * 2654435761) | 0;
  return v === true ? 1 : v === false ? 2 : 3;
}

/**
 * The parts of a policy its interning key covers. A field added to IngressPolicy fails to compile
 * here until intern() keys it too: an unkeyed field would let different policies share one object.
 */
export const INTERNED_POLICY_FIELDS = { route: true, host: true, canary: true } as const satisfies Record<keyof IngressPolicy, true>;

/** A policy and its two parts frozen (not what they hold: parts of it go to the output as they are). */
function frozen(policy: IngressPolicy): IngressPolicy {
  Object.freeze(policy.route);
  Object.freeze(policy.host);
  return Object.freeze(policy);
}

/** Distinct policies remembered per run (beyond, an Ingress keeps its own). */
const POLICY_LIMIT = 8192;

/**
 * Verdicts the memo hands to more than one Ingress, with the finding made for the first of them
 * (null until then, and made again for another prefix): see verdictFinding. One lookup per finding.
 */
const SHARED_VERDICTS = new WeakMap<AnnotationVerdict, { prefix: string; finding: Finding } | null>();

/** A verdict just made for a value the memo did not have (callers look it up first: no closure per annotation). */
function remember(byValue: Map<string, AnnotationVerdict>, value: string, verdict: AnnotationVerdict): AnnotationVerdict {
  if (byValue.size < MEMO_LIMIT) {
    byValue.set(value, verdict);
    SHARED_VERDICTS.set(verdict, null);
  }
  return verdict;
}

const MEMOS = new WeakMap<Catalogue, WeakMap<Capabilities, RunMemo>>();

function memoFor(catalogue: Catalogue, caps: Capabilities): RunMemo {
  let byCaps = MEMOS.get(catalogue);
  if (!byCaps) MEMOS.set(catalogue, (byCaps = new WeakMap()));
  let memo = byCaps.get(caps);
  if (!memo) byCaps.set(caps, (memo = new RunMemo(catalogue, caps)));
  return memo;
}

/** Transform names in the order they run (sorted); a transform's bit is its index here. */
const TRANSFORM_ORDER = Object.keys(TRANSFORMS).sort();
const TRANSFORM_INDEX = new Map(TRANSFORM_ORDER.map((name, i) => [name, i]));
/** The transforms by index (a list, not a lookup by name per transform run). */
const TRANSFORM_LIST: Transform[] = TRANSFORM_ORDER.map((name) => TRANSFORMS[name]!);
if (TRANSFORM_ORDER.length > 31) throw new Error('more than 31 transforms: the engine keeps them as bits of a number');
/** The transforms the controller's settings can make act on every Ingress, by index. */
const GLOBAL_TRANSFORMS: [number, Transform][] = TRANSFORM_ORDER.flatMap((name, i) => {
  const transform = TRANSFORMS[name];
  return transform?.global ? [[i, transform] as [number, Transform]] : [];
});

/** The transforms the settings make act on every Ingress, as bits, by settings object (see globalRun). */
const GLOBAL_RUNS = new WeakMap<NginxSettings, number>();

/** The bits of the transforms the settings make act on every Ingress: worked out once per settings object, not per Ingress. */
function globalRun(settings: NginxSettings): number {
  let run = GLOBAL_RUNS.get(settings);
  if (run === undefined) {
    run = 0;
    for (const [index, transform] of GLOBAL_TRANSFORMS) if (transform.global?.(settings)) run |= 1 << index;
    GLOBAL_RUNS.set(settings, run);
  }
  return run;
}

/**
 * The annotations of an Ingress under the prefix: short keys and their values, in the Ingress's
 * order, in one list (key, value, key, value…) searched linearly rather than a Map per Ingress
 * (≈ 0.4 KB each): an Ingress carries a few of them; one with many gets a Map too. Each key's
 * catalogue entry is looked up once, beside it. One Present serves every Ingress in turn (see
 * mapIngress): its lists keep their length and are overwritten, so an Ingress allocates nothing here.
 */
class Present {
  private readonly list: string[] = [];
  private readonly entries: (CatalogueEntry | undefined)[] = [];
  private count = 0;
  private byKey: Map<string, string> | undefined;

  /** Empty again, for the next Ingress. */
  reset(): void {
    this.count = 0;
    this.byKey = undefined;
  }

  get size(): number {
    return this.count;
  }

  key(i: number): string {
    return this.list[2 * i]!;
  }

  value(i: number): string {
    return this.list[2 * i + 1]!;
  }

  /** The catalogue entry of the i-th key (undefined: not an ingress-nginx annotation). */
  entry(i: number): CatalogueEntry | undefined {
    return this.entries[i];
  }

  add(key: string, value: string, entry: CatalogueEntry | undefined): void {
    const i = this.count++;
    this.list[2 * i] = key;
    this.list[2 * i + 1] = value;
    this.entries[i] = entry;
  }

  get(key: string): string | undefined {
    const list = this.list;
    const end = 2 * this.count;
    if (end > 32) {
      if (this.byKey === undefined) {
        this.byKey = new Map<string, string>();
        for (let i = 0; i < end; i += 2) this.byKey.set(list[i]!, list[i + 1]!);
      }
      return this.byKey.get(key);
    }
    for (let i = 0; i < end; i += 2) if (list[i] === key) return list[i + 1];
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * In key order (UTF-16 code units, as `<` and the default sort compare; keys are distinct): an
   * insertion sort of the pairs, which allocates nothing (sort() set up work arrays per Ingress).
   */
  sort(): void {
    const list = this.list;
    const entries = this.entries;
    const count = this.count;
    if (count > 16) {
      const triples: [string, string, CatalogueEntry | undefined][] = [];
      for (let i = 0; i < count; i++) triples.push([list[2 * i]!, list[2 * i + 1]!, entries[i]]);
      triples.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (let i = 0; i < count; i++) [list[2 * i], list[2 * i + 1], entries[i]] = triples[i]!;
      return;
    }
    for (let i = 1; i < count; i++) {
      const key = list[2 * i]!;
      const value = list[2 * i + 1]!;
      const entry = entries[i];
      let j = i - 1;
      while (j >= 0 && list[2 * j]! > key) {
        list[2 * j + 2] = list[2 * j]!;
        list[2 * j + 3] = list[2 * j + 1]!;
        entries[j + 1] = entries[j];
        j--;
      }
      list[2 * j + 2] = key;
      list[2 * j + 3] = value;
      entries[j + 1] = entry;
    }
  }
}

/**
 * The annotations of the Ingress being mapped. mapIngress runs to its end without yielding and
 * resets it first; nothing keeps it past the call (the context that reads it is the call's own).
 */
const PRESENT = new Present();

/**
 * What the transforms of one Ingress see. A class rather than an object of closures: its methods
 * are shared, and mapIngress runs once per Ingress of a fleet.
 */
class IngressContext implements TransformContext {
  readonly target: Target;
  /** Verdicts the transforms stated, by present key (made on the first: most Ingresses need none). */
  overrides: Map<string, AnnotationVerdict> | undefined;
  skipReason: string | undefined;

  constructor(
    readonly ingress: Ingress,
    readonly caps: Capabilities,
    readonly services: Service[],
    readonly configMaps: ConfigMap[],
    readonly options: TransformOptions,
    readonly settings: NginxSettings,
    private readonly catalogue: Catalogue,
    private readonly memo: RunMemo,
    private readonly present: Present,
    private readonly policy: IngressPolicy,
  ) {
    this.target = caps.target;
  }

  get(key: string): string | undefined {
    const spellings = this.memo.spellings(key);
    for (let i = 0; i < spellings.length; i++) {
      const v = this.present.get(spellings[i]!);
      if (v !== undefined) return v.trim();
    }
    return this.present.get(key)?.trim();
  }

  supported(key: string): boolean {
    return this.memo.supported(key);
  }

  invalid(key: string, message: string, severity: Severity = 'warn', given?: InvalidValueBehaviour): void {
    // Some keys fail in more than one way (e.g. not an integer vs out of range): the caller may say which.
    const behaviour = given ?? this.catalogue.get(key)?.invalid ?? 'silent-default';
    if (behaviour === 'ingress-skipped') {
      this.skipReason ??= `${this.presentSpelling(key)} is invalid`;
      this.override(key, 'invalid', 'error', `${message}; nginx refuses to load this Ingress, so none of its paths is converted`, 'annotation.invalid-value');
    } else if (behaviour === 'location-denied') {
      this.policy.route.deny = { statusCode: 503, reason: `${this.presentSpelling(key)} is invalid` };
      const expressible = this.caps.has('directResponse');
      this.override(
        key,
        'invalid',
        expressible ? 'warn' : 'error',
        `${message}; nginx answers 503 on these paths (fail closed)${expressible ? ', and so does the output' : ', which the target cannot express: the paths are left out'}`,
        'annotation.invalid-value',
      );
    } else this.override(key, 'invalid', severity, message, 'annotation.invalid-value');
  }

  ignored(key: string, message: string): void {
    this.override(key, 'exact', 'info', message, 'annotation.ignored');
  }

  approximate(key: string, message: string, severity: Severity = 'warn'): void {
    this.override(key, 'approximate', severity, message, 'annotation.approximate');
  }

  unsupported(key: string, message: string, severity: Severity = 'error'): void {
    this.override(key, 'unsupported', severity, message, 'annotation.unsupported');
  }

  exact(key: string): void {
    this.override(key, 'exact', 'info', this.mappingOf(key)?.message ?? 'converted', 'annotation.exact');
  }

  requires(key: string, feature: Feature, what: string): boolean {
    const caps = this.caps;
    if (caps.has(feature)) return true;
    const target = this.target;
    const needs = HTTPPROXY_FEATURES[feature];
    const k = this.presentSpelling(key);
    const message =
      target === 'httpproxy'
        ? `${what} needs Contour ${needs} or newer (--contour-version is ${formatVersion(caps.version)}); not converted`
        : `${what}: IngressRoute cannot express it; not converted`;
    if (this.overrides?.get(k)?.fidelity !== 'invalid') {
      const verdict: AnnotationVerdict = {
        key: k,
        value: this.present.get(k) ?? '',
        fidelity: 'unsupported',
        severity: this.mappingOf(key)?.severity ?? 'warn',
        message: clip(message),
        findingId: target === 'httpproxy' ? 'annotation.version' : 'annotation.unsupported',
      };
      if (target === 'httpproxy') verdict.needsContour = needs;
      (this.overrides ??= new Map<string, AnnotationVerdict>()).set(k, verdict);
    }
    return false;
  }

  override(key: string, fidelity: Fidelity, severity: Severity, message: string, findingId: FindingId): void {
    const k = this.presentSpelling(key);
    // An invalid value is the verdict that matters: a later note about the same key does not hide it.
    if (this.overrides?.get(k)?.fidelity === 'invalid' && fidelity !== 'invalid') return;
    // Messages quote values; whatever a value holds, a message stays one bounded line.
    (this.overrides ??= new Map<string, AnnotationVerdict>()).set(k, { key: k, value: this.present.get(k) ?? '', fidelity, severity, message: clip(message), findingId });
  }

  private mappingOf(key: string): TargetMapping | undefined {
    return this.catalogue.get(key)?.[this.target];
  }

  private presentSpelling(key: string): string {
    const spellings = this.memo.spellings(key);
    for (let i = 0; i < spellings.length; i++) if (this.present.has(spellings[i]!)) return spellings[i]!;
    return key;
  }
}

export function mapIngress(ingress: Ingress, opts: MapContextOptions): MappedIngress {
  const { catalogue, caps, prefix } = opts;
  const memo = memoFor(catalogue, caps);
  const present = PRESENT;
  present.reset();
  const prefixLength = prefix.length + 1;
  const annotations = ingress.annotations;
  for (const fullKey in annotations) {
    if (fullKey.length >= prefixLength && fullKey.charCodeAt(prefix.length) === SLASH && fullKey.startsWith(prefix)) {
      const key = memo.shortKey(fullKey, prefixLength);
      present.add(key, annotations[fullKey]!, catalogue.get(key));
    }
  }
  const settings = opts.settings ?? SETTINGS_WITHOUT_CONTROLLER;
  const policy = emptyPolicy();
  // The same parser the canary transform uses: nginx reads `canary` with Go's ParseBool.
  const canaryValue = present.get('canary');
  const isCanary = canaryValue !== undefined && parseGoBool(canaryValue) === true;

  const notLoaded = notLoadedReason(present, settings, prefix);
  if (notLoaded) {
    // nginx never served this Ingress: nothing of it is converted, and its annotations say why.
    present.sort();
    const verdicts: AnnotationVerdict[] = [];
    for (let i = 0; i < present.size; i++)
      verdicts.push({
        key: present.key(i),
        value: present.value(i),
        fidelity: 'exact',
        severity: 'info',
        message: `nginx does not load this Ingress (${notLoaded}); not converted either`,
        findingId: 'annotation.ignored',
      });
    return { ingress, policy: memo.intern(policy), isCanary, verdicts, skipReason: 'not loaded by nginx', notLoaded };
  }
  const ctx = new IngressContext(ingress, caps, opts.services, opts.configMaps, opts.options ?? {}, settings, catalogue, memo, present, policy);
  const size = present.size;
  // Snippets nginx strips: allowed by the risk level, but allow-snippet-annotations is off.
  if (!settings.allowSnippetAnnotations) {
    for (let i = 0; i < size; i++) {
      const key = present.key(i);
      if (present.entry(i)?.valueType === 'snippet')
        ctx.override(key, 'exact', 'info', 'nginx strips snippet annotations (allow-snippet-annotations is false); not converted either', 'annotation.ignored');
    }
  }

  // Run each transform once, in name order, when any of its keys is present and nginx would read
  // it, or when the controller's settings make it act on every Ingress.
  let run = isCanary ? 0 : globalRun(settings);
  for (let i = 0; i < size; i++) {
    const entry = present.entry(i);
    // nginx honours only the catalogue's `canary: true` keys on a canary Ingress; the rest come from the mainline.
    if (isCanary && entry?.canary !== true) continue;
    const name = entry?.transform;
    if (!name) continue;
    const index = TRANSFORM_INDEX.get(name);
    if (index === undefined) throw new Error(`mappings name transform "${name}", which does not exist`);
    run |= 1 << index;
  }
  for (let i = 0; run !== 0; i++, run >>>= 1) if (run & 1) TRANSFORM_LIST[i]!.apply(ctx, policy);

  // Exactly as long as needed: the list is kept to the end, and pushing grew it to 17 slots.
  const verdicts = new Array<AnnotationVerdict>(size);
  present.sort();
  for (let i = 0; i < size; i++) {
    const key = present.key(i);
    const value = present.value(i);
    const entry = present.entry(i);
    if (!entry) verdicts[i] = memo.unknown(key, value);
    else if (isCanary && entry.canary !== true) verdicts[i] = memo.canaryIgnored(key, value);
    else verdicts[i] = ctx.overrides?.get(key) ?? memo.defaultVerdict(entry, value);
  }
  let lostSettings: LostSetting[] | undefined;
  if (!isCanary) {
    const lists = globalAccessLists(ctx, policy, settings);
    const auth = globalAuth(ctx, policy, settings);
    if (lists.length + auth.length > 0) lostSettings = lists.concat(auth);
  }
  // After globalAuth, the last step that sets a field of the policy.
  const mapped: MappedIngress = { ingress, policy: memo.intern(policy), isCanary, verdicts };
  if (ctx.skipReason) mapped.skipReason = ctx.skipReason;
  if (lostSettings) mapped.lostSettings = lostSettings;
  return mapped;
}

const SLASH = 47;

/** Nothing lost: one shared empty list rather than a new one for every Ingress. */
const NONE_LOST: readonly LostSetting[] = Object.freeze([]);

/** The controller's IP lists on a target that cannot filter by address: an access control lost. */
function globalAccessLists(ctx: TransformContext, policy: IngressPolicy, settings: NginxSettings): readonly LostSetting[] {
  if (policy.route.deny || ctx.supported('allowlist-source-range')) return NONE_LOST;
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
function globalAuth(ctx: TransformContext, policy: IngressPolicy, settings: NginxSettings): readonly LostSetting[] {
  if (!settings.globalAuthUrl || policy.route.deny) return NONE_LOST;
  const optOut = ctx.get('enable-global-auth');
  if (optOut !== undefined && parseGoBool(optOut) === false) return NONE_LOST;
  if (ctx.get('auth-url') !== undefined) return NONE_LOST;
  const ext = ctx.options.authExtension;
  if (ext && ctx.target === 'httpproxy' && ctx.caps.has('authorization')) {
    policy.host.authorization ??= { namespace: ext.namespace, name: ext.name };
    policy.route.authRequired = true;
    return NONE_LOST;
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

/**
 * Verdicts worth a line on stderr: everything but exact conversions. `key` is the Ingress's
 * `ns/name` when the caller has it (one string per Ingress, hashed once by the findings sort).
 */
export function verdictFindings(mapped: MappedIngress, prefix: string, key: string = ingressKey(mapped.ingress)): Finding[] {
  const out: Finding[] = [];
  appendVerdictFindings(mapped, prefix, key, out, 0);
  return out;
}

/**
 * verdictFindings written into `out` from index `at` (convert.ts fills one list for the run
 * instead of a list per Ingress); returns the index after the last one written.
 */
export function appendVerdictFindings(mapped: MappedIngress, prefix: string, key: string, out: Finding[], at: number): number {
  // One subject list for the Ingress's findings (subject lists are never mutated), made for the first.
  let ingresses: string[] | undefined;
  const verdicts = mapped.verdicts;
  for (let i = 0; i < verdicts.length; i++) {
    const v = verdicts[i]!;
    if (v.fidelity !== 'exact' || v.findingId === 'annotation.ignored-on-canary' || v.findingId === 'annotation.ignored') out[at++] = verdictFinding(v, (ingresses ??= [key]), prefix);
  }
  return at;
}

/** One annotation verdict as a finding (the message is the verdict's). */
export function verdictFinding(v: AnnotationVerdict, ingresses: string[], prefix: string): Finding {
  const made = SHARED_VERDICTS.get(v);
  if (made === undefined) return makeVerdictFinding(v, ingresses, prefix);
  // A verdict many Ingresses share: its finding's data is made once, and each Ingress's finding
  // names that Ingress. withSubject keeps the copy's message rendered on demand (a spread read
  // the accessor and stored a message string in each of hundreds of thousands of copies).
  if (made === null || made.prefix !== prefix) {
    const f = makeVerdictFinding(v, ingresses, prefix);
    SHARED_VERDICTS.set(v, { prefix, finding: f });
    return withSubject(f, { ...f.subject });
  }
  const subject = made.finding.subject;
  return withSubject(made.finding, { ingresses: ingresses.length === 1 ? ingresses : ingresses.slice().sort(), annotation: subject.annotation! });
}

function makeVerdictFinding(v: AnnotationVerdict, ingresses: string[], prefix: string): Finding {
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
