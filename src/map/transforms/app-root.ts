// app-root: nginx answers exactly `/` of the host with a 302 to the app root.
import type { Transform } from '../transform.js';
import { hasControlChars } from '../values.js';

const APP_ROOT = /^\/[-._~a-zA-Z0-9/:$]*$/;

export const appRoot: Transform = {
  keys: ['app-root'],
  apply(ctx, policy) {
    const value = ctx.get('app-root');
    if (value === undefined) return;
    if (hasControlChars(value) || !APP_ROOT.test(value)) {
      ctx.invalid('app-root', 'not a relative path: nginx ignores it; not converted either');
      return;
    }
    if (ctx.supported('app-root')) policy.host.appRoot = value;
  },
};
