// ssl-passthrough: TLS is not terminated; the host's `/` backend gets the raw TCP stream.
import { boolValue } from '../annotation-values.js';
import type { Transform } from '../transform.js';

export const sslPassthrough: Transform = {
  keys: ['ssl-passthrough'],
  apply(ctx, policy) {
    const on = boolValue(ctx, 'ssl-passthrough', { fallback: false, invalid: 'not a boolean' });
    if (on && !ctx.settings.enableSslPassthrough) {
      ctx.ignored('ssl-passthrough', 'the controller runs without --enable-ssl-passthrough, so nginx ignores this annotation and terminates TLS itself; so does the output');
      return;
    }
    if (on && ctx.supported('ssl-passthrough')) policy.host.sslPassthrough = true;
  },
};
