// Builds the route table the way ingress-nginx builds its servers: Ingresses in
// nginx order (oldest first), first claim of host+path+pathType wins, canaries
// attached to their mainline, host-wide regex mode, host-level settings first-wins.
import type { Capabilities } from './contour.js';
import { finding, type Finding, type Subject } from './findings.js';
import type { Ingress, IngressBackend, IngressPath, Service } from './ingress.js';
import { ingressKey } from './ingress.js';
import type { CanaryIntent, HostPolicy, IngressPolicy, RoutePolicy } from './policy.js';
import { SHORT_LIST, sortStrings } from './sort.js';

/**
 * How a route matches, in nginx terms:
 * - exact: `location = /p`
 * - segment: Prefix /p → /p and /p/… (not /pq); `/` matches everything
 * - dir: Prefix /p/ → /p/… (nginx answers /p with a 301 to /p/)
 * - string: regex-mode literal → any path starting with /p, case-insensitive
 * - regex: regex-mode pattern `^<p>`, case-insensitive
 */
export type MatchKind = 'exact' | 'segment' | 'dir' | 'string' | 'regex';

export interface RouteMatch {
  kind: MatchKind;
  path: string;
}

export interface Backend {
  service: string;
  port: number;
}

export interface RouteSource {
  ingress: string;
  rule: number;
  path: number;
}

export interface CanaryAttachment {
  backend: Backend;
  intent: CanaryIntent;
  source: RouteSource;
  /** The canary Ingress's own affinity: nginx honours it on canaries. */
  cookieAffinity?: boolean;
}

export interface Route {
  host: string;
  namespace: string;
  match: RouteMatch;
  /** The path as written in the Ingress (for messages). */
  originalPath: string;
  backend: Backend;
  policy: RoutePolicy;
  source: RouteSource;
  canary?: CanaryAttachment;
  /** The Ingress pathType (ImplementationSpecific counts as Prefix, as in nginx). */
  pathType?: 'Exact' | 'Prefix';
  /**
   * Position of the route's location in the server as nginx built it (the implicit `/` first,
   * then Ingress paths oldest Ingress first): nginx's tie-break between locations of equal path.
   */
  order?: number;
  /** Literal-prefix rewrite for this path (from rewrite-target). */
  rewrite?: { replacement: string };
  /**
   * nginx's implicit `location /` of a server no Ingress gives a `/` path: the default backend
   * answers 404 there, but with the location-level annotations of the Ingress that created the
   * host (its ssl-redirect, permanent-redirect, …). It belongs to the root, not to a team.
   */
  implicit?: true;
}

export interface HostTLS {
  secretNamespace: string;
  secretName: string;
  /** The Ingress the certificate came from. */
  source: string;
}

export interface VirtualHost {
  fqdn: string;
  routes: Route[];
  tls?: HostTLS;
  regexMode: boolean;
  policy: HostPolicy;
  /** The Ingress (ns/name) each host-level setting came from. */
  policySources: Partial<Record<keyof HostPolicy, string>>;
  /** Source Ingresses (ns/name), sorted. */
  sources: string[];
}

export interface MappedForModel {
  ingress: Ingress;
  policy: IngressPolicy;
  isCanary: boolean;
}

export interface BuildOptions {
  caps: Capabilities;
  services: Service[];
  /** `ns/name` of Ingresses without creationTimestamp, oldest first (--prefer): their stated order. */
  prefer?: readonly string[];
  /** The controller's --default-ssl-certificate: what nginx serves for a TLS host without a secretName. */
  defaultSslCertificate?: { namespace: string; name: string };
}

export interface HostTable {
  hosts: VirtualHost[];
  findings: Finding[];
}

/** nginx order: oldest creationTimestamp first; ties by namespace/name descending. */
export function nginxOrder(a: Ingress, b: Ingress): number {
  const ta = a.creationTimestamp ?? '';
  const tb = b.creationTimestamp ?? '';
  if (ta !== tb) {
    // Objects without a timestamp (hand-written files) sort after dated ones.
    if (ta === '') return 1;
    if (tb === '') return -1;
    const da = Date.parse(ta);
    const db = Date.parse(tb);
    if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) return da - db;
  }
  const ka = ingressKey(a);
  const kb = ingressKey(b);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

/** An Ingress with its `ns/name`, computed once: every route, location and finding of it shares the string. */
interface Entry {
  m: MappedForModel;
  key: string;
}

interface OrderKey extends Entry {
  /** 0 when the Ingress has a creationTimestamp, 1 when not (undated ones sort last). */
  undated: number;
  /** Date.parse of the timestamp; NaN when absent or unparseable. */
  time: number;
  /** Position in --prefer; undated Ingresses not listed come after all listed ones. */
  rank: number;
}

/**
 * nginxOrder over a whole list, with each Ingress's sort key computed once (Date.parse in a
 * comparator dominated large inputs). Undated Ingresses named in `prefer` come first among
 * the undated ones, in the order given; otherwise the order is exactly nginxOrder's.
 * Also returns the Ingresses by key (the last of a repeated key, as a Map built in input order).
 */
function nginxSorted(mapped: MappedForModel[], prefer: readonly string[]): { ordered: OrderKey[]; byKey: Map<string, Ingress> } {
  const preferRank = new Map(prefer.map((k, i) => [k, i]));
  const byKey = new Map<string, Ingress>();
  const keys: OrderKey[] = new Array<OrderKey>(mapped.length);
  for (let i = 0; i < mapped.length; i++) {
    const m = mapped[i]!;
    const timestamp = m.ingress.creationTimestamp ?? '';
    const key = ingressKey(m.ingress);
    byKey.set(key, m.ingress);
    keys[i] = { m, key, undated: timestamp === '' ? 1 : 0, time: timestamp === '' ? Number.NaN : timeOf(timestamp), rank: prefer.length === 0 ? 0 : (preferRank.get(key) ?? prefer.length) };
  }
  return { ordered: sortedByPackedTime(keys) ?? keys.sort(compareOrderKeys), byKey };
}

