// Real requests through real Contour and Envoy and through a real ingress-nginx (the oracle):
// each scenario's Ingresses are applied as they are (ingress-nginx serves them) and converted
// with the tool (Contour serves the output); the same request goes to both, real nginx's answer
// is the expectation, the hand-written answer a cross-check. Each request ends as: same, a
// difference the tool's findings name, or a difference nobody named (fails).
import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Finding } from '../../../src/model/findings.js';
import { convertYaml } from '../../support/convert.js';
import { startContourEnvoy, type ContourEnvoy } from '../harness/contour.js';
import { installContourConfigurationCrd } from '../harness/crds.js';
import { ingressNginxMissing, nginxVersion, readIngressNginxVersions, startIngressNginx, type IngressNginx } from '../harness/ingress-nginx.js';
import { controllerOf } from './controller.js';
import { startBackends, type BackendSpec, type Backends } from '../harness/netns.js';
import { apply, makePki, remove, serviceObjects, waitEnvoy, waitValid, type Obj, type Pki } from './apply.js';
import { send, type Request, type Target } from './client.js';
import { answerOf, describeResponse, expected, merge, mismatch, observed, type StackPorts } from './compare.js';
import type { Answer, CheckCase, Ctx, FindingMatch, RequestCase, Scenario } from './model.js';
import { ingressObject, PREFIX, scenarioYaml, servicesOf } from './model.js';
import { openDefect } from './open-defects.js';
import { scenarios } from './scenarios.js';
import { countRequest, printSummary, recordNote, recordOutcome, type Outcome } from './summary.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
// Roots go to a namespace of this suite: other test files expect `projectcontour` to be absent.
const ROOT_NAMESPACE = 'tr-roots';
const log = (m: string): void => {
  process.stderr.write(`[traffic] ${m}\n`);
};
// The oracle is required unless explicitly turned off (then the hand-written answers are the
// expectation, as before the oracle existed); a missing oracle must not pass silently.
const ORACLE_OFF = process.env.INGRESS2CONTOUR_E2E_ORACLE === 'off';
// INGRESS2CONTOUR_E2E_DEFAULTS=cluster: convert with --defaults cluster and start Contour from the
// ContourConfiguration the conversion emits (--contour-config-name); the answers must not change.
const DEFAULTS: 'route' | 'cluster' = process.env.INGRESS2CONTOUR_E2E_DEFAULTS === 'cluster' ? 'cluster' : 'route';
const CONTOUR_CONFIG = { namespace: 'tr-contour', name: 'contour' };
const convertOptions = { target: 'httpproxy' as const, rootNamespace: ROOT_NAMESPACE, defaults: DEFAULTS, contourConfigRef: CONTOUR_CONFIG };

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
const shared: { proxy?: ContourEnvoy; target?: Target; nginx?: IngressNginx; oracleTarget?: Target } = {};

function portsOf(t: Target): StackPorts {
  return { httpPort: t.httpPort, httpsPort: t.httpsPort };
}

