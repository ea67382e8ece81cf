// Expectations cross-checked with Go 1.26 regexp.Compile (what Contour runs) on every
// pattern below; where RE2 (Envoy) is stricter than Go, the stricter answer is expected
// and the row says so.
import { describe, expect, it } from 'vitest';
import { checkRe2 } from './re2.js';

const accepted = [
  '', 'abc', '^/api/v[0-9]+/.*$', '(a|b)*c', 'a|', '|', '()', '(|)', '(?:)', '(?)', '(?i)abc', '(?i-s:a.b)', '(?s).', '(?U)a*', '(?m)^a$',
  '(?P<n>a)', '(?<n>a)', '(?P<under_score9>x)',
  '\\0', '\\01', '\\012', '\\0123', '\\12', '\\77',
  'a*?', 'a+?', 'a??', 'a{2}?', 'a(?i)*', 'a*(?i)*', '^*', '$+', '\\b*', '\\A?', '.*',
  // `{` that is not a repeat is a literal.
  'x{', 'x{}', 'x{,3}', 'x{3', 'x{3,', 'x{3,4', 'x{01}', '{', 'a{b}',
  'x{0}', 'x{1000}', 'x{1000,}', 'x{2,1000}', '(a{500}){2}', '((a{10}){10}){10}', '(a{1000})*', '(a*){1000}', '(?:a{2}){500}', '(a{0}){1000}',
  '\\z', '\\A', '\\Qa.b\\E+', '\\Qabc(', '\\Q', 'a\\Q\\E*', '\\_', '\\-', '\\/', '\\ ', '\\x41', '\\x{41}', '\\x{10FFFF}', '\\a\\f\\n\\r\\t\\v',
  '\\d\\D\\s\\S\\w\\W', '\\pL', '\\PL', '\\p{L}', '\\p{^L}', '\\P{^Greek}', '\\p{Greek}', '\\p{Any}', '\\pZ',
  '[abc]', '[a-z]', '[]a]', '[^]a]', '[a-]', '[-a]', '[a-b-c]', '[\\d-z]', '[[:alpha:]]', '[[:^alpha:]]', '[[:alpha]', '[\\x00-\\x{10FFFF}]', '[\\pL]',
  '[\\n-\\r]', '[\\0-\\07]', '[a-\\x{ff}]', '[\\]]', '[\\[]', '[a\\-z]', '[à-é]', '😀+', '[😀-😂]', '(a|b|)+', '.*(?:abc).*',
  '('.repeat(999) + 'a' + ')'.repeat(999),
  '(?:'.repeat(1500) + 'a' + ')'.repeat(1500),
];

