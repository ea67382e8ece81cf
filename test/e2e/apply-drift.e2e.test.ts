// apply and diff decide "unchanged" from the list, without writing: proven against the
// apiserver's audit log (a cluster of its own started with an audit policy). Changes made
// behind the tool's back (another manager edits a route, a label removed, an object deleted)
// are detected and re-applied by the next run.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './harness/cluster.js';
import { installCrds } from './harness/crds.js';
import { kubectlOk, type KubectlOptions } from './harness/kubectl.js';
import { cli, ingressYaml, summaryRow } from './support/cli.js';

interface AuditEvent {
  stage: string;
  verb: string;
  userAgent?: string;
  requestURI: string;
  objectRef?: { resource?: string; namespace?: string; name?: string };
}

let cluster: Cluster;
let k: KubectlOptions;
let marker = 0;

beforeAll(async () => {
  cluster = await startCluster({ audit: true });
  k = { kubeconfig: cluster.kubeconfigPath, cacheDir: mkdtempSync(path.join(os.tmpdir(), 'i2c-kubectl-cache-')), context: 'admin' };
  await installCrds(cluster.kubeconfigPath, { cacheDir: k.cacheDir });
});
afterAll(async () => {
  await cluster?.stop();
});

const auditLines = (): string[] => readFileSync(cluster.auditLogPath!, 'utf8').split('\n').filter(Boolean);

/**
 * The requests ingress2contour made during `fn`, from the audit log. A marker request sent
 * after `fn` is awaited in the log, so every earlier event is written too.
 */
async function audited(fn: () => Promise<unknown>): Promise<AuditEvent[]> {
  const from = auditLines().length;
  await fn();
  const name = `audit-marker-${++marker}`;
  await kubectlOk(['get', 'namespace', name, '--ignore-not-found'], k);
  for (let i = 0; i < 500 && !auditLines().slice(from).some((l) => l.includes(name)); i++) await new Promise((r) => setTimeout(r, 20));
  return auditLines().slice(from).map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.stage === 'ResponseComplete' && e.userAgent === 'ingress2contour');
}

const isWrite = (e: AuditEvent): boolean => ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(e.verb)
  && !(e.objectRef?.resource ?? '').startsWith('selfsubject');
const isDryRun = (e: AuditEvent): boolean => e.requestURI.includes('dryRun=All');
const target = (e: AuditEvent): string => `${e.verb} ${e.objectRef?.resource}/${e.objectRef?.namespace}/${e.objectRef?.name}`;

