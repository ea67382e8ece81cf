// The wizard as a person uses it, in a real terminal (tmux): what is on the screen
// and what was written are asserted. Needs `npm run build` first (npm test does it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Terminal, tmuxAvailable } from '../support/tmux.js';

const ROOT = path.resolve('.');
const BIN = 'node bin/ingress2contour.js';
const SCOPES = 'test/wizard/fixtures/scopes.yaml';
const terminals: Terminal[] = [];
const open = (cmd: string, opts: { env?: Record<string, string>; width?: number; height?: number } = {}): Terminal => {
  // No kubeconfig: the wizard goes straight to files.
  const t = new Terminal(cmd, { cwd: ROOT, width: opts.width ?? 80, height: opts.height ?? 40, env: { KUBECONFIG: '/nonexistent', ...opts.env } });
  terminals.push(t);
  return t;
};
const freshDir = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'i2c-wizard-')), 'out');
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

/** Answers the path question with `input`. */
async function start(t: Terminal, input: string): Promise<void> {
  await t.waitForPrompt('Path to the Ingress manifests');
  t.type(input);
  t.keys('Enter');
}

// Generous: the machine may be busy, and no assertion is about time.
const TIMEOUT = { timeout: 180_000 };

describe.skipIf(!tmuxAvailable())('wizard in a terminal', TIMEOUT, () => {
  it('walks a files migration and writes the YAML and the Markdown report', async () => {
    const out = freshDir();
    const t = open(`${BIN} wizard`);
    await start(t, 'fixtures/demo');
    let screen = await t.waitForPrompt('Which namespaces?');
    expect(screen).toContain('Found 9 Ingress(es) in 7 namespace(s)');
    expect(screen).toMatch(/class traefik: 1/);
    // Which classes live where, before any question about scope.
    expect(screen).toMatch(/^ {2}storefront: 2 nginx$/m);
    expect(screen).toMatch(/^ {2}monitoring: 1 traefik$/m);
    t.keys('Down', 'Enter'); // let me choose
    screen = await t.waitForPrompt('Namespaces to migrate');
    expect(screen).toContain('storefront (2)');
    // Untick the first namespace (checkout) and confirm.
    t.keys('Space', 'Enter');
    screen = await t.waitForPrompt('Which ingress-nginx class?');
    expect(screen).toContain('In scope: 7 Ingress(es): 6 nginx, 1 traefik.');
    screen = await t.defaultsUntil('What now?');
    expect(screen).toMatch(/Report: 6 Ingress\(es\) selected/);
    // The worst Ingress first.
    expect(screen).toMatch(/\[1\/\d\] orders\/orders: partial/);
    await t.answer('Down', 'Down', 'Enter'); // accept this and the rest
    await t.defaultsUntil('Directory for the output');
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
    const files = ['.ingress2contour-written', 'MIGRATION.md', 'docs.yaml', 'orders.yaml', 'projectcontour.yaml', 'search.yaml', 'storefront.yaml', 'users.yaml'];
    expect(readdirSync(out).sort()).toEqual(files);
    expect(readFileSync(path.join(out, 'projectcontour.yaml'), 'utf8')).not.toContain('namespace: checkout');
    expect(readFileSync(path.join(out, 'MIGRATION.md'), 'utf8')).toContain('### storefront/storefront');
    // The undo advice names exactly the files written, and the directory it created.
    const undo = /^ {2}rm -- (.*) && rmdir (\S+)$/m.exec(joined);
    expect(undo?.[1]?.split(' ').sort()).toEqual(files.map((f) => path.join(out, f)).sort());
    expect(undo?.[2]).toBe(out);
  });

  it('goes back with ← and with the "← back" choice, keeping the answers given', async () => {
    const t = open(`${BIN} wizard`);
    await start(t, 'fixtures/demo');
    await t.waitForPrompt('Which namespaces?');
    t.keys('Down', 'Enter'); // let me choose
    await t.waitForPrompt('Namespaces to migrate');
    t.keys('Space', 'Enter'); // untick checkout
    await t.waitForPrompt('Which ingress-nginx class?');
    t.keys('Enter');
    await t.waitForPrompt('Which Contour API?');
    t.keys('Left');
    let screen = await t.waitForPrompt('Which ingress-nginx class?');
    expect(screen).toMatch(/← back/);
    t.keys('Down', 'Down', 'Enter'); // nginx, traefik, ← back
    screen = await t.waitForPrompt('Namespaces to migrate');
    // The namespaces as they were chosen.
    const last = screen.slice(screen.lastIndexOf('Namespaces to migrate'));
    expect(last).toMatch(/◯ checkout \(2\)/);
    expect(last).toMatch(/◉ docs \(1\)/);
    t.keys('Space', 'Enter'); // tick checkout again
    screen = await t.waitForPrompt('Which ingress-nginx class?');
    expect(screen).toContain('In scope: 9 Ingress(es): 8 nginx, 1 traefik.');
    t.keys('Enter');
    await t.waitForPrompt('Which Contour API?');
    t.keys('Down', 'Enter'); // IngressRoute
    // The version question follows the API: the default is the last Contour serving IngressRoute.
    screen = await t.waitForPrompt('Contour version to emit for');
    expect(t.question(screen)).toContain('(1.5)');
    t.keys('Left');
    await t.waitForPrompt('Which Contour API?');
    t.keys('Up', 'Enter'); // HTTPProxy after all
    screen = await t.waitForPrompt('Contour version to emit for');
    expect(t.question(screen)).toMatch(/\(1\.\d\d\)/);
    t.keys('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });

  it('goes back within the review, showing the decision taken, and carries skips into the command', async () => {
    const out = freshDir();
    const t = open(`${BIN} wizard`);
    await start(t, 'fixtures/demo');
    await t.defaultsUntil('What now?');
    await t.answer('Down', 'Enter'); // skip orders/orders
    let screen = await t.waitFor(/^\[2\/\d+\] /m);
    t.keys('Left');
    screen = await t.waitFor(/^\[1\/\d+\] orders\/orders: .*, chose skip/m);
    expect(t.question(screen)).toMatch(/^\? What now\?/);
    await t.answer('Up', 'Enter'); // accept after all (the cursor starts on the decision taken)
    screen = await t.waitFor(/^\[2\/\d+\] /m);
    await t.answer('Down', 'Enter'); // skip the second
    await t.waitFor(/^\[3\/\d+\] /m);
    await t.answer('Down', 'Down', 'Enter'); // accept this and the rest
    await t.defaultsUntil('Directory for the output');
    t.keys('C-u');
    t.type(out);
    t.keys('Enter');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=0');
    const second = /^\[2\/\d+\] (\S+):/m.exec(t.screen())![1]!;
    const command = /^ {2}(ingress2contour convert .*)$/m.exec(t.screen(true))![1]!;
    expect(command).toContain(`--skip-ingress ${second}`);
    expect(command).not.toContain('--skip-ingress orders/orders');
  });

  it('offers only the classes of the chosen namespaces, and says at once when nothing is left', async () => {
    const t = open(`${BIN} wizard`);
    await start(t, SCOPES);
    await t.waitForPrompt('Which namespaces?');
    t.keys('Down', 'Enter');
    await t.waitForPrompt('Namespaces to migrate');
    t.keys('a', 'Down', 'Space', 'Enter'); // none, then monitoring (legacy, monitoring, shop)
    let screen = await t.waitForPrompt('Which ingress-nginx class?');
    expect(screen).toContain('In scope: 1 Ingress(es): 1 traefik.');
    const choices = screen.slice(screen.lastIndexOf('Which ingress-nginx class?'));
    expect(choices).toContain('traefik (1)');
    expect(choices).not.toContain('nginx (');
    t.keys('Left');
    await t.waitForPrompt('Namespaces to migrate');
    t.keys('Up', 'Space', 'Down', 'Space', 'Enter'); // legacy only: no class at all
    screen = await t.waitForPrompt('Also migrate the 1 Ingress(es) without a class');
    expect(screen).toContain('In scope: 1 Ingress(es): 1 (none).');
    t.keys('Enter'); // no (the default)
    screen = await t.waitForPrompt('Which namespaces?');
    expect(screen).toContain('nothing in these namespaces is left to migrate');
    // Said right there: no later question was asked.
    expect(screen).not.toContain('Which Contour API?');
    t.keys('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });

  it('asks for the ExtensionService auth-url needs and re-evaluates the finding', async () => {
    const out = freshDir();
    const t = open(`${BIN} wizard`);
    await start(t, SCOPES);
    let screen = await t.defaultsUntil('ExtensionService for auth-url');
    const prose = screen.replace(/\n\s+/g, ' ');
    expect(prose).toContain('1 Ingress(es) use auth-url (shop/admin)');
    expect(prose).toContain('without one, auth-url cannot be kept on their paths');
    t.type('ext-authz');
    t.keys('Enter');
    await t.waitFor('namespace/name of an ExtensionService');
    t.keys('C-u');
    t.type('auth/ext-authz');
    t.keys('Enter');
    screen = await t.waitFor('auth-url now:');
    expect(screen).toContain('auth-url now: 1 approximate (warn).');
    // Back to it: the answer is kept and can be taken away again.
    await t.waitFor((s: string) => t.question(s) !== '');
    t.keys('Left');
    screen = await t.waitForPrompt('ExtensionService for auth-url');
    expect(screen.slice(screen.lastIndexOf('? ExtensionService')).replace(/\n/g, '')).toContain('(auth/ext-authz)');
    t.keys('Enter');
    await t.defaultsUntil('Directory for the output');
    t.keys('C-u');
    t.type(out);
    t.keys('Enter');
    screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(t.screen(true)).toMatch(/^ {2}ingress2contour convert -f test\/wizard\/fixtures\/scopes.yaml -R .*--auth-extension auth\/ext-authz --output-dir /m);
    const root = readFileSync(path.join(out, 'projectcontour.yaml'), 'utf8');
    expect(root).toMatch(/authorization:\n\s+extensionRef:\n\s+namespace: auth\n\s+name: ext-authz/);
  });

  it('asks per Ingress whether routes whose access control cannot be kept stay closed (the default) or are published, and exits 6', async () => {
    const t = open(`${BIN} wizard`);
    await start(t, SCOPES);
    await t.defaultsUntil('ExtensionService for auth-url');
    t.keys('Enter'); // none: auth-url cannot be kept
    let screen = await t.defaultsUntil('Ingress shop/admin: external');
    expect(t.question(screen)).toContain('Ingress shop/admin: external authentication cannot be kept');
    expect(screen).toContain('keep closed: its 1 route(s) answer 403');
    expect(screen).toContain('publish WITHOUT external authentication');
    t.keys('Down', 'Enter'); // publish, explicitly
    await t.waitFor('Published without their access control: shop/admin');
    const out = freshDir();
    await t.defaultsUntil('Directory for the output');
    t.keys('C-u');
    t.type(out);
    t.keys('Enter');
    screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=6');
    expect(t.screen(true)).toMatch(/^ {2}ingress2contour convert .*--publish-unprotected shop\/admin .*--output-dir /m);
    const shop = readFileSync(path.join(out, 'shop.yaml'), 'utf8');
    expect(shop).toMatch(/services:\n\s+- name: admin/);
    expect(shop).not.toContain('statusCode: 403');
  });

  it('fits a 60×15 terminal: errors first with the question in view, previews a screen at a time', async () => {
    const t = open(`${BIN} wizard`, { width: 60, height: 15 });
    await start(t, 'fixtures/demo');
    await t.defaultsUntil('What now?');
    let view = t.visible();
    expect(view.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
    const heading = view.split('\n').findIndex((l) => /^\[1\/\d+\] orders\/orders: partial, 1 error, 3 warn/.test(l));
    expect(heading).toBeGreaterThanOrEqual(0);
    // The error, whole, right under the heading; the warnings on the next page.
    expect(view.split('\n')[heading + 1]).toMatch(/^ {2}error configuration-snippet:/);
    expect(view).toContain('with snippets.');
    expect(view).not.toMatch(/^ {2}warn /m);
    expect(view).toMatch(/^\? What now\?/m);
    t.keys('Down', 'Down', 'Down', 'Enter'); // show the next finding(s)
    await t.waitFor(/orders\/orders: partial, 1 error, 3 warn \(2\/3\)/);
    view = t.visible();
    expect(view).toMatch(/^ {2}warn /m);
    expect(view).toMatch(/^\? What now\?/m);
    t.keys('Down', 'Down', 'Enter'); // accept this and the rest
    const more = await t.waitFor(/\? \d+ more line\(s\)\./);
    const left = Number(/\? (\d+) more line\(s\)\./.exec(more)![1]);
    view = t.visible();
    // The heading and the first page of YAML share the screen with the question.
    expect(view).toMatch(/^Preview: \d+ object\(s\):\n---\napiVersion: /m);
    expect(view).toMatch(/^\? \d+ more line\(s\)\./m);
    await t.answer('Enter'); // show more
    const next = await t.waitFor((s) => /more line\(s\)\.$/.test(t.question(s)));
    expect(Number(/(\d+) more line\(s\)\.$/.exec(t.question(next))![1])).toBeLessThan(left);
    expect(t.visible()).toMatch(/^\? \d+ more line\(s\)\./m);
    t.keys('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });

  it('never overwrites a file: a directory holding one of its files is refused', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'i2c-wizard-'));
    const taken = path.join(parent, 'taken');
    mkdirSync(taken);
    writeFileSync(path.join(taken, 'docs.yaml'), 'mine\n');
    const t = open(`${BIN} wizard`);
    await start(t, 'fixtures/demo');
    await t.defaultsUntil('Directory for the output');
    t.keys('C-u');
    t.type(taken);
    t.keys('Enter');
    const screen = await t.waitFor('never overwrites a file');
    expect(screen.replace(/\n/g, '')).toContain(`${taken} already has docs.yaml`);
    t.keys('C-u');
    t.type(parent);
    t.keys('Enter');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=0');
    expect(readFileSync(path.join(taken, 'docs.yaml'), 'utf8')).toBe('mine\n');
    // The directory existed: the undo removes the files, not the directory.
    const undo = /^ {2}rm -- (.*)$/m.exec(t.screen(true));
    expect(undo?.[1]).not.toContain('rmdir');
    expect(undo?.[1]?.split(' ').sort()).toEqual(
      readdirSync(parent)
        .filter((f) => f !== 'taken')
        .map((f) => path.join(parent, f))
        .sort(),
    );
  });

  it('an unreachable cluster offers to continue with files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'i2c-wizard-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:1\n    insecure-skip-tls-verify: true\ncontexts:\n- name: gone\n  context: {cluster: gone, user: u}\ncurrent-context: gone\nusers:\n- name: u\n  user: {token: not-a-secret}\n',
    );
    const t = open(`${BIN} wizard`, { env: { KUBECONFIG: kubeconfig } });
    await t.waitForPrompt('Where are the Ingresses?');
    t.keys('Enter'); // in a cluster
    await t.waitForPrompt('Which context?');
    t.keys('Enter');
    let screen = await t.waitForPrompt('Continue how?', 60_000);
    expect(screen.replace(/\n/g, ' ')).toMatch(/Cannot read context gone: .*cannot reach the apiserver/);
    expect(screen).not.toContain('not-a-secret');
    t.keys('Enter'); // with files instead
    await start(t, 'fixtures/demo');
    screen = await t.waitForPrompt('Which namespaces?');
    expect(screen).toContain('Found 9 Ingress(es) in 7 namespace(s)');
    t.keys('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });

  it('Ctrl-C at a question ends cleanly, writes nothing and says so', async () => {
    const t = open(`${BIN} wizard`);
    await start(t, 'fixtures/demo');
    await t.waitForPrompt('Which namespaces?');
    t.keys('C-c');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('wizard cancelled: nothing was applied.');
    expect(screen).toContain('EXIT=130');
    expect(screen).not.toMatch(/\n\s+at /);
  });

  it('Esc ends cleanly too', async () => {
    const t = open(`${BIN} wizard --no-color`);
    await t.waitForPrompt('Path to the Ingress manifests');
    t.keys('Escape');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('wizard cancelled: nothing was applied.');
    expect(screen).toContain('EXIT=130');
  });
});

describe('wizard without a terminal', TIMEOUT, () => {
  it('refuses with a hint and exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/ingress2contour.js', 'wizard'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: wizard needs an interactive terminal; in scripts and CI use convert, report, diff and apply (see --help)');
    expect(existsSync('ingress2contour-out')).toBe(false);
  });
});
