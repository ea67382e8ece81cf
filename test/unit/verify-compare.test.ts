// Comparison, prediction by findings, verdicts, rendering and the runner's limits.
import { describe, expect, it } from 'vitest';
import { finding } from '../../src/model/findings.js';
import { compareObservations, judge, predictedBy, summarize, unreachableSides, type Observation } from '../../src/verify/compare.js';
import { parseAddress } from '../../src/verify/http.js';
import type { Probe } from '../../src/verify/probes.js';
import { render } from '../../src/verify/render.js';
import { runProbes } from '../../src/verify/run.js';
import { isControllerService, serviceAddress } from '../../src/verify/discover.js';

const probe = (path: string, ingressPath = path, host = 'a.example', kind: Probe['kind'] = path.endsWith('-i2c-verify') ? 'sibling' : 'path', scheme: Probe['scheme'] = 'http'): Probe => ({
  key: `${scheme} GET ${host}${path}`, kind, scheme, method: 'GET', host, path, headers: {}, ingressPath, ingresses: ['shop/web'],
});
const ok = (backend = 'web'): Observation => ({ status: 200, headers: {}, backend });
const notFound: Observation = { status: 404, headers: {} };

const stringPrefix = finding('route.string-prefix', 'warn', { ingresses: ['shop/web'], host: 'a.example' }, { target: 'HTTPProxy', paths: ['/bar', '/foo'] });

describe('compareObservations', () => {
  it('finds nothing in equal answers, and names status, location, backend and header differences', () => {
    expect(compareObservations(ok(), ok())).toEqual([]);
    expect(compareObservations(notFound, ok()).map((d) => d.field)).toEqual(['status']);
    expect(compareObservations({ status: 308, headers: {}, location: 'https://a.example/' }, { status: 301, headers: {}, location: 'https://a.example/' }))
      .toEqual([{ field: 'status', nginx: '308', contour: '301' }]);
    expect(compareObservations(ok('web'), ok('canary'))).toEqual([{ field: 'backend', nginx: 'web', contour: 'canary' }]);
    expect(compareObservations({ status: 200, headers: { 'x-a': '1' } }, { status: 200, headers: {} })).toEqual([{ field: 'header:x-a', nginx: '1', contour: '(none)' }]);
  });
  it('does not compare the bodies of error pages (no backend on either side)', () => {
    expect(compareObservations(notFound, { status: 404, headers: {} })).toEqual([]);
  });
  it('reports a failed request against an answer', () => {
    expect(compareObservations(ok(), { error: 'connection refused', headers: {} })).toEqual([{ field: 'answer', nginx: 'status 200', contour: 'connection refused' }]);
  });
});

