// convert --defaults cluster / --emit-contour-config as a user runs it: where Contour's
// configuration goes (stdout first document, DIR/contour.d/), what the routes leave off.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { SHOP_INGRESS } from '../support/manifests.js';

const ING = SHOP_INGRESS;

type Doc = { kind: string; metadata: { name: string; namespace: string; annotations?: Record<string, string> }; spec: Record<string, unknown> };
const routesOf = (docs: Doc[]): { timeoutPolicy?: Record<string, string> }[] =>
  docs.filter((d) => d.kind === 'HTTPProxy').flatMap((d) => (d.spec.routes as { timeoutPolicy?: Record<string, string> }[] | undefined) ?? []);

describe('Contour configuration in the output', () => {
  it('--defaults route (the default): no ContourConfiguration, routes carry the idle timeout', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy'], ING);
    const docs = yaml.loadAll(r.stdout) as Doc[];
    expect(docs.map((d) => d.kind)).not.toContain('ContourConfiguration');
    expect(routesOf(docs).map((x) => x.timeoutPolicy)).toEqual([{ response: 'infinity', idle: '60s' }]);
    expect(r.stderr).not.toContain('contour configuration:');
  });

  it('--defaults cluster: the ContourConfiguration is the first document, routes leave the idle timeout to it and say so', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--defaults', 'cluster', '--contour-config', 'contour-system/main'], ING);
    const docs = yaml.loadAll(r.stdout) as Doc[];
    expect(docs[0]).toMatchObject({ kind: 'ContourConfiguration', metadata: { namespace: 'contour-system', name: 'main' }, spec: { envoy: { timeouts: { streamIdleTimeout: '60s' } } } });
    expect(routesOf(docs).map((x) => x.timeoutPolicy)).toEqual([{ response: 'infinity' }]);
    for (const d of docs.slice(1)) expect(d.metadata.annotations?.['ingress2contour/defaults']).toBe('cluster');
    expect(r.stderr).toMatch(/\[contour-config\.defaults\]/);
    expect(r.stderr).toMatch(/^contour configuration: ContourConfiguration contour-system\/main in stdout, first document; the routes rely on it; .*--contour-config-name main/m);
  });

  it('-o json: the ContourConfiguration is the first item of the List', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--defaults', 'cluster', '-o', 'json'], ING);
    const list = JSON.parse(r.stdout) as { items: Doc[] };
    expect(list.items[0]!.kind).toBe('ContourConfiguration');
  });

  it('--output-dir: contour.d/ holds the object and contour.yaml, beside (not inside) the namespace files', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'i2c-cc-')), 'out');
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--emit-contour-config', '--output-dir', dir], ING);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.ingress2contour-written', 'contour.d', 'projectcontour.yaml', 'shop.yaml']);
    expect(readdirSync(path.join(dir, 'contour.d')).sort()).toEqual(['contour.yaml', 'contourconfiguration.yaml']);
    const obj = yaml.load(readFileSync(path.join(dir, 'contour.d', 'contourconfiguration.yaml'), 'utf8')) as Doc;
    expect(obj.kind).toBe('ContourConfiguration');
    // --defaults route: the configuration holds no idle timeout, the routes do.
    expect((obj.spec.envoy as { timeouts: Record<string, string> }).timeouts.streamIdleTimeout).toBeUndefined();
    expect(readFileSync(path.join(dir, 'contour.d', 'contour.yaml'), 'utf8')).toMatch(/^timeouts:\n {2}request-timeout: infinity\n {2}connect-timeout: 5s\n/m);
    expect(readFileSync(path.join(dir, 'shop.yaml'), 'utf8')).toContain("set to nginx's defaults");
    expect(r.stderr).toContain('contour.d/ (not applied by kubectl apply -f');
  });

  it('--output-dir with --defaults cluster: the file header says the routes rely on contour.d/', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'i2c-cc-')), 'out');
    await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--defaults', 'cluster', '--output-dir', dir], ING);
    expect(readFileSync(path.join(dir, 'shop.yaml'), 'utf8')).toMatch(/^# --defaults cluster: .*contour\.d\/.*they rely on it/m);
  });

  it('Contour before 1.21: no ContourConfiguration, the fragment only (--output-dir)', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'httpproxy', '--contour-version', '1.20', '--emit-contour-config'], ING);
    expect((yaml.loadAll(r.stdout) as Doc[]).map((d) => d.kind)).not.toContain('ContourConfiguration');
    expect(r.stderr).toContain('this Contour version has no ContourConfiguration; its contour.yaml fragment is written only with --output-dir');
  });

  it('bad --defaults and --contour-config: one line, usage exit code', async () => {
    const a = await runCli(['convert', '-f', '-', '--defaults', 'everywhere'], ING);
    expect(a.code).toBe(2);
    const b = await runCli(['convert', '-f', '-', '--contour-config', 'nonamespace'], ING);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toContain('--contour-config "nonamespace" is not namespace/name');
  });
});
