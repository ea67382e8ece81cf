// Generates a realistic Ingress set: N Ingresses over M namespaces, hosts shared by
// several teams, TLS, canaries, rewrites, allow-lists, timeouts, unknown keys.
// Deterministic (seeded), so runs compare.
const P = 'nginx.ingress.kubernetes.io';

/** A small seeded generator (LCG): the benchmark inputs are the same on every run. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generate(count, namespaces, seed = 42) {
  const rand = rng(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const hosts = Math.max(1, Math.floor(count / 4));
  const docs = [];
  for (let i = 0; i < count; i++) {
    const ns = `team-${i % namespaces}`;
    const host = `app-${Math.floor(rand() * hosts)}.example.com`;
    const annotations = {};
    const r = rand();
    if (r < 0.15) annotations[`${P}/proxy-read-timeout`] = String(30 + Math.floor(rand() * 300));
    if (r > 0.8) annotations[`${P}/whitelist-source-range`] = '10.0.0.0/8,192.168.0.0/16';
    if (rand() < 0.1) annotations[`${P}/backend-protocol`] = pick(['HTTPS', 'GRPC']);
    if (rand() < 0.05) annotations[`${P}/affinity`] = 'cookie';
    if (rand() < 0.05) annotations[`${P}/proxy-body-size`] = '16m';
    if (rand() < 0.03) annotations[`${P}/configuration-snippet`] = 'more_set_headers "X-A: b";';
    const rewrite = rand() < 0.08;
    if (rewrite) annotations[`${P}/rewrite-target`] = '/$2';
    const paths = [];
    const n = 1 + Math.floor(rand() * 3);
    for (let p = 0; p < n; p++) {
      const base = `/svc-${i}-${p}`;
      paths.push({
        path: rewrite ? `${base}(/|$)(.*)` : base,
        pathType: rewrite ? 'ImplementationSpecific' : pick(['Prefix', 'Prefix', 'Exact', 'ImplementationSpecific']),
        backend: { service: { name: `svc-${i}-${p}`, port: { number: 8080 } } },
      });
    }
    const spec = { ingressClassName: 'nginx', rules: [{ host, http: { paths } }] };
    if (rand() < 0.3) spec.tls = [{ hosts: [host], secretName: `${host}-tls` }];
    const created = new Date(Date.UTC(2022, 0, 1) + Math.floor(rand() * 3e10)).toISOString().replace(/\.\d+Z$/, 'Z');
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: `ing-${i}`, namespace: ns, creationTimestamp: created, annotations }, spec });
    if (rand() < 0.03) {
      docs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `ing-${i}-canary`, namespace: ns, creationTimestamp: created, annotations: { [`${P}/canary`]: 'true', [`${P}/canary-weight`]: '10' } },
        spec: { ingressClassName: 'nginx', rules: [{ host, http: { paths: [{ ...paths[0], backend: { service: { name: `svc-${i}-canary`, port: { number: 8080 } } } }] } }] },
      });
    }
  }
  return docs;
}