describe('predictedBy', () => {
  it('matches a finding by host and by the Ingress path it lists (data.paths or subject.path)', () => {
    const onePath = finding('route.duplicate-path', 'warn', { ingresses: ['shop/x'], host: 'a.example', path: '/dup' }, { where: 'w', owner: 'o', ownerIngress: 'shop/o' });
    expect(predictedBy(probe('/dup'), [onePath])).toHaveLength(1);
    expect(predictedBy(probe('/other'), [onePath])).toEqual([]);
    expect(predictedBy(probe('/foo-i2c-verify', '/foo'), [stringPrefix]).map((f) => f.id)).toEqual(['route.string-prefix']);
    expect(predictedBy(probe('/baz-i2c-verify', '/baz'), [stringPrefix])).toEqual([]);
    expect(predictedBy(probe('/foo', '/foo', 'b.example'), [stringPrefix])).toEqual([]);
  });
  it('takes a host-wide finding without a path list for every probe of the host, never a run-wide one', () => {
    const redirect = finding('tls.redirect-code', 'info', { ingresses: ['shop/web'], host: 'a.example' });
    const global = finding('route.nginx-defaults', 'info', {});
    expect(predictedBy(probe('/x'), [redirect, global]).map((f) => f.id)).toEqual(['tls.redirect-code']);
  });
  it('lets a host-wide note explain only what it is about: the redirect code on http, not a route on https', () => {
    const redirect = finding('tls.redirect-code', 'info', { ingresses: ['shop/web'], host: 'a.example' });
    const code = [{ field: 'status' as const, nginx: '308', contour: '301' }];
    const backend = [{ field: 'backend' as const, nginx: 'api', contour: 'web' }];
    expect(predictedBy(probe('/api'), [redirect], code)).toHaveLength(1);
    expect(predictedBy(probe('/api', '/api', 'a.example', 'path', 'https'), [redirect], backend)).toEqual([]);
    expect(predictedBy(probe('/api'), [redirect], backend)).toEqual([]);
    // A string-prefix note explains the sibling probe only, not the path itself.
    expect(predictedBy(probe('/foo'), [stringPrefix])).toEqual([]);
  });
  it('lets an annotation finding explain only its own probes: a canary header note does not excuse the plain path', () => {
    const canary = finding('annotation.approximate', 'warn', { ingresses: ['shop/web'], annotation: 'nginx.ingress.kubernetes.io/canary-by-header' }, { message: 'approx' });
    expect(predictedBy(probe('/api'), [canary], [{ field: 'backend', nginx: 'api', contour: 'canary' }])).toEqual([]);
    // Its approximation (header vs cookie order) never shows on a probe, which sends one of them only.
    expect(predictedBy(probe('/api', '/api', 'a.example', 'canary-header'), [canary], [{ field: 'backend', nginx: 'canary', contour: 'api' }])).toEqual([]);
    const redirect = finding('annotation.approximate', 'warn', { ingresses: ['shop/web'], annotation: 'nginx.ingress.kubernetes.io/permanent-redirect' }, { message: 'approx' });
    expect(predictedBy(probe('/'), [redirect], [{ field: 'status', nginx: '301', contour: '200' }, { field: 'location', nginx: 'https://x/', contour: '(none)' }])).toEqual([]);
    expect(predictedBy(probe('/'), [redirect], [{ field: 'location', nginx: 'https://x/', contour: 'https://x/?a=1' }])).toHaveLength(1);
  });
  it('takes an annotation finding of the Ingress that made the probe', () => {
    const ann = finding('annotation.approximate', 'warn', { ingresses: ['shop/web'], annotation: 'nginx.ingress.kubernetes.io/x' }, { message: 'differs' });
    const other = finding('annotation.approximate', 'warn', { ingresses: ['shop/other'], annotation: 'nginx.ingress.kubernetes.io/x' }, { message: 'differs' });
    const exact = finding('annotation.exact', 'info', { ingresses: ['shop/web'], annotation: 'nginx.ingress.kubernetes.io/x' }, { message: 'same' });
    expect(predictedBy(probe('/x'), [ann, other, exact]).map((f) => f.subject.ingresses)).toEqual([['shop/web']]);
  });
});

describe('judge and render', () => {
  const results = [
    judge(probe('/'), ok(), ok(), [stringPrefix]),
    judge(probe('/foo-i2c-verify', '/foo'), notFound, ok(), [stringPrefix]),
    judge(probe('/gone'), ok(), notFound, [stringPrefix]),
  ];
  it('marks predicted differences expected and the rest UNEXPECTED', () => {
    expect(results.map((r) => r.verdict)).toEqual(['same', 'expected', 'unexpected']);
    expect(summarize(results)).toEqual({ probes: 3, same: 1, expected: 1, unexpected: 1, skipped: 0, notRun: 0 });
  });
  it('prints one line per differing probe under its host; JSON and Markdown carry the same verdicts', () => {
    const info = { nginx: 'n:80,443', contour: 'c:80,443' };
    const text = render(results, info, 'text').trimEnd().split('\n');
    expect(text.filter((l) => l.startsWith('@@'))).toEqual(['@@ a.example @@']);
    expect(text.filter((l) => /^[!~] /.test(l))).toHaveLength(2);
    expect(text.find((l) => l.includes('/gone'))).toMatch(/status 200 → 404.*UNEXPECTED$/);
    expect(text.find((l) => l.includes('/foo-i2c-verify'))).toContain('route.string-prefix');
    const json = JSON.parse(render(results, info, 'json')) as { summary: { unexpected: number }; probes: { verdict: string }[] };
    expect(json.summary.unexpected).toBe(1);
    expect(json.probes.map((p) => p.verdict)).toEqual(['same', 'expected', 'unexpected']);
    expect(render(results, info, 'markdown')).toContain('| `http GET /gone` |');
  });
});

