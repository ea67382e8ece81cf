// Faults that need a cluster of their own: CRDs missing (none installed, then only IngressRoute's;
// the shared harness cluster keeps its own), and the apiserver killed in the middle of an apply.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/cluster/client.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { startCluster, type Cluster } from './harness/cluster.js';
import { installCrds, LEGACY_CRDS } from './harness/crds.js';
import { kubectlOk, type KubectlOptions } from './harness/kubectl.js';
import { cli, credentialsOf, expectNoCredentials, ingressYaml, summaryRow } from './support/cli.js';

let cluster: Cluster;
let k: KubectlOptions;

beforeAll(async () => {
  cluster = await startCluster();
  k = { kubeconfig: cluster.kubeconfigPath, cacheDir: mkdtempSync(path.join(os.tmpdir(), 'i2c-kubectl-cache-')), context: 'admin' };
});
afterAll(async () => {
  await cluster?.stop();
});

describe('missing CRDs', () => {
  const specs = [{ namespace: 'crd-a', name: 'web', host: 'web.crd.example.com' }];

  // CRDs are only ever added here: deleting one waits on its finalizer, which took minutes on a loaded machine.
  it('a cluster without Contour CRDs: every writing command stops before anything is written', async () => {
    const c = { kubeconfig: cluster.kubeconfigPath, stdin: ingressYaml(specs) };
    for (const command of ['apply', 'diff', 'prune']) {
      const r = await cli([command, '-f', '-'], c);
      expect(r.code).toBe(5);
      expect(r.stderr).toBe("error: missing CRDs: the cluster serves neither httpproxies.projectcontour.io nor ingressroutes.contour.heptio.com; install Contour's CRDs first");
    }
  });

  it('a cluster serving only IngressRoute: the target follows it; asking for HTTPProxy is refused', async () => {
    await installCrds(cluster.kubeconfigPath, { cacheDir: k.cacheDir, only: LEGACY_CRDS });
    await kubectlOk(['create', 'namespace', 'crd-a'], k);
    await kubectlOk(['create', 'namespace', 'projectcontour'], k);
    const c = { kubeconfig: cluster.kubeconfigPath, stdin: ingressYaml(specs) };

    const forced = await cli(['apply', '-f', '-', '--target', 'httpproxy'], c);
    expect(forced.code).toBe(5);
    expect(forced.stderr).toBe('error: the cluster does not serve httpproxies.projectcontour.io (CRD missing); it serves ingressroutes.contour.heptio.com (--target ingressroute)');

    const follows = await cli(['apply', '-f', '-'], c);
    expect(follows.code, follows.stderr).toBe(0);
    expect(follows.stderr).toContain('target: ingressroute (the cluster serves ingressroutes.contour.heptio.com but not httpproxies.projectcontour.io)');
    expect(summaryRow(follows.stderr, 'total')).toMatchObject({ created: 2, failed: 0 });

    // convert reads without writing: it follows the cluster too.
    await kubectlOk(['apply', '-f', '-'], { ...k, input: ingressYaml(specs) });
    const converted = await cli(['convert', '-n', 'crd-a'], { kubeconfig: cluster.kubeconfigPath });
    expect(converted.stderr).toContain('target: ingressroute');
    expect(converted.stdout).toContain('kind: IngressRoute');
  });
});

describe('the apiserver killed in the middle of an apply', () => {
  // 60 namespaces × 10 hosts: 600 children and 600 roots.
  const specs = Array.from({ length: 600 }, (_, i) => ({ namespace: `kill-${Math.floor(i / 10)}`, name: `app-${i % 10}`, host: `app-${i}.kill.example.com` }));
  const args = ['apply', '-f', '-', '--root-namespace', 'kill-roots', '--create-namespaces'];

  // The cluster serves only IngressRoute so far: add HTTPProxy.
  beforeAll(async () => {
    await installCrds(cluster.kubeconfigPath, { cacheDir: k.cacheDir });
  });

  it('fails clearly; after a restart a re-run converges with nothing lost or duplicated', async () => {
    const run = () => cli(args, { kubeconfig: cluster.kubeconfigPath, stdin: ingressYaml(specs) });
    const watcher = new KubeClient(loadKubeConfig({ kubeconfig: cluster.kubeconfigPath, context: 'admin' }), { retries: 0 });
    const first = run();
    let seen = 0;
    for (let i = 0; i < 2000 && seen < 100; i++) {
      seen = (await watcher.listAll('/apis/projectcontour.io/v1/httpproxies').catch(() => [])).length;
      if (seen < 100) await new Promise((r) => setTimeout(r, 20));
    }
    await cluster.killApiserver();
    watcher.close();
    const r = await first;
    expect(seen).toBeGreaterThanOrEqual(100);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^error: cannot reach the apiserver https:\/\/127\.0\.0\.1:\d+ \(context "admin"\): (connection refused|connection reset \(the apiserver went away mid-request\))$/m);
    const stopped = /^stopped: applied (\d+) of 1200 object\(s\); (\d+) not done\. Objects written so far stay; re-run when the apiserver is back to converge$/m.exec(r.stderr);
    expect(stopped, r.stderr.split('\n').slice(-5).join('\n')).not.toBeNull();
    const applied = Number(stopped![1]);
    expect(applied).toBeGreaterThan(0);
    expect(applied + Number(stopped![2])).toBe(1200);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expectNoCredentials(r, credentialsOf(cluster.kubeconfigPath));

    await cluster.startApiserver();
    const second = await run();
    expect(second.code, second.stderr.split('\n').slice(-5).join('\n')).toBe(0);
    const totals = summaryRow(second.stderr, 'total')!;
    expect(totals.failed).toBe(0);
    expect(totals.created + totals.unchanged + totals.configured).toBe(1200);
    expect(totals.created).toBeLessThanOrEqual(1200 - applied);
    const third = await run();
    expect(summaryRow(third.stderr, 'total')).toEqual({ created: 0, configured: 0, unchanged: 1200, pruned: 0, failed: 0 });
    const all = JSON.parse(await kubectlOk(['get', 'httpproxies', '-A', '-o', 'json'], k)) as { items: unknown[] };
    expect(all.items).toHaveLength(1200);
  });
});
