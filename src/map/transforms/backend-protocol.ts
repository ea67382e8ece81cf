// backend-protocol: how nginx talks to the Service. HTTPProxy says it per
// service; IngressRoute only through an annotation on the Service itself.
import type { Transform } from '../transform.js';
import type { UpstreamProtocol } from '../../model/policy.js';

const PROTOCOLS: Record<string, UpstreamProtocol | null> = { HTTP: null, HTTPS: 'tls', GRPC: 'h2c', GRPCS: 'h2' };

export const backendProtocol: Transform = {
  keys: ['backend-protocol'],
  apply(ctx, policy) {
    const raw = ctx.get('backend-protocol');
    if (raw === undefined) return;
    const value = raw.toUpperCase();
    if (value === 'AUTO_HTTP') {
      ctx.approximate('backend-protocol', 'AUTO_HTTP (same scheme as the client) has no Contour equivalent; plain HTTP to the backend is used');
      return;
    }
    if (value === 'FCGI') {
      ctx.unsupported('backend-protocol', 'Contour cannot speak FastCGI; the paths of this Ingress are left out rather than sent HTTP to a FastCGI server');
      policy.route.omitAll = true;
      return;
    }
    if (!(value in PROTOCOLS)) {
      ctx.invalid('backend-protocol', 'not one of HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS, FCGI: nginx falls back to HTTP, and so does the output');
      return;
    }
    const protocol = PROTOCOLS[value] ?? undefined;
    if (protocol === undefined) {
      ctx.exact('backend-protocol');
      return;
    }
    if (ctx.target === 'ingressroute') {
      ctx.approximate(
        'backend-protocol',
        `IngressRoute cannot set it per route: annotate each backend Service with contour.heptio.com/upstream-protocol.${protocol}: "<port>" (it then applies to every user of that Service port)`,
      );
      return;
    }
    if (ctx.supported('backend-protocol')) policy.route.protocol = protocol;
  },
};