// Numbers only until the tie-break: equal timestamps parse to equal times, and a NaN
// difference (an unparseable timestamp) falls through to the key as in nginxOrder.
function compareOrderKeys(a: OrderKey, b: OrderKey): number {
  if (a.undated !== b.undated) return a.undated - b.undated;
  if (a.undated === 0) {
    const d = a.time - b.time;
    if (d !== 0 && d === d) return d;
  } else if (a.rank !== b.rank) return a.rank - b.rank;
  return compareKeysDescending(a, b);
}

const compareKeysDescending = (a: Entry, b: Entry): number => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);

/** Bits of a packed sort number that hold the position in the input (up to 2M Ingresses). */
const POSITION_BITS = 2 ** 21;
/** Whole seconds since 1970 below this pack with a position into a double's 53 bits; undated Ingresses above them. */
const UNDATED = 2 ** 31;

/**
 * compareOrderKeys' order without calling it per comparison (≈ 300k calls at 20k Ingresses): each
 * Ingress packed into one number, whole seconds (or UNDATED + its --prefer rank) above its
 * position, the numbers sorted natively, and only runs of an equal time sorted by key. The same
 * result as the stable sort: compareOrderKeys is a total order without NaN times. Undefined when a
 * time does not pack (fractions of a second, before 1970, after 2038, unparseable).
 */
function sortedByPackedTime(keys: OrderKey[]): OrderKey[] | undefined {
  if (keys.length >= POSITION_BITS) return undefined;
  const packed = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    let primary: number;
    if (k.undated === 1) {
      if (k.rank >= UNDATED) return undefined;
      primary = UNDATED + k.rank;
    } else {
      primary = k.time / 1000;
      if (!(primary >= 0 && primary < UNDATED && Number.isInteger(primary))) return undefined;
    }
    packed[i] = primary * POSITION_BITS + i;
  }
  packed.sort();
  const ordered = new Array<OrderKey>(keys.length);
  // Runs of one time (or rank), in input order so far, sorted by key, descending, as each ends.
  let start = 0;
  for (let i = 0; i < packed.length; i++) {
    const k = keys[packed[i]! % POSITION_BITS]!;
    ordered[i] = k;
    if (i > 0 && !sameOrderTime(ordered[start]!, k)) {
      if (i - start > 1) sortRun(ordered, start, i);
      start = i;
    }
  }
  if (packed.length - start > 1) sortRun(ordered, start, packed.length);
  return ordered;
}

/** Whether compareOrderKeys goes on to the keys: the same time, or both undated with the same rank (times that packed are not NaN). */
const sameOrderTime = (a: OrderKey, b: OrderKey): boolean => a.undated === b.undated && (a.undated === 1 ? a.rank === b.rank : a.time === b.time);

/** Sorts ordered[start, end) by key, descending, stably. */
function sortRun(ordered: OrderKey[], start: number, end: number): void {
  if (end - start <= SHORT_LIST) {
    for (let i = start + 1; i < end; i++) {
      const item = ordered[i]!;
      let j = i - 1;
      while (j >= start && ordered[j]!.key < item.key) {
        ordered[j + 1] = ordered[j]!;
        j--;
      }
      ordered[j + 1] = item;
    }
    return;
  }
  const run = ordered.slice(start, end).sort(compareKeysDescending);
  for (let i = 0; i < run.length; i++) ordered[start + i] = run[i]!;
}

/**
 * Date.parse of a timestamp, without the general date parser for the form Kubernetes writes
 * (`2024-01-02T03:04:05Z`): the same number, day overflow included (V8 takes Feb 30 as Mar 2).
 * Any other form, or a year before 1000, goes to Date.parse.
 */
function timeOf(ts: string): number {
  if (ts.length === 20 && ts.charCodeAt(4) === 45 && ts.charCodeAt(7) === 45 && ts.charCodeAt(10) === 84 && ts.charCodeAt(13) === 58 && ts.charCodeAt(16) === 58 && ts.charCodeAt(19) === 90) {
    const y = digitsAt(ts, 0, 4);
    const mo = digitsAt(ts, 5, 2);
    const d = digitsAt(ts, 8, 2);
    const h = digitsAt(ts, 11, 2);
    const mi = digitsAt(ts, 14, 2);
    const s = digitsAt(ts, 17, 2);
    if (y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59) {
      // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
      const yy = mo <= 2 ? y - 1 : y;
      const era = Math.floor(yy / 400);
      const yoe = yy - era * 400;
      const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
      const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
      return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000;
    }
  }
  return Date.parse(ts);
}

/** The number written by `n` decimal digits at `at`; -1 when one is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Claims of one host+path by several Ingresses, kept until all Ingresses were seen. */
interface Contest {
  host: string;
  path: string;
  pathType: string;
  /** In nginx order: the first one wins. */
  contenders: Ingress[];
  findings: Finding[];
}

/**
 * When a contest involves an Ingress without creationTimestamp that --prefer does not place,
 * nginx's order is a guess: one finding names every contender instead of one per loser.
 */
function contestFindings(contests: Iterable<Contest>, prefer: readonly string[]): Finding[] {
  const stated = new Set(prefer);
  const out: Finding[] = [];
  for (const c of contests) {
    const assumed = c.contenders.some((i) => !i.creationTimestamp && !stated.has(ingressKey(i)));
    if (!assumed) {
      for (const f of c.findings) out.push(f);
      continue;
    }
    const names = c.contenders.map((i) => `${ingressKey(i)}${i.creationTimestamp ? ` (created ${i.creationTimestamp})` : ' (no creationTimestamp)'}`);
    out.push(
      finding(
        'route.precedence-assumed',
        'warn',
        { ingresses: c.contenders.map(ingressKey), host: c.host, path: c.path },
        {
          where: `${c.host}${c.path} (${c.pathType})`,
          count: c.contenders.length,
          order: names.join(', then '),
          contenders: c.contenders.map(ingressKey),
        },
      ),
    );
  }
  return out;
}

const normalizedPathType = (p: IngressPath): 'Exact' | 'Prefix' => (p.pathType === 'Exact' ? 'Exact' : 'Prefix');

/** The deny reason of nginx's implicit `/` location (the default backend's 404). */
export const IMPLICIT_ROOT = "nginx's default backend (no Ingress has a / path)";

