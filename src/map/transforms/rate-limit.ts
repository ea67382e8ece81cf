// limit-rps / limit-rpm / limit-burst-multiplier → a local rate limit. nginx counts
// per client IP per replica; Contour's local limit is one bucket per Envoy per route.
import type { Transform } from '../transform.js';
import { intValue } from '../annotation-values.js';

export const rateLimit: Transform = {
  keys: ['limit-rps', 'limit-rpm', 'limit-burst-multiplier'],
  apply(ctx, policy) {
    // 0 means no limit, as in nginx.
    const limit = (key: string): number | undefined => intValue(ctx, key, { invalid: 'not a non-negative integer' }) || undefined;
    const rps = limit('limit-rps');
    const rpm = limit('limit-rpm');
    const mult = intValue(ctx, 'limit-burst-multiplier', { fallback: 5, min: 1, invalid: 'not a positive integer: nginx uses 5, and so does the output' });
    if (rps === undefined && rpm === undefined) {
      if (ctx.get('limit-burst-multiplier') !== undefined) ctx.ignored('limit-burst-multiplier', 'no limit-rps or limit-rpm: nginx ignores it');
      return;
    }
    if (!ctx.supported('limit-rps')) return;
    // nginx applies both zones; one local policy fits, so the stricter per-second rate is kept.
    const useRps = rps !== undefined && (rpm === undefined || rps <= rpm / 60);
    const requests = useRps ? (rps as number) : (rpm as number);
    if (rps !== undefined && rpm !== undefined) ctx.approximate(useRps ? 'limit-rpm' : 'limit-rps', `both limit-rps and limit-rpm are set; Contour has one local limit per route, so only the stricter (${useRps ? `${rps}/s` : `${rpm}/min`}) is kept`);
    // nginx admits the request plus `burst = limit × multiplier` excess ones at once (nodelay);
    // Envoy's bucket holds requests + burst tokens: the traffic suite measured both.
    policy.route.rateLimit = { requests, unit: useRps ? 'second' : 'minute', burst: requests * mult };
  },
};
