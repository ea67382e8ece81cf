// A real ingress-nginx controller (v1.11, built by prepare.sh) with Debian's nginx, against the
// harness apiserver: the differential oracle of the traffic suite. The controller's fixed paths
// (/etc/nginx, /etc/ingress-controller, /tmp/nginx) live in a private mount namespace, its
// process checks in a private PID namespace; every port is on 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, harnessDir, readVersionsFile } from './cluster.js';
import { kubectl, kubectlOk, type KubectlOptions } from './kubectl.js';
import { freePorts, installExitHooks, registerCleanup, removeDir, startProcess, stopProcess, tailFile, unregisterCleanup, waitFor, type Proc } from './procs.js';

export interface IngressNginx {
  httpPort: number;
  httpsPort: number;
  statusPort: number;
  /** Replace the controller ConfigMap data (merged over the harness defaults) and wait for the sync. */
  setConfig(data: Record<string, string>): Promise<void>;
  /** Wait until the controller has applied the current Ingresses/Services/EndpointSlices. */
  waitForSync(): Promise<void>;
  stop(): Promise<void>;
}

export interface IngressNginxOptions {
  kubeconfig: string;
  namespace?: string;
  ingressClass?: string;
  config?: Record<string, string>;
  /** Extra controller flags (`--name=value`), e.g. a scenario's --default-ssl-certificate. */
  args?: string[];
  log?: (line: string) => void;
}

const CONTROLLER_BINARY = 'nginx-ingress-controller';
const CONTROLLER_NAME = 'k8s.io/ingress-nginx';
const NGINX = '/usr/sbin/nginx';
const DEBIAN_MODULES = '/usr/lib/nginx/modules';
// ndk first: lua and set-misc depend on it.
const MODULES = ['ndk_http_module.so', 'ngx_http_lua_module.so', 'ngx_http_headers_more_filter_module.so', 'ngx_http_set_misc_module.so', 'ngx_stream_module.so'];
const DEBIAN_LUA = [
  '/usr/share/lua/5.1/resty/core.lua',
  '/usr/share/lua/5.1/resty/lrucache.lua',
  '/usr/share/lua/5.1/cjson',
  '/usr/share/lua/5.1/nginx/dns/resolver.lua',
  '/usr/share/lua/5.1/nginx/string.lua',
];
// Files of Debian's /etc/nginx the upstream image also has and the template includes.
const DEBIAN_ETC = ['mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf'];

/**
 * Harness defaults: loopback only, no HTTP/2 (nginx 1.22 rejects `http2 on;`), no IPv6, one
 * worker (light reloads), and old workers gone soon after a reload.
 */
export const HARNESS_CONFIG: Readonly<Record<string, string>> = {
  'bind-address': '127.0.0.1',
  'use-http2': 'false',
  'disable-ipv6': 'true',
  'disable-ipv6-dns': 'true',
  'worker-processes': '1',
  'worker-shutdown-timeout': '5s',
};

export interface IngressNginxVersions {
  module: string;
  release: string;
}

export function readIngressNginxVersions(): IngressNginxVersions {
  const v = readVersionsFile();
  if (!v.INGRESS_NGINX_VERSION || !v.INGRESS_NGINX_RELEASE) throw new Error('versions.env lacks INGRESS_NGINX_VERSION or INGRESS_NGINX_RELEASE');
  return { module: v.INGRESS_NGINX_VERSION, release: v.INGRESS_NGINX_RELEASE };
}

export function controllerBinaryPath(v: IngressNginxVersions = readIngressNginxVersions()): string {
  return path.join(cacheDir(), `ingress-nginx-${v.release}`, CONTROLLER_BINARY);
}

function goModCache(): string {
  if (process.env.GOMODCACHE) return process.env.GOMODCACHE;
  try {
    const out = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (out) return out;
  } catch {
    // no go on PATH: the default location
  }
  return path.join(process.env.GOPATH || path.join(os.homedir(), 'go'), 'pkg', 'mod');
}

/** rootfs/etc/nginx of the controller's Go module (template + Lua), read-only in the module cache. */
export function moduleNginxDir(v: IngressNginxVersions = readIngressNginxVersions()): string {
  return path.join(goModCache(), `k8s.io/ingress-nginx@${v.module}`, 'rootfs', 'etc', 'nginx');
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && existsSync(path.join(d, bin)));
}