describe('unchanged objects cost no write; drift is re-applied', () => {
  // 3 namespaces × 4 hosts: 12 children, 12 roots.
  const specs = Array.from({ length: 12 }, (_, i) => ({ namespace: `drift-${i % 3}`, name: `app-${i}`, host: `app-${i}.drift.example.com` }));
  const input = ingressYaml(specs);
  const args = (command: string, ...extra: string[]): string[] => [command, '-f', '-', '--root-namespace', 'drift-roots', ...extra];
  const run = (command: string, ...extra: string[]) => cli(args(command, ...extra), { kubeconfig: cluster.kubeconfigPath, stdin: input });

  beforeAll(async () => {
    const namespaces = ['drift-0', 'drift-1', 'drift-2', 'drift-roots'];
    await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], { ...k, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) }) });
  });

  it('creates with one write per object, then an unchanged apply and diff write nothing', async () => {
    let created!: Awaited<ReturnType<typeof run>>;
    const createEvents = await audited(async () => (created = await run('apply')));
    expect(created.code, created.stderr).toBe(0);
    expect(summaryRow(created.stderr, 'total')).toEqual({ created: 24, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
    expect(createEvents.filter(isWrite)).toHaveLength(24);
    // One rules review per namespace, not one access review per verb and kind.
    expect(createEvents.filter((e) => e.objectRef?.resource === 'selfsubjectrulesreviews')).toHaveLength(4);
    expect(createEvents.filter((e) => e.objectRef?.resource === 'selfsubjectaccessreviews')).toHaveLength(0);

    let again!: Awaited<ReturnType<typeof run>>;
    const againEvents = await audited(async () => (again = await run('apply')));
    expect(again.code, again.stderr).toBe(0);
    expect(summaryRow(again.stderr, 'total')).toEqual({ created: 0, configured: 0, unchanged: 24, pruned: 0, failed: 0 });
    expect(againEvents.length).toBeGreaterThan(0); // the log did record this run
    expect(againEvents.filter(isWrite).map(target)).toEqual([]);
    // Nothing to write, so no access review either.
    expect(againEvents.filter((e) => (e.objectRef?.resource ?? '').startsWith('selfsubject'))).toEqual([]);

    let diff!: Awaited<ReturnType<typeof run>>;
    const diffEvents = await audited(async () => (diff = await run('diff')));
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toBe('');
    expect(diffEvents.filter(isWrite).map(target)).toEqual([]);
  });

  it('detects a route edited by another manager, a label removed and an object deleted; re-applies exactly those', async () => {
    // Another manager (kubectl patch, an Update) changes the port of a child's route.
    const child = JSON.parse(await kubectlOk(['get', 'httpproxy', 'app-0.drift.example.com', '-n', 'drift-0', '-o', 'json'], k)) as { spec: { routes: { services: { port: number }[] }[] } };
    const routes = child.spec.routes.map((r) => ({ ...r, services: r.services.map((s) => ({ ...s, port: 8080 })) }));
    await kubectlOk(['patch', 'httpproxy', 'app-0.drift.example.com', '-n', 'drift-0', '--type=merge', '-p', JSON.stringify({ spec: { routes } })], k);
    await kubectlOk(['label', 'httpproxy', 'app-1.drift.example.com', '-n', 'drift-1', 'app.kubernetes.io/managed-by-'], k);
    await kubectlOk(['delete', 'httpproxy', 'app-2.drift.example.com', '-n', 'drift-2'], k);

    let diff!: Awaited<ReturnType<typeof run>>;
    const diffEvents = await audited(async () => (diff = await run('diff')));
    // The edited route now belongs to the other manager: the dry-run apply conflicts (exit 5, as
    // apply would), and the conflict names the manager.
    expect(diff.code, diff.stderr).toBe(5);
    expect(diff.stderr).toContain('error: HTTPProxy drift-0/app-0.drift.example.com: conflict: field manager "kubectl-patch" owns .spec.routes');
    expect(diff.stdout).toContain('HTTPProxy drift-2/app-2.drift.example.com (new)');
    expect(diff.stdout).toMatch(/^\+\s+app\.kubernetes\.io\/managed-by: ingress2contour$/m);
    // Only the three differing objects were dry-run applied; diff persists nothing.
    expect(diffEvents.filter(isWrite).every(isDryRun)).toBe(true);
    expect(diffEvents.filter(isWrite).map(target).sort()).toEqual([
      'patch httpproxies/drift-0/app-0.drift.example.com',
      'patch httpproxies/drift-1/app-1.drift.example.com',
      'patch httpproxies/drift-2/app-2.drift.example.com',
    ]);

    // The route now belongs to the other manager: apply names it (a conflict, as before) and
    // re-applies the other two.
    let apply!: Awaited<ReturnType<typeof run>>;
    const applyEvents = await audited(async () => (apply = await run('apply')));
    expect(apply.code).toBe(5);
    expect(summaryRow(apply.stderr, 'total')).toEqual({ created: 1, configured: 1, unchanged: 21, pruned: 0, failed: 1 });
    expect(apply.stderr).toContain('error: HTTPProxy drift-0/app-0.drift.example.com: conflict: field manager "kubectl-patch" owns .spec.routes (--force-conflicts takes them over)');
    expect(applyEvents.filter(isWrite).map(target).sort()).toEqual([
      'patch httpproxies/drift-0/app-0.drift.example.com',
      'patch httpproxies/drift-1/app-1.drift.example.com',
      'patch httpproxies/drift-2/app-2.drift.example.com',
    ]);

    let forced!: Awaited<ReturnType<typeof run>>;
    const forcedEvents = await audited(async () => (forced = await run('apply', '--force-conflicts')));
    expect(forced.code, forced.stderr).toBe(0);
    expect(summaryRow(forced.stderr, 'total')).toEqual({ created: 0, configured: 1, unchanged: 23, pruned: 0, failed: 0 });
    expect(forcedEvents.filter(isWrite).map(target)).toEqual(['patch httpproxies/drift-0/app-0.drift.example.com']);

    const restored = JSON.parse(await kubectlOk(['get', 'httpproxies', '-A', '-l', 'app.kubernetes.io/managed-by=ingress2contour', '-o', 'json'], k)) as { items: { spec: { routes?: { services: { port: number }[] }[] } }[] };
    expect(restored.items).toHaveLength(24);
    expect(restored.items.flatMap((o) => (o.spec.routes ?? []).flatMap((r) => r.services.map((s) => s.port)))).not.toContain(8080);

    let steady!: Awaited<ReturnType<typeof run>>;
    const steadyEvents = await audited(async () => (steady = await run('apply')));
    expect(summaryRow(steady.stderr, 'total')).toEqual({ created: 0, configured: 0, unchanged: 24, pruned: 0, failed: 0 });
    expect(steadyEvents.filter(isWrite)).toEqual([]);
  });

  it('diff --prune shows what apply --prune would delete', async () => {
    const fewer = ingressYaml(specs.slice(0, 11));
    const diff = await cli(args('diff', '--prune'), { kubeconfig: cluster.kubeconfigPath, stdin: fewer });
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toContain('HTTPProxy drift-2/app-11.drift.example.com (pruned)\n--- live/HTTPProxy/drift-2/app-11.drift.example.com\n+++ /dev/null\n');
    expect(diff.stdout).toContain('HTTPProxy drift-roots/app-11.drift.example.com (pruned)');
    const plain = await cli(args('diff'), { kubeconfig: cluster.kubeconfigPath, stdin: fewer });
    expect(plain.code).toBe(0);
  });
});
