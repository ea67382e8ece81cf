// proxy-*-timeout: nginx values are plain integers in seconds; anything else
// (like "120s") fails nginx's int parser and silently keeps the default.
import type { Transform } from '../transform.js';
import { intValue } from '../annotation-values.js';
import { idleTimeouts, NGINX_READ_TIMEOUT_DEFAULT, NGINX_SEND_TIMEOUT_DEFAULT } from '../../model/nginx-defaults.js';

export const timeouts: Transform = {
  keys: ['proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout'],
  apply(ctx, policy) {
    const seconds = (key: string, fallback: number): number =>
      intValue(ctx, key, { fallback, invalid: `not a whole number of seconds: nginx keeps the default (${fallback}s), and so does the output` });
    seconds('proxy-connect-timeout', 5);
    const read = seconds('proxy-read-timeout', NGINX_READ_TIMEOUT_DEFAULT);
    const send = seconds('proxy-send-timeout', NGINX_SEND_TIMEOUT_DEFAULT);
    policy.route.timeouts = idleTimeouts(read, send);
  },
};
