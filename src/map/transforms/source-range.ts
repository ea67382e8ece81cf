// allowlist/whitelist/denylist-source-range: nginx emits deny before allow, so
// deny wins; Contour forbids both on one route, so allow-minus-deny is emitted.
import type { Transform } from '../transform.js';
import { compareCidr, formatCidr, parseCidr, subtract, type Cidr } from '../cidr.js';
import { showValue, splitList } from '../values.js';

export const sourceRange: Transform = {
  keys: ['allowlist-source-range', 'whitelist-source-range', 'denylist-source-range'],
  // The ConfigMap's lists are these annotations' defaults; block-cidrs denies on every server.
  global: (s) => s.allowlistSourceRange.length > 0 || s.denylistSourceRange.length > 0 || s.blockCidrs.length > 0 || s.denyAllReason !== undefined,
  apply(ctx, policy) {
    if (ctx.settings.denyAllReason) {
      policy.route.deny = { statusCode: 503, reason: ctx.settings.denyAllReason };
      return;
    }
    const fromSettings = (list: string[]): Cidr[] | undefined => {
      const parsed = list.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== undefined);
      return parsed.length > 0 ? parsed : undefined;
    };
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
    const ownAllowValue = ctx.get('allowlist-source-range');
    const ownAllow = ownAllowValue !== undefined;
    const ownDeny = ctx.get('denylist-source-range') !== undefined;
    // The common case, an Ingress's own allow-list and no deny-list anywhere: a fleet repeats a few
    // values, each parsed, sorted and formatted once (an invalid one is never remembered).
    const simple = ownAllow && !ownDeny && ctx.settings.denylistSourceRange.length === 0 && ctx.settings.blockCidrs.length === 0;
    if (simple && !policy.route.deny && ctx.supported('allowlist-source-range')) {
      const known = ALLOW_LISTS.get(ownAllowValue);
      if (known !== undefined) {
        if (known.length > 0) policy.route.ipAllow = known.slice();
        return;
      }
    }
    const allow = ownAllow ? parse('allowlist-source-range') : fromSettings(ctx.settings.allowlistSourceRange);
    let deny = ownDeny ? parse('denylist-source-range') : fromSettings(ctx.settings.denylistSourceRange);
    // block-cidrs is an http-level deny: it applies whatever the Ingress says.
    const block = fromSettings(ctx.settings.blockCidrs);
    if (block) deny = [...(deny ?? []), ...block];
    if (policy.route.deny) return;
    if (!ctx.supported('allowlist-source-range')) {
      // Annotations: reported through the catalogue verdicts. The controller's lists are access
      // controls too: lowering denies the routes (see globalAccessLists in src/map/engine.ts).
      return;
    }
    if (allow && allow.length > 0) {
      const remaining = deny && deny.length > 0 ? subtract(allow, deny) : allow;
      if (remaining.length === 0) {
        policy.route.deny = { statusCode: 403, reason: 'every allowed range is also denied' };
        return;
      }
      policy.route.ipAllow = [...remaining].sort(compareCidr).map(formatCidr);
      if (simple) remember(ownAllowValue, policy.route.ipAllow);
      if (deny && deny.length > 0) ctx.exact('denylist-source-range');
    } else if (deny && deny.length > 0) {
      policy.route.ipDeny = [...deny].sort(compareCidr).map(formatCidr);
    } else if (simple && allow) remember(ownAllowValue, []);
  },
};

/** Formatted allow-lists by annotation value (see `simple`); policies get copies. Bounded. */
const ALLOW_LISTS = new Map<string, readonly string[]>();

function remember(value: string, list: readonly string[]): void {
  if (ALLOW_LISTS.size >= 256) ALLOW_LISTS.clear();
  ALLOW_LISTS.set(value, list.slice());
}
