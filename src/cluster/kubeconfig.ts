// Loads the kubeconfig the way kubectl does (--kubeconfig, else $KUBECONFIG, else
// ~/.kube/config, else in-cluster), selects the context, and registers every credential
// for redaction. client-node's own loadFromDefault() silently falls back to
// http://localhost:8080 when nothing is found; this never does.
//
// The files are read here, with client-node's rules (the same js-yaml parse, field mapping,
// validation messages, relative paths and merging), without loading client-node: its module
// graph costs ≈ 0.55 s of CPU at start-up, a third of an unchanged `apply -A` (docs/apply.md).
// Plain credentials (token, token file, client certificate, basic auth, CA, TLS server name,
// insecure-skip-tls-verify) are applied by this module; anything else (exec and auth-provider
// plugins, proxy-url, a plain-HTTP server, in-cluster, a context without a user) loads
// client-node on the first request and lets its KubeConfig apply them, exactly as before.
import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { ClusterError, redact, registerSecret } from './errors.js';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

/** What the cluster layer asks of a kubeconfig (a client-node KubeConfig is one). */
export type KubeConfigView = Pick<KubeConfig, 'getCurrentCluster' | 'applyToHTTPSOptions'>;

export interface LoadedConfig {
  kc: KubeConfigView;
  context: string;
  /** The context's namespace, `default` when it names none. */
  namespace: string;
  server: string;
  /** Where it came from, for messages (a path, or `in-cluster`). */
  source: string;
}

const SERVICEACCOUNT_ROOT = '/var/run/secrets/kubernetes.io/serviceaccount';
const IN_CLUSTER_TOKEN = `${SERVICEACCOUNT_ROOT}/token`;

/** The parsed kubeconfig, shaped as client-node's KubeConfig holds it. */
interface Parsed {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext?: string;
}

export function loadKubeConfig(flags: ClusterFlags, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let parsed: Parsed;
  let source: string;
  /** Builds client-node's KubeConfig from the same source, for credentials this module does not apply. */
  let full: () => Promise<KubeConfig>;
  const files = flags.kubeconfig ? [flags.kubeconfig] : (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) {
    throw new ClusterError('config', `--kubeconfig ${flags.kubeconfig}: no such file`);
  }
  const present = files.filter((f) => existsSync(f));
  if (present.length > 0) {
    parsed = present.map(loadFile).reduce((base, next) => merge(base, next));
    source = present.join(path.delimiter);
    full = () => clientNodeConfig(present);
  } else if (files.length > 0) {
    throw new ClusterError('config', `KUBECONFIG=${files.join(path.delimiter)}: no such file`);
  } else {
    const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
    if (existsSync(home)) {
      parsed = loadFile(home);
      source = home;
      full = () => clientNodeConfig([home]);
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      parsed = inCluster(env);
      source = 'in-cluster';
      full = async () => {
        const { KubeConfig } = await import('@kubernetes/client-node');
        const kc = new KubeConfig();
        kc.loadFromCluster();
        return kc;
      };
    } else {
      throw new ClusterError('config', `no kubeconfig: KUBECONFIG is not set and ${home} does not exist (give --kubeconfig, or -f to read files)`);
    }
  }
  for (const u of parsed.users) {
    registerSecret(u.token);
    registerSecret(u.password);
    registerSecret(u.keyData);
    for (const v of Object.values((u.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {})) if (typeof v === 'string') registerSecret(v);
  }

  const contextName = flags.context ?? parsed.currentContext;
  if (!contextName) throw new ClusterError('config', `kubeconfig ${source} has no current-context; give --context (one of: ${names(parsed)})`);
  const context = parsed.contexts.find((c) => c.name === contextName);
  if (!context) throw new ClusterError('config', `context "${contextName}" not found in kubeconfig ${source} (it has: ${names(parsed)})`);
  const cluster = parsed.clusters.find((c) => c.name === context.cluster);
  if (!cluster) throw new ClusterError('config', `context "${contextName}" names cluster "${context.cluster}", which kubeconfig ${source} does not define`);
  const user = context.user ? parsed.users.find((u) => u.name === context.user) : undefined;
  if (context.user && !user) throw new ClusterError('config', `context "${contextName}" names user "${context.user}", which kubeconfig ${source} does not define`);
  const kc = user && isPlain(cluster, user) ? new PlainCredentials(cluster, user) : new DeferredCredentials(cluster, contextName, full);
  return { kc, context: contextName, namespace: context.namespace || 'default', server: stripUserinfo(cluster.server), source };
}

/** Credentials this module applies itself; anything else goes through client-node. */
function isPlain(cluster: Cluster, user: User): boolean {
  return !user.exec && !user.authProvider && !cluster.proxyUrl && cluster.server.startsWith('https:');
}

/** client-node's KubeConfig.applyToHTTPSOptions for plain credentials, the files read once per run. */
class PlainCredentials implements KubeConfigView {
  private material?: Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername' | 'auth'> & { headers: Record<string, string> };

  constructor(
    private readonly cluster: Cluster,
    private readonly user: User,
  ) {}

  getCurrentCluster(): Cluster {
    return this.cluster;
  }

  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    this.material ??= this.read();
    const { headers, ...tls } = this.material;
    Object.assign(opts, tls);
    opts.headers = { ...(opts.headers as Record<string, string> | undefined), ...headers };
    return Promise.resolve();
  }

  private read(): NonNullable<PlainCredentials['material']> {
    const { cluster, user } = this;
    const out: NonNullable<PlainCredentials['material']> = { headers: {} };
    if (cluster.skipTLSVerify) out.rejectUnauthorized = false;
    if (cluster.tlsServerName) out.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    if (ca) out.ca = ca;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) out.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) out.key = key;
    if (user.impersonateUser != null) out.headers['Impersonate-User'] = user.impersonateUser;
    if (user.token) out.headers.Authorization = `Bearer ${user.token}`;
    if (user.username) out.auth = `${user.username}:${user.password}`;
    return out;
  }
}