describe('runProbes', () => {
  const probes = Array.from({ length: 20 }, (_, i) => probe(`/p${String(i).padStart(2, '0')}`));
  it('asks both sides every probe and keeps the probe order', async () => {
    const asked: string[] = [];
    const out = await runProbes(probes, async (p, side) => {
      asked.push(`${side} ${p.path}`);
      return ok();
    }, { concurrency: 3, rate: 1000, totalMs: 60_000 }, []);
    expect(out.stopped).toBeUndefined();
    expect(asked).toHaveLength(40);
    expect(out.results.map((r) => r.probe.path)).toEqual(probes.map((p) => p.path));
    expect(out.results.every((r) => r.verdict === 'same')).toBe(true);
  });
  it('never has more probes in flight than --concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    await runProbes(probes, async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return ok();
    }, { concurrency: 2, rate: 10_000, totalMs: 60_000 }, []);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });
  it('stops at the time limit, aborting a request that never answers, and lists the probes not run', async () => {
    const out = await runProbes(probes, (p, _side, signal) => new Promise<Observation>((resolve) => {
      // The first probe answers; every later one hangs until the run is aborted.
      if (p.path === '/p00') resolve(ok());
      else signal.addEventListener('abort', () => resolve({ error: 'aborted', headers: {} }), { once: true });
    }), { concurrency: 2, rate: 1000, totalMs: 200 }, []);
    expect(out.stopped).toMatch(/--timeout/);
    expect(out.results[0]!.verdict).toBe('same');
    expect(out.results.slice(1).every((r) => r.verdict === 'not-run')).toBe(true);
  });
  it('spaces requests by --rate: a slow rate stops at the time limit with probes left', async () => {
    let sent = 0;
    const out = await runProbes(probes, async () => {
      sent++;
      return ok();
    }, { concurrency: 4, rate: 2, totalMs: 300 }, []);
    expect(out.stopped).toBeDefined();
    expect(sent).toBeLessThan(40);
    expect(out.results.some((r) => r.verdict === 'not-run')).toBe(true);
  });
  it('names a side that answered nothing', async () => {
    const out = await runProbes(probes.slice(0, 2), async (_p, side) => (side === 'contour' ? { error: 'connection refused', headers: {} } : ok()), { concurrency: 1, rate: 1000, totalMs: 60_000 }, []);
    expect(unreachableSides(out.results)).toEqual([{ side: 'contour', error: 'connection refused' }]);
  });
});

describe('addresses', () => {
  it('parses host:port[,https-port]', () => {
    expect(parseAddress('10.0.0.1:8080,8443')).toEqual({ host: '10.0.0.1', httpPort: 8080, httpsPort: 8443 });
    expect(parseAddress('lb.example')).toEqual({ host: 'lb.example', httpPort: 80, httpsPort: 443 });
    expect(parseAddress('[::1]:80')).toEqual({ host: '::1', httpPort: 80, httpsPort: 443 });
    expect(typeof parseAddress('a:b:c')).toBe('string');
    expect(typeof parseAddress('a:70000')).toBe('string');
  });
  it('finds a Service address: LoadBalancer first, then NodePort on a node', () => {
    const ports = [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'https', port: 443, nodePort: 30443 }];
    const lb = { metadata: { name: 'envoy', namespace: 'projectcontour' }, spec: { type: 'LoadBalancer', ports }, status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } } };
    expect(isControllerService(lb, 'contour')).toBe(true);
    expect(serviceAddress(lb, [])).toEqual({ host: '203.0.113.5', httpPort: 80, httpsPort: 443 });
    const np = { ...lb, status: {} };
    const nodes = [{ status: { addresses: [{ type: 'InternalIP', address: '10.1.1.1' }] } }];
    expect(serviceAddress(np, nodes)).toEqual({ host: '10.1.1.1', httpPort: 30080, httpsPort: 30443 });
    expect(typeof serviceAddress({ ...np, spec: { type: 'ClusterIP', ports } }, nodes)).toBe('string');
    const nginx = { metadata: { name: 'ingress-nginx-controller', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } } };
    expect(isControllerService(nginx, 'nginx')).toBe(true);
    expect(isControllerService({ metadata: { ...nginx.metadata, name: 'ingress-nginx-controller-admission' } }, 'nginx')).toBe(false);
  });
});
