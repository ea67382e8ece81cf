// Reading Ingresses from the cluster: the same objects give the same output as from files,
// namespace / all namespaces / label selector scoping, pagination, and the failures.
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/cluster/client.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { cli, credentialsOf, editedKubeconfig, ensureNamespaces, ensureRbac, expectNoCredentials, k, kubeconfig, kubectlOk, tmpDir } from './support/cli.js';

type Obj = Record<string, unknown>;
interface Meta {
  name: string;
  namespace: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
}

const DEMO = 'fixtures/demo';
const LABEL = 'i2c-e2e=demo';

function demoDocs(): Obj[] {
  return ['api.yaml', 'misc.yaml', 'services.yaml', 'shop.yaml'].flatMap((f) => yaml.loadAll(readFileSync(path.join(DEMO, f), 'utf8')) as Obj[]);
}

/** The fixture as the apiserver stores it: v1 only (it does not serve extensions/v1beta1), server-set fields dropped. */
function forCluster(doc: Obj): Obj {
  const meta = { ...(doc.metadata as Meta) };
  delete meta.creationTimestamp;
  meta.labels = { ...meta.labels, 'i2c-e2e': 'demo' };
  if (doc.kind !== 'Ingress' || doc.apiVersion === 'networking.k8s.io/v1') return { ...doc, metadata: meta };
  const spec = doc.spec as { rules: { host: string; http: { paths: { path: string; backend: { serviceName: string; servicePort: number } }[] } }[] };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta,
    spec: {
      rules: spec.rules.map((r) => ({
        host: r.host,
        http: {
          paths: r.http.paths.map((p) => ({ path: p.path, pathType: 'ImplementationSpecific', backend: { service: { name: p.backend.serviceName, port: { number: p.backend.servicePort } } } })),
        },
      })),
    },
  };
}

const nextSecond = (): Promise<void> => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 100));