/** The deny reason of a path that cannot be converted (lowering reports it per target). */
export const UNCONVERTIBLE = 'an annotation of this Ingress cannot be expressed for the path';

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/** A path without regex syntax: in nginx regex mode it still matches as a plain string prefix. */
export const isLiteralPath = (path: string): boolean => !REGEX_META.test(path);

type PathType = 'Exact' | 'Prefix';

interface Location {
  path: string;
  type: PathType;
  ingress: string;
  policy: RoutePolicy;
}

interface Repeated extends Location {
  where: string;
  /** The Ingress that already has this path and type. */
  owner: string;
}

/** nginx's needsRewrite || UseRegex: one such location puts the whole server in regex mode. */
const locationIsRegex = (path: string, policy: RoutePolicy): boolean => Boolean(policy.useRegex) || (policy.rewriteTarget !== undefined && policy.rewriteTarget !== path);

interface HostState {
  fqdn: string;
  /**
   * The routes by path, one map per path type (no `type path` key string built per path).
   * Routes are never re-inserted, so their `order` is their insertion order (-1: added last).
   */
  prefixRoutes: Map<string, Route>;
  exactRoutes: Map<string, Route> | undefined;
  /** host+path claims whose route could not be emitted (made when one is). */
  claimedPrefix: Map<string, string> | undefined;
  claimedExact: Map<string, string> | undefined;
  /** Every nginx location of the host's paths, in nginx order (regex mode is decided from them). */
  locations: Location[];
  /** Paths nginx adds a second time (its duplicate check only looks at the first location of a path); made on the first. */
  repeated: Repeated[] | undefined;
  regexMode: boolean;
  /** NO_HOST_POLICY until an Ingress sets a host-level setting (see ownPolicy); the table keeps it. */
  policy: HostPolicy;
  /** NO_POLICY_SOURCES likewise. */
  policySource: Partial<Record<keyof HostPolicy, string>>;
  /** The Ingress that created the host (nginx's implicit `/` comes from it). */
  creator: Entry;
  /** Position among the hosts in the order they were made. */
  created: number;
  /** Mainline Ingresses with a rule or TLS entry for this host, in nginx order: the host's sources with `canaries`. */
  servers: Entry[];
  /** Canary Ingresses attached to a route of the host, in the order they were (made on the first). */
  canaries: string[] | undefined;
}

/** The route of a host for a path and type. */
const routeAt = (host: HostState, type: PathType, path: string): Route | undefined => (type === 'Exact' ? host.exactRoutes?.get(path) : host.prefixRoutes.get(path));

/** Source Ingresses of a host (mainline and canary), each once, in the order they were added. */
function sourcesInOrder(host: HostState): string[] {
  const set = new Set<string>();
  for (const e of host.servers) set.add(e.key);
  if (host.canaries) for (const k of host.canaries) set.add(k);
  return [...set];
}

/** Source Ingresses of a host, sorted, each once. */
function sortedSources(host: HostState): string[] {
  // Sized up front: a list grown by push keeps room for 17 (the table keeps one per host).
  const canaries = host.canaries ?? NO_CANARIES;
  const out = new Array<string>(host.servers.length + canaries.length);
  let n = 0;
  for (let i = 0; i < host.servers.length; i++) out[n++] = host.servers[i]!.key;
  for (let i = 0; i < canaries.length; i++) out[n++] = canaries[i]!;
  return sortedUnique(out);
}

/** Where a path is in its Ingress, for messages: built only when a message needs it. */
const pathWhere = (ri: number, pi: number, host: string | undefined, path: string): string => `spec.rules[${ri}].http.paths[${pi}] (${host ?? '<no host>'}${path})`;
/** pathWhere, or spec.defaultBackend when the rule is -1. */
const backendWhere = (ri: number, pi: number, host: string | undefined, path: string): string => (ri < 0 ? `spec.defaultBackend (${host ?? ''}/)` : pathWhere(ri, pi, host, path));

/**
 * One buildHosts run: what its steps share. The steps are functions called per Ingress or per host,
 * not loop bodies of buildHosts: it runs once, so V8 compiled each of its loops on stack replacement,
 * the whole function every time, and a deoptimization (a rarer Ingress shape) sent the rest of a loop
 * back to unoptimized code. A small function called per item is optimized, and re-optimized, alone
 * (at 20k, callgrind counted ≈ 12 % fewer instructions for the route table and lowering together).
 */
interface Build {
  opts: BuildOptions;
  findings: Finding[];
  byKey: Map<string, Ingress>;
  contests: Map<string, Contest>;
  hosts: Map<string, HostState>;
  /** The hosts in the order they were made (the map's order), for indexed loops. */
  hostList: HostState[];
  /** Only named ports need the Services: indexed on first use. */
  serviceIndex: Map<string, Service> | undefined;
  /** The next route's insertion order. */
  order: number;
  /** Canary Ingresses, in nginx order: attached after every mainline route exists. */
  canaries: Entry[];
  /** Mainline Ingresses with a host-level setting (few), in nginx order. */
  hostSettings: Entry[];
  /** Hosts that got a policy of their own (see ownPolicy), in that order. */
  policyHosts: HostState[];
  /** implicitRootPolicy by the creator's policy. */
  implicitRootPolicies: Map<RoutePolicy, RoutePolicy>;
}

export function buildHosts(mapped: MappedForModel[], opts: BuildOptions): HostTable {
  const prefer = opts.prefer ?? [];
  const { ordered, byKey } = nginxSorted(mapped, prefer);
  const b: Build = {
    opts,
    findings: [],
    byKey,
    contests: new Map(),
    hosts: new Map(),
    hostList: [],
    serviceIndex: undefined,
    order: 0,
    canaries: [],
    hostSettings: [],
    policyHosts: [],
    implicitRootPolicies: new Map(),
  };
  const findings = b.findings;

  // Mainline Ingresses claim host+path+pathType, oldest first. The few canaries and Ingresses with
  // host-level settings are listed for their own steps: no later loop over every Ingress.
  for (let oi = 0; oi < ordered.length; oi++) {
    const entry = ordered[oi]!;
    if (entry.m.isCanary) b.canaries.push(entry);
    else {
      claimPaths(b, entry);
      if (hasHostSetting(entry.m.policy.host)) b.hostSettings.push(entry);
    }
  }

  for (const f of contestFindings(b.contests.values(), prefer)) findings.push(f);

  const hostList = b.hostList;
  for (let hi = 0; hi < hostList.length; hi++) addDefaultBackendRoot(b, hostList[hi]!);
  for (let hi = 0; hi < hostList.length; hi++) resolveLocations(hostList[hi]!, findings);
  attachCanaries(b.canaries, b);
  // After the canaries: a canary of `/` has no mainline in nginx when no Ingress has a `/` path.
  for (let hi = 0; hi < hostList.length; hi++) addImplicitRoot(b, hostList[hi]!);
  applyHostPolicies(b.hostSettings, b);

  // The hosts sorted by fqdn (all distinct: as the default string sort orders them); their order
  // of creation is not needed any more.
  hostList.sort(byFqdn);
  const out: VirtualHost[] = [];
  for (let hi = 0; hi < hostList.length; hi++) {
    const vh = virtualHost(b, hostList[hi]!);
    if (vh) out.push(vh);
  }
  return { hosts: out, findings };
}

