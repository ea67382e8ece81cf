// Inputs and outputs that never betray the user: all-or-nothing reads, output directories
// with a manifest, stated precedence, Helm and Kustomize inputs.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'i2c-io-'));

const ingress = (ns: string, name: string, host: string, p: string, svc: string, created?: string): string =>
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}${created ? `\n  creationTimestamp: "${created}"` : ''}
spec:
  ingressClassName: nginx
  rules:
    - host: ${host}
      http:
        paths:
          - {path: ${p}, pathType: Prefix, backend: {service: {name: ${svc}, port: {number: 80}}}}
`;

const SHOP = ingress('shop', 'web', 'shop.example.com', '/', 'web');
const BLOG = ingress('blog', 'web', 'blog.example.com', '/', 'blog');
const MANIFEST = '.ingress2contour-written';

/** Every file under dir, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(name);
      else out.push(name);
    }
  };
  walk('');
  return out.sort();
}

describe('all or nothing on unreadable documents', () => {
  const text = `${SHOP}---\n${BLOG}---\nkind: Ingress\nmetadata: [broken\n`;

  it('fails before writing anything, naming file, document (1-based) and line; exit 3', async () => {
    const dir = path.join(tmp(), 'out');
    const file = path.join(tmp(), 'three.yaml');
    writeFileSync(file, text);
    const r = await runCli(['convert', '-f', file, '--target', 'httpproxy', '--output-dir', dir]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: document 3 \\(line 2[89]\\): .*\\[input\\.parse-error\\]$`, 'm'));
    expect(r.stderr.split('\n').at(-1)).toMatch(/^error: 1 document\(s\) could not be read; nothing converted or written .*--skip-invalid/);
    expect(existsSync(dir)).toBe(false);
    // The same on stdout: nothing at all.
    const out = await runCli(['convert', '-f', file, '--target', 'httpproxy']);
    expect(out).toMatchObject({ code: 3, stdout: '' });
  });

  it('counts an Ingress that cannot be read (invalid object) as unreadable too', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], `${SHOP}---\n${BLOG.replace('blog.example.com', 'a..b')}`);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/^error Ingress blog\/web: .*<stdin>#2 \(line 1[0-9]\).*\[input\.invalid-object\]$/m);
  });

  it('--skip-invalid converts the rest, says what was left out and that precedence may differ; exit 4', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--skip-invalid'], text);
    expect(r.code).toBe(4);
    const docs = yaml.loadAll(r.stdout) as { spec: { virtualhost?: { fqdn: string } } }[];
    expect(docs.flatMap((d) => (d.spec.virtualhost ? [d.spec.virtualhost.fqdn] : [])).sort()).toEqual(['blog.example.com', 'shop.example.com']);
    expect(r.stderr).toMatch(/^warning: --skip-invalid: left out 1 document\(s\) that could not be read \(<stdin>\); .*which Ingress wins there may differ from nginx$/m);
  });

  it('report refuses the same input unless --skip-invalid', async () => {
    expect((await runCli(['report', '-f', '-', '-o', 'json'], text)).code).toBe(3);
    expect((await runCli(['report', '-f', '-', '-o', 'json', '--skip-invalid'], text)).code).toBe(0);
  });
});

