// nginx regex mode on HTTPProxy regex conditions (Contour 1.26+).
//
// In regex mode ingress-nginx writes every location of the server as `location ~* "^<path>"`
// (template.go buildLocation), Exact paths too, after updateServerLocations turned a literal
// `Prefix /p` into `/p/` plus an exact copy `/p` (both `~* ^…` then; only `/p/` when an Exact /p
// exists). nginx tries regex locations in the order of the server's list: sorted by path length,
// longest first, then by path, greater first (controller.go getBackendServers), equal paths in
// the order they were added. The first match wins, case-insensitively.
//
// Contour sorts a virtual host's routes itself (internal/sorter): exact, then regex (longest
// regex string first, then greater string first), then prefix. So each literal or regex path
// becomes a case-insensitive regex whose string sorts where nginx tried the location: where the
// natural strings would sort otherwise, a string is padded with `$` (an end anchor, which cannot
// change a full match) until it is longer than the next one in nginx's order.
//
// What stays a prefix: `/` (matches everything, last in both), and rewritten paths (Envoy's
// prefix rewrite on a regex route replaces the whole path). Those sort after every regex route
// in Contour; a literal path nginx tried after an overlapping rewritten path stays a
// case-sensitive prefix too (as before, named by route.regex-mode), and a regex path that may
// overlap one is named by route.regex-order.
import type { Route, VirtualHost } from '../model/hosts.js';
import { checkRe2, hasTopLevelAlternation } from '../model/re2.js';
import { nginxRegexToRe2 } from './paths.js';

export interface RegexModePlan {
  /** The regex condition (full path, case-insensitive) of each route that becomes one. */
  regex: Map<Route, string>;
  /** Routes nginx never reaches: an earlier location (the same case-insensitive regex, or a rewritten path covering it) takes every request. */
  shadowedBy: Map<Route, Route>;
  /** Literal paths kept as case-sensitive prefixes: a rewritten path nginx tried first overlaps them. */
  demoted: Set<Route>;
  /** Regex paths Contour tries before an overlapping prefix route nginx tried first. */
  outOfOrder: Set<Route>;
}

const META = /[\\^$.|?*+()[\]{}]/;

/** nginx: the first location of equal length and path comes first; longer paths, then greater paths, before. */
export function nginxBefore(a: Route, b: Route): boolean {
  const pa = a.originalPath;
  const pb = b.originalPath;
  if (pa.length !== pb.length) return pa.length > pb.length;
  if (pa !== pb) return pa > pb;
  return (a.order ?? 0) < (b.order ?? 0);
}

/** nginxBefore as a comparator: one call per comparison, not two. */
function nginxOrder(a: Route, b: Route): number {
  const pa = a.originalPath;
  const pb = b.originalPath;
  if (pa.length !== pb.length) return pa.length > pb.length ? -1 : 1;
  if (pa !== pb) return pa > pb ? -1 : 1;
  return (a.order ?? 0) - (b.order ?? 0);
}

/** Contour's order of two regex strings (internal/sorter routeSorter). */
const contourBefore = (a: string, b: string): boolean => a.length > b.length || (a.length === b.length && a > b);

const needsRewrite = (r: Route): boolean => r.policy.rewriteTarget !== undefined && r.policy.rewriteTarget !== r.originalPath;

/** The regex nginx anchors with `^` for this route's location, after updateServerLocations. */
function locationPattern(r: Route, exactPaths: Set<string> | undefined): string {
  const p = r.originalPath;
  if (r.match.kind === 'regex') return p;
  const normalized = exactPaths !== undefined && r.pathType === 'Prefix' && !r.policy.useRegex && !needsRewrite(r) && !p.endsWith('/') && exactPaths.has(p);
  return normalized ? `${p}/` : p;
}

/**
 * The text every match of a location regex starts with (case-insensitively); '' when unknown.
 * A character followed by a quantifier is not part of it.
 */
function literalHead(pattern: string, literal: boolean): string {
  if (literal) return pattern;
  if (hasTopLevelAlternation(pattern)) return '';
  const m = META.exec(pattern);
  if (!m) return pattern;
  const head = pattern.slice(0, m.index);
  return '?*{'.includes(m[0]) ? head.slice(0, -1) : head;
}

