// ssl-redirect (default true) and force-ssl-redirect. Contour redirects every
// route of a TLS virtual host unless the route sets permitInsecure.
import type { Transform } from '../transform.js';
import { parseGoBool } from '../values.js';

export const sslRedirect: Transform = {
  keys: ['ssl-redirect', 'force-ssl-redirect'],
  // The ConfigMap's ssl-redirect / force-ssl-redirect are these annotations' defaults on every Ingress.
  global: (s) => !s.sslRedirect || s.forceSslRedirect,
  apply(ctx, policy) {
    const defaults = ctx.settings;
    // boolValue's reading, the message built only for an invalid value (not for each Ingress).
    const raw = ctx.get('ssl-redirect');
    let redirect = raw === undefined ? defaults.sslRedirect : parseGoBool(raw);
    if (redirect === undefined) {
      ctx.invalid('ssl-redirect', `not a boolean: nginx keeps the default (${defaults.sslRedirect})`);
      redirect = defaults.sslRedirect;
    }
    if (!redirect) policy.route.permitInsecure = true;
    const force = ctx.get('force-ssl-redirect');
    let forced = defaults.forceSslRedirect;
    if (force !== undefined) {
      const b = parseGoBool(force);
      if (b === undefined) ctx.invalid('force-ssl-redirect', `not a boolean: nginx keeps the default (${defaults.forceSslRedirect})`);
      else {
        forced = b;
        if (!b && ctx.supported('force-ssl-redirect')) ctx.exact('force-ssl-redirect');
      }
    }
    if (forced) {
      policy.route.permitInsecure = undefined;
      // http-redirect-code: 301/302/307/308; Contour < 1.25 only redirects with 301 or 302.
      const code = ctx.caps.has('redirect30x') || defaults.httpRedirectCode === 301 || defaults.httpRedirectCode === 302 ? defaults.httpRedirectCode : 301;
      if (ctx.supported('force-ssl-redirect')) policy.route.forceSslRedirect = redirectWith(code);
    }
  },
};

/** One frozen intent per status code (four exist), not one per Ingress: policies only read it. */
const BY_CODE = new Map<number, { readonly statusCode: number }>();

function redirectWith(statusCode: number): { statusCode: number } {
  let intent = BY_CODE.get(statusCode);
  if (intent === undefined) {
    intent = Object.freeze({ statusCode });
    if (BY_CODE.size < 16) BY_CODE.set(statusCode, intent);
  }
  return intent;
}