/** Exec and auth-provider plugins, proxies, in-cluster: client-node, loaded on the first request. */
class DeferredCredentials implements KubeConfigView {
  private kc?: Promise<KubeConfig>;

  constructor(
    private readonly cluster: Cluster,
    private readonly context: string,
    private readonly load: () => Promise<KubeConfig>,
  ) {}

  getCurrentCluster(): Cluster {
    return this.cluster;
  }

  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    this.kc ??= this.load().then((kc) => {
      kc.setCurrentContext(this.context);
      return kc;
    });
    await (await this.kc).applyToHTTPSOptions(opts);
  }
}

async function clientNodeConfig(files: string[]): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  files.forEach((file, i) => {
    const one = i === 0 ? kc : new KubeConfig();
    one.loadFromFile(file);
    if (i > 0) kc.mergeConfig(one, true);
  });
  return kc;
}

function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

function loadFile(file: string): Parsed {
  try {
    return parse(readFileSync(file).toString('utf-8'), path.dirname(file));
  } catch (err) {
    const e = err as Error & { name?: string; mark?: { line?: number }; code?: string };
    // js-yaml messages quote the offending lines, which may hold a token: never pass them on.
    if (e.name === 'YAMLException') throw new ClusterError('config', `kubeconfig ${file} is not valid YAML${e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : ''}`);
    if (e.code) throw new ClusterError('config', `kubeconfig ${file}: cannot read (${e.code})`);
    throw new ClusterError('config', `kubeconfig ${file}: ${redact(String(e.message).split('\n')[0] ?? '')}`);
  }
}

type Entry = Record<string, unknown> & { name?: unknown };
const entries = (v: unknown): Entry[] => (Array.isArray(v) ? (v as Entry[]) : []);
const field = <T = string>(o: unknown, key: string): T | undefined => (o && typeof o === 'object' ? ((o as Record<string, unknown>)[key] as T | undefined) : undefined);