const overlaps = (a: string, b: string): boolean => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.startsWith(y) || y.startsWith(x);
};

// Written as a few small functions with indexed loops: it runs once per regex-mode host (1.7k at
// 20k Ingresses), and as one large function its optimizing compile cost more than it ever ran.
export function planRegexMode(host: VirtualHost): RegexModePlan {
  const plan: RegexModePlan = { regex: new Map(), shadowedBy: new Map(), demoted: new Set(), outOfOrder: new Set() };
  const candidates = candidatesOf(host.routes);
  const patterns = new Array<string>(candidates.length);
  const exactPaths = exactPathsOf(host.routes);
  for (let i = 0; i < candidates.length; i++) patterns[i] = locationPattern(candidates[i]!, exactPaths);
  const live = liveLocations(candidates, patterns, plan);
  // Only hosts with a rewritten path other than `/` can demote, shadow or carve a literal path.
  const carve = hasRewrittenPath(host.routes) ? overlapRewrites(host.routes, candidates, patterns, live, plan) : undefined;

  // Natural strings, then padding so that Contour's order is nginx's.
  const chainRoutes: Route[] = [];
  const chainRegexes: string[] = [];
  for (let li = 0; li < live.length; li++) {
    const i = live[li]!;
    const r = candidates[i]!;
    if (plan.demoted.has(r) || plan.shadowedBy.has(r)) continue;
    const pat = patterns[i]!;
    const re = carve?.get(r) ?? (r.match.kind === 'string' ? literalRegex(pat) : nginxRegexToRe2(pat));
    if (re === undefined) {
      // A literal Contour would not take as written keeps today's case-sensitive prefix.
      if (r.match.kind === 'string') plan.demoted.add(r);
      continue;
    }
    chainRoutes.push(r);
    chainRegexes.push(re);
  }
  for (let i = chainRegexes.length - 2; i >= 0; i--) {
    const cur = chainRegexes[i]!;
    const next = chainRegexes[i + 1]!;
    if (!contourBefore(cur, next)) chainRegexes[i] = cur + '$'.repeat(next.length - cur.length + 1);
  }
  for (let i = 0; i < chainRoutes.length; i++) plan.regex.set(chainRoutes[i]!, chainRegexes[i]!);
  return plan;
}

/** The routes whose paths become regex conditions, in the order nginx tries their locations. */
function candidatesOf(routes: Route[]): Route[] {
  const out: Route[] = [];
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (!r.rewrite && r.originalPath !== '/' && (r.match.kind === 'string' || r.match.kind === 'regex')) out.push(r);
  }
  return out.sort(nginxOrder);
}

/** The paths of the host's Exact routes; undefined when it has none (most hosts). */
function exactPathsOf(routes: Route[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (let i = 0; i < routes.length; i++) if (routes[i]!.pathType === 'Exact') (out ??= new Set()).add(routes[i]!.originalPath);
  return out;
}

function hasRewrittenPath(routes: Route[]): boolean {
  for (let i = 0; i < routes.length; i++) if (routes[i]!.rewrite && routes[i]!.match.path !== '/') return true;
  return false;
}

/**
 * The first location of a regex takes all its requests (nginx's `~*` ignores case): the others
 * are shadowed. Answers the indexes of the live candidates, in order.
 */
function liveLocations(candidates: Route[], patterns: string[], plan: RegexModePlan): number[] {
  const first = new Map<string, Route>();
  const live: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i]!;
    const pat = patterns[i]!;
    const key = r.match.kind === 'regex' ? pat : pat.toLowerCase();
    const owner = first.get(key);
    // Routes of one path share the regex (canary header routes): only another location is shadowed.
    if (owner && owner !== r) plan.shadowedBy.set(r, owner);
    else {
      first.set(key, r);
      live.push(i);
    }
  }
  return live;
}

/**
 * Prefix routes Contour tries after every regex route: rewritten paths, then demoted literals.
 * `meets(head)`: some request starting with `head` (any case) is one nginx gave that location;
 * `covers(head)`: every such request is.
 */
interface Earlier {
  route: Route;
  meets: (head: string) => boolean;
  covers: (head: string) => boolean;
}