describe('--output-dir', () => {
  it('writes a fresh directory: one file per namespace with the generated header, and a manifest', async () => {
    const dir = path.join(tmp(), 'out');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', dir], `${SHOP}---\n${BLOG}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(tree(dir)).toEqual([MANIFEST, 'blog.yaml', 'projectcontour.yaml', 'shop.yaml']);
    for (const f of ['blog.yaml', 'projectcontour.yaml', 'shop.yaml']) {
      const content = readFileSync(path.join(dir, f), 'utf8');
      expect(content.split('\n').slice(0, 2).every((l) => l.startsWith('# '))).toBe(true);
      expect(content).toMatch(/^# .*ingress2contour/);
      expect(content).toMatch(/^# .*timeoutPolicy, retryPolicy and enableWebsockets/m);
    }
    expect(readFileSync(path.join(dir, MANIFEST), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['blog.yaml', 'projectcontour.yaml', 'shop.yaml']);
  });

  it('re-run on a subset removes the files no longer produced, and says so', async () => {
    const dir = path.join(tmp(), 'out');
    await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', dir], `${SHOP}---\n${BLOG}`);
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', dir], SHOP);
    expect(r.code).toBe(0);
    expect(tree(dir)).toEqual([MANIFEST, 'projectcontour.yaml', 'shop.yaml']);
    expect(r.stderr).toMatch(/^removed 1 file\(s\) a previous run wrote that this run no longer produces: blog\.yaml$/m);
  });

  it('refuses a directory holding a file it did not write (exit 2, one line, nothing written)', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'mine.yaml'), 'keep: me\n');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', dir], SHOP);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([expect.stringMatching(/^error: --output-dir .* holds 1 file\(s\) this tool did not write \(mine\.yaml\); .*--force/)]);
    expect(tree(dir)).toEqual(['mine.yaml']);
    // Also when a previous run's manifest is there but a stranger joined.
    const out = path.join(tmp(), 'out');
    await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', out], SHOP);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expect((await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', out], BLOG)).code).toBe(2);
    expect(tree(out)).toEqual([MANIFEST, 'notes.txt', 'projectcontour.yaml', 'shop.yaml']);
  });

  it('--force writes beside foreign files and leaves them in place', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'mine.yaml'), 'keep: me\n');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', dir, '--force'], SHOP);
    expect(r.code).toBe(0);
    expect(tree(dir)).toEqual([MANIFEST, 'mine.yaml', 'projectcontour.yaml', 'shop.yaml']);
    expect(readFileSync(path.join(dir, 'mine.yaml'), 'utf8')).toBe('keep: me\n');
    expect(r.stderr).toMatch(/^left 1 file\(s\) this tool did not write in place \(--force\): mine\.yaml$/m);
  });

  it('--kustomize writes a tree with a kustomization.yaml per directory listing its files', async () => {
    const dir = path.join(tmp(), 'out');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--output-dir', dir, '--kustomize'], `${SHOP}---\n${BLOG}`);
    expect(r.code).toBe(0);
    const files = tree(dir);
    expect(files).toContain('kustomization.yaml');
    const top = yaml.load(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { kind: string; resources: string[] };
    expect(top.kind).toBe('Kustomization');
    expect(top.resources).toEqual(['blog', 'projectcontour', 'shop']);
    for (const ns of top.resources) {
      const k = yaml.load(readFileSync(path.join(dir, ns, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
      expect(files.filter((f) => f.startsWith(`${ns}/`) && !f.endsWith('/kustomization.yaml')).map((f) => f.slice(ns.length + 1))).toEqual([...k.resources].sort());
      for (const res of k.resources) {
        const objects = yaml.loadAll(readFileSync(path.join(dir, ns, res), 'utf8')) as { metadata: { namespace: string } }[];
        expect(objects.map((o) => o.metadata.namespace)).toEqual([ns]);
      }
    }
    expect((await runCli(['convert', '-f', '-', '--kustomize'], SHOP)).code).toBe(2);
  });
});

describe('precedence from files (--prefer)', () => {
  // Two undated Ingresses claim the same host and path: who wins is a guess.
  const undated = `${ingress('team-a', 'alpha', 'dup.example.com', '/app', 'alpha-svc')}---\n${ingress('team-b', 'beta', 'dup.example.com', '/app', 'beta-svc')}`;
  const winner = (stdout: string): string[] =>
    // The backends the path's routes send to (a Prefix path is two routes: exact and prefix).
    [...new Set((yaml.loadAll(stdout) as { spec: { routes?: { services?: { name: string }[] }[] } }[]).flatMap((d) => d.spec.routes ?? []).flatMap((r) => (r.services ?? []).map((s) => s.name)))];

  it('without timestamps, one finding names every contender and says the order is assumed', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], undated);
    const lines = r.stderr.split('\n').filter((l) => l.includes('dup.example.com/app'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[route\.precedence-assumed\]$/);
    expect(lines[0]).toContain('team-a/alpha');
    expect(lines[0]).toContain('team-b/beta');
    expect(lines[0]).toContain('ASSUMED');
    // nginx's tie-break (namespace/name, descending) picks team-b/beta.
    expect(winner(r.stdout)).toEqual(['beta-svc']);
  });

  it('--prefer states the order (earlier = older): the stated one wins, and nothing is assumed', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--prefer', 'team-a/alpha', '--prefer', 'team-b/beta'], undated);
    expect(winner(r.stdout)).toEqual(['alpha-svc']);
    expect(r.stderr).not.toContain('route.precedence-assumed');
    expect(r.stderr).toMatch(/Ingress team-b\/beta .*already claimed by Ingress team-a\/alpha.*\[route\.duplicate-path\]$/m);
    expect((await runCli(['convert', '-f', '-', '--prefer', 'not a name'], undated)).code).toBe(2);
  });

  it('dated contenders keep the per-loser warning (the order is known)', async () => {
    const dated = `${ingress('team-a', 'alpha', 'dup.example.com', '/app', 'alpha-svc', '2024-01-01T00:00:00Z')}---\n${ingress('team-b', 'beta', 'dup.example.com', '/app', 'beta-svc', '2023-01-01T00:00:00Z')}`;
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], dated);
    expect(r.stderr).not.toContain('route.precedence-assumed');
    expect(winner(r.stdout)).toEqual(['beta-svc']);
  });
});

