// diff / apply / prune against the shared harness cluster. Every describe block uses its own
// namespaces (namespaces never go away: the harness runs no controller-manager).
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureNamespaces, ensureRbac, getObjects, ingressYaml, k, kubectl, kubectlOk, summaryRow, type IngressSpec } from './support/cli.js';

type Obj = Record<string, unknown>;
const names = (objs: Obj[]): string[] => objs.map((o) => `${(o.metadata as { namespace: string }).namespace}/${(o.metadata as { name: string }).name}`).sort();

/** Three namespaces sharing shared.<suffix> (each its own path), each with a host of its own too. */
function teams(prefix: string): IngressSpec[] {
  return [1, 2, 3].flatMap((i) => [
    { namespace: `${prefix}-${i}`, name: 'shared', host: `shared.${prefix}.example.com`, path: `/team${i}` },
    { namespace: `${prefix}-${i}`, name: 'own', host: `own${i}.${prefix}.example.com` },
  ]);
}

describe('diff and apply', () => {
  const input = ingressYaml(teams('batch'));
  const common = ['-f', '-', '--root-namespace', 'batch-roots'];

  beforeAll(async () => {
    await ensureNamespaces(['batch-1', 'batch-2', 'batch-3', 'batch-roots']);
  });

  it('diff exits 1 for new objects, apply creates, then diff exits 0 and re-apply is unchanged', async () => {
    const d1 = await cli(['diff', ...common], { stdin: input });
    expect(d1.stderr).toContain('target: httpproxy (the cluster serves httpproxies.projectcontour.io)');
    expect(d1.code).toBe(1);
    expect(d1.stdout).toContain('HTTPProxy batch-roots/shared.batch.example.com (new)\n--- /dev/null\n');
    expect(d1.stdout).toMatch(/^\+  namespace: batch-1$/m);
    expect(d1.stdout).not.toContain('\x1b['); // no colours off a terminal
    expect(d1.stderr).toMatch(/10 of 10 object\(s\) differ \(10 new, 0 changed\)/);

    const a1 = await cli(['apply', ...common], { stdin: input });
    expect(a1.code, a1.stderr).toBe(0);
    expect(summaryRow(a1.stderr, 'batch-1')).toEqual({ created: 2, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
    expect(summaryRow(a1.stderr, 'batch-roots')).toEqual({ created: 4, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
    expect(summaryRow(a1.stderr, 'total')).toEqual({ created: 10, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
    expect(a1.stderr).toMatch(/^applied 10 of 10 object\(s\)$/m);
    const roots = await getObjects('httpproxies', 'batch-roots');
    const shared = roots.find((o) => (o.metadata as { name: string }).name === 'shared.batch.example.com')!;
    expect((shared.spec as { includes: { namespace: string }[] }).includes.map((i) => i.namespace)).toEqual(['batch-1', 'batch-2', 'batch-3']);
    const managers = ((shared.metadata as { managedFields: { manager: string; operation: string }[] }).managedFields).map((m) => `${m.manager}/${m.operation}`);
    expect(managers).toEqual(['ingress2contour/Apply']);

    const d2 = await cli(['diff', ...common], { stdin: input });
    expect(d2.code).toBe(0);
    expect(d2.stdout).toBe('');
    const a2 = await cli(['apply', ...common], { stdin: input });
    expect(a2.code).toBe(0);
    expect(summaryRow(a2.stderr, 'total')).toEqual({ created: 0, configured: 0, unchanged: 10, pruned: 0, failed: 0 });

    // A changed path: diff shows the change in the child, apply configures exactly that.
    const changed = input.replace('path: /team2', 'path: /team2-v2');
    const d3 = await cli(['diff', ...common], { stdin: changed });
    expect(d3.code).toBe(1);
    expect(d3.stdout).toMatch(/^HTTPProxy batch-roots\/shared\.batch\.example\.com\n--- live\/HTTPProxy\/batch-roots\/shared\.batch\.example\.com\n\+\+\+ /m);
    expect(d3.stdout).toMatch(/^-\s+- prefix: \/team2$/m);
    expect(d3.stdout).toMatch(/^\+\s+- prefix: \/team2-v2$/m);
    const a3 = await cli(['apply', ...common], { stdin: changed });
    expect(a3.code).toBe(0);
    expect(summaryRow(a3.stderr, 'total')).toMatchObject({ created: 0, configured: 1, unchanged: 9 });
    await cli(['apply', ...common], { stdin: input });
  });

  it('colours the diff on a terminal unless --no-color', async () => {
    const changed = input.replace('path: /team3', 'path: /team3-x');
    const { run } = await import('../../src/cli/main.js');
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => {}, stderrIsTty: false, stdoutIsTty: true, exitCode: 0, readStdin: async () => changed };
    expect(await run(['diff', ...common, '--kubeconfig', k.kubeconfig], io)).toBe(1);
    expect(out).toContain('\x1b[31m-');
    expect(out).toContain('\x1b[32m+');
    out = '';
    expect(await run(['diff', ...common, '--no-color', '--kubeconfig', k.kubeconfig], { ...io, exitCode: 0 })).toBe(1);
    expect(out).not.toContain('\x1b[');
  });

  it('shows a progress line on a terminal and plain lines otherwise', async () => {
    const { run } = await import('../../src/cli/main.js');
    const progress: string[] = [];
    const lines: string[] = [];
    const io = { stdout: () => {}, stderr: (l: string) => { lines.push(l); }, progress: (t: string) => { progress.push(t); }, stderrIsTty: true, exitCode: 0, readStdin: async () => input };
    expect(await run(['apply', ...common, '--kubeconfig', k.kubeconfig], io)).toBe(0);
    expect(progress.some((l) => /^children: 6\/6 \(\d+ objects\/s\)$/.test(l))).toBe(true);
    expect(progress.some((l) => /^roots: 4\/4 \(\d+ objects\/s\)$/.test(l))).toBe(true);
    expect(progress.at(-1)).toBe(''); // cleared before the summary
    expect(lines.some((l) => l.startsWith('children:'))).toBe(false);
    const plain = await cli(['apply', ...common], { stdin: input });
    expect(plain.stderr).toMatch(/^children: 6 done \(\d+ objects\/s\)$/m);
    expect(plain.stderr).toMatch(/^roots: 4 done \(\d+ objects\/s\)$/m);
  });

  it('--dry-run=server and --dry-run=client write nothing', async () => {
    await ensureNamespaces(['dry-1', 'dry-2', 'dry-3', 'dry-roots']);
    const dry = ingressYaml(teams('dry'));
    for (const mode of ['server', 'client']) {
      const r = await cli(['apply', '-f', '-', '--root-namespace', 'dry-roots', `--dry-run=${mode}`], { stdin: dry });
      expect(r.code, r.stderr).toBe(0);
      expect(summaryRow(r.stderr, 'total')).toEqual({ created: 10, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
      expect(r.stderr).toContain(`(dry run: ${mode}; nothing was written)`);
    }
    for (const ns of ['dry-1', 'dry-2', 'dry-3', 'dry-roots']) expect(await getObjects('httpproxies', ns)).toEqual([]);
  });

  it('emits IngressRoute with --target ingressroute', async () => {
    await ensureNamespaces(['ir-1', 'ir-2', 'ir-3', 'ir-roots']);
    const ir = ingressYaml(teams('ir'));
    const r = await cli(['apply', '-f', '-', '--root-namespace', 'ir-roots', '--target', 'ingressroute'], { stdin: ir });
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stderr, 'total')).toMatchObject({ created: 10, failed: 0 });
    const roots = await getObjects('ingressroutes.contour.heptio.com', 'ir-roots');
    expect(names(roots)).toEqual(['ir-roots/own1.ir.example.com', 'ir-roots/own2.ir.example.com', 'ir-roots/own3.ir.example.com', 'ir-roots/shared.ir.example.com']);
    const again = await cli(['diff', '-f', '-', '--root-namespace', 'ir-roots', '--target', 'ingressroute'], { stdin: ir });
    expect(again.code).toBe(0);
  });

  it('a namespace that does not exist is reported; the others converge; --create-namespaces creates it', async () => {
    await ensureNamespaces(['ghost-roots', 'ghost-ok']);
    const specs = [
      { namespace: 'ghost-ok', name: 'a', host: 'a.ghost.example.com' },
      { namespace: 'ghost-missing', name: 'b', host: 'b.ghost.example.com' },
    ];
    const r = await cli(['apply', '-f', '-', '--root-namespace', 'ghost-roots'], { stdin: ingressYaml(specs) });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('error: namespace "ghost-missing" does not exist (--create-namespaces creates it)');
    expect(summaryRow(r.stderr, 'ghost-ok')).toMatchObject({ created: 1, failed: 0 });
    expect(summaryRow(r.stderr, 'ghost-missing')).toMatchObject({ created: 0, failed: 1 });
    // The root of b would include a child that does not exist: it is held back.
    expect(summaryRow(r.stderr, 'ghost-roots')).toMatchObject({ created: 1, failed: 1 });
    expect(r.stderr).toContain('error: HTTPProxy ghost-roots/b.ghost.example.com: not applied: it references HTTPProxy ghost-missing/b.ghost.example.com, which could not be applied');
    expect(names(await getObjects('httpproxies', 'ghost-roots'))).toEqual(['ghost-roots/a.ghost.example.com']);

    for (const mode of ['server', 'client']) {
      const dry = await cli(['apply', '-f', '-', '--root-namespace', 'ghost-roots', '--create-namespaces', `--dry-run=${mode}`], { stdin: ingressYaml(specs) });
      expect(dry.code, dry.stderr).toBe(0);
      expect(summaryRow(dry.stderr, 'ghost-missing')).toMatchObject({ created: 1, failed: 0 });
      expect((await kubectl(['get', 'namespace', 'ghost-missing'], k)).code).not.toBe(0);
    }
    const fixed = await cli(['apply', '-f', '-', '--root-namespace', 'ghost-roots', '--create-namespaces'], { stdin: ingressYaml(specs) });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(summaryRow(fixed.stderr, 'total')).toMatchObject({ created: 2, unchanged: 2, failed: 0 });
  });
});

describe('RBAC: the reader may write in team-a only', () => {
  beforeAll(ensureRbac);

  it('converges team-a, reports team-b, exits non-zero', async () => {
    const specs = [
      { namespace: 'team-a', name: 'app', host: 'app.team-a.example.com' },
      { namespace: 'team-b', name: 'app', host: 'app.team-b.example.com' },
    ];
    // app-namespace layout: each host's root in its own namespace (the reader may not write projectcontour).
    const args = ['apply', '-f', '-', '--layout', 'app-namespace', '--context', 'reader'];
    const r = await cli(args, { stdin: ingressYaml(specs) });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('error: namespace "team-b" skipped: the user of context "reader" may not create httpproxies.projectcontour.io, patch httpproxies.projectcontour.io there');
    expect(summaryRow(r.stderr, 'team-a')).toMatchObject({ created: 1, failed: 0 });
    expect(summaryRow(r.stderr, 'team-b')).toMatchObject({ created: 0, failed: 1 });
    expect(names(await getObjects('httpproxies', 'team-a'))).toEqual(['team-a/app.team-a.example.com']);
    expect(await getObjects('httpproxies', 'team-b')).toEqual([]);
    const again = await cli(args, { stdin: ingressYaml(specs) });
    expect(summaryRow(again.stderr, 'team-a')).toMatchObject({ unchanged: 1, failed: 0 });
  });
});

describe('field manager conflicts', () => {
  const specs = [{ namespace: 'conflict-a', name: 'web', host: 'web.conflict.example.com' }];
  const args = ['apply', '-f', '-', '--root-namespace', 'conflict-roots'];

  it('names the other manager and field; --force-conflicts takes it over', async () => {
    await ensureNamespaces(['conflict-a', 'conflict-roots']);
    expect((await cli(args, { stdin: ingressYaml(specs) })).code).toBe(0);
    // Another manager takes the routes of the child over.
    const child = (await getObjects('httpproxies', 'conflict-a'))[0]!;
    const theirs = { apiVersion: 'projectcontour.io/v1', kind: 'HTTPProxy', metadata: { name: (child.metadata as { name: string }).name, namespace: 'conflict-a' },
      spec: { routes: [{ services: [{ name: 'someone-else', port: 8080 }] }] } };
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=platform-team', '-f', '-'], { ...k, input: JSON.stringify(theirs) });

    const r = await cli(args, { stdin: ingressYaml(specs) });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('error: HTTPProxy conflict-a/web.conflict.example.com: conflict: field manager "platform-team" owns .spec.routes (--force-conflicts takes them over)');
    expect(summaryRow(r.stderr, 'conflict-roots')).toMatchObject({ unchanged: 1, failed: 0 });

    const d = await cli(['diff', '-f', '-', '--root-namespace', 'conflict-roots'], { stdin: ingressYaml(specs) });
    expect(d.code).toBe(5);
    expect(d.stderr).toContain('conflict: field manager "platform-team" owns .spec.routes');

    const forced = await cli([...args, '--force-conflicts'], { stdin: ingressYaml(specs) });
    expect(forced.code, forced.stderr).toBe(0);
    expect(summaryRow(forced.stderr, 'conflict-a')).toMatchObject({ configured: 1, failed: 0 });
    const after = (await getObjects('httpproxies', 'conflict-a'))[0]!;
    expect(JSON.stringify(after.spec)).toContain('"name":"web"');
    expect((await cli(args, { stdin: ingressYaml(specs) })).code).toBe(0);
  });
});

describe('prune', () => {
  const src = [
    { namespace: 'prune-a', name: 'one', host: 'one.prune.example.com', labels: { 'i2c-e2e': 'prune' } },
    { namespace: 'prune-a', name: 'two', host: 'two.prune.example.com', labels: { 'i2c-e2e': 'prune' } },
    { namespace: 'prune-b', name: 'three', host: 'three.prune.example.com', labels: { 'i2c-e2e': 'prune' } },
  ];
  const roots = ['--root-namespace', 'prune-roots'];
  const ingressVersions = async (): Promise<string[]> => (await getObjects('ingresses', '-A', 'i2c-e2e=prune')).map((o) => `${names([o])[0]}@${(o.metadata as { resourceVersion: string }).resourceVersion}`).sort();

  it('removes what the input no longer produces, only in its scope, never an Ingress', async () => {
    await ensureNamespaces(['prune-a', 'prune-b', 'prune-roots']);
    await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], { ...k, input: ingressYaml(src) });
    expect((await cli(['apply', '-n', 'prune-a', ...roots])).code).toBe(0);
    expect((await cli(['apply', '-n', 'prune-b', ...roots])).code).toBe(0);
    expect(names(await getObjects('httpproxies', 'prune-roots'))).toEqual(['prune-roots/one.prune.example.com', 'prune-roots/three.prune.example.com', 'prune-roots/two.prune.example.com']);

    await kubectlOk(['delete', 'ingress', '-n', 'prune-a', 'two'], k);
    const before = await ingressVersions();
    expect(before).toHaveLength(2);

    const selector = await cli(['apply', '--prune', '-A', '-l', 'i2c-e2e=prune', ...roots]);
    expect(selector.code).toBe(2);

    const dry = await cli(['prune', '-n', 'prune-a', ...roots, '--dry-run=server']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(summaryRow(dry.stderr, 'total')).toMatchObject({ pruned: 2 });
    expect(await getObjects('httpproxies', 'prune-roots')).toHaveLength(3);

    const r = await cli(['apply', '--prune', '-n', 'prune-a', ...roots]);
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stderr, 'prune-a')).toEqual({ created: 0, configured: 0, unchanged: 1, pruned: 1, failed: 0 });
    expect(summaryRow(r.stderr, 'prune-roots')).toEqual({ created: 0, configured: 0, unchanged: 1, pruned: 1, failed: 0 });
    // three.prune (from prune-b, outside the scope) stays.
    expect(names(await getObjects('httpproxies', 'prune-roots'))).toEqual(['prune-roots/one.prune.example.com', 'prune-roots/three.prune.example.com']);

    // prune --all: everything the tool made in the namespace; Ingresses stay as they were.
    expect((await cli(['prune', '--all'])).code).toBe(2);
    const all = await cli(['prune', '--all', '-n', 'prune-a']);
    expect(all.code, all.stderr).toBe(0);
    expect(await getObjects('httpproxies', 'prune-a')).toEqual([]);
    const allRoots = await cli(['prune', '--all', '-n', 'prune-roots']);
    expect(summaryRow(allRoots.stderr, 'prune-roots')).toMatchObject({ pruned: 2 });
    expect(await ingressVersions()).toEqual(before);
    const left = await kubectl(['get', 'ingress', '-n', 'prune-a', 'one', '-o', 'name'], k);
    expect(left.stdout.trim()).toBe('ingress.networking.k8s.io/one');
  });
});