/** What is missing for the oracle, empty when it can run. */
export function ingressNginxMissing(): string[] {
  const missing: string[] = [];
  let v: IngressNginxVersions | undefined;
  try {
    v = readIngressNginxVersions();
  } catch (err) {
    return [(err as Error).message];
  }
  if (!existsSync(controllerBinaryPath(v))) missing.push(`controller ${controllerBinaryPath(v)} (prepare.sh ingress-nginx)`);
  if (!existsSync(path.join(moduleNginxDir(v), 'template', 'nginx.tmpl'))) missing.push(`k8s.io/ingress-nginx@${v.module} in the Go module cache`);
  if (!existsSync(NGINX)) missing.push(`${NGINX} (prepare.sh nginx-debs)`);
  for (const m of MODULES) if (!existsSync(path.join(DEBIAN_MODULES, m))) missing.push(path.join(DEBIAN_MODULES, m));
  for (const f of DEBIAN_LUA) if (!existsSync(f)) missing.push(f);
  if (!onPath('unshare')) missing.push('unshare (util-linux)');
  if (!isRoot()) missing.push('root (mount and PID namespaces)');
  return missing;
}

export function ingressNginxPresent(): boolean {
  return ingressNginxMissing().length === 0;
}

// ---------------------------------------------------------------- template

/** Replaces exactly one occurrence of `anchor`; a changed upstream template fails loudly here. */
function replaceOnce(text: string, anchor: string | RegExp, replacement: string, what: string): string {
  const matches = typeof anchor === 'string' ? text.split(anchor).length - 1 : [...text.matchAll(new RegExp(anchor.source, `${anchor.flags.replace('g', '')}g`))].length;
  if (matches !== 1) throw new Error(`ingress-nginx template: anchor for "${what}" found ${matches} times (expected once): ${String(anchor)}`);
  return text.replace(anchor, replacement);
}

/**
 * Adjusts the upstream template for Debian's nginx: dynamic modules loaded (the upstream image
 * links them statically), master/workers as root (the controller writes root-only files), the
 * stream block (needs stream-lua, which Debian lacks) reduced to a listener that accepts and
 * closes, and the catch-all default server bound to 127.0.0.1.
 */
export function adjustTemplate(tmpl: string): string {
  let t = tmpl;
  t = replaceOnce(t, 'pid {{ .PID }};\n', `pid {{ .PID }};\nuser root;\n${MODULES.map((m) => `load_module ${DEBIAN_MODULES}/${m};`).join('\n')}\n`, 'load Debian modules');
  const start = t.indexOf('\nstream {\n');
  if (start < 0 || t.indexOf('\nstream {\n', start + 1) >= 0) throw new Error('ingress-nginx template: no single "stream {" block');
  const end = t.indexOf('\n}\n', start + 1);
  if (end < 0) throw new Error('ingress-nginx template: end of the stream block not found');
  const stream = t.slice(start, end + 3);
  if (!stream.includes('listen 127.0.0.1:{{ .StreamPort }};')) throw new Error('ingress-nginx template: stream block without the StreamPort listener');
  t =
    `${t.slice(0, start)}\nstream {\n    # ingress2contour oracle: no stream-lua in Debian; accept the controller's TCP/UDP pushes and close.\n` +
    '    server {\n        listen 127.0.0.1:{{ .StreamPort }};\n        return "";\n    }\n}\n' +
    t.slice(end + 3);
  t = replaceOnce(t, 'listen {{ $all.ListenPorts.Default }} default_server', 'listen 127.0.0.1:{{ $all.ListenPorts.Default }} default_server', 'default server on loopback');
  return t;
}

/** /etc/nginx for the controller: the module's tree, Debian's shared files, our Lua, the adjusted template. */
function buildEtcNginx(dest: string): void {
  const src = moduleNginxDir();
  cpSync(src, dest, { recursive: true });
  // The module cache is read-only, and so is every copy of it.
  const makeWritable = (p: string): void => {
    const st = statSync(p);
    chmodSync(p, st.mode | 0o200);
    if (st.isDirectory()) for (const e of readdirSync(p)) makeWritable(path.join(p, e));
  };
  makeWritable(dest);
  for (const f of DEBIAN_ETC) {
    const from = path.join('/etc/nginx', f);
    if (existsSync(from)) cpSync(from, path.join(dest, f));
  }
  cpSync(path.join(harnessDir, 'nginx-lua', 'resty'), path.join(dest, 'lua', 'resty'), { recursive: true });
  const tmplPath = path.join(dest, 'template', 'nginx.tmpl');
  writeFileSync(tmplPath, adjustTemplate(readFileSync(tmplPath, 'utf8')));
}

function buildEtcIngressController(dest: string): void {
  for (const d of ['ssl', 'auth', 'geoip', 'telemetry']) mkdirSync(path.join(dest, d), { recursive: true });
  writeFileSync(path.join(dest, 'telemetry', 'opentelemetry.toml'), '');
}

// ---------------------------------------------------------------- controller

