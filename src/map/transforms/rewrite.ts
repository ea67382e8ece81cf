// rewrite-target and use-regex. nginx replaces the WHOLE path with the target
// (captures substituted) and switches the host to regex mode; Contour can only
// replace a literal prefix, so only rewrites equivalent to a prefix substitution
// (literal prefix + one trailing capture reproduced at the end of the target) convert.
import type { Transform } from '../transform.js';
import { isLiteralPath } from '../../model/hosts.js';
import type { RewriteForPath } from '../../model/policy.js';
import { boolValue } from '../annotation-values.js';
import { showValue } from '../values.js';

/** nginx's RegexPathWithCapture validator. */
const TARGET_CHARS = /^\/?[-._~a-zA-Z0-9/:$]*$/;

type Analysis = { kind: 'rewrite'; rewrite: RewriteForPath; exact: boolean; note?: string } | { kind: 'unsupported'; reason: string };

/** Separators that may sit between the literal prefix and the trailing capture, with their capture-group count. */
const SEPARATORS: [string, number][] = [
  ['(/|$)', 1],
  ['(?:/|$)', 0],
  ['/?', 0],
  ['', 0],
];
/** Trailing captures that take everything to the end of the path (nginx drops whatever is not captured). */
const TRAILING_CAPTURES = ['(.*)', '(.+)', '(/.*)', '(/.+)', '(/.*)?'];

/** Regex metacharacters (`^$.|?*+()[]{}`) by char code. */
const META = new Uint8Array(128);
for (const c of '^$.|?*+()[]{}') META[c.charCodeAt(0)] = 1;
const BACKSLASH = 92;

/**
 * A regex-free path prefix, with `\`-escaped punctuation unescaped; or the first construct that is
 * not literal. Char codes and slices rather than a regex test and a concatenation per character:
 * a fleet has a distinct path for most rewrites.
 */
function literalPrefix(text: string): { literal: string } | { construct: string; at: number } {
  let literal = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const next = text[i + 1];
      if (next !== undefined && /[^0-9A-Za-z]/.test(next)) {
        literal += text.slice(from, i) + next;
        i++;
        from = i + 1;
        continue;
      }
      return { construct: `\\${next ?? ''}`, at: i + 1 };
    }
    if (c < 128 && META[c] === 1) return { construct: text[i]!, at: i + 1 };
  }
  return { literal: literal + text.slice(from) };
}

/** `s` without trailing slashes (as `replace(/\/+$/, '')`, without a regex run). */
function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Splits `path` into literal prefix + separator + trailing capture, when it has that shape. (Exported for its test.) */
export function prefixShape(path: string): Shape | { refusal: string } {
  const anchored = path.endsWith('$') && !path.endsWith('\\$');
  const body = anchored ? path.slice(0, -1) : path;
  let firstConstruct: { construct: string; at: number } | undefined;
  for (const tail of TRAILING_CAPTURES) {
    if (!body.endsWith(tail)) continue;
    for (const [sep, groups] of SEPARATORS) {
      const head = body.slice(0, body.length - tail.length);
      if (!head.endsWith(sep)) continue;
      const prefix = literalPrefix(head.slice(0, head.length - sep.length));
      if ('literal' in prefix) return { literal: prefix.literal, capture: groups + 1, rest: `${sep}${tail}${anchored ? '$' : ''}` };
      firstConstruct ??= prefix;
    }
  }
  if (firstConstruct) return { refusal: `the path has regex syntax before its last capture (${showValue(firstConstruct.construct)} at character ${firstConstruct.at})` };
  return { refusal: `the path does not end in a capture of the rest of the path (${TRAILING_CAPTURES.join(', ')}): nginx drops what it does not capture` };
}

export interface Shape {
  /** The literal prefix, unescaped. */
  literal: string;
  /** Number of the trailing capture group. */
  capture: number;
  /** The regex after the literal: separator, trailing capture and the `$` anchor if any. */
  rest: string;
}

/** Compiled `^(?:rest)`: SEPARATORS × TRAILING_CAPTURES × anchor, so a few dozen at most. */
const REST_REGEXES = new Map<string, RegExp>();

/**
 * nginx's location match `~* ^path` for a path of prefix shape, as `new RegExp('^(?:' + path + ')', 'i').exec`
 * does it. A literal has exactly one way to match and holds no group, so it is compared directly and
 * only the shared `rest` is a regex: compiling one regex per distinct path (a fleet has thousands)
 * cost more than the rest of the analysis. A non-ASCII literal takes the whole regex. The match's
 * groups are the whole regex's; its [0] leaves out the literal.
 */
