// permanent-redirect / temporal-redirect: the location answers with a redirect
// and never proxies. HTTPProxy has requestRedirectPolicy (1.20+).
import type { Transform } from '../engine.js';
import type { RedirectIntent } from '../../model/policy.js';
import { hasControlChars, parseGoInt, showValue } from '../values.js';

/** Splits an nginx redirect URL into the parts requestRedirectPolicy can carry. */
export function parseRedirectUrl(url: string): Omit<RedirectIntent, 'statusCode'> | string {
  if (hasControlChars(url) || /[\s$"'`\\]/.test(url)) return 'contains characters nginx rejects';
  if (url.startsWith('/')) {
    if (url.includes('?') || url.includes('#')) return 'a query or fragment in the target cannot be expressed (Envoy keeps the request query)';
    return { path: url };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `scheme ${parsed.protocol} is not http or https`;
  if (parsed.search || parsed.hash) return 'a query or fragment in the target cannot be expressed (Envoy keeps the request query)';
  if (parsed.username || parsed.password) return 'credentials in the URL cannot be expressed';
  const out: Omit<RedirectIntent, 'statusCode'> = { scheme: parsed.protocol === 'https:' ? 'https' : 'http', hostname: parsed.hostname };
  if (parsed.port) out.port = Number(parsed.port);
  out.path = parsed.pathname || '/';
  return out;
}

const ALLOWED_CODES_OLD = new Set([301, 302]);
const ALLOWED_CODES_NEW = new Set([301, 302, 303, 307, 308]);

export const redirect: Transform = {
  keys: ['permanent-redirect', 'permanent-redirect-code', 'temporal-redirect', 'temporal-redirect-code'],
  apply(ctx, policy) {
    const temporal = ctx.get('temporal-redirect');
    const permanent = ctx.get('permanent-redirect');
    // nginx: temporal wins when both are set.
    const [key, codeKey, fallback, maxCode] =
      temporal !== undefined && temporal !== ''
        ? (['temporal-redirect', 'temporal-redirect-code', 302, 307] as const)
        : (['permanent-redirect', 'permanent-redirect-code', 301, 308] as const);
    const url = ctx.get(key);
    if (url === undefined || url === '') {
      for (const k of ['permanent-redirect-code', 'temporal-redirect-code']) {
        if (ctx.get(k) !== undefined) ctx.invalid(k, 'no matching redirect URL is set: nginx ignores it');
      }
      return;
    }
    if (temporal !== undefined && permanent !== undefined) ctx.invalid('permanent-redirect', 'temporal-redirect is also set and wins, as in nginx');
    const codeRaw = ctx.get(codeKey);
    let code: number = fallback;
    if (codeRaw !== undefined) {
      const c = parseGoInt(codeRaw);
      if (c === undefined || c < 300 || c > maxCode) ctx.invalid(codeKey, `${showValue(codeRaw)} is not a redirect code 300-${maxCode}: nginx uses ${fallback}`);
      else code = c;
    }
    const parts = parseRedirectUrl(url);
    if (typeof parts === 'string') {
      ctx.invalid(key, `${parts}; nginx rejects the Ingress; the route is not converted`, 'error');
      policy.route.deny = { statusCode: 404, reason: `${key} is invalid` };
      return;
    }
    if (!ctx.supported(key)) {
      // Proxying instead of redirecting would route differently: drop the route.
      policy.route.deny = { statusCode: 404, reason: `${key} cannot be expressed` };
      return;
    }
    const allowed = ctx.caps.has('redirect30x') ? ALLOWED_CODES_NEW : ALLOWED_CODES_OLD;
    if (!allowed.has(code)) {
      const replacement = code === 300 || code === 304 || code === 305 || code === 306 ? (code < 303 ? 301 : 302) : code >= 307 ? 302 : 301;
      ctx.approximate(codeKey, `Contour cannot answer ${code}; ${replacement} is used (allowed: ${[...allowed].join(', ')})`);
      code = replacement;
    }
    policy.route.redirect = { ...parts, statusCode: code };
  },
};
