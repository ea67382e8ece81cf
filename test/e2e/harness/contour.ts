// Contour + Envoy outside a cluster, against the harness kubeconfig: `contour serve` on loopback
// ports, Envoy bootstrapped by `contour bootstrap` with its admin API on a unix socket.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, harnessDir, readVersionsFile } from './cluster.js';
import { kubectlOk } from './kubectl.js';
import { freePorts, installExitHooks, registerCleanup, removeDir, startProcess, stopProcess, unregisterCleanup, waitFor, type Proc } from './procs.js';

const execFileAsync = promisify(execFile);

export interface TrafficVersions {
  CONTOUR_VERSION: string;
  ENVOY_VERSION: string;
}

export function readTrafficVersions(): TrafficVersions {
  const vars = readVersionsFile();
  if (!vars.CONTOUR_VERSION || !vars.ENVOY_VERSION) throw new Error('versions.env lacks CONTOUR_VERSION or ENVOY_VERSION');
  return { CONTOUR_VERSION: vars.CONTOUR_VERSION, ENVOY_VERSION: vars.ENVOY_VERSION };
}

export interface ProxyBinaries {
  contour: string;
  envoy: string;
}

/** Where prepare.sh puts Contour and Envoy; they may not exist yet. */
export function proxyBinaryPaths(v: TrafficVersions = readTrafficVersions()): ProxyBinaries {
  return {
    contour: path.join(cacheDir(), `contour-${v.CONTOUR_VERSION}`, 'contour'),
    envoy: path.join(cacheDir(), `envoy-${v.ENVOY_VERSION}`, 'envoy'),
  };
}

