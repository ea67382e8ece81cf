// Path conditions shared by the emitters: how an nginx match becomes Contour
// prefix/exact/regex strings, relative to the prefix a child was delegated.
export { pcreOnly } from '../model/regex.js';

/** nginx `~* ^<path>` as an Envoy full-match RE2 regex that starts with `/`. */
export function nginxRegexToRe2(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const rest = path.slice(1);
  return rest === '' ? '/.*' : `/(?i:${rest}).*`;
}

/** The part of `path` below the delegated `prefix` (`''` when equal). */
export function relativePath(path: string, prefix: string): string {
  if (prefix === '/') return path;
  if (path === prefix) return '';
  return path.slice(prefix.length);
}
