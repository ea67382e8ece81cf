// Cluster side of the traffic suite: Services without selector + EndpointSlices for the netns
// backends, TLS secrets from a throwaway CA, server-side apply, and the waits (HTTPProxy
// status valid, Envoy holding the routes and endpoints).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ContourEnvoy } from '../harness/contour.js';
import { kubectl, kubectlOk, type KubectlOptions } from '../harness/kubectl.js';
import type { Backends } from '../harness/netns.js';
import { registerCleanup, removeDir, unregisterCleanup, waitFor } from '../harness/procs.js';

export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } & Record<string, unknown> } & Record<string, unknown>;

const FIELD_MANAGER = 'ingress2contour-e2e-traffic';

export async function apply(objects: Obj[], k: KubectlOptions, dryRun = false): Promise<string> {
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  const args = ['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'];
  if (dryRun) args.push('--dry-run=server');
  const res = await kubectl(args, { ...k, input: JSON.stringify(list) });
  if (res.code !== 0) throw new Error(`kubectl apply${dryRun ? ' (dry-run)' : ''} failed:\n${res.stderr || res.stdout}`);
  return res.stdout;
}

export async function remove(objects: Obj[], k: KubectlOptions): Promise<void> {
  if (objects.length === 0) return;
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  await kubectlOk(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], { ...k, input: JSON.stringify(list) });
}

export interface ServiceRef {
  namespace: string;
  name: string;
  port: number;
}

