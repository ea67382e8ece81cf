// from-to-www-redirect: nginx serves the www / non-www counterpart of the host
// with a 308 redirect to the host (unless the counterpart is a host of its own).
import type { Transform } from '../engine.js';
import { parseGoBool } from '../values.js';

export const fromToWww: Transform = {
  keys: ['from-to-www-redirect'],
  apply(ctx, policy) {
    const raw = ctx.get('from-to-www-redirect');
    if (raw === undefined) return;
    const b = parseGoBool(raw);
    if (b === undefined) ctx.invalid('from-to-www-redirect', 'not a boolean: nginx keeps it off, and so does the output');
    else if (b && ctx.supported('from-to-www-redirect')) policy.host.fromToWww = true;
  },
};