describe.skipIf(harness.external)(`traffic: converted Ingresses answer like ingress-nginx (--defaults ${DEFAULTS})`, () => {
  let proxy: ContourEnvoy | undefined;
  let nginx: IngressNginx | undefined;
  let oracleVersion: string | undefined;
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
    if (DEFAULTS === 'cluster') {
      // The configuration does not depend on the Ingresses (only on the controller settings).
      const cc = convertYaml(scenarioYaml(scenarios[0]!), convertOptions).contourConfiguration?.object;
      if (!cc) throw new Error('--defaults cluster emitted no ContourConfiguration');
      await installContourConfigurationCrd(kubeconfig, { cacheDir: harness.kubectlCacheDir });
      proxy = await startContourEnvoy({ kubeconfig, log, contourConfiguration: { object: cc as unknown as Record<string, unknown>, cacheDir: harness.kubectlCacheDir } });
    } else proxy = await startContourEnvoy({ kubeconfig, log });
    timings.proxyMs = Date.now() - t1;
    if (!ORACLE_OFF) {
      const missing = ingressNginxMissing();
      if (missing.length > 0) {
        throw new Error(
          `the ingress-nginx oracle is missing (${missing.join('; ')}); run test/e2e/harness/prepare.sh, ` + 'or set INGRESS2CONTOUR_E2E_ORACLE=off to compare with the hand-written answers only',
        );
      }
      const t2 = Date.now();
      nginx = await startIngressNginx({ kubeconfig, log });
      timings.oracleMs = Date.now() - t2;
      oracleVersion = `${readIngressNginxVersions().release} (nginx ${nginxVersion()})`;
    }
    pki = makePki();
    agents.https = new https.Agent({ keepAlive: true, maxSockets: 10 });
    shared.proxy = proxy;
    shared.target = { httpPort: proxy.httpPort, httpsPort: proxy.httpsPort, ca: pki.caCrt, timeoutMs: 15_000, agent: agents };
    if (nginx) {
      shared.nginx = nginx;
      // No keep-alive: after a reload, old nginx workers would answer on kept connections.
      shared.oracleTarget = { httpPort: nginx.httpPort, httpsPort: nginx.httpsPort, ca: pki.caCrt, timeoutMs: 15_000 };
    }

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
    await apply(
      [...namespaces].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })),
      k,
    );
    await apply(objects, k);
    clusterObjects.push(...objects);
    timings.setupMs = Date.now() - t0;
    log(
      `setup: backends ${timings.backendsMs} ms, contour+envoy ${timings.proxyMs} ms, ` +
        `${nginx ? `ingress-nginx ${timings.oracleMs} ms, ` : 'no oracle, '}total ${timings.setupMs} ms ` +
        `(contour ${proxy.contourVersion}, envoy ${proxy.envoyVersion}${oracleVersion ? `, ingress-nginx ${oracleVersion}` : ''})`,
    );
  });

  afterAll(async () => {
    agents.http.destroy();
    agents.https?.destroy();
    printSummary(proxy ? { contour: proxy.contourVersion, envoy: proxy.envoyVersion, ...(oracleVersion ? { oracle: oracleVersion } : {}) } : undefined, timings);
    // Namespaces stay (without a controller manager they would hang in Terminating).
    await remove(clusterObjects, k).catch(() => {});
    await nginx?.stop();
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

  // Requests to real ingress-nginx; undefined when the oracle is off.
  const oracle = (): Ctx | undefined => {
    const t = shared.oracleTarget;
    if (!t) return undefined;
    return {
      target: t,
      send: async (r: Request) => {
        countRequest();
        try {
          return await send(t, r);
        } catch (err) {
          // A reset connection is no answer (an old worker closing after a reload): ask once more.
          if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw new Error(`real nginx: ${(err as Error).message}`);
          countRequest();
          return send(t, r).catch((again: Error) => {
            throw new Error(`real nginx: ${again.message}`);
          });
        }
      },
    };
  };

  for (const s of scenarios) {
    describeScenario(s, ctx, oracle);
  }
});

