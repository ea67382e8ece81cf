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

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');
const fromSegments = (segs: string[]): string => `/${segs.join('/')}`;

/** The path a route's delegation prefix must cover. */
function anchor(route: Route): string[] {
  const segs = segments(route.match.path);
  // A string prefix `/foo` also matches `/foobar`: only the segments before the last are safe.
  if (route.match.kind === 'string' && !route.match.path.endsWith('/')) return segs.slice(0, -1);
  return segs;
}

/** segments(path).length, without building the segments. */
function segmentCount(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) !== 47 && (i === 0 || path.charCodeAt(i - 1) === 47)) n++;
  return n;
}

/** A group while prefixes are computed, with the anchor of each of its routes (computed once, not per split round). */
interface Pending extends RouteGroup {
  anchors: string[][];
}

/** The common prefix of routes whose anchors these are (the arrays are only read). */
function commonPrefix(routes: Route[], anchors: string[][], opts: GroupOptions): string[] {
  // The first anchor, and how many of its segments every anchor shares (no array per step).
  let common: string[] = [];
  let shared = 0;
  for (let k = 0; k < anchors.length; k++) {
    const a = anchors[k]!;
    if (k === 0) {
      common = a;
      shared = a.length;
    } else {
      let i = 0;
      while (i < shared && i < a.length && common[i] === a[i]) i++;
      shared = i;
    }
    if (shared === 0) break;
  }
  // An exact route equal to the prefix would be an empty relative path: go one level up.
  if (opts.exactNeedsParent) {
    while (shared > 0 && hasExactAtDepth(routes, shared)) shared--;
  }
  return shared === common.length ? common : common.slice(0, shared);
}

/** Whether an exact route is `depth` segments deep (a function: a closure over the count made every commonPrefix allocate a context). */
function hasExactAtDepth(routes: Route[], depth: number): boolean {
  for (const r of routes) if (r.match.kind === 'exact' && segmentCount(r.match.path) === depth) return true;
  return false;
}

/** Whether include conditions are used for these child namespaces. */
export function scopesByPrefix(byNamespace: Map<string, Route[]>, scope: IncludeScope): boolean {
  return scope === 'prefix' || (scope === 'auto' && byNamespace.size > 1);
}

function hasRegex(byNamespace: Map<string, Route[]>): boolean {
  for (const routes of byNamespace.values()) for (const r of routes) if (r.match.kind === 'regex') return true;
  return false;
}

/**
 * The groups of a namespace are next to each other in the result (plan relies on it): one group
 * per namespace in the map's order, or (with prefixes) sorted by namespace and prefix.
 */
export function groupRoutes(byNamespace: Map<string, Route[]>, opts: GroupOptions): RouteGroup[] {
  const groups: RouteGroup[] = [];
  if (!scopesByPrefix(byNamespace, opts.scope) || opts.regexMode || hasRegex(byNamespace)) {
    for (const [namespace, routes] of byNamespace) groups.push({ namespace, prefix: '/', routes });
    return groups;
  }
  const pending: Pending[] = [];
  for (const [namespace, routes] of byNamespace) {
    const anchors = routes.map(anchor);
    pending.push({ namespace, prefix: fromSegments(commonPrefix(routes, anchors, opts)), routes, anchors });
  }
  return mergeSameNamespacePrefix(splitCollisions(pending, opts));
}

/** Two namespaces may not be delegated the same prefix: the colliding groups are split one segment deeper, until none collide. */
function splitCollisions(start: Pending[], opts: GroupOptions): Pending[] {
  let groups = start;
  for (let guard = 0; guard < 64; guard++) {
    // The first namespace of each prefix; a prefix a second namespace has too collides.
    const owner = new Map<string, string>();
    let colliding: Set<string> | undefined;
    for (const g of groups) {
      if (g.prefix === '/') continue;
      const first = owner.get(g.prefix);
      if (first === undefined) owner.set(g.prefix, g.namespace);
      else if (first !== g.namespace) (colliding ??= new Set()).add(g.prefix);
    }
    if (!colliding) break;
    const next: Pending[] = [];
    for (const g of groups) {
      if (!colliding.has(g.prefix)) next.push(g);
      else for (const part of split(g, opts)) next.push(part);
    }
    groups = next;
  }
  return groups;
}

function split(group: Pending, opts: GroupOptions): Pending[] {
  const depth = segmentCount(group.prefix);
  const buckets = new Map<string, { routes: Route[]; anchors: string[][] }>();
  const stuck: Pending = { namespace: group.namespace, prefix: '/', routes: [], anchors: [] };
  for (let i = 0; i < group.routes.length; i++) {
    const r = group.routes[i]!;
    const a = group.anchors[i]!;
    if (a.length <= depth) {
      stuck.routes.push(r);
      stuck.anchors.push(a);
    } else {
      const key = a[depth] ?? '';
      const bucket = buckets.get(key);
      if (bucket) {
        bucket.routes.push(r);
        bucket.anchors.push(a);
      } else buckets.set(key, { routes: [r], anchors: [a] });
    }
  }
  const out: Pending[] = [];
  // Routes that sit exactly at the contested prefix can only be delegated at `/`.
  if (stuck.routes.length > 0) out.push(stuck);
  for (const { routes, anchors } of buckets.values()) out.push({ namespace: group.namespace, prefix: fromSegments(commonPrefix(routes, anchors, opts)), routes, anchors });
  return out;
}

/** One group per (namespace, prefix). */
function mergeSameNamespacePrefix(groups: RouteGroup[]): RouteGroup[] {
  const merged = new Map<string, RouteGroup>();
  for (const g of groups) {
    const key = `${g.namespace} ${g.prefix}`;
    const existing = merged.get(key);
    // A group's own list is copied only when another is merged into it (most are not).
    if (existing) merged.set(key, { ...existing, routes: existing.routes.concat(g.routes) });
    else merged.set(key, g);
  }
  const out = [...merged.values()];
  return sortInPlace(out, compareGroups);
}

const compareGroups = (a: RouteGroup, b: RouteGroup): number => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0);

/**
 * Routes whose answers change because their namespace got an include prefix: a segment
 * path equal to its prefix becomes a plain string prefix (`/aaa` also answers `/aaacccc`).
 */
export function prefixTradeoffs(groups: RouteGroup[]): Route[] {
  return groups.flatMap((g) => (g.prefix === '/' ? [] : g.routes.filter((r) => r.match.kind === 'segment' && r.match.path === g.prefix)));
}
