// Differential fuzzing: generated Ingress sets go to real ingress-nginx as they are and to Contour
// + Envoy as converted by the tool; requests derived from them go to both. A difference a finding
// names is counted; one nobody names fails its case and is printed as a reproducer (the Ingresses
// of the request's host as YAML, the request, both answers). `npm run test:e2e` runs a fixed
// small seed set; `npm run fuzz:traffic -- --seed N --cases N` runs more.
import http from 'node:http';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Finding } from '../../../src/model/findings.js';
import { convertYaml } from '../../support/convert.js';
import { startContourEnvoy, type ContourEnvoy } from '../harness/contour.js';
import { IngressNginxRejected, ingressNginxMissing, startIngressNginx, type IngressNginx } from '../harness/ingress-nginx.js';
import { startBackends, type Backends } from '../harness/netns.js';
import { apply, makePki, remove, serviceObjects, waitEnvoy, waitValid, type Obj, type Pki } from '../traffic/apply.js';
import { send, type Request, type Target } from '../traffic/client.js';
import { ingressObject } from '../traffic/model.js';
import { fuzzDefect } from '../traffic/open-defects.js';
import { kubectlOk } from '../harness/kubectl.js';
import { classify, namingFinding, seen, type DiffClass, type Seen } from './classify.js';
import { FUZZ_NAMESPACES, FUZZ_SERVICES, FUZZ_TLS_SECRET, generateCase, type FuzzCase } from './generate.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
const ROOT_NAMESPACE = 'fz-roots';
const LABEL = 'ingress2contour-fuzz';
const SEED = Number(process.env.INGRESS2CONTOUR_FUZZ_SEED ?? 1);
const CASES = Number(process.env.INGRESS2CONTOUR_FUZZ_CASES ?? 6);
const log = (m: string): void => {
  process.stderr.write(`[fuzz] ${m}\n`);
};
const missing = harness.external ? ['an external cluster'] : ingressNginxMissing();
if (missing.length > 0 && process.env.INGRESS2CONTOUR_E2E_ORACLE !== 'off') {
  throw new Error(`the ingress-nginx oracle is missing (${missing.join('; ')}); run test/e2e/harness/prepare.sh`);
}

interface Difference {
  caseId: string;
  cls: DiffClass | 'invalid-output';
  request: Request;
  nginx?: Seen;
  ours?: Seen;
  finding?: string;
  findingMessage?: string;
  /** The open defect (traffic/open-defects.ts) this unnamed difference is an instance of. */
  defect?: string;
  reproducer: string;
}

const stats = { cases: 0, ingresses: 0, requests: 0, same: 0 };
// Inputs real nginx refuses to load (its admission webhook would refuse them too): not compared.
const rejected: Array<{ caseId: string; error: string }> = [];
const differences: Difference[] = [];

function reproducer(c: FuzzCase, host: string, req: Request | undefined, nginx?: Seen, ours?: Seen, extra = ''): string {
  const objs = c.ingresses.filter((i) => i.host === host).map((i) => yaml.dump(ingressObject(i), { lineWidth: 200 }));
  return [
    `# fuzz case ${c.id} (seed ${c.seed}, index ${c.index}); Ingresses of ${host}, in creation order`,
    objs.join('---\n').trimEnd(),
    ...(req ? [`# request: ${req.method ?? 'GET'} ${req.scheme ?? 'http'}://${req.host}${req.path}${req.headers ? ` ${JSON.stringify(req.headers)}` : ''}`] : []),
    ...(nginx ? [`# nginx: ${JSON.stringify(nginx)}`] : []),
    ...(ours ? [`# ours:  ${JSON.stringify(ours)}`] : []),
    ...(extra ? [`# ${extra}`] : []),
  ].join('\n');
}