describe('reading from the cluster', () => {
  beforeAll(async () => {
    await ensureRbac();
    const docs = demoDocs();
    await ensureNamespaces([...new Set(docs.map((d) => (d.metadata as Meta).namespace))]);
    await kubectlOk(['delete', 'ingress', '-A', '-l', LABEL, '--ignore-not-found'], k);
    // The apiserver stamps creationTimestamp itself, to the second. Ingresses are created in the
    // fixtures' timestamp order, one second apart where they share a host, so that the cluster's
    // timestamps order them as the fixtures do: nginx precedence then works out the same.
    const ingresses = docs.filter((d) => d.kind === 'Ingress').sort((a, b) => ((a.metadata as Meta).creationTimestamp ?? '').localeCompare((b.metadata as Meta).creationTimestamp ?? ''));
    const hostsOf = (d: Obj): string[] => ((d.spec as { rules?: { host?: string }[] }).rules ?? []).map((r) => r.host ?? '');
    const others = docs.filter((d) => d.kind !== 'Ingress').map(forCluster);
    await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], { ...k, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: others }) });
    let batch: Obj[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await kubectlOk(['create', '-f', '-'], { ...k, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: batch.map(forCluster) }) });
      batch = [];
      await nextSecond();
    };
    for (const ing of ingresses) {
      if (batch.some((b) => hostsOf(b).some((h) => hostsOf(ing).includes(h)))) await flush();
      batch.push(ing);
    }
    await flush();
  });

  it('gives byte-identical output to reading the same objects from files', async () => {
    // Guard: for every two Ingresses sharing a host, the cluster's timestamps order them as the fixtures do.
    const live = (JSON.parse(await kubectlOk(['get', 'ingress', '-A', '-l', LABEL, '-o', 'json'], k)) as { items: Obj[] }).items;
    const fixtures = demoDocs().filter((d) => d.kind === 'Ingress');
    expect(live).toHaveLength(fixtures.length);
    const key = (d: Obj): string => `${(d.metadata as Meta).namespace}/${(d.metadata as Meta).name}`;
    const liveTs = new Map(live.map((d) => [key(d), (d.metadata as Meta).creationTimestamp ?? '']));
    const hosts = (d: Obj): string[] => ((d.spec as { rules?: { host?: string }[] }).rules ?? []).map((r) => r.host ?? '');
    let pairs = 0;
    for (const a of fixtures)
      for (const b of fixtures) {
        const ta = (a.metadata as Meta).creationTimestamp ?? '';
        const tb = (b.metadata as Meta).creationTimestamp ?? '';
        if (ta < tb && hosts(a).some((h) => hosts(b).includes(h))) {
          pairs++;
          expect(liveTs.get(key(a))! < liveTs.get(key(b))!, `${key(a)} before ${key(b)}`).toBe(true);
        }
      }
    expect(pairs).toBeGreaterThanOrEqual(7);

    for (const target of ['httpproxy', 'ingressroute']) {
      const fromFiles = await cli(['convert', '-f', DEMO, '--target', target, '-v']);
      // Without controller discovery: the cluster's ingress-nginx configuration (controller-discovery.e2e.test.ts) is no part of the Ingresses.
      const fromCluster = await cli(['convert', '-A', '-l', LABEL, '--target', target, '-v', '--no-controller-discovery']);
      // The demo's configuration-snippet (4); on IngressRoute its IP allow list cannot be kept (6: the host is left out).
      expect(fromFiles.code).toBe(target === 'ingressroute' ? 6 : 4);
      expect(fromCluster.code).toBe(fromFiles.code);
      expect(fromCluster.stdout.length).toBeGreaterThan(1000);
      expect(fromCluster.stdout).toBe(fromFiles.stdout);
      // Findings too, but for where an object came from: files name the file, the cluster says "cluster".
      expect(fromCluster.stderr).toBe(fromFiles.stderr);
    }
  });

  it('reads one namespace with -n, and the context namespace by default', async () => {
    const one = await cli(['convert', '-n', 'checkout', '--target', 'httpproxy']);
    expect(one.stderr).toMatch(/converted 2 of 2 Ingress\(es\)/);
    expect(one.stdout).toContain('ingress2contour/sources: checkout/checkout,checkout/checkout-canary');
    expect(one.stdout).not.toMatch(/sources: .*storefront/);

    // The reader context's namespace is team-a, where it may list Ingresses but not Services.
    await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], {
      ...k,
      input: JSON.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'mine', namespace: 'team-a' },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'a', port: { name: 'http' } } } }] } }] },
      }),
    });
    const reader = await cli(['convert', '--context', 'reader', '--target', 'httpproxy']);
    expect(reader.code).toBe(4); // the named port cannot be resolved without the Service
    expect(reader.stderr).toContain('[route.port-unresolved]');
    expect(reader.stderr).toMatch(
      /warning: cannot list services \(services is forbidden: User "reader" cannot list resource "services" in API group "" in the namespace "team-a"\); named Service ports stay unresolved/,
    );
    expect(reader.stderr).toMatch(/converted 1 of 1 Ingress/);
  });

  it('selects with -l', async () => {
    const r = await cli(['convert', '-A', '-l', `${LABEL},kubernetes.io/metadata.name!=x`, '-n', 'x']);
    expect(r.code).toBe(2); // -n and -A together
    const shop = await cli(['convert', '-n', 'storefront', '-l', 'i2c-e2e=nothing']);
    expect(shop.code).toBe(3);
    expect(shop.stderr).toContain('the input holds no Ingress');
  });

  it('reads the ConfigMaps custom-headers names, and says so when one is missing', async () => {
    await ensureNamespaces(['headers']);
    const ingress = (name: string, ref: string): Obj => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: 'headers', annotations: { 'nginx.ingress.kubernetes.io/custom-headers': ref } },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: `${name}.headers.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
      },
    });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'security', namespace: 'headers' }, data: { 'X-Frame-Options': 'DENY' } };
    await kubectlOk(['apply', '-f', '-'], { ...k, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [cm, ingress('with', 'security'), ingress('without', 'headers/absent')] }) });
    const r = await cli(['convert', '-n', 'headers', '--target', 'httpproxy']);
    expect(r.stdout).toMatch(/responseHeadersPolicy:\n\s+set:\n\s+- name: X-Frame-Options\n\s+value: DENY/);
    expect(r.stderr).toContain('warning: cannot read ConfigMap headers/absent named by custom-headers (not-found)');
    expect(r.stderr).toMatch(/Ingress headers\/without .*custom-headers: ConfigMap "headers\/absent" is not in the input/);
  });

  it('pages through lists (limit + continue)', async () => {
    await ensureNamespaces(['bulk']);
    const items = Array.from({ length: 520 }, (_, i) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `ing-${String(i).padStart(3, '0')}`, namespace: 'bulk' },
      spec: { ingressClassName: 'nginx', rules: [{ host: `h${i}.bulk.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
    }));
    await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], { ...k, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    const client = new KubeClient(loadKubeConfig({ kubeconfig, context: 'admin' }));
    const all = await client.listAll('/apis/networking.k8s.io/v1/namespaces/bulk/ingresses');
    expect(all).toHaveLength(520);
    expect(client.requests).toBe(2); // 500 + 20
    const small = await client.listAll('/apis/networking.k8s.io/v1/namespaces/bulk/ingresses', { limit: 100 });
    expect(small.map((o) => (o.metadata as Meta).name)).toEqual(all.map((o) => (o.metadata as Meta).name));
    expect(client.requests).toBe(2 + 6);
    client.close();

    const r = await cli(['convert', '-n', 'bulk', '--chunk-size', '64', '--target', 'httpproxy']);
    expect(r.stderr).toMatch(/converted 520 of 520 Ingress\(es\) into 1040 HTTPProxy/);
  });
});

