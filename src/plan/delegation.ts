// Computes the path prefixes a root delegates (IngressRoute) or includes
// (HTTPProxy) to each namespace, from all routes of a host at once.
import type { Route } from '../model/hosts.js';
import { sortInPlace } from '../model/sort.js';

export interface RouteGroup {
  namespace: string;
  /** The delegated prefix; `/` means "no conditions" (shared, exempt from Contour's duplicate check). */
  prefix: string;
  routes: Route[];
}

/**
 * `prefix`: scope each namespace to the prefix its paths share; `none`: include everything at `/`;
 * `auto`: `prefix` only on hosts several namespaces share (ownership needs conditions only there),
 * `none` elsewhere, which keeps nginx's segment semantics.
 */
export type IncludeScope = 'auto' | 'prefix' | 'none';

export interface GroupOptions {
  scope: IncludeScope;
  /** HTTPProxy joins include and route paths as strings, so an exact path cannot equal its include prefix. */
  exactNeedsParent: boolean;
  /** Regex routes can only live under `/`. */
  regexMode: boolean;
}

// Anchors and prefixes are worked on as strings (`/a/b`: each non-empty segment after a `/`,
// '' for none) rather than arrays of segments: a path as Ingresses write it is already in that
// form, so most anchors are the path itself or a slice of it, and no array is split or joined.

/** The non-empty segments of `path`, each after a `/` ('' for none): `//a/b/` → `/a/b`. */
function canonical(path: string): string {
  let out = '';
  let start = -1;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path.charCodeAt(i) === 47) {
      if (start >= 0) out += `/${path.slice(start, i)}`;
      start = -1;
    } else if (start < 0) start = i;
  }
  return out;
}

/** Whether `path` is in canonical form once a trailing `/` is dropped: a leading `/` and no empty segment. */
function isPlain(path: string): boolean {
  if (path.charCodeAt(0) !== 47) return false;
  return path.indexOf('//') < 0;
}