describe.skipIf(missing.length > 0)(`fuzz: seed ${SEED}, ${CASES} cases, real ingress-nginx vs converted output`, () => {
  let proxy: ContourEnvoy | undefined;
  let nginx: IngressNginx | undefined;
  let backends: Backends | undefined;
  let pki: Pki | undefined;
  let envoyTarget: Target;
  let nginxTarget: Target;
  const base: Obj[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });

  beforeAll(async () => {
    const names = FUZZ_NAMESPACES.flatMap((ns) => FUZZ_SERVICES.map((s) => `${ns}/${s}`));
    backends = await startBackends(
      names.map((name) => ({ name, proto: 'http' as const, instances: 1 })),
      { log },
    );
    proxy = await startContourEnvoy({ kubeconfig, log });
    nginx = await startIngressNginx({ kubeconfig, log });
    pki = makePki();
    envoyTarget = { httpPort: proxy.httpPort, httpsPort: proxy.httpsPort, ca: pki.caCrt, timeoutMs: 15_000, agent: { http: agent } };
    nginxTarget = { httpPort: nginx.httpPort, httpsPort: nginx.httpsPort, ca: pki.caCrt, timeoutMs: 15_000 };
    await apply(
      [ROOT_NAMESPACE, ...FUZZ_NAMESPACES].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })),
      k,
    );
    for (const ns of FUZZ_NAMESPACES) {
      for (const s of FUZZ_SERVICES) base.push(...serviceObjects({ namespace: ns, name: s, port: 80 }, backends, `${ns}/${s}`));
      base.push(pki.secret(ns, FUZZ_TLS_SECRET, ['*.fuzz.test']));
    }
    await apply(base, k);
  });

  afterAll(async () => {
    agent.destroy();
    printFuzzSummary();
    await remove(base, k).catch(() => undefined);
    await nginx?.stop();
    await proxy?.stop();
    await backends?.stop();
    pki?.remove();
  });

  for (let index = 0; index < CASES; index++) {
    const c = generateCase(SEED, index);
    it(`case ${c.id}: ${c.ingresses.length} Ingresses on ${c.hosts.length} host(s), ${c.requests.length} requests`, async () => {
      if (!nginx || !proxy) throw new Error('stacks not started');
      stats.cases++;
      stats.ingresses += c.ingresses.length;
      const ingresses = c.ingresses.map((i) => {
        const o = ingressObject(i) as Obj;
        o.metadata.labels = { [LABEL]: c.id };
        return o;
      });
      let converted: Obj[] = [];
      const found: Difference[] = [];
      try {
        // Ages matter for duplicates: create them apart (creationTimestamp has 1 s resolution).
        if (c.needsAges) {
          for (const o of ingresses) {
            await apply([o], k);
            await new Promise((r) => setTimeout(r, 1_100));
          }
        } else {
          await apply(ingresses, k);
        }
        // Convert what the cluster holds (with its creationTimestamps), as a user would.
        const listed = await kubectlOk(['get', 'ingresses.networking.k8s.io', '-A', '-l', `${LABEL}=${c.id}`, '-o', 'json'], k);
        const res = convertYaml(listed, { target: 'httpproxy', rootNamespace: ROOT_NAMESPACE });
        converted = res.objects as unknown as Obj[];
        const findings: Finding[] = res.findings;
        try {
          await apply(converted, k);
          await waitValid(converted, k);
          const roots = converted.flatMap((o) => {
            const vh = (o.spec as { virtualhost?: { fqdn: string; tls?: unknown } } | undefined)?.virtualhost;
            return o.kind === 'HTTPProxy' && vh ? [{ fqdn: vh.fqdn, tls: !!vh.tls }] : [];
          });
          await waitEnvoy(proxy, roots);
        } catch (err) {
          found.push({
            caseId: c.id,
            cls: 'invalid-output',
            request: { host: c.hosts[0] ?? '', path: '/' },
            reproducer: reproducer(c, c.hosts[0] ?? '', undefined, undefined, undefined, `output not served: ${(err as Error).message.split('\n')[0]}`),
          });
          throw err;
        }
        try {
          await nginx.waitForSync();
        } catch (err) {
          if (!(err instanceof IngressNginxRejected)) throw err;
          rejected.push({ caseId: c.id, error: err.nginxError });
          log(`case ${c.id}: real nginx rejects this Ingress set (${err.nginxError}); not compared`);
          return;
        }
        for (const req of c.requests) {
          stats.requests++;
          const rn = await send(nginxTarget, { ...req, fresh: true }).catch((err: NodeJS.ErrnoException) => {
            // A reset connection is no answer (an old worker closing after a reload): ask once more.
            if (err.code !== 'ECONNRESET') throw err;
            return send(nginxTarget, { ...req, fresh: true });
          });
          const re = await send(envoyTarget, req);
          const a = seen(rn, nginxTarget);
          const b = seen(re, envoyTarget);
          const cls = classify(a, b);
          if (!cls) {
            stats.same++;
            continue;
          }
          const f = namingFinding(cls, req.host, req.path, findings, c.ingresses, { nginx: a, ours: b }, req.headers?.['X-Canary'] !== undefined);
          const hostPaths = c.ingresses.filter((i) => i.host === req.host).flatMap((i) => i.paths.map(([p, t]) => `${p} ${t}`));
          const defect = f ? undefined : fuzzDefect({ cls, method: req.method ?? 'GET', path: req.path, nginx: a, ours: b, hostPaths });
          found.push({
            caseId: c.id,
            cls,
            request: req,
            nginx: a,
            ours: b,
            ...(f ? { finding: f.id, findingMessage: `${f.subject.annotation ?? ''} ${f.message}`.trim() } : {}),
            ...(defect ? { defect: `${defect.scenario}: ${defect.request}` } : {}),
            reproducer: reproducer(c, req.host, req, a, b, f ? `named by ${f.id}: ${f.message}` : 'named by no finding'),
          });
        }
      } finally {
        differences.push(...found);
        await remove([...ingresses, ...converted], k).catch(() => undefined);
        if (rejected.some((r) => r.caseId === c.id)) {
          // Back to a configuration nginx loads before the next case (a sync already under way
          // may still render the refused set once).
          await nginx.waitForSync().catch((err: unknown) => {
            if (!(err instanceof IngressNginxRejected)) throw err;
            return nginx?.waitForSync();
          });
        }
      }
      const unnamed = found.filter((d) => !d.finding && !d.defect);
      for (const d of unnamed) process.stdout.write(`\nUNNAMED DIFFERENCE (${d.cls})\n${d.reproducer}\n`);
      expect(unnamed.map((d) => `${d.cls}: ${d.request.scheme ?? 'http'}://${d.request.host}${d.request.path}`)).toEqual([]);
    });
  }
});

