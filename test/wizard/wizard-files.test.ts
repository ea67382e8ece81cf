// The wizard as a person uses it, in a real terminal (tmux): what is on the screen
// is what is asserted. Needs `npm run build` first (npm test does it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Terminal, tmuxAvailable } from '../support/tmux.js';

const ROOT = path.resolve('.');
const BIN = 'node bin/ingress2contour.js';
const terminals: Terminal[] = [];
const open = (cmd: string, env: Record<string, string> = {}): Terminal => {
  // No kubeconfig: the wizard goes straight to files.
  const t = new Terminal(cmd, { cwd: ROOT, width: 80, env: { KUBECONFIG: '/nonexistent', ...env } });
  terminals.push(t);
  return t;
};
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

describe.skipIf(!tmuxAvailable())('wizard in a terminal', () => {
  it('walks a files migration and writes the YAML and the Markdown report', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'i2c-wizard-')), 'out');
    const t = open(`${BIN} wizard`);
    await t.waitFor('Path to the Ingress manifests');
    t.type('fixtures/demo');
    t.keys('Enter');
    let screen = await t.waitFor('Which namespaces?');
    expect(screen).toContain('Found 9 Ingress(es) in 7 namespace(s)');
    expect(screen).toMatch(/class traefik: 1/);
    // Which classes live where, before any question about scope.
    expect(screen).toMatch(/^ {2}storefront: 2 nginx$/m);
    expect(screen).toMatch(/^ {2}monitoring: 1 traefik$/m);
    t.keys('Down', 'Enter'); // let me choose
    screen = await t.waitFor('Namespaces to migrate');
    expect(screen).toContain('storefront (2)');
    // Untick the first namespace (checkout) and confirm.
    t.keys('Space', 'Enter');
    await t.waitFor('Which ingress-nginx class?');
    t.keys('Enter');
    await t.waitFor('Which Contour API?');
    t.keys('Enter'); // HTTPProxy
    await t.waitFor('Contour version to emit for');
    t.keys('Enter');
    await t.waitFor('Namespace for the root objects');
    t.keys('Enter');
    await t.waitFor('Where do the roots go?');
    t.keys('Enter');
    screen = await t.waitFor('What now?');
    expect(screen).toMatch(/Report: 6 Ingress\(es\) selected/);
    expect(screen).toMatch(/\[1\/\d\] Ingress /);
    t.keys('Down', 'Down', 'Enter'); // accept this and the rest
    await t.waitFor(/more line\(s\)/);
    t.keys('Down', 'Enter'); // skip the rest of the preview
    await t.waitFor('Directory for the output');
    t.keys('C-u');
    t.type(out);
    t.keys('Enter');
    screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    // Prose wraps at 80 columns; read it as one text.
    const prose = screen.replace(/\n\s+/g, ' ');
    expect(prose).toContain(`Wrote 7 file(s) to ${out}`);
    expect(prose).toContain('Nothing was applied');
    const joined = t.screen(true);
    expect(joined).toMatch(/^ {2}ingress2contour convert -f fixtures\/demo -R --only-namespace docs .*--output-dir \S+$/m);
    expect(joined).not.toMatch(/--only-namespace checkout/);
    // checkout was unticked: its namespace has no file, and nothing else of it is converted.
    expect(readdirSync(out).sort()).toEqual(['MIGRATION.md', 'docs.yaml', 'orders.yaml', 'projectcontour.yaml', 'search.yaml', 'storefront.yaml', 'users.yaml']);
    expect(readFileSync(path.join(out, 'projectcontour.yaml'), 'utf8')).not.toContain('namespace: checkout');
    expect(readFileSync(path.join(out, 'MIGRATION.md'), 'utf8')).toContain('### storefront/storefront');
  });

  it('Ctrl-C at a question ends cleanly, writes nothing and says so', async () => {
    const t = open(`${BIN} wizard`);
    await t.waitFor('Path to the Ingress manifests');
    t.type('fixtures/demo');
    t.keys('Enter');
    await t.waitFor('Which namespaces?');
    t.keys('C-c');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('wizard cancelled: nothing was applied.');
    expect(screen).toContain('EXIT=130');
    expect(screen).not.toMatch(/\n\s+at /);
  });

  it('Esc ends cleanly too', async () => {
    const t = open(`${BIN} wizard --no-color`);
    await t.waitFor('Path to the Ingress manifests');
    t.keys('Escape');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('wizard cancelled: nothing was applied.');
    expect(screen).toContain('EXIT=130');
  });
});

describe('wizard without a terminal', () => {
  it('refuses with a hint and exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/ingress2contour.js', 'wizard'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: wizard needs an interactive terminal; in scripts and CI use convert, report, diff and apply (see --help)');
    expect(existsSync('ingress2contour-out')).toBe(false);
  });
});
