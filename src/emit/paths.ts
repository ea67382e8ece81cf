// Path conditions shared by the emitters: how an nginx match becomes Contour
// prefix/exact/regex strings, relative to the prefix a child was delegated.

/** PCRE constructs RE2 (Envoy, Go) rejects. */
const PCRE_ONLY: [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookaround'],
  [/\(\?>/, 'atomic group'],
  [/\\[1-9]/, 'backreference'],
  [/[*+?}]\+/, 'possessive quantifier'],
  [/\\K/, '\\K'],
  [/\(\?\(/, 'conditional'],
  [/\(\?R\)|\(\?\d\)/, 'recursion'],
];

export function pcreOnly(pattern: string): string | undefined {
  return PCRE_ONLY.find(([re]) => re.test(pattern))?.[1];
}

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
