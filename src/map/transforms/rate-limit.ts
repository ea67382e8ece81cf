// limit-rps / limit-rpm / limit-burst-multiplier → a local rate limit. nginx counts
// per client IP per replica; Contour's local limit is one bucket per Envoy per route.
import type { Transform } from '../engine.js';
import { parseGoInt } from '../values.js';

export const rateLimit: Transform = {
  keys: ['limit-rps', 'limit-rpm', 'limit-burst-multiplier'],
  apply(ctx, policy) {
    const positive = (key: string): number | undefined => {
      const raw = ctx.get(key);
      if (raw === undefined) return undefined;
      const n = parseGoInt(raw);
      if (n === undefined || n < 0) {
        ctx.invalid(key, 'not a non-negative integer');
        return undefined;
      }
      return n === 0 ? undefined : n;
    };
    const rps = positive('limit-rps');
    const rpm = positive('limit-rpm');
    const multRaw = ctx.get('limit-burst-multiplier');
    let mult = 5;
    if (multRaw !== undefined) {
      const n = parseGoInt(multRaw);
      if (n === undefined || n < 1) ctx.invalid('limit-burst-multiplier', 'not a positive integer: nginx uses 5, and so does the output');
      else mult = n;
    }
    if (rps === undefined && rpm === undefined) {
      if (multRaw !== undefined) ctx.ignored('limit-burst-multiplier', 'no limit-rps or limit-rpm: nginx ignores it');
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