describe('Helm and Kustomize inputs', () => {
  it('a Helm template gets one line saying to render it first; exit 3', async () => {
    const r = await runCli(['convert', '-f', '-'], `${SHOP.replace('name: web', 'name: {{ .Release.Name }}-web')}`);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^error: <stdin>: line 4 holds a Go template action .*helm template/)]);
  });

  it('a chart directory (-f, and -R over a tree holding one) and Chart.yaml/values.yaml are recognised', async () => {
    const root = tmp();
    const chart = path.join(root, 'charts', 'web');
    mkdirSync(path.join(chart, 'templates'), { recursive: true });
    writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(path.join(chart, 'values.yaml'), 'host: shop.example.com\n');
    writeFileSync(path.join(chart, 'templates', 'ingress.yaml'), SHOP);
    writeFileSync(path.join(root, 'plain.yaml'), BLOG);
    for (const args of [['-f', chart], ['-f', root, '-R'], ['-f', path.join(chart, 'values.yaml')], ['-f', path.join(chart, 'Chart.yaml')]]) {
      const r = await runCli(['convert', ...args]);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^error: .*(is a Helm chart|belongs to a Helm chart).*helm template RELEASE .*charts\/web/)]);
    }
  });

  it('a kustomization directory given with -f points to -k', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [ingress.yaml]\n');
    writeFileSync(path.join(dir, 'ingress.yaml'), SHOP);
    const r = await runCli(['convert', '-f', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: .* is a kustomization \(kustomization\.yaml\): read it with -k /);
  });

  describe('-k DIR', () => {
    const saved = process.env.INGRESS2CONTOUR_KUBECTL;
    afterEach(() => {
      if (saved === undefined) delete process.env.INGRESS2CONTOUR_KUBECTL;
      else process.env.INGRESS2CONTOUR_KUBECTL = saved;
    });

    it('reads what `kubectl kustomize DIR` renders', async () => {
      const bin = tmp();
      const fake = path.join(bin, 'kubectl');
      // Stands in for kubectl: prints the rendered kustomization (namespace applied).
      writeFileSync(fake, `#!/bin/sh\n[ "$1" = kustomize ] || exit 9\ncat "$2/rendered.yaml"\n`);
      chmodSync(fake, 0o755);
      const dir = tmp();
      writeFileSync(path.join(dir, 'kustomization.yaml'), 'namespace: shop\nresources: [ingress.yaml]\n');
      writeFileSync(path.join(dir, 'rendered.yaml'), SHOP);
      process.env.INGRESS2CONTOUR_KUBECTL = fake;
      const r = await runCli(['convert', '-k', dir, '--target', 'httpproxy']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('fqdn: shop.example.com');
    });

    it.skipIf(spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0)('applies the kustomization (real kubectl): its namespace reaches the output', async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, 'kustomization.yaml'), 'namespace: retail\nresources: [ingress.yaml]\n');
      writeFileSync(path.join(dir, 'ingress.yaml'), SHOP);
      const r = await runCli(['convert', '-k', dir, '--target', 'httpproxy', '-o', 'json']);
      expect(r.code).toBe(0);
      const list = JSON.parse(r.stdout) as { items: { metadata: { namespace: string } }[] };
      expect(list.items.map((i) => i.metadata.namespace)).toContain('retail');
    });

    it('says clearly when kubectl is missing; exit 3', async () => {
      process.env.INGRESS2CONTOUR_KUBECTL = path.join(tmp(), 'no-kubectl-here');
      const dir = tmp();
      writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: []\n');
      const r = await runCli(['convert', '-k', dir]);
      expect(r).toMatchObject({ code: 3, stdout: '' });
      expect(r.stderr).toMatch(/^error: -k .*: kubectl is not installed/);
    });
  });
});