/**
 * A Service port for a backend, or undefined (reported) when there is none. The location (rule, path,
 * host and path, or rule -1 for spec.defaultBackend) is only for findings: its text is made when one is
 * (most backends are a Service with a port number).
 */
function resolveBackend(b: Build, ing: Ingress, key: string, backend: IngressBackend, ri: number, pi: number, host: string | undefined, path: string): Backend | undefined {
  if (!backend.service) {
    b.findings.push(finding('route.resource-backend', 'error', { ingresses: [key] }, { where: backendWhere(ri, pi, host, path), kind: backend.resource?.kind ?? 'resource' }));
    return undefined;
  }
  const { name, port } = backend.service;
  if (port.number !== undefined) return { service: name, port: port.number };
  b.serviceIndex ??= new Map(b.opts.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const svc = b.serviceIndex.get(`${ing.namespace}/${name}`);
  const found = svc?.ports.find((p) => p.name === port.name);
  if (found) return { service: name, port: found.port };
  b.findings.push(
    finding(
      'route.port-unresolved',
      'error',
      { ingresses: [key] },
      {
        where: backendWhere(ri, pi, host, path),
        service: `${ing.namespace}/${name}`,
        port: port.name ?? '',
        reason: svc
          ? `Service ${ing.namespace}/${name} has no port named "${port.name}"`
          : `port "${port.name}" of Service ${ing.namespace}/${name} is a name, and the Service is not in the input (add it with -f, or read from a cluster)`,
      },
    ),
  );
  return undefined;
}

/** The paths of one mainline Ingress claim their host+path+pathType (the first claim wins). */
function claimPaths(b: Build, entry: Entry): void {
  const { m, key: ik } = entry;
  const ing = m.ingress;
  if (ing.rules.length === 0 && ing.defaultBackend) {
    b.findings.push(finding('route.catch-all-default-backend', 'error', { ingresses: [ik] }));
    return;
  }
  for (let ri = 0; ri < ing.rules.length; ri++) {
    const rule = ing.rules[ri]!;
    const fqdn = rule.host;
    if (fqdn === undefined) {
      b.findings.push(finding('route.host-less', 'error', { ingresses: [ik] }, { rule: ri, paths: rule.paths.length }));
      continue;
    }
    const host = b.hosts.get(fqdn) ?? newHost(b, fqdn, entry);
    if (host.servers[host.servers.length - 1] !== entry) host.servers.push(entry);
    for (let pi = 0; pi < rule.paths.length; pi++) claimPath(b, host, entry, ri, pi, rule.paths[pi]!);
  }
}

function newHost(b: Build, fqdn: string, creator: Entry): HostState {
  const host: HostState = {
    fqdn,
    prefixRoutes: new Map(),
    exactRoutes: undefined,
    claimedPrefix: undefined,
    claimedExact: undefined,
    locations: [],
    repeated: undefined,
    regexMode: false,
    policy: NO_HOST_POLICY,
    policySource: NO_POLICY_SOURCES,
    creator,
    created: b.hostList.length,
    servers: [],
    canaries: undefined,
  };
  b.hosts.set(fqdn, host);
  b.hostList.push(host);
  return host;
}

/** Path `pi` of rule `ri` of a mainline Ingress claims its place on the host (or loses it to an older claim). */
function claimPath(b: Build, host: HostState, entry: Entry, ri: number, pi: number, p: IngressPath): void {
  const { m, key: ik } = entry;
  const fqdn = host.fqdn;
  const routePolicy = m.policy.route;
  const path = p.path;
  // The route or claim of the path, and its match kind, written out: this runs for every path, and a helper is a real call.
  const exact = p.pathType === 'Exact';
  const type: PathType = exact ? 'Exact' : 'Prefix';
  const owner = (exact ? host.exactRoutes?.get(path) : host.prefixRoutes.get(path))?.source.ingress ?? (exact ? host.claimedExact : host.claimedPrefix)?.get(path);
  if (owner && firstLocationType(host, p.path) !== type) {
    // nginx compares a new path only with the first location of that path: when its
    // type differs, the repeated path is added again (see resolveLocations).
    (host.repeated ??= []).push({ path: p.path, type, ingress: ik, policy: routePolicy, where: pathWhere(ri, pi, fqdn, p.path), owner });
    return;
  }
  if (owner) {
    const by = owner === ik ? 'an earlier path of this Ingress' : `Ingress ${owner} (older, or first in nginx order)`;
    const ingresses = [ik];
    const duplicate = finding('route.duplicate-path', 'warn', { ingresses, host: fqdn, path: p.path }, { where: pathWhere(ri, pi, fqdn, p.path), owner: by, ownerIngress: owner });
    if (owner === ik) {
      b.findings.push(duplicate);
      return;
    }
    const contestKey = `${fqdn} ${type} ${p.path}`;
    let contest: Contest | undefined = b.contests.get(contestKey);
    if (!contest) {
      contest = { host: fqdn, path: p.path, pathType: type, contenders: [b.byKey.get(owner)!], findings: [] };
      b.contests.set(contestKey, contest);
    }
    if (!contest.contenders.includes(m.ingress)) contest.contenders.push(m.ingress);
    contest.findings.push(duplicate);
    return;
  }
  // nginx makes no location for a path whose backend is not a Service.
  if (p.backend.service) host.locations.push({ path: p.path, type, ingress: ik, policy: routePolicy });
  // Reported by the annotation verdict. The path keeps its claim, as in nginx, and its place:
  // it answers 503, so its requests never fall through to a shorter path of another backend.
  const unconvertible = routePolicy.omitAll || routePolicy.unconvertiblePaths?.includes(p.path);
  const backend = unconvertible ? { service: '', port: 0 } : resolveBackend(b, m.ingress, ik, p.backend, ri, pi, fqdn, p.path);
  if (!backend) {
    if (type === 'Exact') (host.claimedExact ??= new Map()).set(p.path, ik);
    else (host.claimedPrefix ??= new Map()).set(p.path, ik);
    return;
  }
  // The parts first: a literal nested in another is copied by the runtime until the function is optimized.
  const match: RouteMatch = { kind: exact ? 'exact' : path !== '/' && path.endsWith('/') ? 'dir' : 'segment', path };
  const source: RouteSource = { ingress: ik, rule: ri, path: pi };
  const route: Route = {
    host: fqdn,
    namespace: m.ingress.namespace,
    match,
    originalPath: p.path,
    pathType: type,
    order: b.order++,
    backend,
    policy: unconvertible ? { ...routePolicy, deny: { statusCode: 503, reason: UNCONVERTIBLE } } : routePolicy,
    source,
  };
  (type === 'Exact' ? (host.exactRoutes ??= new Map()) : host.prefixRoutes).set(p.path, route);
}

/** nginx's implicit `/`: the Ingress that created a host serves its defaultBackend there, unless some Ingress has an explicit `/`. */
function addDefaultBackendRoot(b: Build, host: HostState): void {
  const creator = host.creator.m.ingress;
  if (!creator.defaultBackend || host.prefixRoutes.has('/')) return;
  const backend = resolveBackend(b, creator, host.creator.key, creator.defaultBackend, -1, -1, host.fqdn, '/');
  if (!backend) return;
  const match: RouteMatch = { kind: 'segment', path: '/' };
  const source: RouteSource = { ingress: host.creator.key, rule: -1, path: -1 };
  host.prefixRoutes.set('/', { host: host.fqdn, namespace: creator.namespace, match, originalPath: '/', pathType: 'Prefix', order: -1, backend, policy: host.creator.m.policy.route, source });
  const ingresses = [host.creator.key];
  b.findings.push(finding('route.default-backend', 'info', { ingresses, host: host.fqdn, path: '/' }, { host: host.fqdn }));
}

/** nginx's implicit `/` location of a host no route or claim has a `/` for: the default backend's 404. */
function addImplicitRoot(b: Build, host: HostState): void {
  if (host.prefixRoutes.has('/') || host.claimedPrefix?.has('/')) return;
  const creator = host.creator.m.policy.route;
  // The parts first, as in claimPath.
  const match: RouteMatch = { kind: 'segment', path: '/' };
  const backend: Backend = { service: '', port: 0 };
  const source: RouteSource = { ingress: host.creator.key, rule: -1, path: -1 };
  // A redirect annotation answers before the default backend would; otherwise the 404.
  const policy = creator.redirect ? creator : implicitRootPolicy(b, creator);
  host.prefixRoutes.set('/', { host: host.fqdn, namespace: host.creator.m.ingress.namespace, match, originalPath: '/', pathType: 'Prefix', order: -1, backend, policy, source, implicit: true });
}

/**
 * The creator's route policy with the default backend's 404: one per policy and run, shared by the
 * implicit roots of every host it created (policies are interned, and nothing changes one).
 */
function implicitRootPolicy(b: Build, creator: RoutePolicy): RoutePolicy {
  let policy = b.implicitRootPolicies.get(creator);
  if (!policy) {
    policy = { ...creator, deny: { statusCode: 404, reason: IMPLICIT_ROOT } };
    b.implicitRootPolicies.set(creator, policy);
  }
  return policy;
}

/** The table's virtual host of a host, or undefined (reported) when the target cannot have it. */
function virtualHost(b: Build, host: HostState): VirtualHost | undefined {
  if (host.fqdn.startsWith('*.') && !b.opts.caps.has('wildcardFqdn')) {
    b.findings.push(
      finding(
        'route.wildcard-host',
        'error',
        { ingresses: sourcesInOrder(host), host: host.fqdn },
        {
          host: host.fqdn,
          reason: b.opts.caps.target === 'ingressroute' ? 'IngressRoute has no wildcard fqdn' : 'HTTPProxy wildcard fqdns need Contour 1.20+',
        },
      ),
    );
    return undefined;
  }
  // Sized up front, as the sources: the list is kept to the end of emission.
  const routes = new Array<Route>(host.prefixRoutes.size + (host.exactRoutes?.size ?? 0));
  let n = 0;
  for (const r of host.prefixRoutes.values()) routes[n++] = host.regexMode ? toRegexMode(r) : r;
  if (host.exactRoutes) for (const r of host.exactRoutes.values()) routes[n++] = host.regexMode ? toRegexMode(r) : r;
  sortRoutes(routes);
  const sources = sortedSources(host);
  // `tls` in the literal, undefined when none: one shape for every host (added later, it gave hosts with TLS another).
  const tls = pickTls(host.fqdn, host.servers, b.findings, b.opts.defaultSslCertificate);
  return { fqdn: host.fqdn, routes, regexMode: host.regexMode, policy: host.policy, policySources: host.policySource, sources, tls };
}

const byCreation = (a: HostState, b: HostState): number => a.created - b.created;
const byFqdn = (a: HostState, b: HostState): number => (a.fqdn < b.fqdn ? -1 : a.fqdn > b.fqdn ? 1 : 0);

/** The type of the first location nginx has for this path; every server starts with its `/` (Prefix). */
function firstLocationType(host: HostState, path: string): PathType | undefined {
  if (path === '/') return 'Prefix';
  return host.locations.find((l) => l.path === path)?.type;
}

/**
 * Regex mode and nginx's location normalisation (ingress-nginx updateServerLocations):
 * - the server is in regex mode when one of its locations has use-regex or a rewrite-target
 *   other than its path; the implicit `/` location carries the annotations of the Ingress that
 *   created the server until a `Prefix /` path replaces it;
 * - outside regex mode `Prefix /p` becomes `location /p/` (plus `= /p` unless an Exact /p
 *   exists), so `Prefix /p` and `Prefix /p/` are the same location, and a path added twice
 *   (see `repeated`) is a duplicate location too: nginx fails its configuration test. The
 *   older path is kept; the later one is reported and left out.
 */
function resolveLocations(host: HostState, findings: Finding[]): void {
  // Indexed loops, no closures: this runs for every host.
  const locations = host.locations;
  let rootReplaced = false;
  let regexMode = false;
  // Prefix paths other than `/`: with fewer than two, no two can be the same location (most hosts).
  let prefixes = 0;
  for (let i = 0; i < locations.length; i++) {
    const loc = locations[i]!;
    if (loc.type === 'Prefix') {
      if (loc.path === '/') rootReplaced = true;
      else prefixes++;
    }
    if (!regexMode && locationIsRegex(loc.path, loc.policy)) regexMode = true;
  }
  host.regexMode = regexMode || (!rootReplaced && locationIsRegex('/', host.creator.m.policy.route));
  // The rest only for the hosts that need it, in functions of their own (less to optimize in this one).
  if (host.regexMode) {
    if (host.repeated) regexRepeats(host, findings);
    return;
  }
  if (host.repeated) for (let i = 0; i < host.repeated.length; i++) repeatedCollision(host, host.repeated[i]!, findings);
  if (prefixes >= 2) prefixCollisions(host, prefixes, findings);
}

/** Regex locations may repeat: the first one wins, as the duplicate claim says. */
function regexRepeats(host: HostState, findings: Finding[]): void {
  for (const r of host.repeated ?? []) {
    findings.push(
      finding('route.duplicate-path', 'warn', { ingresses: [r.ingress], host: host.fqdn }, { where: r.where, owner: `Ingress ${r.owner} (older, or first in nginx order)`, ownerIngress: r.owner }),
    );
  }
}

function repeatedCollision(host: HostState, r: Repeated, findings: Finding[]): void {
  collide(findings, host.fqdn, r, r.type === 'Exact' ? `location = ${r.path}` : `location ${r.path.endsWith('/') ? r.path : `${r.path}/`}`, r.owner);
}

/** Past this many Prefix paths, a host's locations are matched through a map rather than with each earlier one. */
const FEW_PREFIXES = 16;

/** Prefix paths (other than `/`) that are the same nginx location as an older one: the later is left out. */
function prefixCollisions(host: HostState, prefixes: number, findings: Finding[]): void {
  const locations = host.locations;
  // Most hosts have a few: each is compared with the earlier ones, without a map and its `/p/` key strings.
  const prefixOwner = prefixes > FEW_PREFIXES ? new Map<string, Location>() : undefined;
  for (let i = 0; i < locations.length; i++) {
    const loc = locations[i]!;
    if (loc.type !== 'Prefix' || loc.path === '/') continue;
    let first: Location | undefined;
    if (prefixOwner) {
      const normalized = loc.path.endsWith('/') ? loc.path : `${loc.path}/`;
      first = prefixOwner.get(normalized);
      if (!first) prefixOwner.set(normalized, loc);
    } else
      for (let j = 0; j < i && !first; j++) {
        const earlier = locations[j]!;
        if (earlier.type === 'Prefix' && earlier.path !== '/' && sameLocation(earlier.path, loc.path)) first = earlier;
      }
    if (!first) continue;
    const normalized = loc.path.endsWith('/') ? loc.path : `${loc.path}/`;
    const route = host.prefixRoutes.get(loc.path);
    const where = route ? `spec.rules[${route.source.rule}].http.paths[${route.source.path}] (${host.fqdn}${loc.path})` : `path ${loc.path}`;
    host.prefixRoutes.delete(loc.path);
    collide(findings, host.fqdn, { ingress: loc.ingress, where }, `location ${normalized}`, first.ingress === loc.ingress ? `${first.ingress} (${first.path})` : first.ingress);
  }
}

const SLASH = 47;

/** Whether two Prefix paths are the same nginx location: `/p` and `/p/` both are `location /p/`. */
function sameLocation(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === b.length + 1) return a.charCodeAt(a.length - 1) === SLASH && b.charCodeAt(b.length - 1) !== SLASH && a.startsWith(b);
  if (b.length === a.length + 1) return b.charCodeAt(b.length - 1) === SLASH && a.charCodeAt(a.length - 1) !== SLASH && b.startsWith(a);
  return false;
}

