// Inputs of fleet size through the CLI: no call-stack overflow (no spread of input-sized
// arrays), every Ingress accounted for. No timing is asserted; 100k Ingresses in one List are
// in `npm run bench` (BENCH_LIST row), 20k here.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

interface Obj {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { virtualhost?: { fqdn: string }; includes?: { namespace: string }[]; routes?: { services: { name: string }[] }[] };
}

const ingress = (ns: string, name: string, host: string, paths: string[]): object => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: ns, creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    ingressClassName: 'nginx',
    rules: [{ host, http: { paths: paths.map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: `svc-${name}`, port: { number: 80 } } } })) } }],
  },
});

describe('fleet-size inputs', () => {
  it('converts 20,000 Ingresses given as one List document', { timeout: 300_000 }, async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ingress(`team-${i % 500}`, `web-${i}`, `app-${i}.example.com`, ['/']));
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '-o', 'json', '-q'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    expect(r.code).toBe(0);
    const objects = (JSON.parse(r.stdout) as { items: Obj[] }).items;
    const roots = objects.filter((o) => o.spec.virtualhost);
    expect(roots).toHaveLength(20_000);
    expect(r.stderr).toMatch(/^converted 20000 of 20000 Ingress/m);
  });

  it('converts one host with 20,000 paths across 200 namespaces', { timeout: 300_000 }, async () => {
    const items = Array.from({ length: 200 }, (_, n) =>
      ingress(
        `team-${n}`,
        `portal-${n}`,
        'portal.example.com',
        Array.from({ length: 100 }, (_, p) => `/team-${n}/app-${p}`),
      ),
    );
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '-o', 'json', '-q'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    expect(r.code).toBe(0);
    const objects = (JSON.parse(r.stdout) as { items: Obj[] }).items;
    const root = objects.find((o) => o.spec.virtualhost?.fqdn === 'portal.example.com');
    expect(root?.spec.includes?.map((i) => i.namespace).sort()).toEqual(Array.from({ length: 200 }, (_, n) => `team-${n}`).sort());
    // Every namespace's child routes its 100 paths (a Prefix path may take two routes: exact and `/…/`).
    const children = objects.filter((o) => !o.spec.virtualhost);
    expect(children).toHaveLength(200);
    for (const child of children) {
      const services = new Set((child.spec.routes ?? []).flatMap((r) => r.services.map((s) => s.name)));
      expect([...services]).toEqual([`svc-portal-${child.metadata.namespace.slice('team-'.length)}`]);
      expect((child.spec.routes ?? []).length).toBeGreaterThanOrEqual(100);
    }
  });
});