function printFuzzSummary(): void {
  const classes = [...new Set(differences.map((d) => d.cls))].sort();
  const lines = [
    `fuzz summary: seed ${SEED}, ${stats.cases} cases, ${stats.ingresses} Ingresses, ${stats.requests} requests; ` +
      `${stats.same} same, ${differences.length} differences; ${rejected.length} case(s) real nginx refused to load` +
      `${rejected.length ? ` (${rejected.map((r) => `${r.caseId}: ${r.error}`).join('; ')})` : ''}`,
    ...classes.map((cls) => {
      const ds = differences.filter((d) => d.cls === cls);
      const named = ds.filter((d) => d.finding);
      const open = ds.filter((d) => d.defect);
      const by = [...new Set(named.map((d) => d.finding))].join(', ');
      return `  ${cls.padEnd(18)} ${String(ds.length).padStart(4)}: named ${named.length}${by ? ` (${by})` : ''}, ` + `open defect ${open.length}, unnamed ${ds.length - named.length - open.length}`;
    }),
  ];
  // One example per class and naming finding, so a reader can judge each naming.
  const examples = new Map<string, Difference>();
  for (const d of differences) {
    const key = `${d.cls} ${d.finding ?? d.defect ?? 'UNNAMED'}`;
    if (!examples.has(key)) examples.set(key, d);
  }
  if (examples.size > 0) lines.push('examples (class, named by: request → nginx | ours):');
  for (const [key, d] of [...examples].sort(([a], [b]) => a.localeCompare(b))) {
    const r = d.request;
    lines.push(
      `  ${key}: ${r.scheme ?? 'http'}://${r.host}${r.path}${r.headers ? ` ${JSON.stringify(r.headers)}` : ''} → ` +
        `${JSON.stringify(d.nginx)} | ${JSON.stringify(d.ours)}${d.findingMessage ? `\n      finding: ${d.findingMessage.slice(0, 200)}` : ''}`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}
