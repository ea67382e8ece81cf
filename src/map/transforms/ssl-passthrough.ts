// ssl-passthrough: TLS is not terminated; the host's `/` backend gets the raw TCP stream.
import type { Transform } from '../engine.js';
import { parseGoBool } from '../values.js';

export const sslPassthrough: Transform = {
  keys: ['ssl-passthrough'],
  apply(ctx, policy) {
    const value = ctx.get('ssl-passthrough');
    if (value === undefined) return;
    const b = parseGoBool(value);
    if (b === undefined) {
      ctx.invalid('ssl-passthrough', 'not a boolean');
      return;
    }
    if (b && ctx.supported('ssl-passthrough')) policy.host.sslPassthrough = true;
  },
};
