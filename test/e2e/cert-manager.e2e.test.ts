// Every Certificate the tool emits (all golden cases, both targets) is accepted by a real
// kube-apiserver that serves the published cert-manager CRDs (cert-manager v1.21.2, from its Go
// module: never copied into the repository), with strict field validation; a Certificate with a
// field the schema refuses is rejected (the check is not vacuous).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { convertYaml, type TestOptions } from '../support/convert.js';
import { downloadCertManagerCrdDir } from '../support/cert-manager-crds.js';
import { kubectl, kubectlOk } from './harness/kubectl.js';
import type { Obj } from './traffic/apply.js';
import { cli } from './support/cli.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
const CASES = path.resolve('test/golden/cases');
const CRD_FILES = ['cert-manager.io_certificates.yaml', 'cert-manager.io_issuers.yaml', 'cert-manager.io_clusterissuers.yaml'];

/** Server-side dry run with strict field validation: schema errors and unknown fields both fail. */
const dryRun = (objects: Obj[]) =>
  kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=ingress2contour-e2e', '-f', '-'], {
    ...k,
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });

function certificates(): Map<string, Obj[]> {
  const out = new Map<string, Obj[]>();
  for (const name of readdirSync(CASES).sort()) {
    const dir = path.join(CASES, name);
    const optionsFile = path.join(dir, 'options.json');
    const { description: _d, ...opts } = (existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}) as TestOptions & { description?: string };
    for (const target of ['httpproxy', 'ingressroute'] as const) {
      const certs = convertYaml(readFileSync(path.join(dir, 'input.yaml'), 'utf8'), { ...opts, target }).objects.filter((o) => o.kind === 'Certificate') as unknown as Obj[];
      if (certs.length > 0) out.set(`${name} (${target})`, certs);
    }
  }
  return out;
}

describe('cert-manager Certificates against the published CRD schema', () => {
  const byCase = certificates();

  beforeAll(async () => {
    const dir = downloadCertManagerCrdDir();
    const crds = CRD_FILES.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n---\n');
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=ingress2contour-e2e', '-f', '-'], { ...k, input: crds });
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd/certificates.cert-manager.io'], k);
    const namespaces = [...new Set([...byCase.values()].flat().map((o) => o.metadata.namespace as string))];
    await kubectlOk(['apply', '--server-side', '--field-manager=ingress2contour-e2e', '-f', '-'], {
      ...k,
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })) }),
    });
    // Discovery lags Established: wait until the kind is served before dry runs rely on it.
    for (let i = 0; i < 100; i++) {
      if ((await kubectl(['get', 'certificates.cert-manager.io', '-A'], k)).code === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('the golden cases emit Certificates (not vacuous)', () => {
    expect([...byCase.keys()]).toEqual(expect.arrayContaining(['cert-manager (httpproxy)', 'cert-manager (ingressroute)']));
    expect(byCase.get('cert-manager (httpproxy)')?.length).toBeGreaterThanOrEqual(3);
  });

  for (const [name, certs] of byCase) {
    it(`${name}: ${certs.length} Certificate(s) accepted`, async () => {
      const r = await dryRun(certs);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.match(/certificate\.cert-manager\.io\/\S+ serverside-applied/g)).toHaveLength(certs.length);
    });
  }

  it.each([
    ['an unknown usage', { usages: ['serverauth'] }, 'usages'],
    ['an unknown key algorithm', { privateKey: { algorithm: 'rsa' } }, 'algorithm'],
    ['an unknown field', { renewBeforeDays: 30 }, 'renewBeforeDays'],
  ])('a Certificate with %s is rejected', async (_what, field, named) => {
    const [first] = byCase.get('cert-manager (httpproxy)') ?? [];
    const bad = { ...first!, spec: { ...(first!.spec as Record<string, unknown>), ...field } } as Obj;
    const r = await dryRun([bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(named);
  });

  it('apply writes the Certificates with the routes; a second apply leaves them unchanged and diff sees nothing', async () => {
    const input = readFileSync(path.join(CASES, 'cert-manager', 'input.yaml'), 'utf8');
    const common = ['-f', '-', '--target', 'httpproxy', '--root-namespace', 'cm-roots', '--create-namespaces'];
    const a1 = await cli(['apply', ...common], { stdin: input });
    // The routes share hosts with other files' golden cases: leave none behind for the next Contour.
    onTestFinished(async () => {
      const written = await cli(['convert', '-f', '-', '--target', 'httpproxy', '--root-namespace', 'cm-roots'], { stdin: input });
      await kubectl(['delete', '-f', '-', '--ignore-not-found', '--wait=false'], { ...k, input: written.stdout });
    });
    expect(a1.code, a1.stderr).toBe(0);
    const live = JSON.parse(await kubectlOk(['get', 'certificates.cert-manager.io', '-A', '-o', 'json'], k)) as { items: Obj[] };
    const names = live.items.map((o) => `${o.metadata.namespace as string}/${o.metadata.name}`).sort();
    expect(names).toEqual(['corp/intranet-tls', 'shop/shop-tls', 'shop/static-tls']);
    const a2 = await cli(['apply', ...common], { stdin: input });
    expect(a2.code, a2.stderr).toBe(0);
    expect(a2.stderr).toMatch(/unchanged/);
    const d = await cli(['diff', ...common.filter((a) => a !== '--create-namespaces')], { stdin: input });
    expect(d.stdout).toBe('');
    expect(d.code).toBe(0);
  });
});
