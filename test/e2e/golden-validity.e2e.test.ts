// Every golden case's HTTPProxy output through a real apiserver and Contour: each case is
// applied on its own (cases reuse hosts and names) with the Services, Secrets and
// ExtensionServices it references, and every HTTPProxy must reach status `valid`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { convertYaml, type TestOptions } from '../support/convert.js';
import { startContourEnvoy, type ContourEnvoy } from './harness/contour.js';
import { apply, makePki, remove, waitValid, type Obj, type Pki } from './traffic/apply.js';

const kubeconfig = inject('kubeconfig');
const harness = inject('harness');
const k = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin, timeoutMs: 120_000 };
const CASES = path.resolve('test/golden/cases');
const ROOT_NAMESPACE = 'gv-roots';
const log = (m: string): void => {
  process.stderr.write(`[golden-validity] ${m}\n`);
};

type Spec = Record<string, unknown>;
const asList = (v: unknown): Spec[] => (Array.isArray(v) ? (v as Spec[]) : []);
const split = (ref: string, ns: string): [string, string] => (ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [ns, ref]);

/** The objects an HTTPProxy needs to exist so that only the conversion can make it invalid. */
function dependencies(proxies: Obj[], pki: Pki): Obj[] {
  const out = new Map<string, Obj>();
  const add = (o: Obj): void => {
    out.set(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, o);
  };
  const service = (ns: string, name: string, port: number): void => {
    const key = `Service ${ns}/${name}`;
    const existing = out.get(key);
    const ports = [...((existing?.spec as { ports?: Spec[] } | undefined)?.ports ?? [])];
    if (!ports.some((p) => p.port === port)) ports.push({ name: `p${port}`, port, protocol: 'TCP' });
    add({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports } });
  };
  const caSecret = (ref: string, ns: string): void => {
    const [sns, name] = split(ref, ns);
    add({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, namespace: sns }, data: { 'ca.crt': Buffer.from(pki.caCrt).toString('base64') } });
  };
  for (const p of proxies) {
    const ns = p.metadata.namespace as string;
    const spec = p.spec as Spec;
    const vh = spec.virtualhost as Spec | undefined;
    const tls = vh?.tls as Spec | undefined;
    if (typeof tls?.secretName === 'string') {
      const [sns, name] = split(tls.secretName, ns);
      add(pki.secret(sns, name, [vh!.fqdn as string]));
    }
    const cv = tls?.clientValidation as Spec | undefined;
    if (typeof cv?.caSecret === 'string') caSecret(cv.caSecret, ns);
    const ext = (vh?.authorization as Spec | undefined)?.extensionRef as Spec | undefined;
    if (ext) {
      const ens = (ext.namespace as string | undefined) ?? ns;
      service(ens, ext.name as string, 9001);
      add({
        apiVersion: 'projectcontour.io/v1alpha1',
        kind: 'ExtensionService',
        metadata: { name: ext.name as string, namespace: ens },
        spec: { protocol: 'h2c', services: [{ name: ext.name, port: 9001 }] },
      });
    }
    const routes = [...asList(spec.routes), ...(spec.tcpproxy ? [spec.tcpproxy as Spec] : [])];
    for (const r of routes) {
      for (const s of asList(r.services)) {
        service(ns, s.name as string, s.port as number);
        const v = s.validation as Spec | undefined;
        if (typeof v?.caSecret === 'string') caSecret(v.caSecret, ns);
      }
    }
  }
  return [...out.values()];
}

describe.skipIf(harness.external)('golden cases: every HTTPProxy the tool emits is valid in Contour', () => {
  let proxy: ContourEnvoy | undefined;
  let pki: Pki | undefined;

  beforeAll(async () => {
    proxy = await startContourEnvoy({ kubeconfig, log });
    pki = makePki();
  });

  afterAll(async () => {
    await proxy?.stop();
    pki?.remove();
  });

  for (const name of readdirSync(CASES).sort()) {
    const dir = path.join(CASES, name);
    it(name, async () => {
      const optionsFile = path.join(dir, 'options.json');
      // Without --contour-class: the Contour under test serves objects of no class only.
      const { description: _d, contourClass: _c, ...opts } = (existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {}) as TestOptions & { description?: string };
      const result = convertYaml(readFileSync(path.join(dir, 'input.yaml'), 'utf8'), { ...opts, rootNamespace: ROOT_NAMESPACE, target: 'httpproxy' });
      // Certificates (cert-manager.io) are checked against cert-manager's CRDs in cert-manager.e2e.test.ts.
      const objects = (result.objects as unknown as Obj[]).filter((o) => o.kind !== 'Certificate');
      const proxies = objects.filter((o) => o.kind === 'HTTPProxy');
      if (proxies.length === 0) return;
      const deps = dependencies(proxies, pki!);
      const namespaces = [...new Set([...objects, ...deps].map((o) => o.metadata.namespace as string))];
      await apply(
        namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })),
        k,
      );
      if (deps.length > 0) await apply(deps, k);
      await apply(objects, k);
      try {
        const statuses = await waitValid(objects, k, 30_000);
        expect([...statuses.values()].every((s) => s === 'valid')).toBe(true);
        log(`${name}: ${statuses.size} HTTPProxies valid`);
      } finally {
        await remove([...objects, ...deps], k);
      }
    });
  }
});
