import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterError } from './errors.js';
import { loadKubeConfig } from './kubeconfig.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function write(doc: unknown, extra: Record<string, string> = {}): string {
  dir ??= mkdtempSync(path.join(os.tmpdir(), 'i2c-kubeconfig-'));
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(dir, name), text);
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, yaml.dump(doc));
  return file;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** What client-node's own KubeConfig puts into the request options for the same file and context. */
async function clientNodeOptions(file: string, context: string): Promise<https.RequestOptions> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  kc.setCurrentContext(context);
  const o: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(o);
  return o;
}

const tlsAndAuth = (o: https.RequestOptions): unknown => ({ ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: o.rejectUnauthorized, servername: o.servername, auth: o.auth, headers: o.headers });

describe('loadKubeConfig without client-node', () => {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'token',
    clusters: [
      { name: 'data', cluster: { server: 'https://127.0.0.1:6443/', 'certificate-authority-data': b64('CA PEM'), 'tls-server-name': 'kubernetes' } },
      { name: 'files', cluster: { server: 'https://10.0.0.1', 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'token', user: { token: 'secret-token', as: 'someone' } },
      { name: 'cert', user: { 'client-certificate': 'client.crt', 'client-key-data': b64('KEY PEM') } },
      { name: 'basic', user: { username: 'admin', password: 'pw' } },
    ],
    contexts: [
      { name: 'token', context: { cluster: 'data', user: 'token', namespace: 'team' } },
      { name: 'cert', context: { cluster: 'files', user: 'cert' } },
      { name: 'basic', context: { cluster: 'data', user: 'basic' } },
    ],
  };

  it.each(['token', 'cert', 'basic'])('context %s: the same TLS material and credentials as client-node', async (context) => {
    const file = write(config, { 'ca.crt': 'CA FILE', 'client.crt': 'CERT FILE' });
    const loaded = loadKubeConfig({ kubeconfig: file, context });
    const mine: https.RequestOptions = {};
    await loaded.kc.applyToHTTPSOptions(mine);
    expect(tlsAndAuth(mine)).toEqual(tlsAndAuth(await clientNodeOptions(file, context)));
    expect(loaded.kc.getCurrentCluster()?.server).toBe(context === 'cert' ? 'https://10.0.0.1' : 'https://127.0.0.1:6443');
  });

  it('namespace, server and source as before', () => {
    const file = write(config);
    expect(loadKubeConfig({ kubeconfig: file })).toMatchObject({ context: 'token', namespace: 'team', server: 'https://127.0.0.1:6443', source: file });
  });

  it('a credential plugin goes through client-node (loaded on the first request)', async () => {
    dir ??= mkdtempSync(path.join(os.tmpdir(), 'i2c-kubeconfig-'));
    const tokenFile = path.join(dir, 'token.txt');
    writeFileSync(tokenFile, 'from-file');
    const file = write({
      ...config,
      users: [{ name: 'plugin', user: { 'auth-provider': { name: 'tokenFile', config: { tokenFile } } } }],
      contexts: [{ name: 'plugin', context: { cluster: 'data', user: 'plugin' } }],
      'current-context': 'plugin',
    });
    const o: https.RequestOptions = {};
    await loadKubeConfig({ kubeconfig: file }).kc.applyToHTTPSOptions(o);
    expect(o.headers).toMatchObject({ Authorization: 'Bearer from-file' });
    expect(o.ca).toEqual(Buffer.from('CA PEM'));
  });

  it('merges KUBECONFIG files as client-node does: the first current-context wins, a name twice is an error', () => {
    const a = write({ ...config, 'current-context': 'cert' });
    const b = write({ clusters: [{ name: 'other', cluster: { server: 'https://b' } }], users: [], contexts: [{ name: 'b', context: { cluster: 'other' } }], 'current-context': 'b' });
    const env = { KUBECONFIG: [a, b].join(path.delimiter), HOME: '/nonexistent' };
    expect(loadKubeConfig({}, env).context).toBe('cert');
    expect(loadKubeConfig({ context: 'b' }, env).server).toBe('https://b');
    expect(() => loadKubeConfig({}, { KUBECONFIG: [a, a].join(path.delimiter) })).toThrow('Duplicate cluster: data');
  });

  it('invalid files fail with client-node’s messages, and never quote the file', () => {
    const noServer = write({ clusters: [{ name: 'x', cluster: {} }] });
    expect(() => loadKubeConfig({ kubeconfig: noServer })).toThrow(new ClusterError('config', `kubeconfig ${noServer}: clusters[0].cluster.server is missing`));
    dir ??= mkdtempSync(path.join(os.tmpdir(), 'i2c-kubeconfig-'));
    const broken = path.join(dir, 'broken');
    writeFileSync(broken, 'users:\n- name: u\n  user: {token: "secret\n');
    expect(() => loadKubeConfig({ kubeconfig: broken })).toThrow(/is not valid YAML \(line \d+\)$/);
    const missingUser = write({ ...config, contexts: [{ name: 'x', context: { cluster: 'data', user: 'ghost' } }], 'current-context': 'x' });
    expect(() => loadKubeConfig({ kubeconfig: missingUser })).toThrow('names user "ghost"');
  });
});
