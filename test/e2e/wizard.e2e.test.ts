// The wizard against a real kube-apiserver, driven through a real terminal (tmux):
// a person applies two of three namespaces and undoes it with the command the wizard
// gives, a second run is cancelled at the final confirmation, and a context that cannot
// be reached leads to another one. The cluster is checked afterwards, not the wizard's state.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, repoRoot, type Cluster } from './harness/cluster.js';
import { installCrds } from './harness/crds.js';
import { kubectlOk, type KubectlOptions } from './harness/kubectl.js';
import { Terminal, tmuxAvailable } from '../support/tmux.js';
import { ingressYaml } from './support/cli.js';

type Obj = Record<string, unknown>;

let cluster: Cluster;
let k: KubectlOptions;
// One HTTP server on loopback that answers every request alike (404): ingress-nginx and Contour at once.
let standInServer: http.Server;
let standIn = '';
let probesSeen = 0;
const terminals: Terminal[] = [];

const list = async (resource: string, ns: string): Promise<string[]> => {
  const out = JSON.parse(await kubectlOk(['get', resource, '-n', ns, '-o', 'json'], k)) as { items: Obj[] };
  return out.items.map((o) => (o.metadata as { name: string }).name).sort();
};

beforeAll(async () => {
  standInServer = http.createServer((_req, res) => {
    probesSeen++;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('default backend - 404');
  });
  await new Promise<void>((resolve) => standInServer.listen(0, '127.0.0.1', resolve));
  standIn = `127.0.0.1:${(standInServer.address() as AddressInfo).port}`;
  // A cluster of its own: the wizard lists every namespace with Ingresses, and the
  // shared cluster holds those of the other test files.
  cluster = await startCluster();
  k = { kubeconfig: cluster.kubeconfigPath, context: 'admin', cacheDir: path.join(cluster.dir, 'kubectl-cache') };
  await installCrds(cluster.kubeconfigPath);
  for (const ns of ['wiz-a', 'wiz-b', 'wiz-c']) await kubectlOk(['create', 'namespace', ns], k);
  const specs = ['wiz-a', 'wiz-b', 'wiz-c'].map((ns) => ({ namespace: ns, name: 'web', host: `${ns}.example.com` }));
  await kubectlOk(['apply', '-f', '-'], { ...k, input: ingressYaml(specs) });
});

afterAll(async () => {
  for (const t of terminals.splice(0)) t.close();
  standInServer?.close();
  await cluster?.stop();
});

function wizard(kubeconfig = cluster.kubeconfigPath): Terminal {
  const t = new Terminal(`node ${path.join(repoRoot, 'bin/ingress2contour.js')} wizard --no-color`, {
    cwd: repoRoot,
    width: 80,
    height: 50,
    env: { KUBECONFIG: kubeconfig },
  });
  terminals.push(t);
  return t;
}

/** From the start to the final confirmation, choosing wiz-a and wiz-b (and going back once on the way). */
async function upToConfirmation(t: Terminal): Promise<string> {
  await t.waitForPrompt('Where are the Ingresses?');
  t.keys('Enter'); // in a cluster
  await t.waitForPrompt('Which context?');
  t.keys('Enter'); // admin (current)
  let screen = await t.waitForPrompt('Which namespaces?', 30_000);
  expect(screen).toContain('Found 3 Ingress(es) in 3 namespace(s)');
  t.keys('Down', 'Enter'); // let me choose
  screen = await t.waitForPrompt('Namespaces to migrate');
  expect(screen).toMatch(/wiz-c \(1\)/);
  t.keys('Down', 'Down', 'Space', 'Enter'); // untick wiz-c
  screen = await t.waitForPrompt('Which Contour API?');
  expect(screen).toMatch(/HTTPProxy .*served by this cluster/);
  // Back (one class only, so that question was not asked): the namespaces as chosen.
  t.keys('Left');
  screen = await t.waitForPrompt('Namespaces to migrate');
  expect(screen.slice(screen.lastIndexOf('Namespaces to migrate'))).toMatch(/◯ wiz-c \(1\)/);
  t.keys('Enter');
  await t.waitForPrompt('Which Contour API?');
  t.keys('Enter');
  await t.waitForPrompt('Contour version to emit for');
  t.keys('Enter');
  await t.waitForPrompt('Namespace for the root objects');
  await t.answer('Enter'); // projectcontour (does not exist yet)
  await t.defaultsUntil('Namespace projectcontour does not exist. Create it when applying?', 30_000);
  await t.answer('Enter');
  screen = await t.defaultsUntil('What should happen?', 60_000);
  expect(screen).toContain('what apply would change in the cluster');
  t.keys('Enter'); // apply to the cluster
  return t.waitFor(/Apply \d+ object\(s\) to context admin/, 60_000);
}

