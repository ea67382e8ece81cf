// load-balance and upstream-hash-by → Contour's loadBalancerPolicy.
import type { Transform } from '../transform.js';
import type { Feature } from '../../model/contour.js';
import type { NginxSettings } from '../../model/controller.js';
import type { IngressPolicy, LoadBalancerIntent } from '../../model/policy.js';

const ALGORITHMS: Record<string, LoadBalancerIntent['strategy'] | undefined> = {
  round_robin: 'RoundRobin',
  ewma: 'WeightedLeastRequest',
};

/** nginx hash key → Contour request hash policy, when one variable is hashed. */
export function hashPolicy(key: string): { policy: Record<string, unknown>; feature: 'hashSourceIP' | 'requestHash' | 'queryParameterHash' } | undefined {
  const v = key.replace(/^\$\{(.+)\}$/, '$$$1');
  if (v === '$remote_addr' || v === '$binary_remote_addr') return { policy: { hashSourceIP: true }, feature: 'hashSourceIP' };
  const header = /^\$http_([a-z0-9_]+)$/i.exec(v);
  if (header) return { policy: { headerHashOptions: { headerName: header[1]!.replace(/_/g, '-') } }, feature: 'requestHash' };
  const arg = /^\$arg_([A-Za-z0-9_-]+)$/.exec(v);
  if (arg) return { policy: { queryParameterHashOptions: { parameterName: arg[1] } }, feature: 'queryParameterHash' };
  return undefined;
}

export const loadBalance: Transform = {
  keys: ['load-balance', 'upstream-hash-by'],
  // The ConfigMap's load-balance / upstream-hash-by are these annotations' defaults on every Ingress.
  global: (s) => s.loadBalance !== 'round_robin' || s.upstreamHashBy !== undefined,
  apply(ctx, policy) {
    const ownHash = ctx.get('upstream-hash-by');
    if (ownHash === undefined && ctx.get('load-balance') === undefined) {
      if (ctx.supported('load-balance')) applyGlobal(ctx.settings, policy, (f) => ctx.caps.has(f));
      return;
    }
    const hashBy = ownHash;
    if (hashBy !== undefined) {
      if (!/^[A-Za-z0-9_${}-]+$/.test(hashBy)) {
        ctx.invalid('upstream-hash-by', 'contains characters nginx rejects');
      } else if (ctx.supported('upstream-hash-by')) {
        const mapped = hashPolicy(hashBy);
        if (!mapped)
          ctx.unsupported('upstream-hash-by', `Contour can hash on the client IP, one header or one query parameter; ${hashBy} has no equivalent, so requests are balanced round robin`, 'warn');
        else if (ctx.requires('upstream-hash-by', mapped.feature, `hashing on ${hashBy} (requests are balanced round robin instead)`))
          policy.route.loadBalancer = { strategy: 'RequestHash', requestHashPolicies: [mapped.policy] };
      }
      if (ctx.get('load-balance') !== undefined) ctx.ignored('load-balance', 'upstream-hash-by is also set and wins, as in nginx');
      return;
    }
    const lb = ctx.get('load-balance');
    if (lb === undefined) return;
    const strategy = ALGORITHMS[lb];
    if (!(lb in ALGORITHMS) && !['chash', 'chashsubset', 'sticky_balanced', 'sticky_persistent'].includes(lb)) {
      ctx.invalid('load-balance', 'not an nginx balancer');
      return;
    }
    if (!strategy) {
      ctx.unsupported('load-balance', `${lb} needs upstream-hash-by or affinity in nginx terms; Envoy balances round robin`, 'warn');
      return;
    }
    if (!ctx.supported('load-balance')) return;
    if (lb === 'round_robin') ctx.exact('load-balance');
    policy.route.loadBalancer = { strategy };
  },
};

/** The controller's load-balance / upstream-hash-by on an Ingress without its own (the ConfigMap verdict states the differences). */
function applyGlobal(settings: NginxSettings, policy: IngressPolicy, has: (f: Feature) => boolean): void {
  if (settings.upstreamHashBy !== undefined) {
    const mapped = hashPolicy(settings.upstreamHashBy);
    if (mapped && has(mapped.feature)) policy.route.loadBalancer = { strategy: 'RequestHash', requestHashPolicies: [mapped.policy] };
    return;
  }
  const strategy = ALGORITHMS[settings.loadBalance];
  if (strategy && strategy !== 'RoundRobin') policy.route.loadBalancer = { strategy };
}