/** The segments a route's delegation prefix must cover, as a canonical string. */
function anchor(route: Route): string {
  const path = route.match.path;
  // A string prefix `/foo` also matches `/foobar`: only the segments before the last are safe.
  const dropLast = route.match.kind === 'string' && !path.endsWith('/');
  if (!isPlain(path)) {
    const full = canonical(path);
    return dropLast ? full.slice(0, Math.max(0, lastSlashBefore(full, full.length))) : full;
  }
  if (dropLast) return path.slice(0, lastSlashBefore(path, path.length));
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The index of the last `/` of `text` before `end`, -1 for none (String.prototype.lastIndexOf is a runtime call in V8). */
function lastSlashBefore(text: string, end: number): number {
  let i = end - 1;
  while (i >= 0 && text.charCodeAt(i) !== 47) i--;
  return i;
}

/** A canonical anchor as a prefix: '' is `/`. */
const asPrefix = (canonicalPath: string): string => (canonicalPath === '' ? '/' : canonicalPath);

/** A group while prefixes are computed, with the anchor of each of its routes (computed once, not per split round). */
interface Pending extends RouteGroup {
  anchors: string[];
}

/** The length of the longest prefix of segments two canonical anchors share. */
function sharedLength(a: string, b: string, upTo: number): number {
  const n = Math.min(upTo, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Whole segments only: both must end a segment at i.
  if ((i === a.length || a.charCodeAt(i) === 47) && (i === b.length || b.charCodeAt(i) === 47)) return i;
  return i === 0 ? 0 : lastSlashBefore(a, i);
}

/** The common prefix (as a prefix: `/` for none) of routes whose anchors these are. */
function commonPrefix(routes: Route[], anchors: string[], opts: GroupOptions): string {
  const first = anchors[0] ?? '';
  let shared = first.length;
  for (let k = 1; k < anchors.length && shared > 0; k++) shared = sharedLength(first, anchors[k]!, shared);
  // An exact route equal to the prefix would be an empty relative path: go one level up.
  if (opts.exactNeedsParent) {
    while (shared > 0 && hasExactAt(routes, anchors, shared)) shared = lastSlashBefore(first, shared);
  }
  return asPrefix(shared === first.length ? first : first.slice(0, shared));
}

/**
 * Whether an exact route sits at the common prefix of these anchors, `length` characters long:
 * every anchor starts with that prefix, so an exact route's anchor as deep as it is equal to it.
 */
function hasExactAt(routes: Route[], anchors: string[], length: number): boolean {
  for (let i = 0; i < routes.length; i++) if (anchors[i]!.length === length && routes[i]!.match.kind === 'exact') return true;
  return false;
}

/** Whether include conditions are used for these child namespaces. */
export function scopesByPrefix(byNamespace: Map<string, Route[]>, scope: IncludeScope): boolean {
  return scopesNamespaces(byNamespace.size, scope);
}

/** Whether include conditions are used for this many child namespaces. */
export function scopesNamespaces(namespaceCount: number, scope: IncludeScope): boolean {
  return scope === 'prefix' || (scope === 'auto' && namespaceCount > 1);
}

/** Whether these route lists can be scoped by prefix (no regex-mode host, no regex route). */
export function prefixesPossible(lists: Route[][], opts: GroupOptions): boolean {
  if (opts.regexMode) return false;
  for (let i = 0; i < lists.length; i++) {
    const routes = lists[i]!;
    for (let j = 0; j < routes.length; j++) if (routes[j]!.match.kind === 'regex') return false;
  }
  return true;
}

/**
 * The groups of a namespace are next to each other in the result (plan relies on it): one group
 * per namespace in the map's order, or (with prefixes) sorted by namespace and prefix.
 */
export function groupRoutes(byNamespace: Map<string, Route[]>, opts: GroupOptions): RouteGroup[] {
  const namespaces = [...byNamespace.keys()];
  const lists = [...byNamespace.values()];
  if (!scopesByPrefix(byNamespace, opts.scope) || !prefixesPossible(lists, opts)) {
    return namespaces.map((namespace, i) => ({ namespace, prefix: '/', routes: lists[i]! }));
  }
  return groupByPrefix(namespaces, lists, opts);
}

/**
 * groupRoutes for a host whose namespaces are scoped by prefix (scopesNamespaces and
 * prefixesPossible hold): `lists[i]` are the routes of `namespaces[i]`. Sorted by namespace and prefix.
 */
export function groupByPrefix(namespaces: string[], lists: Route[][], opts: GroupOptions): RouteGroup[] {
  const pending = new Array<Pending>(namespaces.length);
  for (let i = 0; i < namespaces.length; i++) {
    const routes = lists[i]!;
    const anchors = new Array<string>(routes.length);
    for (let j = 0; j < routes.length; j++) anchors[j] = anchor(routes[j]!);
    pending[i] = { namespace: namespaces[i]!, prefix: commonPrefix(routes, anchors, opts), routes, anchors };
  }
  return mergeSameNamespacePrefix(splitCollisions(pending, opts));
}

/** Above this many groups, collisions are found with a Map instead of comparing every pair. */
const PAIRWISE_GROUPS = 32;

/** Whether groups[i] shares its prefix with a group of another namespace. */
function collidesPairwise(groups: Pending[], i: number): boolean {
  const g = groups[i]!;
  if (g.prefix === '/') return false;
  for (let j = 0; j < groups.length; j++) {
    const o = groups[j]!;
    if (o.prefix === g.prefix && o.namespace !== g.namespace) return true;
  }
  return false;
}

/** The prefixes two namespaces have (none: undefined), for many groups. */
function collidingPrefixes(groups: Pending[]): Set<string> | undefined {
  // The first namespace of each prefix; a prefix a second namespace has too collides.
  const owner = new Map<string, string>();
  let colliding: Set<string> | undefined;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.prefix === '/') continue;
    const first = owner.get(g.prefix);
    if (first === undefined) owner.set(g.prefix, g.namespace);
    else if (first !== g.namespace) (colliding ??= new Set()).add(g.prefix);
  }
  return colliding;
}

/** Two namespaces may not be delegated the same prefix: the colliding groups are split one segment deeper, until none collide. */
function splitCollisions(start: Pending[], opts: GroupOptions): Pending[] {
  let groups = start;
  for (let guard = 0; guard < 64; guard++) {
    // The few groups of most hosts are compared pair by pair: no Map and Set per round.
    const many = groups.length > PAIRWISE_GROUPS;
    const colliding = many ? collidingPrefixes(groups) : undefined;
    let next: Pending[] | undefined;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (many ? colliding !== undefined && colliding.has(g.prefix) : collidesPairwise(groups, i)) {
        next ??= groups.slice(0, i);
        split(g, opts, next);
      } else if (next) next.push(g);
    }
    if (!next) break;
    groups = next;
  }
  return groups;
}

/** The end of the segment of canonical `a` that starts after the `/` at `from`. */
function segmentEnd(a: string, from: number): number {
  const end = a.indexOf('/', from + 1);
  return end < 0 ? a.length : end;
}

