// Real requests through real Contour and Envoy: each scenario's Ingresses are converted with
// the tool, applied, and answered by Envoy; every answer is compared with ingress-nginx's.
import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Finding } from '../../../src/model/findings.js';
import { convertYaml } from '../../support/convert.js';
import { startContourEnvoy, type ContourEnvoy } from '../harness/contour.js';
import { startBackends, type BackendSpec, type Backends } from '../harness/netns.js';
import { apply, makePki, remove, serviceObjects, waitEnvoy, waitValid, type Obj, type Pki } from './apply.js';
import { send, type Request, type Response, type Target } from './client.js';
import type { Answer, Ctx, FindingMatch, Matcher, RequestCase, Scenario } from './model.js';
import { PREFIX, scenarioYaml, servicesOf } from './model.js';
import { scenarios } from './scenarios.js';
import { countRequest, printSummary, recordOutcome, type Outcome } from './summary.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
// Roots go to a namespace of this suite: other test files expect `projectcontour` to be absent.
const ROOT_NAMESPACE = 'tr-roots';
const log = (m: string): void => {
  process.stderr.write(`[traffic] ${m}\n`);
};

// ---------------------------------------------------------------- matching

function matcher(m: Matcher): unknown {
  if (m === null) return null;
  if (m instanceof RegExp) return expect.stringMatching(m);
  if (typeof m === 'object') return [...m.list].sort();
  return m;
}

function headerValue(v: string | string[] | undefined, m: Matcher): unknown {
  if (v === undefined) return null;
  const s = Array.isArray(v) ? v.join(', ') : v;
  if (m !== null && typeof m === 'object' && !(m instanceof RegExp)) return s.split(',').map((x) => x.trim()).filter(Boolean).sort();
  return s;
}

function normLocation(l: string | undefined): string | undefined {
  if (l === undefined) return undefined;
  try {
    return new URL(l).href; // `https://host` and `https://host/` are the same URL
  } catch {
    return l;
  }
}

/** Projects the response onto the fields the expectation names, so toEqual shows a focused diff. */
function observed(res: Response, exp: Answer): Record<string, unknown> {
  const o: Record<string, unknown> = { status: res.status };
  // Which backend answered; `(proxy)` when Envoy answered itself.
  o.backend = res.echo?.name ?? '(proxy)';
  if (exp.path !== undefined) o.path = res.echo?.url;
  if (exp.host !== undefined) o.host = res.echo?.authority;
  if (exp.httpVersion !== undefined) o.httpVersion = res.echo?.httpVersion;
  if (exp.proto !== undefined) o.proto = res.echo?.proto;
  if (exp.grpcStatus !== undefined) o.grpcStatus = res.grpcStatus;
  if (exp.location !== undefined) o.location = normLocation(res.headers.location as string | undefined);
  if (exp.certName !== undefined) o.certName = res.certNames;
  if (exp.headers) {
    o.headers = Object.fromEntries(Object.entries(exp.headers).map(([h, m]) => [h, headerValue(res.echo?.headers[h], m)]));
  }
  if (exp.responseHeaders) {
    o.responseHeaders = Object.fromEntries(Object.entries(exp.responseHeaders).map(([h, m]) => [h, headerValue(res.headers[h], m)]));
  }
  return o;
}

function expected(exp: Answer): Record<string, unknown> {
  const o: Record<string, unknown> = { status: exp.status, backend: exp.backend ?? '(proxy)' };
  if (exp.path !== undefined) o.path = exp.path;
  if (exp.host !== undefined) o.host = exp.host;
  if (exp.httpVersion !== undefined) o.httpVersion = exp.httpVersion;
  if (exp.proto !== undefined) o.proto = exp.proto;
  if (exp.grpcStatus !== undefined) o.grpcStatus = exp.grpcStatus;
  if (exp.location !== undefined) o.location = normLocation(exp.location);
  if (exp.certName !== undefined) o.certName = expect.stringContaining(exp.certName);
  if (exp.headers) o.headers = Object.fromEntries(Object.entries(exp.headers).map(([h, m]) => [h, matcher(m)]));
  if (exp.responseHeaders) o.responseHeaders = Object.fromEntries(Object.entries(exp.responseHeaders).map(([h, m]) => [h, matcher(m)]));
  return o;
}

function merge(nginx: Answer, ours: Partial<Answer>): Answer {
  return {
    ...nginx, ...ours,
    ...(nginx.headers || ours.headers ? { headers: { ...nginx.headers, ...ours.headers } } : {}),
    ...(nginx.responseHeaders || ours.responseHeaders ? { responseHeaders: { ...nginx.responseHeaders, ...ours.responseHeaders } } : {}),
  };
}

