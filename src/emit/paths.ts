// Path conditions shared by the emitters: how an nginx match becomes Contour
// prefix/exact/regex strings, relative to the prefix a child was delegated.
import { checkRe2 } from '../model/re2.js';

/**
 * Why Contour (Go regexp) or Envoy (RE2) would reject this pattern, or undefined when
 * both accept it. A rejected regex would make Contour mark the whole HTTPProxy invalid.
 */
export function pcreOnly(pattern: string): string | undefined {
  const check = checkRe2(pattern);
  return check.ok ? undefined : check.reason;
}

/** nginx `~* ^<path>` as an Envoy full-match RE2 regex that starts with `/`; undefined when RE2 cannot take it. */
export function nginxRegexToRe2(path: string): string | undefined {
  if (!path.startsWith('/') || !checkRe2(path).ok) return undefined;
  const rest = path.slice(1);
  const re2 = rest === '' ? '/.*' : `/(?i:${rest}).*`;
  return checkRe2(re2).ok ? re2 : undefined;
}

/** The part of `path` below the delegated `prefix` (`''` when equal). */
export function relativePath(path: string, prefix: string): string {
  if (prefix === '/') return path;
  if (path === prefix) return '';
  return path.slice(prefix.length);
}
