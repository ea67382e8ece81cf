// `verify` against a real ingress-nginx and a real Contour + Envoy serving the same Ingresses:
// a clean migration verifies (exit 0, the reported difference shown as expected), a broken
// HTTPProxy is caught line by line (exit 1), and a slow backend cannot hold the run past --timeout.
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { convertYaml } from '../support/convert.js';
import { cli } from './support/cli.js';
import { startContourEnvoy, type ContourEnvoy } from './harness/contour.js';
import { ingressNginxMissing, startIngressNginx, type IngressNginx } from './harness/ingress-nginx.js';
import { startBackends, type Backends } from './harness/netns.js';
import { removeDir } from './harness/procs.js';
import { apply, makePki, remove, serviceObjects, waitEnvoy, waitValid, type Obj, type Pki } from './traffic/apply.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
const log = (m: string): void => {
  process.stderr.write(`[verify] ${m}\n`);
};
const NS = 'vf';
const ROOTS = 'vf-roots';
const SHOP = 'shop.verify.test';
const WWW = 'www.verify.test';
const SLOW = 'slow.verify.test';
const BETA = 'beta.verify.test';

const SHOP_YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: ${NS}}
spec:
  ingressClassName: nginx
  tls: [{hosts: [${SHOP}], secretName: shop-tls}]
  rules:
  - host: ${SHOP}
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
      - {path: /exact, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: beta, namespace: ${NS}}
spec:
  ingressClassName: nginx
  rules:
  - host: ${BETA}
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: beta-canary
  namespace: ${NS}
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-by-header: X-Canary
    nginx.ingress.kubernetes.io/canary-weight: "0"
spec:
  ingressClassName: nginx
  rules:
  - host: ${BETA}
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: canary, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: moved
  namespace: ${NS}
  annotations:
    nginx.ingress.kubernetes.io/permanent-redirect: https://${SHOP}/
spec:
  ingressClassName: nginx
  rules:
  - host: ${WWW}
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

