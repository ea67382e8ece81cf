// from-to-www-redirect: nginx serves the www / non-www counterpart of the host
// with a 308 redirect to the host (unless the counterpart is a host of its own).
import { boolValue } from '../annotation-values.js';
import type { Transform } from '../transform.js';

export const fromToWww: Transform = {
  keys: ['from-to-www-redirect'],
  apply(ctx, policy) {
    const on = boolValue(ctx, 'from-to-www-redirect', { fallback: false, invalid: 'not a boolean: nginx keeps it off, and so does the output' });
    if (on && ctx.supported('from-to-www-redirect')) policy.host.fromToWww = true;
  },
};
