// enable-cors and cors-*: nginx answers preflights and adds CORS headers per
// location; Contour's corsPolicy is per virtual host (Envoy's CORS filter).
import type { Transform } from '../transform.js';
import { parseGoBool, parseGoInt, splitList } from '../values.js';

export const NGINX_CORS_DEFAULTS = {
  methods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
  headers: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
  maxAge: 1728000,
};

const ORIGIN = /^(https?|[a-z][a-z0-9+.-]*):\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/;
const TOKEN_LIST = /^[A-Za-z0-9_, -]*$/;

/** nginx origin pattern → Contour allowOrigin entry (exact, or RE2 for a `*.` wildcard). */
export function corsOrigin(origin: string): string | undefined {
  if (origin === '*' || origin === 'null') return origin;
  if (!ORIGIN.test(origin)) return undefined;
  if (!origin.includes('://*.')) return origin;
  const [scheme, rest] = origin.split('://*.') as [string, string];
  // nginx: `*.` stands for exactly one label; matched case-insensitively.
  return `(?i)${scheme}://[A-Za-z0-9-]+\\.${rest.replace(/\./g, '\\.')}`;
}

export const cors: Transform = {
  keys: ['enable-cors', 'cors-allow-origin', 'cors-allow-methods', 'cors-allow-headers', 'cors-expose-headers', 'cors-allow-credentials', 'cors-max-age'],
  apply(ctx, policy) {
    const enabledRaw = ctx.get('enable-cors');
    const enabled = enabledRaw === undefined ? false : parseGoBool(enabledRaw);
    if (enabledRaw !== undefined && enabled === undefined) ctx.invalid('enable-cors', 'not a boolean: nginx keeps CORS off, and so does the output');
    const others = this.keys.filter((k) => k !== 'enable-cors' && ctx.get(k) !== undefined);
    if (!enabled) {
      for (const k of others) ctx.ignored(k, 'enable-cors is not "true": nginx ignores it, and so does the output');
      return;
    }
    if (!ctx.supported('enable-cors')) return;

    const originRaw = ctx.get('cors-allow-origin') ?? '*';
    const origins: string[] = [];
    const refused: string[] = [];
    for (const o of splitList(originRaw)) {
      const mapped = corsOrigin(o);
      if (mapped === undefined) refused.push(o);
      else if (mapped.startsWith('(?i)') && !ctx.caps.has('corsRegexOrigin')) refused.push(`${o} (wildcard origins need Contour 1.23+)`);
      else origins.push(mapped);
    }
    if (refused.length > 0) ctx.approximate('cors-allow-origin', `not converted: ${refused.join(', ')}; nginx drops invalid origins too`);
    const allowOrigin = origins.includes('*') ? ['*'] : [...new Set(origins)];
    if (allowOrigin.length === 0) {
      ctx.invalid('cors-allow-origin', 'no valid origin: nginx answers no cross-origin request, and no corsPolicy is emitted');
      return;
    }
    const list = (key: string, fallback: string): string[] => {
      const raw = ctx.get(key);
      if (raw !== undefined && !TOKEN_LIST.test(raw)) {
        ctx.invalid(key, 'contains characters nginx rejects: nginx uses its default, and so does the output');
        return splitList(fallback);
      }
      return splitList(raw ?? fallback);
    };
    const credentialsRaw = ctx.get('cors-allow-credentials');
    let allowCredentials = true;
    if (credentialsRaw !== undefined) {
      const b = parseGoBool(credentialsRaw);
      if (b === undefined) ctx.invalid('cors-allow-credentials', 'not a boolean: nginx keeps the default (true), and so does the output');
      else allowCredentials = b;
    }
    const maxAgeRaw = ctx.get('cors-max-age');
    let maxAge = NGINX_CORS_DEFAULTS.maxAge;
    if (maxAgeRaw !== undefined) {
      const n = parseGoInt(maxAgeRaw);
      if (n === undefined || n < 0) ctx.invalid('cors-max-age', `not a whole number of seconds: nginx uses ${maxAge}, and so does the output`);
      else maxAge = n;
    }
    policy.host.cors = {
      allowOrigin,
      allowMethods: list('cors-allow-methods', NGINX_CORS_DEFAULTS.methods).map((m) => m.toUpperCase()),
      allowHeaders: list('cors-allow-headers', NGINX_CORS_DEFAULTS.headers),
      exposeHeaders: list('cors-expose-headers', ''),
      allowCredentials,
      maxAge: `${maxAge}s`,
    };
  },
};
