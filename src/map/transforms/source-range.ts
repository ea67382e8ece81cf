// allowlist/whitelist/denylist-source-range: nginx emits deny before allow, so
// deny wins; Contour forbids both on one route, so allow-minus-deny is emitted.
import type { Transform } from '../transform.js';
import { compareCidr, formatCidr, parseCidr, subtract, type Cidr } from '../cidr.js';
import { showValue, splitList } from '../values.js';

export const sourceRange: Transform = {
  keys: ['allowlist-source-range', 'whitelist-source-range', 'denylist-source-range'],
  apply(ctx, policy) {
    const parse = (key: string): Cidr[] | undefined => {
      const raw = ctx.get(key);
      if (raw === undefined) return undefined;
      const out: Cidr[] = [];
      const items = splitList(raw);
      for (const item of items) {
        const c = parseCidr(item);
        if (!c) {
          // The catalogue's failure class (location-denied) makes these paths answer 503, as nginx does.
          ctx.invalid(key, items.length > 1 ? `entry ${showValue(item)} is not an IP or CIDR` : 'not an IP or CIDR');
          return undefined;
        }
        out.push(c);
      }
      return out;
    };
    const allow = parse('allowlist-source-range');
    const deny = parse('denylist-source-range');
    if (policy.route.deny) return;
    if (!ctx.supported('allowlist-source-range')) {
      // Reported through the catalogue verdicts: the target cannot filter by source IP.
      return;
    }
    if (allow && allow.length > 0) {
      const remaining = deny && deny.length > 0 ? subtract(allow, deny) : allow;
      if (remaining.length === 0) {
        policy.route.deny = { statusCode: 403, reason: 'every allowed range is also denied' };
        return;
      }
      policy.route.ipAllow = [...remaining].sort(compareCidr).map(formatCidr);
      if (deny && deny.length > 0) ctx.exact('denylist-source-range');
    } else if (deny && deny.length > 0) {
      policy.route.ipDeny = [...deny].sort(compareCidr).map(formatCidr);
    }
  },
};