/** Runs prepare.sh for Contour and Envoy when either is missing (cold: about 2 min on 2 cores). */
export async function ensureProxyBinaries(log: (m: string) => void = () => {}): Promise<ProxyBinaries> {
  const bins = proxyBinaryPaths();
  if (existsSync(bins.contour) && existsSync(bins.envoy)) return bins;
  log('contour/envoy not cached; running prepare.sh contour envoy');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [path.join(harnessDir, 'prepare.sh'), 'contour', 'envoy'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prepare.sh contour envoy exited with ${code}`))));
  });
  return bins;
}

export interface ContourEnvoy {
  dir: string;
  /** Envoy's plain HTTP and HTTPS listeners on 127.0.0.1. */
  httpPort: number;
  httpsPort: number;
  adminSocket: string;
  contourVersion: string;
  envoyVersion: string;
  contourLog: string;
  envoyLog: string;
  /** GET on Envoy's admin API (unix socket). */
  admin(pathAndQuery: string): Promise<string>;
  /** Throws with the log tail if Contour or Envoy died. */
  assertAlive(): void;
  stop(): Promise<void>;
}

export interface ContourOptions {
  kubeconfig: string;
  log?: (m: string) => void;
  readyTimeoutMs?: number;
  /**
   * Start Contour from this ContourConfiguration (--contour-config-name) instead of a config file:
   * the harness adds only its loopback ports and insecure xDS to the spec (the fields the emitted
   * object leaves to the operator), creates it with kubectl, and points $CONTOUR_NAMESPACE at it.
   * The ContourConfiguration CRD must be installed (installContourConfigurationCrd).
   */
  contourConfiguration?: { object: Record<string, unknown>; cacheDir: string };
}

/** Deep merge: `over` wins on leaves, objects merge, arrays are replaced. */
function mergeSpec(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isObj(prev) && isObj(value) ? mergeSpec(prev, value) : value;
  }
  return out;
}

function httpGet(opts: http.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ ...opts, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

export async function startContourEnvoy(opts: ContourOptions): Promise<ContourEnvoy> {
  installExitHooks();
  const log = opts.log ?? ((): void => {});
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const versions = readTrafficVersions();
  const bins = await ensureProxyBinaries(log);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-proxy-'));
  const cleanupKey = `proxy-dir:${dir}`;
  registerCleanup(cleanupKey, () => removeDir(dir));
  let contour: Proc | undefined;
  let envoy: Proc | undefined;

  const stop = async (): Promise<void> => {
    await stopProcess(envoy, 5_000);
    await stopProcess(contour, 5_000);
    removeDir(dir);
    unregisterCleanup(cleanupKey);
  };

  try {
    const [xds, stats, metrics, health, debug, envoyHttp, envoyHttps, envoyAdmin] = (await freePorts(8)) as [number, number, number, number, number, number, number, number];
    // The admin listener Contour programs into Envoy defaults to 127.0.0.1:9001; move it to a free port.
    const configPath = path.join(dir, 'contour.yaml');
    writeFileSync(configPath, `network:\n  admin-port: ${envoyAdmin}\n`);
    let configArg = `--config-path=${configPath}`;
    let env: NodeJS.ProcessEnv | undefined;
    if (opts.contourConfiguration) {
      // With --contour-config-name Contour ignores the file and these flags: the same settings go into the object.
      const cc = opts.contourConfiguration.object as { metadata: { name: string; namespace: string }; spec?: Record<string, unknown> };
      const loopback = '127.0.0.1';
      const harnessSpec = {
        xdsServer: { address: loopback, port: xds, tls: { insecure: true } },
        health: { address: loopback, port: health },
        metrics: { address: loopback, port: metrics },
        debug: { address: loopback, port: debug },
        envoy: {
          http: { address: loopback, port: envoyHttp },
          https: { address: loopback, port: envoyHttps },
          health: { address: loopback, port: stats },
          metrics: { address: loopback, port: stats },
          network: { adminPort: envoyAdmin },
        },
      };
      // The emitted settings win over the harness's (they never overlap: asserted by the callers).
      const object = { ...cc, spec: mergeSpec(harnessSpec, cc.spec ?? {}) };
      const k = { kubeconfig: opts.kubeconfig, cacheDir: opts.contourConfiguration.cacheDir };
      await kubectlOk(['create', 'namespace', cc.metadata.namespace], k).catch(() => '');
      await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=ingress2contour-e2e', '-f', '-'], { ...k, input: JSON.stringify(object) });
      configArg = `--contour-config-name=${cc.metadata.name}`;
      env = { ...process.env, CONTOUR_NAMESPACE: cc.metadata.namespace };
      log(`contour from ContourConfiguration ${cc.metadata.namespace}/${cc.metadata.name}`);
    }
    const contourLog = path.join(dir, 'contour.log');
    contour = startProcess(
      'contour',
      bins.contour,
      [
        'serve',
        `--kubeconfig=${opts.kubeconfig}`,
        configArg,
        '--insecure',
        '--disable-leader-election',
        '--xds-address=127.0.0.1',
        `--xds-port=${xds}`,
        '--stats-address=127.0.0.1',
        `--stats-port=${stats}`,
        '--http-address=127.0.0.1',
        `--http-port=${metrics}`,
        '--health-address=127.0.0.1',
        `--health-port=${health}`,
        '--debug-http-address=127.0.0.1',
        `--debug-http-port=${debug}`,
        '--envoy-service-http-address=127.0.0.1',
        `--envoy-service-http-port=${envoyHttp}`,
        '--envoy-service-https-address=127.0.0.1',
        `--envoy-service-https-port=${envoyHttps}`,
      ],
      contourLog,
      env ? { env } : {},
    );
    await waitFor('contour /healthz', async () => (await httpGet({ host: '127.0.0.1', port: health, path: '/healthz' })).status === 200, readyTimeoutMs, [contour]);
    log(`contour ${versions.CONTOUR_VERSION} healthy (xDS 127.0.0.1:${xds})`);

    const bootstrap = path.join(dir, 'envoy.json');
    const adminSocket = path.join(dir, 'admin.sock');
    await execFileAsync(bins.contour, ['bootstrap', bootstrap, '--xds-address=127.0.0.1', `--xds-port=${xds}`, '--xds-resource-version=v3', `--admin-address=${adminSocket}`]);
    const envoyLog = path.join(dir, 'envoy.log');
    envoy = startProcess(
      'envoy',
      bins.envoy,
      ['-c', bootstrap, '--service-cluster', 'projectcontour', '--service-node', 'ingress2contour-e2e', '--concurrency', '1', '--disable-hot-restart', '--log-level', 'warn'],
      envoyLog,
    );
    const procs = [contour, envoy];
    // /ready on the stats listener answers LIVE once Contour has pushed the listeners.
    await waitFor('envoy /ready', async () => (await httpGet({ host: '127.0.0.1', port: stats, path: '/ready' })).status === 200, readyTimeoutMs, procs);
    const envoyVersion = (await httpGet({ socketPath: adminSocket, path: '/server_info' })).body;
    const ev = (JSON.parse(envoyVersion) as { version?: string }).version ?? '';
    log(`envoy ${/\/(\d+\.\d+\.\d+)\//.exec(ev)?.[1] ?? ev} ready: http 127.0.0.1:${envoyHttp}, https 127.0.0.1:${envoyHttps}`);

    return {
      dir,
      httpPort: envoyHttp,
      httpsPort: envoyHttps,
      adminSocket,
      contourVersion: versions.CONTOUR_VERSION,
      envoyVersion: /\/(\d+\.\d+\.\d+)\//.exec(ev)?.[1] ?? ev,
      contourLog,
      envoyLog,
      admin: async (p) => {
        const res = await httpGet({ socketPath: adminSocket, path: p });
        if (res.status !== 200) throw new Error(`envoy admin ${p}: ${res.status} ${res.body.slice(0, 200)}`);
        return res.body;
      },
      assertAlive: () => {
        for (const p of procs) {
          if (p.exitInfo) throw new Error(`${p.name} exited (${p.exitInfo}); log: ${p.logPath}`);
        }
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
