// Faults that need a cluster of their own: CRDs missing (never installed, then deleted; the
// shared harness cluster keeps its own), and the apiserver killed in the middle of an apply.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/cluster/client.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { startCluster, type Cluster } from './harness/cluster.js';
import { installCrds } from './harness/crds.js';
import { kubectl, kubectlOk, type KubectlOptions } from './harness/kubectl.js';
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
  const waitGone = async (gv: string): Promise<void> => {
    // CRD finalization can take a while on a loaded machine: poll discovery for up to 90 s.
    for (let i = 0; i < 900; i++) {
      if ((await kubectl(['get', '--raw', `/apis/${gv}`], k)).code !== 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${gv} still served`);
  };

  it('the target follows what the cluster serves; a missing CRD stops before anything is written', async () => {
    const none = await cli(['apply', '-f', '-'], { kubeconfig: cluster.kubeconfigPath, stdin: ingressYaml(specs) });
    expect(none.code).toBe(5);
    expect(none.stderr).toBe('error: missing CRDs: the cluster serves neither httpproxies.projectcontour.io nor ingressroutes.contour.heptio.com; install Contour\'s CRDs first');
    await installCrds(cluster.kubeconfigPath, { cacheDir: k.cacheDir });
    await kubectlOk(['create', 'namespace', 'crd-a'], k);
    await kubectlOk(['create', 'namespace', 'projectcontour'], k);
    await kubectlOk(['delete', 'crd', '--wait=false', 'httpproxies.projectcontour.io', 'tlscertificatedelegations.projectcontour.io', 'extensionservices.projectcontour.io'], k);
    await waitGone('projectcontour.io/v1');
    const c = { kubeconfig: cluster.kubeconfigPath, stdin: ingressYaml(specs) };

    const forced = await cli(['apply', '-f', '-', '--target', 'httpproxy'], c);
    expect(forced.code).toBe(5);
    expect(forced.stderr).toBe('error: the cluster does not serve httpproxies.projectcontour.io (CRD missing); it serves ingressroutes.contour.heptio.com (--target ingressroute)');

    const follows = await cli(['apply', '-f', '-'], c);
    expect(follows.code, follows.stderr).toBe(0);
    expect(follows.stderr).toContain('target: ingressroute (the cluster serves ingressroutes.contour.heptio.com but not httpproxies.projectcontour.io)');
    expect(summaryRow(follows.stderr, 'total')).toMatchObject({ created: 2, failed: 0 });

    await kubectlOk(['delete', 'crd', '--wait=false', 'ingressroutes.contour.heptio.com', 'tlscertificatedelegations.contour.heptio.com'], k);
    await waitGone('contour.heptio.com/v1beta1');
    for (const command of ['apply', 'diff', 'prune']) {
      const r = await cli([command, '-f', '-'], c);
      expect(r.code).toBe(5);
      expect(r.stderr).toBe('error: missing CRDs: the cluster serves neither httpproxies.projectcontour.io nor ingressroutes.contour.heptio.com; install Contour\'s CRDs first');
    }
  });
});

describe('the apiserver killed in the middle of an apply', () => {
  // 60 namespaces × 10 hosts: 600 children and 600 roots.
  const specs = Array.from({ length: 600 }, (_, i) => ({ namespace: `kill-${Math.floor(i / 10)}`, name: `app-${i % 10}`, host: `app-${i}.kill.example.com` }));
  const args = ['apply', '-f', '-', '--root-namespace', 'kill-roots', '--create-namespaces'];

  // The CRDs test before this one deleted them (deleting a CRD with 1,200 objects takes minutes).
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