function findingMatches(f: Finding, m: FindingMatch): boolean {
  if (f.id !== m.id) return false;
  if (m.annotation && f.subject.annotation !== PREFIX + m.annotation) return false;
  if (m.text && !f.message.includes(m.text)) return false;
  return true;
}

function describeFinding(m: FindingMatch): string {
  return `${m.id}${m.annotation ? ` on ${m.annotation}` : ''}${m.text ? ` saying "${m.text}"` : ''}`;
}

// ---------------------------------------------------------------- suite

function backendSpecs(): BackendSpec[] {
  const specs = new Map<string, BackendSpec>();
  for (const s of scenarios) {
    for (const svc of servicesOf(s)) {
      const name = `${svc.namespace}/${svc.name}`;
      const o = s.backends?.[name];
      const spec: BackendSpec = { name, proto: o?.proto ?? 'http', instances: o?.instances ?? 1 };
      const prev = specs.get(name);
      if (prev && (prev.proto !== spec.proto || prev.instances !== spec.instances)) {
        throw new Error(`backend ${name} is declared twice with different settings`);
      }
      specs.set(name, spec);
    }
  }
  return [...specs.values()];
}

const hosts = scenarios.map((s) => s.host);
if (new Set(hosts).size !== hosts.length) throw new Error('two scenarios share a host');

// Set by the suite's beforeAll, used by every scenario.
const shared: { proxy?: ContourEnvoy; target?: Target } = {};

describe.skipIf(harness.external)('traffic: converted Ingresses answer like ingress-nginx', () => {
  let proxy: ContourEnvoy | undefined;
  let backends: Backends | undefined;
  let pki: Pki | undefined;
  const clusterObjects: Obj[] = [];
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 10 }), https: undefined as https.Agent | undefined };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    const specs = backendSpecs();
    backends = await startBackends(specs, { log });
    timings.backendsMs = Date.now() - t0;
    const t1 = Date.now();
    proxy = await startContourEnvoy({ kubeconfig, log });
    timings.proxyMs = Date.now() - t1;
    pki = makePki();
    agents.https = new https.Agent({ keepAlive: true, maxSockets: 10 });
    shared.proxy = proxy;
    shared.target = { httpPort: proxy.httpPort, httpsPort: proxy.httpsPort, ca: pki.caCrt, timeoutMs: 15_000, agent: agents };

    // Namespaces, Services + EndpointSlices for every backend, TLS secrets: once for all scenarios.
    const namespaces = new Set<string>([ROOT_NAMESPACE]);
    const objects: Obj[] = [];
    for (const s of scenarios) {
      for (const svc of servicesOf(s)) {
        namespaces.add(svc.namespace);
        objects.push(...serviceObjects(svc, backends, `${svc.namespace}/${svc.name}`));
      }
      for (const sec of s.secrets ?? []) objects.push(pki.secret(sec.ns, sec.name, sec.hosts));
    }
    await apply([...namespaces].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })), k);
    await apply(objects, k);
    clusterObjects.push(...objects);
    timings.setupMs = Date.now() - t0;
    log(`setup: backends ${timings.backendsMs} ms, contour+envoy ${timings.proxyMs} ms, total ${timings.setupMs} ms `
      + `(contour ${proxy.contourVersion}, envoy ${proxy.envoyVersion})`);
  });

  afterAll(async () => {
    agents.http.destroy();
    agents.https?.destroy();
    printSummary(proxy ? { contour: proxy.contourVersion, envoy: proxy.envoyVersion } : undefined, timings);
    // Namespaces stay (without a controller manager they would hang in Terminating).
    await remove(clusterObjects, k).catch(() => {});
    await proxy?.stop();
    await backends?.stop();
    pki?.remove();
  });

  const ctx: Ctx = {
    get target(): Target {
      if (!shared.target) throw new Error('Contour/Envoy not started');
      return shared.target;
    },
    send: (r: Request) => {
      countRequest();
      return send(ctx.target, r);
    },
  };

  for (const s of scenarios) {
    describeScenario(s, ctx);
  }
});