const SLOW_YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: slow, namespace: ${NS}}
spec:
  ingressClassName: nginx
  rules:
  - host: ${SLOW}
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: slow, port: {number: 80}}}}
`;

type Route = { conditions?: Record<string, unknown>[]; services?: { name: string; port: number; weight?: number }[]; requestRedirectPolicy?: unknown };
type Proxy = Obj & { spec: { routes?: Route[] } };

const isPlain = (r: Route, cond: string, value: string): boolean =>
  (r.conditions ?? []).length === 1 && (r.conditions ?? [])[0]![cond] === value;

/** The three breaks of the issue: a route removed, a wrong weight, a missing redirect. */
function broken(objects: Obj[]): Obj[] {
  const copy = JSON.parse(JSON.stringify(objects)) as Obj[];
  for (const o of copy) {
    if (o.kind !== 'HTTPProxy' || o.metadata.namespace !== NS) continue;
    const p = o as Proxy;
    if (o.metadata.name === SHOP) {
      const before = p.spec.routes!.length;
      p.spec.routes = p.spec.routes!.filter((r) => !isPlain(r, 'exact', '/exact'));
      if (p.spec.routes.length !== before - 1) throw new Error('no /exact route to remove');
    }
    if (o.metadata.name === BETA) {
      const plain = p.spec.routes!.find((r) => isPlain(r, 'prefix', '/'));
      if (!plain) throw new Error('no plain / route on beta');
      plain.services = [{ name: 'web', port: 80, weight: 0 }, { name: 'canary', port: 80, weight: 100 }];
    }
    if (o.metadata.name === WWW) {
      const r = p.spec.routes![0]!;
      if (!r.requestRedirectPolicy) throw new Error('no redirect on www');
      delete r.requestRedirectPolicy;
      r.services = [{ name: 'web', port: 80 }];
    }
  }
  return copy;
}

const missing = harness.external ? ['an external cluster'] : ingressNginxMissing();
if (missing.length > 0) log(`skipped: ${missing.join('; ')}`);

describe.skipIf(missing.length > 0)('verify: ingress-nginx and Contour side by side', () => {
  let nginx: IngressNginx | undefined;
  let proxy: ContourEnvoy | undefined;
  let backends: Backends | undefined;
  let pki: Pki | undefined;
  let slowServer: http.Server | undefined;
  const cluster: Obj[] = [];
  let converted: Obj[] = [];
  let dir = '';
  const files = { shop: '', slow: '' };
  const addr = { nginx: '', contour: '' };

  beforeAll(async () => {
    backends = await startBackends(['web', 'api', 'canary'].map((s) => ({ name: `${NS}/${s}`, proto: 'http' as const, instances: 1 })), { log });
    // The slow backend: accepts, never answers. It listens on the host end of the veth, an
    // address an EndpointSlice accepts (loopback is refused) and both proxies reach.
    slowServer = http.createServer(() => {});
    await new Promise<void>((r) => slowServer!.listen(0, backends!.hostIp, r));
    const slowPort = (slowServer.address() as AddressInfo).port;
    [nginx, proxy] = await Promise.all([startIngressNginx({ kubeconfig, log }), startContourEnvoy({ kubeconfig, log })]);
    addr.nginx = `127.0.0.1:${nginx.httpPort},${nginx.httpsPort}`;
    addr.contour = `127.0.0.1:${proxy.httpPort},${proxy.httpsPort}`;
    pki = makePki();

    dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-verify-e2e-'));
    files.shop = path.join(dir, 'shop.yaml');
    files.slow = path.join(dir, 'slow.yaml');
    writeFileSync(files.shop, SHOP_YAML);
    writeFileSync(files.slow, SLOW_YAML);

    await apply([NS, ROOTS].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })), k);
    const base: Obj[] = [];
    for (const s of ['web', 'api', 'canary']) base.push(...serviceObjects({ namespace: NS, name: s, port: 80 }, backends, `${NS}/${s}`));
    base.push(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'slow', namespace: NS }, spec: { ports: [{ name: 'p80', port: 80, targetPort: slowPort, protocol: 'TCP' }] } },
      {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { name: 'slow-e2e', namespace: NS, labels: { 'kubernetes.io/service-name': 'slow' } },
        addressType: 'IPv4', ports: [{ name: 'p80', port: slowPort, protocol: 'TCP' }],
        endpoints: [{ addresses: [backends.hostIp], conditions: { ready: true } }],
      },
      pki.secret(NS, 'shop-tls', [SHOP]),
    );
    const ingresses = [...yaml.loadAll(SHOP_YAML), ...yaml.loadAll(SLOW_YAML)] as Obj[];
    converted = [SHOP_YAML, SLOW_YAML].flatMap((y) => convertYaml(y, { target: 'httpproxy', rootNamespace: ROOTS }).objects as unknown as Obj[]);
    await apply(base, k);
    await apply([...ingresses, ...converted], k);
    cluster.push(...base, ...ingresses, ...converted);
    await waitValid(converted, k, 60_000);
    await waitEnvoy(proxy, [{ fqdn: SHOP, tls: true }, { fqdn: WWW, tls: false }, { fqdn: BETA, tls: false }, { fqdn: SLOW, tls: false }], 60_000);
    await nginx.waitForSync();
  });

  afterAll(async () => {
    await remove(cluster, k).catch(() => undefined);
    await nginx?.stop();
    await proxy?.stop();
    await backends?.stop();
    slowServer?.closeAllConnections();
    slowServer?.close();
    pki?.remove();
    if (dir) removeDir(dir);
  });

  const verify = (file: string, extra: string[] = []): ReturnType<typeof cli> =>
    cli(['verify', '-f', file, '--nginx-address', addr.nginx, '--contour-address', addr.contour, '--backend-header', 'x-echo-name', '--root-namespace', ROOTS, '--rate', '50', ...extra]);

  it('verifies a clean migration: exit 0, the difference convert reported shown as expected', async () => {
    const r = await verify(files.shop);
    if (process.env.I2C_VERIFY_DUMP) log(await proxy!.admin('/config_dump?resource=dynamic_route_configs'));
    log(`clean run (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    expect(r.leaked).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^! /m);
    // nginx redirects HTTP to HTTPS with 308, Contour with 301: convert said so (tls.redirect-code).
    expect(r.stdout).toMatch(new RegExp(`^~ http GET /api: status 308 → 301 .*expected \\(tls\\.redirect-code\\)$`, 'm'));
    const json = JSON.parse((await verify(files.shop, ['-o', 'json'])).stdout) as { summary: { unexpected: number; same: number; probes: number } };
    expect(json.summary.unexpected).toBe(0);
    expect(json.summary.same).toBeGreaterThan(10);
  });

  it('catches a removed route, a wrong weight and a missing redirect: one UNEXPECTED line each, exit 1', async () => {
    const bad = broken(converted);
    await apply(bad, k);
    try {
      await waitValid(bad, k, 60_000);
      // Wait until Envoy serves the breaks (the redirect gone) before asking.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const res = await new Promise<number>((resolve) => {
          http.get({ host: '127.0.0.1', port: proxy!.httpPort, path: '/', headers: { host: WWW } }, (x) => {
            x.resume();
            resolve(x.statusCode ?? 0);
          }).on('error', () => resolve(0));
        });
        if (res === 200 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const r = await verify(files.shop, ['-o', 'json']);
      const text = await verify(files.shop);
      log(`broken run (exit ${text.code}):\n${text.stdout}`);
      expect(r.code).toBe(1);
      expect(text.code).toBe(1);
      type P = { scheme: string; host: string; path: string; headers: Record<string, string>; verdict: string; differences: { field: string; nginx: string; contour: string }[] };
      const probes = (JSON.parse(r.stdout) as { probes: P[] }).probes;
      const unexpected = probes.filter((p) => p.verdict === 'unexpected');
      const find = (host: string, scheme: string, p: string): P | undefined => unexpected.find((u) => u.host === host && u.scheme === scheme && u.path === p && Object.keys(u.headers).length === 0);
      // The route removed: /exact falls through to / (web).
      expect(find(SHOP, 'https', '/exact')?.differences).toEqual([{ field: 'backend', nginx: `${NS}/api`, contour: `${NS}/web` }]);
      // The wrong weight: a plain request goes to the canary.
      expect(find(BETA, 'http', '/')?.differences).toEqual([{ field: 'backend', nginx: `${NS}/web`, contour: `${NS}/canary` }]);
      // The missing redirect.
      expect(find(WWW, 'http', '/')?.differences.map((d) => d.field)).toEqual(['status', 'location']);
      expect(text.stdout).toMatch(/^! https GET \/exact: backend vf\/api → vf\/web {2}UNEXPECTED$/m);
      expect(text.stdout).toMatch(/^! http GET \/: backend vf\/web → vf\/canary {2}UNEXPECTED$/m);
      expect(text.stdout).toMatch(/^! http GET \/: status 301 → 200; location https:\/\/shop\.verify\.test\/ → \(none\).* {2}UNEXPECTED$/m);
      // Nothing else is unexpected: shop's other routes and beta's header routes answer as before.
      const where = unexpected.map((u) => `${u.scheme} ${u.host}${u.path}`);
      expect(where.filter((w) => w.includes(SHOP))).toEqual([`https ${SHOP}/exact`]);
      expect(unexpected.some((u) => u.host === BETA && u.headers['x-canary'] !== undefined)).toBe(false);
    } finally {
      await apply(converted, k);
      await waitValid(converted, k, 60_000);
    }
  });

  it('keeps to --rate: in a 3 s run at 2 requests/s, at most 4 probes (2 requests each) are answered', async () => {
    const r = await verify(files.shop, ['-o', 'json', '--rate', '2', '--timeout', '3', '--concurrency', '1']);
    expect(r.code).toBe(EXIT.incomplete);
    const s = (JSON.parse(r.stdout) as { summary: { probes: number; same: number; expected: number; unexpected: number; notRun: number } }).summary;
    const answered = s.same + s.expected + s.unexpected;
    // Request starts are spaced 0.5 s apart, so 3 s hold at most 7 of them: an upper bound a slow machine only lowers.
    expect(answered).toBeLessThanOrEqual(4);
    expect(s.notRun).toBe(s.probes - answered);
    expect(s.notRun).toBeGreaterThan(20);
  });

  it('does not let a backend that never answers hold the run past --timeout (exit "incomplete", probes listed as not run)', async () => {
    const r = await verify(files.slow, ['--timeout', '3', '--probe-timeout', '60', '--concurrency', '1']);
    log(`slow run (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    expect(r.code).toBe(EXIT.incomplete);
    expect(r.stderr).toMatch(/--timeout/);
    expect(r.stdout).toMatch(/^\? http GET \/: not run$/m);
  });
});
