// proxy-*-timeout: nginx values are plain integers in seconds; anything else
// (like "120s") fails nginx's int parser and silently keeps the default.
import type { Transform, TransformContext } from '../transform.js';
import { parseGoInt } from '../values.js';
import { idleTimeouts } from '../../model/nginx-defaults.js';
import type { TimeoutIntent } from '../../model/policy.js';

export const timeouts: Transform = {
  keys: ['proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout'],
  apply(ctx, policy) {
    // An absent annotation falls back to the controller's ConfigMap value (nginx's default: 5/60/60).
    seconds(ctx, 'proxy-connect-timeout', ctx.settings.proxyConnectTimeout);
    const read = seconds(ctx, 'proxy-read-timeout', ctx.settings.proxyReadTimeout);
    const send = seconds(ctx, 'proxy-send-timeout', ctx.settings.proxySendTimeout);
    policy.route.timeouts = sharedTimeouts(read, send);
  },
};

/**
 * The annotation as nginx's Atoi reads it (intValue with min 0), its message built only for an
 * invalid value: most Ingresses this runs for set some of the three keys, and a message per key
 * was garbage. A function, not a closure per Ingress.
 */
function seconds(ctx: TransformContext, key: string, fallback: number): number {
  const raw = ctx.get(key);
  if (raw === undefined) return fallback;
  const n = parseGoInt(raw);
  if (n !== undefined && n >= 0) return n;
  ctx.invalid(key, `not a whole number of seconds: nginx keeps the default (${fallback}s), and so does the output`);
  return fallback;
}

/**
 * One frozen timeout intent per idle value: fleets repeat a few, and policies only read them
 * (an intent and its text per Ingress were garbage for most, since equal policies are shared).
 */
const BY_IDLE = new Map<number, Readonly<TimeoutIntent>>();

function sharedTimeouts(read: number, send: number): TimeoutIntent {
  const idle = Math.max(read, send);
  let intent = BY_IDLE.get(idle);
  if (intent === undefined) {
    intent = Object.freeze(idleTimeouts(read, send));
    if (BY_IDLE.size < 256) BY_IDLE.set(idle, intent);
  }
  return intent;
}