function describeScenario(s: Scenario, ctx: Ctx, sharedOracle: () => Ctx | undefined): void {
  describe(`${s.id}: ${s.title}`, () => {
    // A scenario with controller flags gets a controller of its own (flags need a restart).
    let own: IngressNginx | undefined;
    const oracle = (): Ctx | undefined => {
      if (!s.nginxArgs) return sharedOracle();
      if (!own) return undefined;
      const t: Target = { httpPort: own.httpPort, httpsPort: own.httpsPort, ca: shared.oracleTarget?.ca ?? '', timeoutMs: 15_000 };
      return {
        target: t,
        send: (r: Request) => {
          countRequest();
          return send(t, r);
        },
      };
    };
    let objects: Obj[] = [];
    let ingresses: Obj[] = [];
    let findings: Finding[] = [];
    let statuses = new Map<string, string>();
    let setupError: Error | undefined;

    beforeAll(async () => {
      const started = Date.now();
      const yaml = scenarioYaml(s);
      const res = convertYaml(yaml, { ...convertOptions, ...s.convert, ...controllerOf(s) });
      objects = res.objects as unknown as Obj[];
      findings = res.findings;
      try {
        // The Ingresses as they are, for ingress-nginx (Contour ignores class nginx), and our output.
        if (shared.nginx) ingresses = s.ingresses.map((i) => ingressObject(i) as Obj);
        await apply([...ingresses, ...objects], k);
        statuses = await waitValid(objects, k);
        const roots = objects.flatMap((o) => {
          const vh = (o.spec as { virtualhost?: { fqdn: string; tls?: { secretName?: string } } } | undefined)?.virtualhost;
          // A passthrough host has no HTTPS route configuration in Envoy (its TLS goes to a TCP proxy).
          return o.kind === 'HTTPProxy' && vh ? [{ fqdn: vh.fqdn, tls: !!vh.tls?.secretName }] : [];
        });
        if (!shared.proxy) throw new Error('Contour/Envoy not started');
        await waitEnvoy(shared.proxy, roots);
        if (shared.nginx && s.nginxArgs) {
          own = await startIngressNginx({ kubeconfig, log, args: s.nginxArgs, ...(s.nginxConfig ? { config: s.nginxConfig } : {}) });
          await own.waitForSync();
        } else if (shared.nginx) {
          if (s.nginxConfig) await shared.nginx.setConfig(s.nginxConfig);
          else await shared.nginx.waitForSync();
        }
      } catch (err) {
        setupError = err as Error;
      }
      log(`${s.id}: ${objects.length} objects applied and routed in ${Date.now() - started} ms`);
    });

    afterAll(async () => {
      await remove([...ingresses, ...objects], k).catch(() => {});
      await own?.stop();
      if (s.nginxConfig && !s.nginxArgs) await shared.nginx?.setConfig({});
    });

    it('every generated HTTPProxy is valid and Envoy serves it', () => {
      record(s, 'HTTPProxy status valid', setupError ? 'fail' : 'pass', 'object');
      if (setupError) throw setupError;
      expect([...statuses.values()].every((v) => v === 'valid')).toBe(true);
      // The mode is real: with --defaults cluster every object says so and no route repeats the idle timeout Contour now holds.
      if (DEFAULTS === 'cluster') {
        for (const o of objects) expect((o.metadata.annotations as Record<string, string> | undefined)?.['ingress2contour/defaults'], `${o.kind} ${o.metadata.name}`).toBe('cluster');
        const idles = objects.flatMap((o) => ((o.spec as { routes?: { timeoutPolicy?: { idle?: string } }[] }).routes ?? []).map((r) => r.timeoutPolicy?.idle));
        expect(idles.filter((i) => i === '60s')).toEqual([]);
      }
    });

    it('the IngressRoute output is accepted by the apiserver (server-side dry-run)', async () => {
      const ir = convertYaml(scenarioYaml(s), { ...s.convert, target: 'ingressroute', rootNamespace: ROOT_NAMESPACE, ...controllerOf(s) });
      if (ir.objects.length === 0) {
        // A host IngressRoute cannot express safely (access control, redirects) is left out, and the tool says so.
        const withheld = ir.findings.some((f) => (f.id === 'security.host-withheld' || f.id === 'route.empty-host') && (f.subject.host === s.host || f.message.includes(s.host)));
        expect(withheld, `no IngressRoute output and no security.host-withheld / route.empty-host finding for ${s.host}:\n` + findingsText(ir.findings)).toBe(true);
        record(s, 'IngressRoute output withheld (named)', 'pass', 'object');
        return;
      }
      try {
        await apply(ir.objects as unknown as Obj[], k, true);
        record(s, 'IngressRoute dry-run', 'pass', 'object');
      } catch (err) {
        record(s, 'IngressRoute dry-run', 'fail', 'object');
        throw err;
      }
    });

    for (const r of s.requests) {
      const defect = openDefect(s.id, r.name);
      const bug = r.bug ?? defect?.defect;
      const label = `${r.req.scheme === 'https' ? 'https ' : ''}${r.name}${r.differs ? ` [named difference: ${r.differs.what}]` : ''}${bug ? ' [OPEN DEFECT]' : ''}`;
      const fn = async (): Promise<Outcome> => {
        if (setupError) throw setupError;
        return runRequest(s, r, ctx, oracle(), findings);
      };
      (bug ? it.fails : it)(label, wrap(s, r.name, !!bug, fn));
    }

    for (const c of s.checks ?? []) {
      const defect = openDefect(s.id, c.name);
      const bug = c.bug ?? defect?.defect;
      const label = `${c.name}${c.differs ? ` [named difference: ${c.differs.what}]` : ''}${bug ? ' [OPEN DEFECT]' : ''}`;
      const fn = async (): Promise<Outcome> => {
        if (setupError) throw setupError;
        return runCheck(s, c, ctx, oracle(), findings);
      };
      (bug ? it.fails : it)(label, wrap(s, c.name, !!bug, fn));
    }
  });
}

function wrap(s: Scenario, name: string, bug: boolean, fn: () => Promise<Outcome>): () => Promise<void> {
  return async () => {
    try {
      const outcome = await fn();
      record(s, name, bug ? 'bug-fixed' : outcome);
    } catch (err) {
      record(s, name, bug ? 'bug' : 'fail');
      throw err;
    }
  };
}

function record(s: Scenario, name: string, outcome: Outcome, kind: 'object' | 'traffic' = 'traffic'): void {
  recordOutcome({ scenario: s.id, family: s.family, name, outcome, kind });
}

function findingsText(findings: Finding[]): string {
  return findings.map((f) => `  ${f.id} ${f.subject.ingresses.join(',')} ${f.subject.annotation ?? ''}: ${f.message}`).join('\n') || '  (none)';
}

