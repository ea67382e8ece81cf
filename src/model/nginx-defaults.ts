// What ingress-nginx does on every location without an annotation: the transforms start
// from these values and the emitters repeat them on routes the annotations did not touch.
import type { RetryIntent, TimeoutIntent } from './policy.js';

/** proxy-read-timeout / proxy-send-timeout: 60 s between two reads or writes, no total deadline. */
export const NGINX_READ_TIMEOUT_DEFAULT = 60;
export const NGINX_SEND_TIMEOUT_DEFAULT = 60;

/**
 * nginx's read/send timeouts bound the gap between two reads/writes, not the whole response:
 * the closest Envoy setting is the per-stream idle timeout, with no total deadline.
 */
export function idleTimeouts(read: number, send: number): Required<TimeoutIntent> {
  const idle = Math.max(read, send);
  return { response: 'infinity', idle: idle === 0 ? 'infinity' : `${idle}s` };
}

export const NGINX_DEFAULT_TIMEOUTS = idleTimeouts(NGINX_READ_TIMEOUT_DEFAULT, NGINX_SEND_TIMEOUT_DEFAULT);

/** proxy-next-upstream "error timeout" with 3 tries: two retries on connection failures. */
export const NGINX_DEFAULT_RETRY: RetryIntent = { count: 2, retryOn: ['connect-failure', 'refused-stream'] };