/**
 * Where a rewritten path (a prefix route, which Contour tries after every regex route) overlaps
 * a live location nginx tried after it: the literal is shadowed, carved (the answer: its regex
 * without the rewritten path's requests) or demoted to a prefix; a regex is out of order.
 */
function overlapRewrites(routes: Route[], candidates: Route[], patterns: string[], live: number[], plan: RegexModePlan): Map<Route, string> {
  const prefixes: Earlier[] = routes.filter((r) => r.rewrite && r.match.path !== '/').map((r) => ({ route: r, meets: rewriteMeets(r), covers: rewriteCovers(r) }));
  // Literal paths whose requests an earlier rewritten path of the same literal splits with them: only the rest.
  const carve = new Map<Route, string>();
  for (let changed = true; changed;) {
    changed = false;
    for (let li = 0; li < live.length; li++) {
      const r = candidates[live[li]!]!;
      if (plan.demoted.has(r) || plan.shadowedBy.has(r)) continue;
      const literal = r.match.kind === 'string';
      const head = literalHead(patterns[live[li]!]!, literal);
      const earlier = prefixes.filter((p) => nginxBefore(p.route, r) && p.meets(head));
      if (earlier.length === 0) continue;
      const owner = literal ? earlier.find((p) => p.covers(head)) : undefined;
      const carved = literal && earlier.length === 1 && earlier[0]!.route.rewrite ? carveOut(earlier[0]!.route, head) : undefined;
      if (owner) plan.shadowedBy.set(r, owner.route);
      else if (carved !== undefined) carve.set(r, carved);
      else if (literal) {
        plan.demoted.add(r);
        const lower = head.toLowerCase();
        prefixes.push({ route: r, meets: (h) => overlaps(lower, h), covers: (h) => h.toLowerCase().startsWith(lower) });
        changed = true;
      } else plan.outOfOrder.add(r);
    }
  }
  return carve;
}

/**
 * A literal `/p` after nginx's rewrite location of the same literal: `/p(/|$)…` (segment) takes
 * `/p` and `/p/…`, so the literal keeps `/p` followed by anything but `/`; `/p/…` (dir) takes
 * `/p/…`, so the literal keeps `/p` and `/p` followed by anything but `/`.
 */
function carveOut(rewrite: Route, head: string): string | undefined {
  const lit = rewrite.match.path.toLowerCase();
  const h = head.toLowerCase();
  if (head.length < 2 || META.test(head) || head.includes('//')) return undefined;
  if (rewrite.match.kind === 'segment' && h === lit) return `/(?i:${head.slice(1)})[^/].*`;
  if (rewrite.match.kind === 'dir' && `${h}/` === lit) return `/(?i:${head.slice(1)})(?:[^/].*)?`;
  return undefined;
}

/** Whether some request starting with `head` is one nginx's rewrite location takes (`/p(/|$)…` takes only `/p` and `/p/…`). */
function rewriteMeets(r: Route): (head: string) => boolean {
  const lit = r.match.path.toLowerCase();
  if (r.match.kind === 'segment' && lit !== '/') return (h) => lit.startsWith(h.toLowerCase()) || h.toLowerCase() === lit || h.toLowerCase().startsWith(`${lit}/`);
  return (h) => overlaps(lit, h);
}

/** Whether nginx's rewrite location (`~* ^<literal>…`, by its shape) takes every request starting with `head`. */
function rewriteCovers(r: Route): (head: string) => boolean {
  const lit = r.match.path.toLowerCase();
  if (r.match.kind === 'segment') return (h) => lit === '/' || h.toLowerCase().startsWith(`${lit}/`);
  return (h) => h.toLowerCase().startsWith(lit);
}

/** `~* "^/p"` for a literal /p: the whole path, case-insensitive; undefined where Contour would change it (`//` is collapsed). */
function literalRegex(pattern: string): string | undefined {
  if (META.test(pattern) || pattern.includes('//') || !pattern.startsWith('/')) return undefined;
  const re = `/(?i:${pattern.slice(1)}).*`;
  // Printable ASCII without META is a plain literal, which RE2 always takes (a full parse per
  // literal path was most of this plan's time); other text (e.g. a lone surrogate) is checked.
  return PRINTABLE_ASCII.test(pattern) || checkRe2(re).ok ? re : undefined;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