function describeScenario(s: Scenario, ctx: Ctx): void {
  describe(`${s.id}: ${s.title}`, () => {
    let objects: Obj[] = [];
    let findings: Finding[] = [];
    let statuses = new Map<string, string>();
    let setupError: Error | undefined;

    beforeAll(async () => {
      const started = Date.now();
      const yaml = scenarioYaml(s);
      const res = convertYaml(yaml, { target: 'httpproxy', rootNamespace: ROOT_NAMESPACE });
      objects = res.objects as unknown as Obj[];
      findings = res.findings;
      try {
        await apply(objects, k);
        statuses = await waitValid(objects, k);
        const roots = objects.flatMap((o) => {
          const vh = (o.spec as { virtualhost?: { fqdn: string; tls?: unknown } } | undefined)?.virtualhost;
          return o.kind === 'HTTPProxy' && vh ? [{ fqdn: vh.fqdn, tls: !!vh.tls }] : [];
        });
        if (!shared.proxy) throw new Error('Contour/Envoy not started');
        await waitEnvoy(shared.proxy, roots);
      } catch (err) {
        setupError = err as Error;
      }
      log(`${s.id}: ${objects.length} objects applied and routed in ${Date.now() - started} ms`);
    });

    afterAll(async () => {
      await remove(objects, k).catch(() => {});
    });

    it('every generated HTTPProxy is valid and Envoy serves it', () => {
      record(s, 'HTTPProxy status valid', setupError ? 'fail' : 'pass', 'object');
      if (setupError) throw setupError;
      expect([...statuses.values()].every((v) => v === 'valid')).toBe(true);
    });

    it('the IngressRoute output is accepted by the apiserver (server-side dry-run)', async () => {
      const ir = convertYaml(scenarioYaml(s), { target: 'ingressroute', rootNamespace: ROOT_NAMESPACE });
      expect(ir.objects.length).toBeGreaterThan(0);
      try {
        await apply(ir.objects as unknown as Obj[], k, true);
        record(s, 'IngressRoute dry-run', 'pass', 'object');
      } catch (err) {
        record(s, 'IngressRoute dry-run', 'fail', 'object');
        throw err;
      }
    });

    for (const r of s.requests) {
      const label = `${r.req.scheme === 'https' ? 'https ' : ''}${r.name}${r.differs ? ` [known difference: ${r.differs.what}]` : ''}${r.bug ? ' [BUG]' : ''}`;
      const fn = async (): Promise<void> => {
        if (setupError) throw setupError;
        await runRequest(s, r, ctx, findings);
      };
      (r.bug ? it.fails : it)(label, wrap(s, r.name, r.differs ? 'known' : 'pass', !!r.bug, fn));
    }

    for (const c of s.checks ?? []) {
      const label = `${c.name}${c.differs ? ` [known difference: ${c.differs.what}]` : ''}${c.bug ? ' [BUG]' : ''}`;
      const fn = async (): Promise<void> => {
        if (setupError) throw setupError;
        if (c.differs) {
          const d = c.differs;
          expect(findings.some((f) => findingMatches(f, d.finding)), `expected finding ${describeFinding(d.finding)}`).toBe(true);
        }
        await c.run(ctx, s.host);
      };
      (c.bug ? it.fails : it)(label, wrap(s, c.name, c.differs ? 'known' : 'pass', !!c.bug, fn));
    }
  });
}

function wrap(s: Scenario, name: string, okOutcome: Outcome, bug: boolean, fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await fn();
      record(s, name, bug ? 'bug-fixed' : okOutcome);
    } catch (err) {
      record(s, name, bug ? 'bug' : 'fail');
      throw err;
    }
  };
}

function record(s: Scenario, name: string, outcome: Outcome, kind: 'object' | 'traffic' = 'traffic'): void {
  recordOutcome({ scenario: s.id, family: s.family, name, outcome, kind });
}

async function runRequest(s: Scenario, r: RequestCase, ctx: Ctx, findings: Finding[]): Promise<void> {
  const req: Request = { host: s.host, ...r.req };
  const res = await ctx.send(req);
  let exp = r.nginx;
  if (r.differs) {
    const d = r.differs;
    // The table must describe a real difference, and the tool must report it.
    for (const key of Object.keys(d.ours) as Array<keyof Answer>) {
      expect(JSON.stringify(d.ours[key]), `differs.ours.${key} equals nginx's answer`).not.toBe(JSON.stringify(r.nginx[key]));
    }
    expect(findings.some((f) => findingMatches(f, d.finding)),
      `expected finding ${describeFinding(d.finding)}; got:\n${findings.map((f) => `${f.id} ${f.subject.annotation ?? ''} ${f.message}`).join('\n')}`).toBe(true);
    exp = merge(r.nginx, d.ours);
  }
  const what = `${req.method ?? 'GET'} ${req.scheme ?? 'http'}://${req.host}${req.path}`;
  const reported = findings.map((f) => `  ${f.id} ${f.subject.ingresses.join(",")} ${f.subject.annotation ?? ''}: ${f.message}`).join('\n');
  expect(observed(res, exp), `${what}\nfindings of this scenario:\n${reported || '  (none)'}\n`).toEqual(expected(exp));
}