function httpGet(port: number, host: string, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers: { host }, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

// The mounts happen inside `unshare -m -p -f --mount-proc`: /etc and /tmp get private overlays
// (writes stay in a tmpfs of this run), /etc/nginx and /etc/ingress-controller our trees;
// /tmp/nginx is made as in the upstream image.
const LAUNCHER = `set -eu
mount -t tmpfs i2c-oracle "$I2C_SCRATCH"
mkdir "$I2C_SCRATCH/etc-up" "$I2C_SCRATCH/etc-work" "$I2C_SCRATCH/tmp-up" "$I2C_SCRATCH/tmp-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$I2C_SCRATCH/etc-up,workdir=$I2C_SCRATCH/etc-work" /etc
mkdir -p /etc/ingress-controller
mount --bind "$I2C_ETC_NGINX" /etc/nginx
mount --bind "$I2C_ETC_IC" /etc/ingress-controller
mount -t overlay overlay -o "lowerdir=/tmp,upperdir=$I2C_SCRATCH/tmp-up,workdir=$I2C_SCRATCH/tmp-work" /tmp
mkdir -p /tmp/nginx
exec "$@"
`;

let instances = 0;

export async function startIngressNginx(opts: IngressNginxOptions): Promise<IngressNginx> {
  installExitHooks();
  const log = opts.log ?? ((): void => {});
  const missing = ingressNginxMissing();
  if (missing.length > 0) throw new Error(`ingress-nginx oracle unavailable, missing: ${missing.join('; ')}`);
  const namespace = opts.namespace ?? 'ingress-nginx';
  const ingressClass = opts.ingressClass ?? 'nginx';
  const id = `oracle-${process.pid}-${++instances}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-ingress-nginx-'));
  const cleanupKey = `ingress-nginx:${dir}`;
  registerCleanup(cleanupKey, () => removeDir(dir));
  const k: KubectlOptions = { kubeconfig: opts.kubeconfig, cacheDir: path.join(dir, 'kubectl-cache'), timeoutMs: 60_000 };
  const apply = async (objects: unknown[]): Promise<void> => {
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=ingress2contour-e2e-oracle', '-f', '-'], {
      ...k,
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    });
  };
  const configMap = (data: Record<string, string>): unknown => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: id, namespace },
    data: { ...HARNESS_CONFIG, ...data },
  });
  const syncService = `${id}-sync`;
  const syncHost = `${id}.sync.oracle.invalid`;
  let syncSeq = 0;
  const marker = (n: number): unknown => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: syncService, namespace },
    spec: {
      ingressClassName: ingressClass,
      rules: [{ host: syncHost, http: { paths: [{ path: `/sync-${n}`, pathType: 'Exact', backend: { service: { name: syncService, port: { number: 80 } } } }] } }],
    },
  });
  const owned = [
    { kind: 'pod', name: id },
    { kind: 'configmap', name: id },
    { kind: 'ingress', name: syncService },
    { kind: 'service', name: syncService },
  ];

  let proc: Proc | undefined;
  const stop = async (): Promise<void> => {
    // The controller stops nginx on SIGTERM; a short post-shutdown grace keeps this quick.
    await stopProcess(proc, 20_000);
    for (const o of owned) {
      await kubectl(['delete', o.kind, o.name, '-n', namespace, '--ignore-not-found', '--wait=false'], k).catch(() => undefined);
    }
    removeDir(dir);
    unregisterCleanup(cleanupKey);
  };

  try {
    const etcNginx = path.join(dir, 'etc-nginx');
    const etcIc = path.join(dir, 'etc-ingress-controller');
    const scratch = path.join(dir, 'ns');
    mkdirSync(scratch);
    buildEtcNginx(etcNginx);
    buildEtcIngressController(etcIc);

    // Identity and configuration objects: the Pod only has to exist (nothing schedules it).
    const ns = await kubectl(['get', 'namespace', namespace], k);
    if (ns.code !== 0) await apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }]);
    const cls = await kubectl(['get', 'ingressclass', ingressClass, '-o', 'jsonpath={.spec.controller}'], k);
    if (cls.code !== 0) {
      await apply([{ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: ingressClass }, spec: { controller: CONTROLLER_NAME } }]);
    } else if (cls.stdout.trim() !== CONTROLLER_NAME) {
      throw new Error(`IngressClass ${ingressClass} belongs to controller ${cls.stdout.trim()}, not ${CONTROLLER_NAME}`);
    }
    await apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: id, namespace, labels: { app: 'ingress2contour-oracle' } },
        spec: { automountServiceAccountToken: false, containers: [{ name: 'controller', image: 'ingress-nginx.oracle.invalid/controller' }] },
      },
      configMap(opts.config ?? {}),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: syncService, namespace }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
      marker(syncSeq),
    ]);

    const [httpPort, httpsPort, defaultPort, healthzPort, statusPort, streamPort, profilerPort, loggerPort] = (await freePorts(8)) as [number, number, number, number, number, number, number, number];
    const logPath = path.join(dir, 'controller.log');
    const launcher = path.join(dir, 'launch.sh');
    writeFileSync(launcher, LAUNCHER);
    proc = startProcess(
      'ingress-nginx',
      'unshare',
      [
        '--mount',
        '--pid',
        '--fork',
        '--mount-proc',
        '--propagation',
        'private',
        'sh',
        launcher,
        controllerBinaryPath(),
        `--kubeconfig=${opts.kubeconfig}`,
        `--configmap=${namespace}/${id}`,
        `--ingress-class=${ingressClass}`,
        `--controller-class=${CONTROLLER_NAME}`,
        `--http-port=${httpPort}`,
        `--https-port=${httpsPort}`,
        `--default-server-port=${defaultPort}`,
        '--healthz-host=127.0.0.1',
        `--healthz-port=${healthzPort}`,
        `--status-port=${statusPort}`,
        `--stream-port=${streamPort}`,
        `--profiler-port=${profilerPort}`,
        '--profiling=false',
        `--internal-logger-address=127.0.0.1:${loggerPort}`,
        '--update-status=false',
        '--enable-metrics=false',
        '--disable-leader-election',
        '--sync-rate-limit=2',
        '--post-shutdown-grace-period=1',
        '--shutdown-grace-period=0',
        '--v=1',
        ...(opts.args ?? []),
      ],
      logPath,
      {
        env: {
          PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
          POD_NAME: id,
          POD_NAMESPACE: namespace,
          NGINX_BINARY: NGINX,
          I2C_SCRATCH: scratch,
          I2C_ETC_NGINX: etcNginx,
          I2C_ETC_IC: etcIc,
        },
      },
    );
    const started = Date.now();
    await waitFor('ingress-nginx /healthz', async () => (await httpGet(healthzPort, 'localhost', '/healthz')).status === 200, 90_000, [proc], 250);

    const waitForSync = async (): Promise<void> => {
      // The controller renders one snapshot of all objects per sync; a marker Ingress changed
      // after the caller's writes is served (503: its Service has no endpoints) only by a
      // configuration that includes them. A configuration nginx refuses is never served: the
      // controller keeps the old one and logs why.
      const n = ++syncSeq;
      const logStart = fileSize(logPath);
      await apply([marker(n)]);
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (proc?.exitInfo) throw new Error(`ingress-nginx exited (${proc.exitInfo}); log:\n${tailFile(logPath, 30)}`);
        const rejected = rejection(readFrom(logPath, logStart));
        if (rejected) throw new IngressNginxRejected(rejected);
        const status = await httpGet(httpPort, syncHost, `/sync-${n}`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 503) break;
        if (Date.now() > deadline) throw new Error(`ingress-nginx sync ${n}: not served after 60 s; log:\n${tailFile(logPath, 30)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Endpoints reach the workers through the Lua balancer, which re-reads them every second.
      await new Promise((r) => setTimeout(r, 1_200));
    };
    await waitForSync();
    log(
      `ingress-nginx ${readIngressNginxVersions().release} (nginx ${nginxVersion()}) ready in ${Date.now() - started} ms: ` +
        `http 127.0.0.1:${httpPort}, https 127.0.0.1:${httpsPort}, status ${statusPort}`,
    );

    return {
      httpPort,
      httpsPort,
      statusPort,
      setConfig: async (data) => {
        await apply([configMap(data)]);
        await waitForSync();
      },
      waitForSync,
      stop,
    };
  } catch (err) {
    const tail = proc ? `\n--- controller log (${proc.logPath}):\n${tailFile(proc.logPath, 30)}` : '';
    await stop();
    throw new Error(`${(err as Error).message}${tail}`);
  }
}

/** nginx refused the configuration the controller rendered (the controller keeps the old one). */
export class IngressNginxRejected extends Error {
  constructor(readonly nginxError: string) {
    super(`ingress-nginx: nginx rejected the rendered configuration: ${nginxError}`);
    this.name = 'IngressNginxRejected';
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

/** The nginx error of a failed reload in a stretch of controller log, if any. */
function rejection(logText: string): string | undefined {
  if (!logText.includes('Error reloading NGINX')) return undefined;
  return /\[emerg\][^\n]*/.exec(logText)?.[0]?.replace(/ in \/tmp\/nginx\/nginx-cfg\d+:\d+/, '') ?? 'Error reloading NGINX';
}

export function nginxVersion(): string {
  // `nginx -v` prints to stderr.
  const res = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${res.stderr}${res.stdout}`)?.[1] ?? 'unknown';
}