/** A later path that is the same nginx location as an older one (a function: a closure per host allocated a context for each). */
function collide(findings: Finding[], fqdn: string, later: { ingress: string; where: string }, location: string, older: string): void {
  findings.push(
    finding(
      'route.location-collision',
      'error',
      { ingresses: [later.ingress], host: fqdn },
      {
        where: later.where,
        location,
        kept: older,
        leftOut: later.ingress,
        message: `${later.where} and the path of Ingress ${older} are the same nginx location (${location}): nginx fails its configuration test on the duplicate (the admission webhook refuses the later Ingress; without it the controller stops applying changes), so nginx never served this path; the output keeps the path of Ingress ${older} and leaves this one out`,
      },
    ),
  );
}

/** In regex mode every path is `~* ^<path>`: literal paths become string prefixes. */
function toRegexMode(route: Route): Route {
  const rw = route.policy.rewrites?.[route.originalPath];
  if (rw) return { ...route, match: { kind: rw.match === 'segment' ? 'segment' : rw.match === 'slash' ? 'dir' : 'string', path: rw.literal }, rewrite: { replacement: rw.replacement } };
  const kind: MatchKind = isLiteralPath(route.originalPath) ? 'string' : 'regex';
  return { ...route, match: { kind, path: route.originalPath } };
}

