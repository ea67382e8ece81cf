// vitest globalSetup for the e2e project: starts etcd + kube-apiserver (or uses an opted-in
// external kubeconfig), installs the Contour CRDs, and provides the kubeconfig to tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { TestProject } from 'vitest/node';
import { binariesPresent, binaryPaths, harnessDir, startCluster, type Cluster, type Contexts } from './cluster.js';
import { installCrds } from './crds.js';
import type { HarnessInfo } from './provided.js';

const CONTEXTS: Contexts = { admin: 'admin', reader: 'reader', nobody: 'nobody' };

function log(msg: string): void {
  process.stderr.write(`[e2e harness] ${msg}\n`);
}

function canonical(p: string): string {
  const abs = path.resolve(p.replace(/^~(?=$|\/)/, os.homedir()));
  return existsSync(abs) ? realpathSync(abs) : abs;
}

/** Refuses the user's own kubeconfig unless explicitly acknowledged. */
function checkExternalKubeconfig(file: string): { kubeconfig: string; server: string } {
  const target = canonical(file);
  const defaults = [path.join(os.homedir(), '.kube', 'config'), ...(process.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean)].map(canonical);
  if (defaults.includes(target) && process.env.INGRESS2CONTOUR_E2E_I_KNOW !== '1') {
    throw new Error(
      `INGRESS2CONTOUR_E2E_KUBECONFIG=${file} is your default kubeconfig (~/.kube/config or $KUBECONFIG). ` +
        'The e2e tests create namespaces, RBAC and CRDs; set INGRESS2CONTOUR_E2E_I_KNOW=1 if you really mean it.',
    );
  }
  if (!existsSync(target)) throw new Error(`INGRESS2CONTOUR_E2E_KUBECONFIG=${file} does not exist`);
  const cfg = yaml.load(readFileSync(target, 'utf8')) as {
    contexts?: Array<{ name: string }>;
    clusters?: Array<{ cluster?: { server?: string } }>;
  };
  const names = new Set((cfg.contexts ?? []).map((c) => c.name));
  const missing = Object.values(CONTEXTS).filter((c) => !names.has(c));
  if (missing.length > 0) {
    throw new Error(`${file} lacks the contexts the tests use: ${missing.join(', ')} (see test/e2e/harness/cluster.ts)`);
  }
  return { kubeconfig: target, server: cfg.clusters?.[0]?.cluster?.server ?? '' };
}

function runPrepare(): Promise<void> {
  const script = path.join(harnessDir, 'prepare.sh');
  log(`etcd/kube-apiserver not cached; running ${path.relative(process.cwd(), script)} (cold: about 5 min on 2 cores)`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prepare.sh exited with ${code}`))));
  });
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const external = process.env.INGRESS2CONTOUR_E2E_KUBECONFIG;

  if (external) {
    const started = Date.now();
    const { kubeconfig, server } = checkExternalKubeconfig(external);
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'i2c-kubectl-cache-'));
    try {
      const crds = await installCrds(kubeconfig, { cacheDir });
      const info: HarnessInfo = {
        external: true,
        server,
        contexts: CONTEXTS,
        kubectlCacheDir: cacheDir,
        crdSource: crds.origin,
        crds: crds.crds.map((c) => c.metadata.name),
        startupMs: Date.now() - started,
      };
      log(`using external kubeconfig ${kubeconfig}`);
      provide('kubeconfig', kubeconfig);
      provide('harness', info);
    } catch (err) {
      rmSync(cacheDir, { recursive: true, force: true });
      throw err;
    }
    return async () => rmSync(cacheDir, { recursive: true, force: true });
  }

  if (!binariesPresent(binaryPaths())) await runPrepare();

  const clusterStart = Date.now();
  const cluster: Cluster = await startCluster({ log });
  try {
    const clusterMs = Date.now() - clusterStart;
    const cacheDir = path.join(cluster.dir, 'kubectl-cache');
    const crds = await installCrds(cluster.kubeconfigPath, { cacheDir });
    const info: HarnessInfo = {
      external: false,
      server: cluster.server,
      contexts: cluster.contexts,
      kubectlCacheDir: cacheDir,
      kubeVersion: cluster.kubeVersion,
      etcdVersion: cluster.etcdVersion,
      crdSource: crds.origin,
      crds: crds.crds.map((c) => c.metadata.name),
      startupMs: Date.now() - clusterStart,
    };
    log(`cluster up in ${clusterMs} ms, ${info.crds.length} CRDs (${crds.origin}) installed; total ${info.startupMs} ms`);
    provide('kubeconfig', cluster.kubeconfigPath);
    provide('harness', info);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return () => cluster.stop();
}