// [pattern, PCRE (nginx) accepts it]
const rejected: [string, boolean][] = [
  // lookarounds and other PCRE groups
  ['(?=a)', true], ['(?!a)', true], ['(?<=a)b', true], ['(?<!a)b', true], ['(?>a+)', true], ['(?#c)', true], ['(?|a)', true],
  ['(?(1)a|b)', true], ['(?R)', true], ['(?1)', true], ['(?+1)', true], ['(?P=n)', true], ['(?P>n)', true], ['(?&n)', true], ['(?C1)', true],
  ['(?x)a', true], ['(?n)a', true], ['(?J)a', true], ['(?^)a', true],
  ['(?z)a', false], ['(?-)', false], ['(?i-)', false], ['(?--i)', false], ['(?i', false], ['(?i:a', false],
  // named groups
  ['(?P<>a)', false], ['(?P<a-b>x)', false], ['(?P<n', false], ['(?<n', false], ['(?P<é>x)', false],
  // Go accepts a repeated name, RE2 (Envoy) does not
  ['(?P<n>a)(?P<n>b)', false], ['(?<n>a)(?P<n>b)', false],
  // backreferences
  ['\\1', true], ['\\7', true], ['\\Q\\E*', false], ['[\\0-\\7]', true], ['(a)\\1', true], ['\\8', true], ['\\9', true], ['\\18', true], ['\\k<n>', true], ['\\g1', true], ['\\g{1}', true],
  // quantifiers
  ['a++', true], ['a*+', true], ['a?+', true], ['a{2}+', true], ['a**', false], ['a*??', false], ['a{2}{3}', false], ['a{2}*', false], ['a*{2}', false], ['a{2}??', false],
  ['*a', false], ['+', false], ['?', false], ['a|*', false], ['(*)', false], ['(?i)*', false], ['{2}', false],
  // repeat counts: RE2 allows at most 1000, PCRE 65535
  ['x{1001}', true], ['x{1001,}', true], ['x{2,1001}', true], ['x{3,2}', false], ['x{99999999999}', false],
  ['(a{500}){3}', true], ['((a{10}){10}){11}', true], ['(?:a{2}){501}', true], ['(?:a{2,}){501}', true],
  // escapes
  ['\\Z', true], ['\\K', true], ['\\G', true], ['\\C', true], ['\\R', true], ['\\X', true], ['\\h', true], ['\\H', true], ['\\V', true], ['\\N', true],
  ['\\e', true], ['\\cA', true], ['\\E', true], ['\\o{12}', true], ['\\i', false], ['\\y', false], ['\\é', false], ['\\', false], ['a\\', false],
  ['\\x4', false], ['\\xG1', false], ['\\x{}', false], ['\\x{110000}', false], ['\\x{41', false],
  // Unicode classes: Go 1.25 added aliases and loose names; RE2 and older Go do not have them
  ['\\p{Foo}', false], ['\\p{L', false], ['\\p', false], ['\\pX', false], ['\\p{greek}', false], ['\\p{Letter}', false],
  // classes
  ['[z-a]', false], ['[]', false], ['[^]', false], ['[a', false], ['[a-\\d]', false], ['[[:foo:]]', false], ['[[:alpha:]', false],
  ['[\\b]', true], ['[\\x{10FFFF}-\\x00]', false], ['[\\p{Foo}]', false], ['[\\r-\\n]', false], ['[\\1]', true], ['[é-à]', false], ['[\\]', false], ['[\\', false],
  // groups
  ['(', false], [')', false], ['(()', false], ['())', false], ['a)|(b', false], ['((a)', false], ['(a))', false],
  // invalid UTF-8 (a lone surrogate cannot be encoded)
  ['\ud800', false], ['a\udc00b', false], ['\\😀', false],
  // nesting depth
  ['('.repeat(1001) + 'a' + ')'.repeat(1001), false],
  ['(a'.repeat(1000) + ')'.repeat(1000), false],
];

describe('checkRe2: what Contour (Go regexp) and Envoy (RE2) accept', () => {
  it.each(accepted.map((p) => [p.length > 40 ? `${p.slice(0, 20)}…(${p.length})` : p, p]))('accepts %s', (_label, pattern) => {
    expect(checkRe2(pattern)).toEqual({ ok: true });
  });

  it.each(rejected.map(([p, pcre]) => [p.length > 40 ? `${p.slice(0, 20)}…(${p.length})` : p, p, pcre] as const))('rejects %s', (_label, pattern, pcreOnly) => {
    const result = checkRe2(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.pcreOnly).toBe(pcreOnly);
      expect(result.reason).not.toBe('');
    }
  });

  it('names the construct that stops a pattern', () => {
    const reasons = ['(?<=x)y', 'a++', '\\Z', 'x{1001}', '(a'].map((p) => {
      const r = checkRe2(p);
      return r.ok ? '' : r.reason;
    });
    expect(reasons[0]).toMatch(/lookbehind/);
    expect(reasons[1]).toMatch(/possessive/);
    expect(reasons[2]).toMatch(/\\Z/);
    expect(reasons[3]).toMatch(/1001/);
    expect(reasons[4]).toMatch(/\)/);
  });
});