/** Whether canonical anchors a and b have the same segment after the `/` at `from` (both longer than `from`). */
function sameSegment(a: string, b: string, from: number): boolean {
  const end = segmentEnd(a, from);
  if (segmentEnd(b, from) !== end) return false;
  for (let i = from + 1; i < end; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** Up to this many buckets, a route's bucket is found by comparing segments in place. */
const SCANNED_BUCKETS = 32;

/** Splits a group one segment below its prefix into `out`: routes at the prefix itself first (at `/`), then one group per next segment. */
function split(group: Pending, opts: GroupOptions, out: Pending[]): void {
  // Every anchor of the group starts with its prefix (the prefix is their common prefix), so an
  // anchor no longer than the prefix sits exactly at it; the others continue after a `/` at `depth`.
  const depth = group.prefix === '/' ? 0 : group.prefix.length;
  const { routes, anchors } = group;
  // Most split groups hold one route: it moves down a segment (or to `/`) with its lists.
  if (routes.length === 1) out.push({ namespace: group.namespace, prefix: anchors[0]!.length <= depth ? '/' : commonPrefix(routes, anchors, opts), routes, anchors });
  else splitMany(group, depth, opts, out);
}

/** split() for a group of several routes. */
function splitMany(group: Pending, depth: number, opts: GroupOptions, out: Pending[]): void {
  const { routes, anchors } = group;
  // Bucket of each route (-1: at the prefix), found by comparing with each bucket's first anchor;
  // lists are then made at their final size (children keep them).
  const bucketOf = new Array<number>(routes.length);
  const firsts = new Array<number>(routes.length);
  const sizes = new Array<number>(routes.length);
  let buckets = 0;
  let index: Map<string, number> | undefined;
  let stuck = 0;
  for (let i = 0; i < routes.length; i++) {
    const a = anchors[i]!;
    if (a.length <= depth) {
      bucketOf[i] = -1;
      stuck++;
      continue;
    }
    let b = 0;
    if (index) {
      const segment = a.slice(depth + 1, segmentEnd(a, depth));
      b = index.get(segment) ?? buckets;
      if (b === buckets) index.set(segment, b);
    } else while (b < buckets && !sameSegment(anchors[firsts[b]!]!, a, depth)) b++;
    if (b === buckets) {
      firsts[buckets] = i;
      sizes[buckets++] = 0;
      // Many next segments (a large namespace): looked up by name from here on, not one by one.
      if (!index && buckets > SCANNED_BUCKETS) {
        index = new Map();
        for (let k = 0; k < buckets; k++) {
          const f = anchors[firsts[k]!]!;
          index.set(f.slice(depth + 1, segmentEnd(f, depth)), k);
        }
      }
    }
    bucketOf[i] = b;
    sizes[b]!++;
  }
  // Routes that sit exactly at the contested prefix can only be delegated at `/`.
  if (stuck === routes.length) {
    out.push({ namespace: group.namespace, prefix: '/', routes, anchors });
    return;
  }
  // One bucket (a group of one route, most often) keeps the group's lists.
  if (stuck === 0 && buckets === 1) {
    out.push({ namespace: group.namespace, prefix: commonPrefix(routes, anchors, opts), routes, anchors });
    return;
  }
  const bucketRoutes = new Array<Route[]>(buckets);
  const bucketAnchors = new Array<string[]>(buckets);
  for (let b = 0; b < buckets; b++) {
    bucketRoutes[b] = new Array<Route>(sizes[b]!);
    bucketAnchors[b] = new Array<string>(sizes[b]!);
    sizes[b] = 0;
  }
  const stuckRoutes = new Array<Route>(stuck);
  const stuckAnchors = new Array<string>(stuck);
  stuck = 0;
  for (let i = 0; i < routes.length; i++) {
    const b = bucketOf[i]!;
    if (b < 0) {
      stuckRoutes[stuck] = routes[i]!;
      stuckAnchors[stuck++] = anchors[i]!;
    } else {
      const at = sizes[b]!++;
      bucketRoutes[b]![at] = routes[i]!;
      bucketAnchors[b]![at] = anchors[i]!;
    }
  }
  if (stuck > 0) out.push({ namespace: group.namespace, prefix: '/', routes: stuckRoutes, anchors: stuckAnchors });
  for (let b = 0; b < buckets; b++) {
    out.push({ namespace: group.namespace, prefix: commonPrefix(bucketRoutes[b]!, bucketAnchors[b]!, opts), routes: bucketRoutes[b]!, anchors: bucketAnchors[b]! });
  }
}

/** One group per (namespace, prefix), sorted by namespace and prefix. */
function mergeSameNamespacePrefix(groups: RouteGroup[]): RouteGroup[] {
  // Sorted first (stably): groups to merge are then neighbours, in their original order.
  sortInPlace(groups, compareGroups);
  let n = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const last = n > 0 ? groups[n - 1]! : undefined;
    // A group's own list is copied only when another is merged into it (most are not).
    if (last && compareGroups(last, g) === 0) groups[n - 1] = { namespace: last.namespace, prefix: last.prefix, routes: last.routes.concat(g.routes) };
    else groups[n++] = g;
  }
  // Setting the length is a runtime call: only when groups were merged.
  if (n < groups.length) groups.length = n;
  return groups;
}

const compareGroups = (a: RouteGroup, b: RouteGroup): number => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0);

/**
 * Routes whose answers change because their namespace got an include prefix: a segment
 * path equal to its prefix becomes a plain string prefix (`/aaa` also answers `/aaacccc`).
 */
export function prefixTradeoffs(groups: RouteGroup[]): Route[] {
  const traded: Route[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.prefix === '/') continue;
    for (let j = 0; j < g.routes.length; j++) {
      const r = g.routes[j]!;
      if (r.match.kind === 'segment' && r.match.path === g.prefix) traded.push(r);
    }
  }
  return traded;
}