describe('cluster failures: one line, exit code 5, no credentials', () => {
  const secrets = credentialsOf();

  const expectOneLine = (r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void => {
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  };

  it('unreachable apiserver', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const file = editedKubeconfig((cfg) => {
      (cfg.clusters[0] as { cluster: { server: string } }).cluster.server = `https://127.0.0.1:${port}`;
    });
    for (const context of ['admin', 'reader']) {
      const r = await cli(['convert', '--context', context, '-A'], { kubeconfig: file });
      expectOneLine(r, new RegExp(`^error: cannot reach the apiserver https://127\\.0\\.0\\.1:${port} \\(context "${context}"\\): connection refused$`));
      expectNoCredentials(r, secrets);
    }
  });

  it('invalid credentials (401)', async () => {
    const bad = 'not-the-token-0123456789abcdef';
    const file = editedKubeconfig((cfg) => {
      for (const u of cfg.users as { user: Obj }[]) if (u.user.token) u.user.token = bad;
    });
    const r = await cli(['convert', '--context', 'reader'], { kubeconfig: file });
    expectOneLine(r, /^error: the apiserver https:\/\/127\.0\.0\.1:\d+ rejected the credentials of context "reader" \(401 Unauthorized\)$/);
    expectNoCredentials(r, [...secrets, bad]);
  });

  it('forbidden (403) names the namespace, resource and verb', async () => {
    const r = await cli(['convert', '--context', 'nobody', '-n', 'team-a']);
    expectOneLine(r, /^error: ingresses\.networking\.k8s\.io is forbidden: User "nobody" cannot list resource "ingresses" in API group "networking\.k8s\.io" in the namespace "team-a"$/);
    const all = await cli(['convert', '--context', 'reader', '-A']);
    expectOneLine(all, /User "reader" cannot list resource "ingresses" in API group "networking\.k8s\.io" at the cluster scope/);
    expectNoCredentials(r, secrets);
    expectNoCredentials(all, secrets);
  });

  it('no command prints a credential, whatever fails', async () => {
    const bad = 'wrong-token-abcdef0123456789';
    const wrongToken = editedKubeconfig((cfg) => {
      for (const u of cfg.users as { user: Obj }[]) if (u.user.token) u.user.token = bad;
    });
    const input = readFileSync(path.join(DEMO, 'shop.yaml'), 'utf8');
    let runs = 0;
    for (const command of ['convert', 'diff', 'apply', 'prune']) {
      for (const [context, file] of [
        ['nobody', kubeconfig],
        ['reader', kubeconfig],
        ['reader', wrongToken],
      ] as const) {
        for (const source of [['-A'], ['-f', '-']]) {
          if (command === 'convert' && source[0] === '-f') continue; // no cluster involved
          const r = await cli([command, '--context', context, ...source], { kubeconfig: file, stdin: input });
          runs++;
          expect(r.code, `${command} --context ${context} ${source.join(' ')}: ${r.stderr}`).toBeGreaterThan(1);
          expect(r.stderr).not.toMatch(/\n\s+at /);
          expectNoCredentials(r, [...secrets, bad]);
        }
      }
    }
    expect(runs).toBe(21);
  });

  it('missing kubeconfig, missing context, broken kubeconfig', async () => {
    expectOneLine(await cli(['convert', '--kubeconfig', '/nonexistent/config']), /^error: --kubeconfig \/nonexistent\/config: no such file$/);
    expectOneLine(await cli(['convert', '--context', 'prod']), /^error: context "prod" not found in kubeconfig .* \(it has: admin, reader, nobody\)$/);
    const broken = path.join(tmpDir(), 'kubeconfig');
    // A YAML error right after the token: js-yaml would quote that line in its message.
    writeFileSync(broken, readFileSync(kubeconfig, 'utf8').replace(/(token: \S+)/, '$1\n  : : [unclosed'));
    const r = await cli(['convert'], { kubeconfig: broken });
    expectOneLine(r, /^error: kubeconfig .* is not valid YAML \(line \d+\)$/);
    expectNoCredentials(r, secrets);
    const env = process.env.KUBECONFIG;
    const home = process.env.HOME;
    try {
      delete process.env.KUBECONFIG;
      process.env.HOME = tmpDir();
      const none = await cli(['convert', '--kubeconfig', '']);
      expect(none.code).toBe(5);
    } finally {
      if (env !== undefined) process.env.KUBECONFIG = env;
      process.env.HOME = home;
    }
  });
});
