// mirror-target: copy every request to another URL. Contour mirrors to a Service of
// the route's own namespace, with the original path.
import type { Transform } from '../transform.js';

/** `http://svc[.ns[.svc[.cluster.local]]]:port/...` → the Service, when it lives in `namespace`. */
export function mirrorService(url: string, namespace: string): { service: string; port: number } | string {
  let parsed: URL;
  try {
    parsed = new URL(url.replace('$request_uri', ''));
  } catch {
    return 'not a URL';
  }
  const labels = parsed.hostname.split('.');
  const [service, ns = namespace, svc, ...rest] = labels;
  if (!service || (svc !== undefined && svc !== 'svc') || (rest.length > 0 && rest.join('.') !== 'cluster.local')) return `${parsed.hostname} is not an in-cluster Service name`;
  if (ns !== namespace) return `${parsed.hostname} is in namespace ${ns}, but Contour mirrors only to Services of the route's namespace (${namespace})`;
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { service, port };
}

export const mirror: Transform = {
  keys: ['mirror-target'],
  apply(ctx, policy) {
    const target = ctx.get('mirror-target');
    if (target === undefined) return;
    if (!ctx.supported('mirror-target')) return;
    const m = mirrorService(target, ctx.ingress.namespace);
    if (typeof m === 'string') {
      ctx.unsupported('mirror-target', `${m}; requests are not mirrored`, 'warn');
      return;
    }
    policy.route.mirror = m;
    ctx.approximate('mirror-target', `mirrored to Service ${m.service}:${m.port}; Envoy keeps the original path and query (a path in the target is ignored) and appends -shadow to the Host`);
  },
};
