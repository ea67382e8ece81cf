// A fleet-shaped Ingress set, deterministic (seeded): N Ingresses over N/10 namespaces.
// - hosts: most are a team's own (1–3 Ingresses each); 1 in 20 Ingresses joins one of a few
//   shared portal hosts that collect hundreds of paths from many namespaces;
// - annotations: the mix seen in real fleets (ssl-redirect, body size, timeouts, rewrites with
//   regex, allow-lists, CORS, affinity, backend protocol, auth-url, rate limits, snippets,
//   unknown keys, and kubectl's last-applied-configuration, which is the bulk of many exports);
// - TLS on most hosts; canaries by weight or header; a few Ingresses without creationTimestamp.
import { rng } from './generate.mjs';

const P = 'nginx.ingress.kubernetes.io';

const PORTALS = ['www.example.com', 'api.example.com', 'portal.example.com', 'admin.example.com', 'static.example.com'];

export function generateRealistic(count, namespaces = Math.max(1, Math.round(count / 10)), seed = 7) {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const teamHosts = Math.max(1, Math.floor(count / 2));
  const docs = [];
  for (let i = 0; i < count; i++) {
    const ns = `team-${i % namespaces}`;
    const shared = rand() < 0.05;
    const host = shared ? pick(PORTALS) : `svc-${Math.floor(rand() * teamHosts)}.apps.example.com`;
    const annotations = {};
    const put = (k, v) => (annotations[`${P}/${k}`] = v);
    if (rand() < 0.5) put('ssl-redirect', pick(['true', 'false']));
    if (rand() < 0.2) put('force-ssl-redirect', 'true');
    if (rand() < 0.35) put('proxy-body-size', pick(['1m', '8m', '16m', '50m', '0']));
    if (rand() < 0.3) put('proxy-read-timeout', String(pick([30, 60, 120, 300, 3600])));
    if (rand() < 0.2) put('proxy-send-timeout', String(pick([30, 60, 300])));
    if (rand() < 0.15) put('proxy-connect-timeout', String(pick([5, 10, 30])));
    if (rand() < 0.1) put('whitelist-source-range', pick(['10.0.0.0/8', '10.0.0.0/8,192.168.0.0/16', '172.16.0.0/12, 203.0.113.7/32']));
    if (rand() < 0.08) {
      put('enable-cors', 'true');
      put('cors-allow-origin', pick(['*', 'https://app.example.com', 'https://a.example.com, https://b.example.com']));
      if (rand() < 0.5) put('cors-allow-methods', 'GET, POST, OPTIONS');
    }
    if (rand() < 0.08) put('backend-protocol', pick(['HTTPS', 'GRPC', 'GRPCS', 'HTTP']));
    if (rand() < 0.05) {
      put('affinity', 'cookie');
      put('session-cookie-name', 'route');
      if (rand() < 0.5) put('session-cookie-max-age', '3600');
    }
    if (rand() < 0.03) put('auth-url', `https://auth.example.com/oauth2/auth`);
    if (rand() < 0.04) put('limit-rps', String(pick([5, 10, 50, 100])));
    if (rand() < 0.03) put('configuration-snippet', 'more_set_headers "X-Frame-Options: DENY";\nmore_set_headers "X-Team: ' + ns + '";');
    if (rand() < 0.04) put('proxy-buffer-size', pick(['8k', '16k', '128k']));
    if (rand() < 0.03) put('upstream-vhost', `${ns}.internal`);
    if (rand() < 0.05) annotations['example.com/owner'] = `team-${i % 97}`;
    if (rand() < 0.02) put('load-balance', 'ewma');
    const rewrite = !shared && rand() < 0.08;
    if (rewrite) put('rewrite-target', '/$2');
    if (!rewrite && rand() < 0.02) put('use-regex', 'true');
    const paths = [];
    const n = rand() < 0.7 ? 1 : 2 + Math.floor(rand() * 2);
    for (let p = 0; p < n; p++) {
      const base = shared ? `/${ns}/app-${i}-${p}` : p === 0 && rand() < 0.5 ? '/' : `/api/v${1 + (p % 3)}/r${i}-${p}`;
      const service = `app-${i}-${p % 2}`;
      const port = { number: pick([80, 8080, 8443, 3000]) };
      paths.push({
        path: rewrite ? `${base === '/' ? '/app' : base}(/|$)(.*)` : base,
        pathType: rewrite ? 'ImplementationSpecific' : pick(['Prefix', 'Prefix', 'Prefix', 'Exact', 'ImplementationSpecific']),
        backend: { service: { name: service, port } },
      });
    }
    const spec = { ingressClassName: 'nginx', rules: [{ host, http: { paths } }] };
    if (rand() < 0.7) spec.tls = [{ hosts: [host], secretName: shared ? 'portal-tls' : `${host.split('.')[0]}-tls` }];
    const metadata = { name: `web-${i}`, namespace: ns, annotations };
    if (rand() < 0.3) metadata.labels = { app: `app-${i}` };
    if (rand() < 0.95) metadata.creationTimestamp = new Date(Date.UTC(2021, 0, 1) + Math.floor(rand() * 1.2e11)).toISOString().replace(/\.\d+Z$/, 'Z');
    const doc = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
    if (rand() < 0.02) {
      // kubectl apply's copy of the object: a long JSON string, common in exports.
      annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify({ apiVersion: doc.apiVersion, kind: doc.kind, metadata: { name: metadata.name, namespace: ns }, spec });
    }
    docs.push(doc);
    if (rand() < 0.05) {
      const canary = rand() < 0.6 ? { [`${P}/canary-weight`]: String(pick([5, 10, 25, 50])) } : { [`${P}/canary-by-header`]: 'X-Canary' };
      docs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: `web-${i}-canary`,
          namespace: ns,
          ...(metadata.creationTimestamp ? { creationTimestamp: metadata.creationTimestamp } : {}),
          annotations: { [`${P}/canary`]: 'true', ...canary },
        },
        spec: { ingressClassName: 'nginx', rules: [{ host, http: { paths: [{ ...paths[0], backend: { service: { name: `${paths[0].backend.service.name}-canary`, port: { number: 8080 } } } }] } }] },
      });
    }
  }
  return docs;
}
