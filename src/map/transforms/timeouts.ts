// proxy-*-timeout: nginx values are plain integers in seconds; anything else
// (like "120s") fails nginx's int parser and silently keeps the default.
import type { Transform } from '../engine.js';
import { intValue } from '../annotation-values.js';

export const NGINX_READ_TIMEOUT_DEFAULT = 60;
export const NGINX_SEND_TIMEOUT_DEFAULT = 60;

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

/**
 * nginx's read/send timeouts bound the gap between two reads/writes, not the whole
 * response: the closest Envoy setting is the per-stream idle timeout, with no total deadline.
 */
export function idleTimeouts(read: number, send: number): { response: string; idle: string } {
  const idle = Math.max(read, send);
  return { response: 'infinity', idle: idle === 0 ? 'infinity' : `${idle}s` };
}
