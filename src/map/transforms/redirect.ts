// permanent-redirect / temporal-redirect: the location answers with a redirect
// and never proxies. HTTPProxy has requestRedirectPolicy (1.20+).
import type { Transform } from '../transform.js';
import type { RedirectIntent } from '../../model/policy.js';
import { hasControlChars, parseGoInt } from '../values.js';

type RedirectTarget = Omit<RedirectIntent, 'statusCode'>;
export type ParsedRedirect = { kind: 'invalid'; reason: string } | { kind: 'ok'; target: RedirectTarget; lost?: string };

/** Splits an nginx redirect URL into the parts requestRedirectPolicy can carry. */
export function parseRedirectUrl(url: string): ParsedRedirect {
  // nginx's URLIsValid validator: no whitespace, quotes, `$` or backslashes.
  if (hasControlChars(url) || /[\s$"'`\\{}<>^|]/.test(url)) return { kind: 'invalid', reason: 'contains characters nginx does not accept in a URL' };
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    return { kind: 'invalid', reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'invalid', reason: `scheme ${parsed.protocol} is not http or https` };
  const relative = url.startsWith('/') && !url.startsWith('//');
  const target: RedirectTarget = relative ? {} : { scheme: parsed.protocol === 'https:' ? 'https' : 'http', hostname: parsed.hostname };
  if (!relative && parsed.port) target.port = Number(parsed.port);
  target.path = parsed.pathname || '/';
  const lost = [parsed.search && `query ${parsed.search}`, parsed.hash && `fragment ${parsed.hash}`, (parsed.username || parsed.password) && 'credentials'].filter(Boolean);
  return lost.length > 0 ? { kind: 'ok', target, lost: `the target's ${lost.join(' and ')} cannot be expressed in requestRedirectPolicy` } : { kind: 'ok', target };
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
        if (ctx.get(k) !== undefined) ctx.ignored(k, 'no matching redirect URL is set: nginx ignores it');
      }
      return;
    }
    if (temporal !== undefined && permanent !== undefined) ctx.ignored('permanent-redirect', 'temporal-redirect is also set and wins, as in nginx');
    const codeRaw = ctx.get(codeKey);
    let code: number = fallback;
    if (codeRaw !== undefined) {
      const c = parseGoInt(codeRaw);
      // Not an integer: nginx's parser fails and the Ingress is refused (catalogue class);
      // an integer out of range silently becomes the default.
      if (c === undefined) ctx.invalid(codeKey, 'not an integer');
      else if (c < 300 || c > maxCode) ctx.invalid(codeKey, `outside 300-${maxCode}: nginx uses ${fallback}, and so does the output`, 'warn', 'silent-default');
      else code = c;
    }
    const parts = parseRedirectUrl(url);
    if (parts.kind === 'invalid') {
      ctx.invalid(key, parts.reason);
      return;
    }
    if (!ctx.supported(key)) {
      // Proxying instead of redirecting would answer differently: the paths are left out (the verdict says so).
      policy.route.omitAll = true;
      return;
    }
    const allowed = ctx.caps.has('redirect30x') ? ALLOWED_CODES_NEW : ALLOWED_CODES_OLD;
    if (!allowed.has(code)) {
      const replacement = code === 300 || code === 304 || code === 305 || code === 306 ? (code < 303 ? 301 : 302) : code >= 307 ? 302 : 301;
      ctx.approximate(codeKey, `Contour cannot answer ${code}; ${replacement} is used (allowed: ${[...allowed].join(', ')})`);
      code = replacement;
    }
    if (parts.lost) ctx.approximate(key, `${parts.lost}; the rest of the target is kept, and Envoy keeps the request's own query string`);
    policy.route.redirect = { ...parts.target, statusCode: code };
  },
};
