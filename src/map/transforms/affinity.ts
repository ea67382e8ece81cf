// affinity: cookie → Contour's cookie load balancing (fixed cookie name and path).
import type { Transform } from '../transform.js';

export const affinity: Transform = {
  keys: ['affinity'],
  apply(ctx, policy) {
    const value = ctx.get('affinity');
    if (value === undefined) return;
    if (value !== 'cookie') {
      ctx.invalid('affinity', 'only "cookie" is valid: nginx uses no affinity, and neither does the output');
      return;
    }
    if (ctx.supported('affinity')) policy.route.cookieAffinity = true;
  },
};