export function locationMatcher(path: string, shape: Shape): (uri: string) => RegExpExecArray | null {
  const literal = shape.literal;
  if (!/^[\x00-\x7f]*$/.test(literal)) {
    const whole = new RegExp(`^(?:${path})`, 'i');
    return (uri) => whole.exec(uri);
  }
  let rest = REST_REGEXES.get(shape.rest);
  if (rest === undefined) REST_REGEXES.set(shape.rest, (rest = new RegExp(`^(?:${shape.rest})`, 'i')));
  const restRegex = rest;
  return (uri) => (startsWithIgnoringAsciiCase(uri, literal) ? restRegex.exec(uri.slice(literal.length)) : null);
}

/** Whether `uri` starts with the ASCII `literal` as a case-insensitive, non-unicode regex compares them: only ASCII letters fold. */
function startsWithIgnoringAsciiCase(uri: string, literal: string): boolean {
  if (uri.length < literal.length) return false;
  for (let i = 0; i < literal.length; i++) {
    const a = uri.charCodeAt(i);
    const b = literal.charCodeAt(i);
    if (a === b) continue;
    const folded = a | 32;
    if (folded !== (b | 32) || folded < 97 || folded > 122) return false;
  }
  return true;
}

type OutputTarget = 'httpproxy' | 'ingressroute';

/**
 * What the output sends the backend for a rewrite of `literal` (matched as `match`) to `replacement`.
 * HTTPProxy: Contour trims trailing slashes and routes `p/…` → `r/…` and `p…` → `r…` (`/` when r
 * is empty). IngressRoute: raw Envoy prefix rewrites, one route per form the emitter writes.
 */
function outputRewrite(target: OutputTarget, rw: RewriteForPath, uri: string): string | undefined {
  const p = trimSlashes(rw.literal);
  const r = trimSlashes(rw.replacement);
  if (p === '') return uri.startsWith('/') ? `${rw.replacement}${uri.slice(1)}` : undefined;
  const deeper = uri.startsWith(`${p}/`);
  if (target === 'ingressroute') {
    if (rw.match === 'string') return uri.startsWith(rw.literal) ? `${rw.replacement}${uri.slice(rw.literal.length)}` : undefined;
    if (deeper) return `${r}/${uri.slice(p.length + 1)}`;
    return rw.match === 'segment' && uri.startsWith(p) ? `${r || '/'}${uri.slice(p.length)}` : undefined;
  }
  if (deeper) return `${r}/${uri.slice(p.length + 1)}`;
  if (uri.startsWith(p)) return `${r || '/'}${uri.slice(p.length)}`;
  return undefined;
}

/**
 * Analyses by (output target, path, rewrite target): fleets repeat the same pairs, and an analysis
 * is never modified after it is made (policies only read it). Bounded: cleared when full.
 */
const ANALYSES = new Map<string, Analysis>();

/** Reads one (path, target) pair as a literal prefix rewrite, when it is one. */
export function analyzeRewrite(path: string, target: string, outputTarget: OutputTarget = 'httpproxy'): Analysis {
  const key = `${outputTarget} ${target.length} ${target}${path}`;
  let analysis = ANALYSES.get(key);
  if (analysis === undefined) {
    analysis = analyzeRewriteOnce(path, target, outputTarget);
    if (ANALYSES.size >= 4096) ANALYSES.clear();
    ANALYSES.set(key, analysis);
  }
  return analysis;
}