describe.skipIf(!tmuxAvailable())('wizard against a cluster', () => {
  it('Ctrl-C at the confirmation applies nothing', async () => {
    const t = wizard();
    const screen = await upToConfirmation(t);
    expect(screen).toContain('nothing was written');
    t.keys('C-c');
    const end = await t.waitFor('EXIT=');
    expect(end).toContain('wizard cancelled: nothing was applied.');
    expect(end).toContain('EXIT=130');
    for (const ns of ['wiz-a', 'wiz-b', 'wiz-c']) expect(await list('httpproxies', ns)).toEqual([]);
  });

  it('applies two namespaces and leaves the third untouched', async () => {
    const t = wizard();
    await upToConfirmation(t);
    // The confirmation names the namespaces and object counts (inquirer breaks it at 80 columns).
    expect(t.screen().replace(/\n/g, '')).toMatch(/Apply 4 object\(s\) to context admin in 3 namespace\(s\): projectcontour \(2\), wiz-a \(1\), wiz-b \(1\)\?/);
    expect(t.screen(true)).toMatch(/^ *total +4 +0 +0 +0 +0$/m);
    t.type('y');
    t.keys('Enter');
    // After the apply, verify: both "controllers" here are one loopback stand-in, so every probe
    // gets the same answer from both and the summary says there is nothing unexpected.
    await t.waitForPrompt('Verify now', 60_000);
    t.keys('Enter');
    await t.waitForPrompt('ingress-nginx address');
    t.type(standIn);
    t.keys('Enter');
    await t.waitForPrompt('Contour (Envoy) address');
    t.type(standIn);
    t.keys('Enter');
    const end = await t.waitFor('EXIT=', 120_000);
    expect(end).toContain('EXIT=0');
    const prose = end.replace(/\n\s*/g, ' ');
    expect(prose).toContain('Applied to 3 namespace(s).');
    expect(prose).toMatch(/verify: \d+ probe\(s\), \d+ same, 0 expected difference\(s\), 0 UNEXPECTED: no unexpected difference\./);
    expect(prose).toContain('Next: move certificates and DNS to Contour');
    expect(t.screen(true)).toMatch(new RegExp(`^ {2}ingress2contour verify --context admin -A .*--nginx-address ${standIn} --contour-address ${standIn}$`, 'm'));
    expect(probesSeen).toBeGreaterThan(0);
    const joined = t.screen(true);
    expect(joined).toMatch(/^ {2}ingress2contour apply --context admin -A --only-namespace wiz-a --only-namespace wiz-b --target httpproxy .*--create-namespaces$/m);
    expect(await list('httpproxies', 'wiz-a')).toEqual(['wiz-a.example.com']);
    expect(await list('httpproxies', 'wiz-b')).toEqual(['wiz-b.example.com']);
    expect(await list('httpproxies', 'wiz-c')).toEqual([]);
    expect(await list('httpproxies', 'projectcontour')).toEqual(['wiz-a.example.com', 'wiz-b.example.com']);
    // The undo advice names every object applied, namespace by namespace.
    const undo = /^ {2}(kubectl --context admin delete -n projectcontour .*)$/m.exec(joined)?.[1];
    expect(undo).toBeDefined();
    const commands = undo!.split(' && ').map((c) => c.split(' '));
    expect(commands.map((c) => c.slice(3))).toEqual([
      ['delete', '-n', 'projectcontour', 'httpproxies.projectcontour.io/wiz-a.example.com', 'httpproxies.projectcontour.io/wiz-b.example.com'],
      ['delete', '-n', 'wiz-a', 'httpproxies.projectcontour.io/wiz-a.example.com'],
      ['delete', '-n', 'wiz-b', 'httpproxies.projectcontour.io/wiz-b.example.com'],
    ]);
    // And running it removes exactly that.
    for (const c of commands) await kubectlOk(c.slice(3), k);
    for (const ns of ['projectcontour', 'wiz-a', 'wiz-b', 'wiz-c']) expect(await list('httpproxies', ns)).toEqual([]);
    // Source Ingresses are untouched.
    for (const ns of ['wiz-a', 'wiz-b', 'wiz-c']) expect(await list('ingresses', ns)).toEqual(['web']);
  });

  it('a context that cannot be reached offers another context (or files) instead of ending', async () => {
    // The harness kubeconfig plus a context whose apiserver is gone (nothing listens on port 1).
    const config = yaml.load(readFileSync(cluster.kubeconfigPath, 'utf8')) as {
      clusters: { name: string; cluster: Record<string, unknown> }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
      'current-context': string;
    };
    const admin = config.contexts.find((c) => c.name === 'admin')!;
    config.clusters.push({ name: 'gone', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } });
    config.contexts.push({ name: 'gone', context: { cluster: 'gone', user: admin.context.user } });
    config['current-context'] = 'gone';
    const kubeconfig = path.join(cluster.dir, 'kubeconfig-gone');
    writeFileSync(kubeconfig, yaml.dump(config));
    const t = wizard(kubeconfig);
    await t.waitForPrompt('Where are the Ingresses?');
    t.keys('Enter');
    await t.waitForPrompt('Which context?');
    t.keys('Enter'); // gone (current)
    let screen = await t.waitForPrompt('Continue how?', 60_000);
    expect(screen.replace(/\n/g, ' ')).toMatch(/Cannot read context gone: .*cannot reach the apiserver/);
    t.keys('Down', 'Enter'); // with another context
    await t.waitForPrompt('Which context?');
    t.keys('Up', 'Up', 'Up', 'Up', 'Enter'); // admin, the first
    screen = await t.waitForPrompt('Which namespaces?', 30_000);
    expect(screen).toContain('Reading Ingresses from context admin');
    expect(screen).toContain('Found 3 Ingress(es) in 3 namespace(s)');
    t.keys('C-c');
    expect(await t.waitFor('EXIT=')).toContain('EXIT=130');
  });
});
