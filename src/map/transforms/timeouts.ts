// proxy-*-timeout: nginx values are plain integers in seconds; anything else
// (like "120s") fails nginx's int parser and silently keeps the default.
import type { Transform } from '../transform.js';
import { intValue } from '../annotation-values.js';
import { idleTimeouts } from '../../model/nginx-defaults.js';

export const timeouts: Transform = {
  keys: ['proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout'],
  apply(ctx, policy) {
    // The message is built only for a key that is there (three per Ingress otherwise, all garbage).
    const seconds = (key: string, fallback: number): number =>
      ctx.get(key) === undefined ? fallback : intValue(ctx, key, { fallback, invalid: `not a whole number of seconds: nginx keeps the default (${fallback}s), and so does the output` });
    // An absent annotation falls back to the controller's ConfigMap value (nginx's default: 5/60/60).
    seconds('proxy-connect-timeout', ctx.settings.proxyConnectTimeout);
    const read = seconds('proxy-read-timeout', ctx.settings.proxyReadTimeout);
    const send = seconds('proxy-send-timeout', ctx.settings.proxySendTimeout);
    policy.route.timeouts = idleTimeouts(read, send);
  },
};
