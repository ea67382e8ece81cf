// rewrite-target and use-regex. nginx replaces the WHOLE path with the target
// (captures substituted) and switches the host to regex mode; Contour can only
// replace a literal prefix, so only the prefix-strip forms convert.
import type { Transform } from '../transform.js';
import { isLiteralPath } from '../../model/hosts.js';
import type { RewriteForPath } from '../../model/policy.js';
import { boolValue } from '../annotation-values.js';
import { showValue } from '../values.js';

/** nginx's RegexPathWithCapture validator. */
const TARGET_CHARS = /^\/?[-._~a-zA-Z0-9/:$]*$/;

type Analysis = { kind: 'rewrite'; rewrite: RewriteForPath; exact: boolean; note?: string } | { kind: 'unsupported'; reason: string };

/** Reads one (path, target) pair as a literal prefix rewrite, when it is one. */
export function analyzeRewrite(path: string, target: string): Analysis {
  const captures = [...target.matchAll(/\$(\d)/g)].map((m) => Number(m[1]));
  if (captures.length === 0) {
    if (!isLiteralPath(path)) return { kind: 'unsupported', reason: `path ${showValue(path)} is a regex and the target has no capture: nginx sends every match to ${showValue(target)}, Contour cannot` };
    return {
      kind: 'rewrite',
      rewrite: { literal: path, match: 'string', replacement: target },
      exact: false,
      note: `nginx replaces the whole path with ${showValue(target)} (${path}/a/b → ${target}); Contour replaces only the prefix (${path}/a/b → ${joinPath(target, '/a/b')})`,
    };
  }
  const body = target.replace(/\$\d$/, '');
  const single = captures.length === 1 && target.endsWith(`$${captures[0]}`) && !body.includes('$');
  if (single) {
    const n = captures[0];
    // `/foo(/|$)(.*)` + `T/$2`: the documented prefix-strip form.
    const segment = /^(.*)\(\/\|\$\)\(\.\*\)$/.exec(path);
    if (segment && n === 2 && isLiteralPath(segment[1] ?? '') && body.endsWith('/')) {
      return { kind: 'rewrite', rewrite: { literal: segment[1] || '/', match: 'segment', replacement: body }, exact: true };
    }
    // `/foo/(.*)` + `T/$1`
    const slash = /^(.*\/)\(\.\*\)$/.exec(path);
    if (slash && n === 1 && isLiteralPath(slash[1] ?? '') && body.endsWith('/')) {
      return { kind: 'rewrite', rewrite: { literal: slash[1] ?? '/', match: 'slash', replacement: body }, exact: true };
    }
    // `/foo(.*)` + `T$1`
    const string = /^(.*)\(\.\*\)$/.exec(path);
    if (string && n === 1 && isLiteralPath(string[1] ?? '')) {
      return { kind: 'rewrite', rewrite: { literal: string[1] || '/', match: 'string', replacement: body || '/' }, exact: body !== '' };
    }
  }
  return {
    kind: 'unsupported',
    reason: `path ${showValue(path)} with target ${showValue(target)} uses regex captures beyond a prefix strip; Contour has no regex rewrite, so this path is not converted`,
  };
}

function joinPath(a: string, b: string): string {
  return `${a.replace(/\/+$/, '')}${b}`;
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
    const rewrites: Record<string, RewriteForPath> = {};
    const notes: string[] = [];
    const refused: string[] = [];
    let allExact = true;
    for (const rule of ctx.ingress.rules) {
      for (const p of rule.paths) {
        if (p.path === target || rewrites[p.path]) continue;
        policy.route.rewriteActivatesRegex = true;
        const a = analyzeRewrite(p.path, target);
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
