// ssl-redirect (default true) and force-ssl-redirect. Contour redirects every
// route of a TLS virtual host unless the route sets permitInsecure.
import { boolValue } from '../annotation-values.js';
import type { Transform } from '../transform.js';
import { parseGoBool } from '../values.js';

export const sslRedirect: Transform = {
  keys: ['ssl-redirect', 'force-ssl-redirect'],
  apply(ctx, policy) {
    if (!boolValue(ctx, 'ssl-redirect', { fallback: true, invalid: 'not a boolean: nginx keeps the default (true)' })) policy.route.permitInsecure = true;
    const force = ctx.get('force-ssl-redirect');
    if (force !== undefined) {
      const b = parseGoBool(force);
      if (b === undefined) ctx.invalid('force-ssl-redirect', 'not a boolean: nginx keeps the default (false)');
      else if (b) {
        policy.route.permitInsecure = undefined;
        if (ctx.supported('force-ssl-redirect')) policy.route.forceSslRedirect = { statusCode: ctx.caps.has('redirect30x') ? 308 : 301 };
      } else if (ctx.supported('force-ssl-redirect')) ctx.exact('force-ssl-redirect');
    }
  },
};