function analyzeRewriteOnce(path: string, target: string, outputTarget: OutputTarget): Analysis {
  const captures = targetCaptures(target);
  if (captures.length === 0) {
    if (!isLiteralPath(path))
      return { kind: 'unsupported', reason: `path ${showValue(path)} is a regex and the target has no capture: nginx sends every match to ${showValue(target)}, Contour cannot` };
    return {
      kind: 'rewrite',
      rewrite: { literal: path, match: 'string', replacement: target },
      exact: false,
      note: `nginx replaces the whole path with ${showValue(target)} (${path}/a/b → ${target}); Contour replaces only the prefix (${path}/a/b → ${joinPath(target, '/a/b')})`,
    };
  }
  const refuse = (why: string): Analysis => ({
    kind: 'unsupported',
    reason: `path ${showValue(path)} with target ${showValue(target)}: ${why}; Contour only replaces a literal prefix, so this path is not converted`,
  });
  if (captures.length > 1) return refuse(`the target uses ${captures.length} captures`);
  const n = captures[0]!;
  if (!target.endsWith(`$${n}`)) return refuse(`the target has text after $${n}`);
  const replacement = target.slice(0, -2);
  if (!replacement.startsWith('/')) return refuse('the target does not start with /');
  const shape = prefixShape(path);
  if ('refusal' in shape) return refuse(shape.refusal);
  if (shape.capture !== n) return refuse(`$${n} is not the last group of the path (that is $${shape.capture})`);
  const p = trimSlashes(shape.literal);
  const location = locationMatcher(path, shape);
  // What nginx sends the backend: `rewrite (?i)path target`, the target's one `$n` (its end) replaced
  // by the capture (undefined: not this location).
  const nginxRewrite = (uri: string): string | undefined => {
    const m = location(uri);
    return m ? replacement + (m[n] ?? '') : undefined;
  };
  const matchesBare = nginxRewrite(p || '/') !== undefined;
  const matchesLonger = p !== '' && nginxRewrite(`${p}x/y`) !== undefined;
  const match: RewriteForPath['match'] = matchesLonger ? 'string' : matchesBare ? 'segment' : 'slash';
  const rewrite: RewriteForPath = { literal: match === 'slash' ? `${p}/` : match === 'segment' ? p || '/' : shape.literal || '/', match, replacement };
  // Compare nginx and the output on each kind of request below the prefix.
  const deep = `${p}/x/y`;
  const probes = p === '' ? ['/', deep] : [p, `${p}/`, deep, `${p}x/y`];
  const answer = (u: string): string => nginxRewrite(u) ?? 'another location';
  const output = (u: string): string => outputRewrite(outputTarget, rewrite, u) ?? 'another route';
  if (nginxRewrite(deep) !== outputRewrite(outputTarget, rewrite, deep)) {
    return refuse(`nginx rewrites ${deep} to ${answer(deep)}, a prefix replacement gives ${output(deep)}`);
  }
  const differences = probes
    // That Contour also takes /fooxyz for /foo is the emitter's string-prefix finding.
    .filter((u) => matchesLonger || u !== `${p}x/y`)
    .filter((u) => nginxRewrite(u) !== outputRewrite(outputTarget, rewrite, u))
    .map((u) => `${u} → ${answer(u)} (output: ${output(u)})`);
  if (differences.length === 0) return { kind: 'rewrite', rewrite, exact: true };
  return { kind: 'rewrite', rewrite, exact: false, note: `a prefix replacement of ${rewrite.literal} by ${replacement}; where it differs from nginx: ${differences.join(', ')}` };
}

/** The group numbers of the target's `$n` references, in order (as `matchAll(/\$(\d)/g)` finds them). */
function targetCaptures(target: string): number[] {
  const out: number[] = [];
  for (let i = target.indexOf('$'); i >= 0 && i < target.length - 1; i = target.indexOf('$', i + 1)) {
    const d = target.charCodeAt(i + 1) - 48;
    if (d >= 0 && d <= 9) {
      out.push(d);
      i++;
    }
  }
  return out;
}

function joinPath(a: string, b: string): string {
  return `${trimSlashes(a)}${b}`;
}

export const rewrite: Transform = {
  keys: ['rewrite-target', 'use-regex'],
  apply(ctx, policy) {
    if (boolValue(ctx, 'use-regex', { fallback: false, invalid: 'not a boolean: nginx keeps the default (false)' })) policy.route.useRegex = true;
    const target = ctx.get('rewrite-target');
    if (target === undefined) return;
    if (target === '' || !TARGET_CHARS.test(target)) {
      ctx.invalid('rewrite-target', 'contains characters nginx does not accept: nginx does not rewrite, and neither does the output');
      return;
    }
    policy.route.rewriteTarget = target;
    // Keyed by path, a different key for nearly every Ingress: without a prototype the object is a
    // dictionary from the start, where a plain one made a hidden class per distinct path (1.6k at 20k).
    const rewrites = Object.create(null) as Record<string, RewriteForPath>;
    const notes: string[] = [];
    const refused: string[] = [];
    let allExact = true;
    const rules = ctx.ingress.rules;
    for (let i = 0; i < rules.length; i++) {
      const paths = rules[i]!.paths;
      for (let j = 0; j < paths.length; j++) {
        const p = paths[j]!;
        if (p.path === target || rewrites[p.path]) continue;
        const a = analyzeRewrite(p.path, target, ctx.caps.target);
        if (a.kind === 'unsupported') {
          // Proxying without the rewrite would send the backend paths it never saw from nginx.
          refused.push(a.reason);
          policy.route.unconvertiblePaths = [...(policy.route.unconvertiblePaths ?? []), p.path];
          continue;
        }
        rewrites[p.path] = a.rewrite;
        allExact &&= a.exact;
        if (a.note) notes.push(a.note);
      }
    }
    if (!ctx.supported('rewrite-target')) {
      // Proxying without the rewrite would send the backend other paths: leave them out (the verdict says why).
      policy.route.unconvertiblePaths = [...(policy.route.unconvertiblePaths ?? []), ...Object.keys(rewrites)];
      return;
    }
    policy.route.rewrites = rewrites;
    if (refused.length > 0) ctx.unsupported('rewrite-target', refused.join('; '));
    else if (notes.length > 0) ctx.approximate('rewrite-target', notes.join('; '));
    else if (allExact && Object.keys(rewrites).length > 0) ctx.exact('rewrite-target');
  },
};