export function compareRoutes(a: Route, b: Route): number {
  return a.match.path < b.match.path ? -1 : a.match.path > b.match.path ? 1 : a.match.kind < b.match.kind ? -1 : a.match.kind > b.match.kind ? 1 : 0;
}

/** Insertion order of a host's route (see HostState): the routes added with order -1 came last. */
const insertedAt = (r: Route): number => (r.order === undefined || r.order < 0 ? Number.MAX_SAFE_INTEGER : r.order);

/**
 * compareRoutes, stably over the order the routes were added: the same order as a stable sort of
 * the routes in insertion order, which the host's two maps (by type) no longer give.
 */
const compareRoutesStable = (a: Route, b: Route): number => compareRoutes(a, b) || insertedAt(a) - insertedAt(b);

/** Sorts a host's routes by compareRoutesStable; the few routes of most hosts by insertion, comparing in place (no call per comparison). */
function sortRoutes(routes: Route[]): void {
  if (routes.length > SHORT_LIST) {
    routes.sort(compareRoutesStable);
    return;
  }
  for (let i = 1; i < routes.length; i++) {
    const item = routes[i]!;
    const path = item.match.path;
    const kind = item.match.kind;
    let j = i - 1;
    for (; j >= 0; j--) {
      const other = routes[j]!;
      const otherPath = other.match.path;
      // Stop at the first route that is not after the item (compareRoutesStable(other, item) <= 0).
      if (otherPath < path) break;
      if (otherPath === path) {
        const otherKind = other.match.kind;
        if (otherKind < kind || (otherKind === kind && insertedAt(other) <= insertedAt(item))) break;
      }
      routes[j + 1] = other;
    }
    routes[j + 1] = item;
  }
}