/**
 * Sends the request to real nginx (when the oracle runs) and to Envoy. Real nginx's answer is
 * the expectation; where it disagrees with the hand-written one, a note says so. A `differs`
 * entry must be named by a finding; where real nginx answers as ours does, a note says the
 * named difference is not real.
 */
async function runRequest(s: Scenario, r: RequestCase, ctx: Ctx, oracle: Ctx | undefined, findings: Finding[]): Promise<Outcome> {
  const req: Request = { host: s.host, ...r.req };
  const what = `${req.method ?? 'GET'} ${req.scheme ?? 'http'}://${req.host}${req.path}`;
  let base: Answer = r.nginx;
  let nginxLine = '(hand-written)';
  if (oracle && r.oracleGap) {
    recordNote({ scenario: s.id, name: r.name, kind: 'uncovered', text: r.oracleGap });
  } else if (oracle) {
    const resN = await oracle.send(req);
    const ports = portsOf(oracle.target);
    nginxLine = describeResponse(resN, ports);
    const off = mismatch(resN, r.nginx, ports);
    if (off) recordNote({ scenario: s.id, name: r.name, kind: 'hand-written', text: `real nginx: ${nginxLine}; differs from the hand-written answer in ${off}` });
    base = answerOf(resN, r.nginx, ports);
  }
  let exp = base;
  let outcome: Outcome = 'pass';
  if (r.differs) {
    const d = r.differs;
    expect(
      findings.some((f) => findingMatches(f, d.finding)),
      `expected finding ${describeFinding(d.finding)}; got:\n${findingsText(findings)}`,
    ).toBe(true);
    const real = (Object.keys(d.ours) as Array<keyof Answer>).some((key) => JSON.stringify(d.ours[key]) !== JSON.stringify(base[key]));
    if (oracle && !r.oracleGap && !real) {
      recordNote({ scenario: s.id, name: r.name, kind: 'no-difference', text: `${d.what}: real nginx answers ${nginxLine} too` });
    } else {
      // Without the oracle, the table must describe a real difference from the hand-written answer.
      for (const key of Object.keys(d.ours) as Array<keyof Answer>) {
        if (!oracle) expect(JSON.stringify(d.ours[key]), `differs.ours.${key} equals nginx's answer`).not.toBe(JSON.stringify(r.nginx[key]));
      }
      outcome = 'known';
    }
    exp = merge(base, d.ours);
  }
  const res = await ctx.send(req);
  const envoyPorts = portsOf(ctx.target);
  expect(observed(res, exp, envoyPorts), `${what}\nreal nginx: ${nginxLine}\nours: ${describeResponse(res, envoyPorts)}\nfindings of this scenario:\n${findingsText(findings)}\n`).toEqual(
    expected(exp),
  );
  return outcome;
}

async function passes(fn: () => Promise<void>): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? 'failed';
  }
}

/**
 * A check asserts nginx's behaviour (or, with `differs`, ours). Against real nginx a plain check
 * must pass (else a note: the hand-written understanding is wrong) and a `differs` check must
 * fail (else a note: the named difference is not real); against Envoy it must pass.
 */
async function runCheck(s: Scenario, c: CheckCase, ctx: Ctx, oracle: Ctx | undefined, findings: Finding[]): Promise<Outcome> {
  let outcome: Outcome = c.differs ? 'known' : 'pass';
  if (c.differs) {
    const d = c.differs;
    expect(
      findings.some((f) => findingMatches(f, d.finding)),
      `expected finding ${describeFinding(d.finding)}`,
    ).toBe(true);
  }
  let nginxFailure: string | undefined;
  if (oracle && c.oracleGap) {
    recordNote({ scenario: s.id, name: c.name, kind: 'uncovered', text: c.oracleGap });
  } else if (oracle) {
    nginxFailure = await passes(() => c.run(oracle, s.host));
    if (!c.differs && nginxFailure) {
      recordNote({ scenario: s.id, name: c.name, kind: 'hand-written', text: `real nginx fails the check (${c.nginx}): ${nginxFailure}` });
    }
    if (c.differs && !nginxFailure) {
      recordNote({ scenario: s.id, name: c.name, kind: 'no-difference', text: `${c.differs.what}: real nginx passes ours too` });
      outcome = 'pass';
    }
  }
  await c.run(ctx, s.host);
  // Ours passes a check real nginx fails: they behave differently, and nothing names it.
  if (!c.differs && nginxFailure) throw new Error(`unnamed difference: Envoy passes "${c.name}", real nginx does not (${nginxFailure})`);
  return outcome;
}