/** client-node's loadFromString + makePathsAbsolute (config_types.js: same fields, same messages). */
export function parse(text: string, rootDirectory: string): Parsed {
  const obj = (yaml.load(text) ?? {}) as Record<string, unknown>;
  const absolute = (file: string | undefined): string | undefined => (file && !path.isAbsolute(file) ? path.join(rootDirectory, file) : file);
  const clusters = entries(obj.clusters).map((elt, i): Cluster => {
    if (!elt.name) throw new Error(`clusters[${i}].name is missing`);
    const c = elt.cluster as Record<string, unknown> | undefined;
    if (!c) throw new Error(`clusters[${i}].cluster is missing`);
    if (!c.server) throw new Error(`clusters[${i}].cluster.server is missing`);
    return {
      caData: field(c, 'certificate-authority-data'),
      caFile: absolute(field(c, 'certificate-authority')),
      name: elt.name as string,
      server: (c.server as string).replace(/\/$/, ''),
      skipTLSVerify: c['insecure-skip-tls-verify'] === true,
      tlsServerName: field(c, 'tls-server-name'),
      proxyUrl: field(c, 'proxy-url'),
    };
  });
  const users = entries(obj.users).map((elt, i): User => {
    if (!elt.name) throw new Error(`users[${i}].name is missing`);
    const u = elt.user;
    const tokenFile = field(u, 'token-file');
    return {
      authProvider: field<unknown>(u, 'auth-provider'),
      certData: field(u, 'client-certificate-data'),
      certFile: absolute(field(u, 'client-certificate')),
      exec: field<unknown>(u, 'exec'),
      keyData: field(u, 'client-key-data'),
      keyFile: absolute(field(u, 'client-key')),
      name: elt.name as string,
      token: field(u, 'token') || (tokenFile ? readFileSync(tokenFile).toString() : undefined),
      password: field(u, 'password'),
      username: field(u, 'username'),
      impersonateUser: field(u, 'as'),
    };
  });
  const contexts = entries(obj.contexts).map((elt, i): Context => {
    if (!elt.name) throw new Error(`contexts[${i}].name is missing`);
    const c = elt.context as Record<string, unknown> | undefined;
    if (!c) throw new Error(`contexts[${i}].context is missing`);
    if (!c.cluster) throw new Error(`contexts[${i}].context.cluster is missing`);
    return { cluster: c.cluster as string, name: elt.name as string, user: (c.user as string) || (undefined as unknown as string), namespace: (c.namespace as string) || undefined };
  });
  const current = obj['current-context'];
  return { clusters, users, contexts, ...(typeof current === 'string' && current ? { currentContext: current } : {}) };
}

/** client-node's mergeConfig(next, preserveContext = true): the first file's current-context wins; a name defined twice is an error. */
function merge(base: Parsed, next: Parsed): Parsed {
  const add = <T extends { name: string }>(list: T[], more: T[], what: string): T[] => {
    for (const x of more) {
      if (list.some((y) => y.name === x.name)) throw new Error(`Duplicate ${what}: ${x.name}`);
      list.push(x);
    }
    return list;
  };
  return { ...base, clusters: add(base.clusters, next.clusters, 'cluster'), users: add(base.users, next.users, 'user'), contexts: add(base.contexts, next.contexts, 'context') };
}

/** client-node's loadFromCluster (the token is applied by client-node: FileAuth re-reads it). */
function inCluster(env: NodeJS.ProcessEnv): Parsed {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT;
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const serverHost = host.includes(':') ? `[${host}]` : host;
  const nsFile = `${SERVICEACCOUNT_ROOT}/namespace`;
  const namespace = existsSync(nsFile) ? readFileSync(nsFile).toString('utf-8') : undefined;
  return {
    clusters: [{ name: 'inCluster', caFile: `${SERVICEACCOUNT_ROOT}/ca.crt`, server: `${scheme}://${serverHost}:${port}`, skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: IN_CLUSTER_TOKEN } } }],
    contexts: [{ cluster: 'inCluster', name: 'inClusterContext', user: 'inClusterUser', ...(namespace ? { namespace } : {}) }],
    currentContext: 'inClusterContext',
  };
}

function names(p: Parsed): string {
  return p.contexts.map((c) => c.name).join(', ') || 'no contexts';
}

export function stripUserinfo(server: string): string {
  try {
    const u = new URL(server);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
}