/** The strings of `list` sorted, each once (`[...new Set(list)].sort()`), in `list` itself: no Set for the few strings of most hosts. */
export function sortedUnique(list: string[]): string[] {
  sortStrings(list);
  let n = 0;
  for (let i = 0; i < list.length; i++) if (n === 0 || list[i] !== list[n - 1]) list[n++] = list[i]!;
  list.length = n;
  return list;
}

function attachCanaries(canaries: Entry[], b: Build): void {
  const { hosts, findings } = b;
  // Indexed loops without closures (they allocated a context per canary Ingress and per rule); a
  // path's place is written out only for a finding.
  for (let oi = 0; oi < canaries.length; oi++) {
    const { m, key } = canaries[oi]!;
    const ing = m.ingress;
    for (let ri = 0; ri < ing.rules.length; ri++) {
      const rule = ing.rules[ri]!;
      for (let pi = 0; pi < rule.paths.length; pi++) {
        const p = rule.paths[pi]!;
        const mainlineHost = rule.host === undefined ? undefined : hosts.get(rule.host);
        const route = mainlineHost && routeAt(mainlineHost, normalizedPathType(p), p.path);
        if (!route) {
          findings.push(finding('canary.no-mainline', 'warn', canarySubject(key, rule.host, p.path), { where: pathWhere(ri, pi, rule.host, p.path) }));
          continue;
        }
        if (route.namespace !== ing.namespace) {
          findings.push(finding('canary.cross-namespace', 'error', canarySubject(key, rule.host, p.path), { where: pathWhere(ri, pi, rule.host, p.path), mainline: route.source.ingress }));
          continue;
        }
        if (route.canary) {
          findings.push(finding('canary.extra', 'warn', canarySubject(key, rule.host, p.path), { where: pathWhere(ri, pi, rule.host, p.path), first: route.canary.source.ingress }));
          continue;
        }
        const backend = resolveBackend(b, ing, key, p.backend, ri, pi, rule.host, p.path);
        if (!backend || !m.policy.canary) continue;
        const host = hosts.get(route.host);
        if (host && host.canaries?.[host.canaries.length - 1] !== key) (host.canaries ??= []).push(key);
        const attachment: CanaryAttachment = { backend, intent: m.policy.canary, source: { ingress: key, rule: ri, path: pi } };
        if (m.policy.route.cookieAffinity) attachment.cookieAffinity = true;
        route.canary = attachment;
      }
    }
  }
}

const canarySubject = (key: string, host: string | undefined, path: string): Partial<Subject> => ({ ingresses: [key], host, path });

/** Host-level settings where the oldest Ingress that sets them wins, with the annotation that sets each. */
const HOST_LEVEL: [keyof HostPolicy, string][] = [
  ['appRoot', 'app-root'],
  ['aliases', 'server-alias'],
  ['cors', 'enable-cors'],
  ['clientValidation', 'auth-tls-secret'],
  ['authorization', 'auth-url'],
];

/**
 * Hosts no Ingress gives a host-level setting (most) share one frozen empty policy and source
 * record, kept by the route table through plan and emission; a host gets its own on the first setting.
 */
const NO_HOST_POLICY: HostPolicy = Object.freeze({});
const NO_POLICY_SOURCES: Partial<Record<keyof HostPolicy, string>> = Object.freeze({});
const NO_CANARIES: readonly string[] = Object.freeze([]);

function ownPolicy(b: Build, host: HostState): void {
  if (host.policy === NO_HOST_POLICY) {
    host.policy = {};
    b.policyHosts.push(host);
  }
  if (host.policySource === NO_POLICY_SOURCES) host.policySource = {};
}

/** Whether a rule before `ri` has this host. */
function seenBefore(rules: readonly { host?: string }[], ri: number, fqdn: string): boolean {
  for (let i = 0; i < ri; i++) if (rules[i]!.host === fqdn) return true;
  return false;
}

/** Whether an Ingress sets any host-level setting: most set none, and need no host lookups. */
function hasHostSetting(policy: HostPolicy): boolean {
  for (const field in policy) if (policy[field as keyof HostPolicy] !== undefined) return true;
  return false;
}

