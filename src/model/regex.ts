// Regex facts shared by the annotation transforms and the emitters: nginx compiles PCRE,
// Contour and Envoy RE2, so a pattern must be checked before it is emitted.

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
