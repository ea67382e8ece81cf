// The convert command as a user runs it: exit codes, streams, files, bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { SHOP_INGRESS } from '../support/manifests.js';

const ING = SHOP_INGRESS;

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'i2c-cli-'));

describe('convert', () => {
  it('converts the bundled demo for both targets and objects on stdout only (IngressRoute loses an IP allow list: exit 6)', async () => {
    for (const [target, code] of [
      ['ingressroute', 6],
      ['httpproxy', 4],
    ] as const) {
      const r = await runCli(['convert', '-f', 'fixtures/demo', '--target', target]);
      expect(r.code).toBe(code);
      const docs = yaml.loadAll(r.stdout) as { kind: string }[];
      expect(docs.length).toBeGreaterThan(5);
      expect(r.stderr).toMatch(/^converted \d+ of \d+ Ingress/m);
      expect(r.stdout).not.toContain('warn ');
    }
  });

  it('prints the IngressRoute hint only when --target is not given', async () => {
    expect((await runCli(['convert', '-f', '-'], ING)).stderr).toContain('--target httpproxy');
    expect((await runCli(['convert', '-f', '-', '--target', 'httpproxy'], ING)).stderr).not.toContain('hint:');
  });

  it('reads stdin and writes a JSON List', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '-o', 'json'], ING);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string; metadata: { namespace: string } }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => `${i.kind} ${i.metadata.namespace}`)).toEqual(['HTTPProxy shop', 'HTTPProxy projectcontour']);
  });

  it('writes one file per namespace with --output-dir and nothing on stdout', async () => {
    const dir = tmp();
    const r = await runCli(['convert', '-f', 'fixtures/demo', '--target', 'httpproxy', '--output-dir', dir]);
    expect(r.stdout).toBe('');
    const files = readdirSync(dir)
      .filter((f) => f !== '.ingress2contour-written')
      .sort();
    expect(files).toContain('projectcontour.yaml');
    expect(files.every((f) => f.endsWith('.yaml'))).toBe(true);
    for (const f of files) {
      const ns = f.replace(/\.yaml$/, '');
      for (const o of yaml.loadAll(readFileSync(path.join(dir, f), 'utf8')) as { metadata: { namespace: string } }[]) expect(o.metadata.namespace).toBe(ns);
    }
  });

  it('is byte-stable across runs', async () => {
    const a = await runCli(['convert', '-f', 'fixtures/demo', '--target', 'httpproxy']);
    const b = await runCli(['convert', '-f', 'fixtures/demo', '--target', 'httpproxy']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('exits 4 with output when something could not be converted, and names the object', async () => {
    const text = `${ING}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: hostless, namespace: shop}\nspec:\n  ingressClassName: nginx\n  rules: [{http: {paths: [{path: /x, pathType: Prefix, backend: {service: {name: s, port: {number: 1}}}}]}}]\n`;
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], text);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error Ingress shop\/hostless: .*\[route\.host-less\]$/m);
    expect(r.stdout).toContain('shop.example.com');
  });

  it('exits 3 for a missing file, an empty input and input without Ingress, writing nothing', async () => {
    const missing = await runCli(['convert', '-f', 'does/not/exist.yaml']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toBe('error: does/not/exist.yaml: no such file or directory');
    const empty = await runCli(['convert', '-f', '-'], '');
    expect(empty).toMatchObject({ code: 3, stdout: '' });
    expect(empty.stderr).toContain('holds no Ingress');
    const broken = await runCli(['convert', '-f', '-'], 'a: [\n');
    expect(broken).toMatchObject({ code: 3, stdout: '' });
    expect(broken.stderr).toMatch(/input\.parse-error/);
  });

  it('converts nothing when a document is broken (exit 3), and the rest with --skip-invalid (exit 4)', async () => {
    const text = `${ING}---\nkind: [\n---\n${ING.replace('name: web', 'name: web2').replace('shop.example.com', 'two.example.com')}`;
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], text);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/^error <stdin>: document 2 \(line 13\): .*\[input\.parse-error\]$/m);
    const skipped = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--skip-invalid'], text);
    expect(skipped.code).toBe(4);
    expect(skipped.stdout).toContain('two.example.com');
  });

  it('exits 2 for usage errors', async () => {
    // Without -f, convert reads the cluster; -A/-l only make sense there.
    expect((await runCli(['convert', '-f', '-', '-A'], ING)).code).toBe(2);
    expect((await runCli(['convert', '-f', '-', '--chunk-size', '0'], ING)).code).toBe(2);
    expect((await runCli(['convert', '-f', '-', '--target', 'gateway'], ING)).code).toBe(2);
    expect((await runCli(['convert', '-f', '-', '--target', 'ingressroute', '--contour-version', '1.20'], ING)).code).toBe(2);
    expect((await runCli(['convert', '-f', '-', '--root-namespace', 'Not_Valid'], ING)).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('reads the cluster without -f, and a missing kubeconfig is a cluster error (5)', async () => {
    const r = await runCli(['convert', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('error: --kubeconfig /nonexistent/kubeconfig: no such file');
  });

  it('never prints a stack trace or breaks a line on hostile values', async () => {
    const hostile = ING.replace(
      'metadata: {name: web, namespace: shop}',
      `metadata:\n  name: web\n  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: "/\\r\\nX: injected"\n    nginx.ingress.kubernetes.io/whitelist-source-range: "${'1'.repeat(200000)}"\n    nginx.ingress.kubernetes.io/use-regex: "true"`,
    ).replace('path: /,', 'path: "/(a+)+$",');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], hostile);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    for (const line of r.stderr.split('\n')) expect(line.length).toBeLessThan(2000);
    expect(r.stdout).not.toContain('X: injected');
  });
});

describe('the installed binary', () => {
  const bin = path.resolve('bin/ingress2contour.js');
  it('runs the README command and exits with documented codes, no stack traces', () => {
    const ok = spawnSync(process.execPath, [bin, 'convert', '-f', 'fixtures/demo', '--target', 'httpproxy'], { encoding: 'utf8' });
    expect([0, 4]).toContain(ok.status);
    expect(ok.stdout).toContain('kind: HTTPProxy');
    const dir = tmp();
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rules: [{host: "a..b"}]}\n');
    const r = spawnSync(process.execPath, [bin, 'convert', '-f', bad], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('Ingress default/x');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).status).toBe(0);
  });
});
