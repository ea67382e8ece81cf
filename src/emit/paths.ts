// Path conditions shared by the emitters: how an nginx match becomes Contour
// prefix/exact/regex strings, relative to the prefix a child was delegated.
import { checkRe2, hasTopLevelAlternation } from '../model/re2.js';

/**
 * Why Contour (Go regexp) or Envoy (RE2) would reject this pattern, or undefined when
 * both accept it. A rejected regex would make Contour mark the whole HTTPProxy invalid.
 */
export function pcreOnly(pattern: string): string | undefined {
  const check = checkRe2(pattern);
  return check.ok ? undefined : check.reason;
}

/** nginxRegexToRe2 per path: each parses the path up to four times, and the regex-mode plan and the route both ask. */
const re2Cache = new Map<string, string | undefined>();

/**
 * nginx `~* "^<path>"` (a search) as an Envoy full-match RE2 regex that starts with `/` (Contour
 * requires it); undefined when RE2 cannot take it. `/(?i:rest).*` when the path is `/` + a regex
 * of its own; otherwise (a top-level `|`, as in `^/a|/b` = `(^/a)|(/b)`, or a quantified first
 * slash) the search itself: `/?` only to start with `/`, which cannot change the answer since
 * `^` matches at the start of the path only.
 */
export function nginxRegexToRe2(path: string): string | undefined {
  if (re2Cache.has(path)) return re2Cache.get(path);
  const re2 = toRe2(path);
  if (re2Cache.size >= 50_000) re2Cache.clear();
  re2Cache.set(path, re2);
  return re2;
}

function toRe2(path: string): string | undefined {
  if (!checkRe2(path).ok) return undefined;
  const rest = path.slice(1);
  const simple = path.startsWith('/') && !hasTopLevelAlternation(path) && checkRe2(rest).ok;
  const re2 = simple ? (rest === '' ? '/.*' : `/(?i:${rest}).*`) : `/?(?s:.*)(?i:^${path})(?s:.*)`;
  return checkRe2(re2).ok ? re2 : undefined;
}

/** The part of `path` below the delegated `prefix` (`''` when equal). */
export function relativePath(path: string, prefix: string): string {
  if (prefix === '/') return path;
  if (path === prefix) return '';
  return path.slice(prefix.length);
}