/** The host-level settings of the mainline Ingresses that have some (in nginx order), on their hosts. */
function applyHostPolicies(withSettings: Entry[], b: Build): void {
  const { hosts, findings } = b;
  for (let oi = 0; oi < withSettings.length; oi++) {
    const { m, key } = withSettings[oi]!;
    // Each host of the rules once, in rule order, without a Set and two lists per Ingress.
    const rules = m.ingress.rules;
    // A Set only for an Ingress with many rules (the check below looks at every earlier rule).
    const seen = rules.length > 16 ? new Set<string>() : undefined;
    for (let ri = 0; ri < rules.length; ri++) {
      const fqdn = rules[ri]!.host;
      if (fqdn === undefined) continue;
      if (seen) {
        if (seen.has(fqdn)) continue;
        seen.add(fqdn);
      } else if (seenBefore(rules, ri, fqdn)) continue;
      const host = hosts.get(fqdn);
      if (!host) continue;
      ownPolicy(b, host);
      // ssl-passthrough and from-to-www-redirect are OR-ed over the host's Ingresses.
      if (m.policy.host.sslPassthrough) host.policy.sslPassthrough = true;
      if (m.policy.host.fromToWww) host.policy.fromToWww = true;
      for (let hi = 0; hi < HOST_LEVEL.length; hi++) {
        // Not destructured as an array: that goes through the iterator protocol per setting.
        const field = HOST_LEVEL[hi]![0];
        const annotation = HOST_LEVEL[hi]![1];
        const value = m.policy.host[field];
        if (value === undefined) continue;
        const owner = host.policySource[field];
        if (owner === undefined) {
          (host.policy as Record<string, unknown>)[field] = value;
          host.policySource[field] = key;
        } else if (owner !== key) {
          findings.push(
            finding(
              'annotation.ignored-host-level',
              'warn',
              { ingresses: [key], host: fqdn, annotation },
              {
                owner,
                message: `host ${fqdn} already takes this setting from Ingress ${owner} (first in nginx order); nginx ignores this one, and so does the output`,
              },
            ),
          );
        }
      }
    }
  }
  // The hosts with a policy of their own, in the order they were made (as every host was visited before).
  const policyHosts = b.policyHosts.sort(byCreation);
  // Contour's corsPolicy is per virtual host; nginx added CORS headers per location.
  for (let hi = 0; hi < policyHosts.length; hi++) {
    const host = policyHosts[hi]!;
    if (!host.policy.cors) continue;
    const without = host.servers.filter((e) => !e.m.policy.host.cors).map((e) => e.key);
    if (without.length > 0) {
      findings.push(
        finding(
          'annotation.approximate',
          'warn',
          { ingresses: [host.policySource.cors ?? ''], host: host.fqdn, annotation: 'enable-cors' },
          {
            others: without,
            message: `Contour applies CORS to the whole host ${host.fqdn}: the paths of ${without.map((w) => `Ingress ${w}`).join(', ')} now answer preflights and carry CORS headers too`,
          },
        ),
      );
    }
  }
  // An alias that is a host of its own is dropped, as nginx does.
  for (let hi = 0; hi < policyHosts.length; hi++) {
    const host = policyHosts[hi]!;
    if (!host.policy.aliases) continue;
    const kept = host.policy.aliases.filter((a) => a !== host.fqdn && !hosts.has(a));
    const dropped = host.policy.aliases.filter((a) => !kept.includes(a));
    if (dropped.length > 0) {
      findings.push(
        finding(
          'annotation.ignored-host-level',
          'info',
          { ingresses: [host.policySource.aliases ?? ''], host: host.fqdn, annotation: 'server-alias' },
          {
            aliases: dropped,
            message: `alias ${dropped.join(', ')} is a host of its own; nginx drops the alias, and so does the output`,
          },
        ),
      );
    }
    host.policy.aliases = kept.length > 0 ? kept : undefined;
  }
}

/**
 * nginx: the certificate of a host comes from the oldest Ingress whose tls lists it.
 * (A TLS entry only counts for Ingresses with a rule for the host: an Ingress that only
 * lists a host under tls without serving it is not considered here.)
 */
function pickTls(fqdn: string, servers: Entry[], findings: Finding[], defaultCertificate?: { namespace: string; name: string }): HostTLS | undefined {
  let chosen: HostTLS | undefined;
  /** `ns/name` of the chosen secret, made once for every conflict with it (a host's conflicts name the same winner). */
  let winner: string | undefined;
  let missingSecret: string | undefined;
  for (let si = 0; si < servers.length; si++) {
    const { m, key } = servers[si]!;
    const ing = m.ingress;
    for (let ti = 0; ti < ing.tls.length; ti++) {
      const entry = ing.tls[ti]!;
      if (!entry.hosts.includes(fqdn)) continue;
      if (!entry.secretName) {
        missingSecret ??= key;
        continue;
      }
      if (!chosen) chosen = { secretNamespace: ing.namespace, secretName: entry.secretName, source: key };
      else if (chosen.secretName !== entry.secretName || chosen.secretNamespace !== ing.namespace) {
        // The list outside the subject's literal: a nested literal is copied by the runtime until optimized (a host in four has a conflict).
        const ingresses = [key];
        findings.push(
          finding(
            'tls.conflict',
            'warn',
            { ingresses, host: fqdn },
            {
              secret: `${ing.namespace}/${entry.secretName}`,
              host: fqdn,
              winner: (winner ??= `${chosen.secretNamespace}/${chosen.secretName}`),
              winnerIngress: chosen.source,
            },
          ),
        );
      }
    }
  }
  if (chosen) return chosen;
  return fallbackTls(fqdn, servers, findings, missingSecret, defaultCertificate);
}

/** A certificate for a host no TLS entry with a secret names (a function of its own: most hosts have one). */
function fallbackTls(fqdn: string, servers: Entry[], findings: Finding[], missingSecret: string | undefined, defaultCertificate?: { namespace: string; name: string }): HostTLS | undefined {
  // No entry names the host: nginx tries the secrets of hostless entries of Ingresses serving it.
  for (const { m, key } of servers) {
    const ing = m.ingress;
    const entry = ing.tls.find((t) => t.hosts.length === 0 && t.secretName);
    if (entry?.secretName) {
      findings.push(finding('tls.no-hosts', 'warn', { ingresses: [key], host: fqdn }, { secret: entry.secretName, host: fqdn }));
      return { secretNamespace: ing.namespace, secretName: entry.secretName, source: key };
    }
  }
  if (missingSecret && defaultCertificate) {
    const secret = `${defaultCertificate.namespace}/${defaultCertificate.name}`;
    findings.push(finding('tls.default-certificate', 'info', { ingresses: [missingSecret], host: fqdn }, { host: fqdn, secret }));
    return { secretNamespace: defaultCertificate.namespace, secretName: defaultCertificate.name, source: missingSecret };
  }
  if (missingSecret) {
    findings.push(finding('tls.no-secret', 'error', { ingresses: [missingSecret], host: fqdn }, { host: fqdn }));
  }
  return undefined;
}