/** A selector-less Service and its hand-made EndpointSlice pointing at the netns backend. */
export function serviceObjects(ref: ServiceRef, backends: Backends, backendName: string): Obj[] {
  const ep = backends.endpoints(backendName);
  const portName = `p${ref.port}`;
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ref.name, namespace: ref.namespace },
      spec: { ports: [{ name: portName, port: ref.port, targetPort: ep.port, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${ref.name}-e2e`, namespace: ref.namespace, labels: { 'kubernetes.io/service-name': ref.name } },
      addressType: 'IPv4',
      ports: [{ name: portName, port: ep.port, protocol: 'TCP' }],
      endpoints: ep.ip.map((a) => ({ addresses: [a], conditions: { ready: true } })),
    },
  ];
}

export interface Pki {
  caCrt: string;
  /** A kubernetes.io/tls Secret for the hosts, signed by the CA. */
  secret(namespace: string, name: string, hosts: string[]): Obj;
  dir: string;
  remove(): void;
}

export function makePki(): Pki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-traffic-pki-'));
  registerCleanup(`pki:${dir}`, () => removeDir(dir));
  const ossl = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl([
    'req',
    '-x509',
    ...ec,
    '-days',
    '2',
    '-subj',
    '/CN=ingress2contour-traffic-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  let serial = 1;
  return {
    dir,
    remove: () => {
      removeDir(dir);
      unregisterCleanup(`pki:${dir}`);
    },
    caCrt: readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    secret: (namespace, name, hosts) => {
      const base = `${namespace}-${name}`;
      writeFileSync(path.join(dir, `${base}.ext`), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
      ossl(['req', '-new', ...ec, '-subj', `/CN=${hosts[0]}`, '-keyout', `${base}.key`, '-out', `${base}.csr`]);
      ossl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(serial++), '-days', '2', '-extfile', `${base}.ext`, '-out', `${base}.crt`]);
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name, namespace },
        data: {
          'tls.crt': readFileSync(path.join(dir, `${base}.crt`)).toString('base64'),
          'tls.key': readFileSync(path.join(dir, `${base}.key`)).toString('base64'),
        },
      };
    },
  };
}

interface ProxyStatus {
  metadata: { name: string; namespace: string };
  spec: { virtualhost?: { fqdn: string; tls?: unknown } };
  status?: { currentStatus?: string; description?: string; conditions?: Array<{ type: string; errors?: Array<{ message: string }> }> };
}

/** Waits until every HTTPProxy among `objects` reports currentStatus `valid`; returns their statuses. */
export async function waitValid(objects: Obj[], k: KubectlOptions, timeoutMs = 15_000): Promise<Map<string, string>> {
  const wanted = objects.filter((o) => o.kind === 'HTTPProxy').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  const statuses = new Map<string, string>();
  const namespaces = [...new Set(objects.filter((o) => o.kind === 'HTTPProxy').map((o) => o.metadata.namespace as string))];
  let detail = '';
  await waitFor(
    `HTTPProxies valid (${wanted.join(', ')})`,
    async () => {
      const items: ProxyStatus[] = [];
      for (const ns of namespaces) {
        const raw = await kubectlOk(['get', 'httpproxies.projectcontour.io', '-n', ns, '-o', 'json'], k);
        items.push(...(JSON.parse(raw) as { items: ProxyStatus[] }).items);
      }
      statuses.clear();
      const problems: string[] = [];
      for (const key of wanted) {
        const item = items.find((i) => `${i.metadata.namespace}/${i.metadata.name}` === key);
        const s = item?.status?.currentStatus ?? 'missing';
        statuses.set(key, s);
        if (s !== 'valid') {
          const errs = item?.status?.conditions
            ?.flatMap((c) => c.errors ?? [])
            .map((e) => e.message)
            .join('; ');
          problems.push(`${key}: ${s}${item?.status?.description ? ` (${item.status.description})` : ''}${errs ? ` [${errs}]` : ''}`);
        }
      }
      detail = problems.join('\n');
      if (problems.length > 0) throw new Error(detail);
      return true;
    },
    timeoutMs,
    [],
    250,
  );
  return statuses;
}

// With `?resource=dynamic_route_configs` every entry of `configs` is one DynamicRouteConfig.
interface RouteConfigDump {
  configs: Array<{ route_config?: RouteConfig }>;
}
interface RouteConfig {
  name: string;
  virtual_hosts?: Array<{ name: string; domains: string[]; routes?: EnvoyRoute[] }>;
}
interface EnvoyRoute {
  route?: { cluster?: string; weighted_clusters?: { clusters: Array<{ name: string }> } };
  direct_response?: { status: number };
}
interface ClustersDump {
  cluster_statuses?: Array<{ name: string; host_statuses?: unknown[] }>;
}

/**
 * Waits until Envoy has a virtual host for every fqdn (on the HTTPS listener too when `tls`),
 * every cluster its routes use has endpoints, no route is Contour's 502 for a missing include,
 * and two reads 300 ms apart agree.
 */
export async function waitEnvoy(proxy: ContourEnvoy, fqdns: Array<{ fqdn: string; tls: boolean }>, timeoutMs = 15_000): Promise<void> {
  let previous = '';
  await waitFor(
    `Envoy routes for ${fqdns.map((f) => f.fqdn).join(', ')}`,
    async () => {
      proxy.assertAlive();
      const routes = JSON.parse(await proxy.admin('/config_dump?resource=dynamic_route_configs')) as RouteConfigDump;
      const configs = routes.configs.flatMap((c) => (c.route_config ? [c.route_config] : []));
      const clusters = JSON.parse(await proxy.admin('/clusters?format=json')) as ClustersDump;
      const withHosts = new Set((clusters.cluster_statuses ?? []).filter((c) => (c.host_statuses ?? []).length > 0).map((c) => c.name));
      const seen: unknown[] = [];
      for (const { fqdn, tls } of fqdns) {
        const vhosts = configs.flatMap((c) => (c.virtual_hosts ?? []).filter((v) => v.domains.includes(fqdn)).map((v) => ({ rc: c.name, v })));
        if (!vhosts.some((x) => x.rc === 'ingress_http')) {
          throw new Error(`no http vhost for ${fqdn} in route configs ${configs.map((c) => c.name).join(', ')}`);
        }
        if (tls && !vhosts.some((x) => x.rc === `https/${fqdn}`)) throw new Error(`no https vhost for ${fqdn}`);
        for (const { v } of vhosts) {
          for (const r of v.routes ?? []) {
            if (r.direct_response?.status === 502) throw new Error(`${fqdn}: a 502 route (include not resolved yet)`);
            const names = r.route?.cluster ? [r.route.cluster] : (r.route?.weighted_clusters?.clusters ?? []).map((c) => c.name);
            for (const n of names) if (!withHosts.has(n)) throw new Error(`${fqdn}: cluster ${n} has no endpoints yet`);
          }
        }
        seen.push(vhosts);
      }
      const now = JSON.stringify(seen);
      const stable = now === previous;
      previous = now;
      return stable;
    },
    timeoutMs,
    [],
    300,
  );
}
