// Throwaway etcd + kube-apiserver for e2e tests: own PKI, own ports, own temp dir.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { freePorts, installExitHooks, registerCleanup, removeDir, startProcess, stopProcess, tailFile, unregisterCleanup, type Proc } from './procs.js';

const execFileAsync = promisify(execFile);

export const harnessDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(harnessDir, '../../..');

export interface Versions {
  KUBE_VERSION: string;
  ETCD_VERSION: string;
  CONTOUR_VERSION: string;
  CONTOUR_LEGACY_VERSION: string;
}

/** All `NAME=value` lines of versions.env (shared with prepare.sh). */
export function readVersionsFile(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path.join(harnessDir, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(\S+)\s*$/.exec(line);
    if (m?.[1] && m[2]) vars[m[1]] = m[2];
  }
  return vars;
}

/** The versions the cluster harness needs. */
export function readVersions(): Versions {
  const vars = readVersionsFile();
  const v = vars as Partial<Versions>;
  if (!v.KUBE_VERSION || !v.ETCD_VERSION || !v.CONTOUR_VERSION || !v.CONTOUR_LEGACY_VERSION) {
    throw new Error(`versions.env is incomplete: ${JSON.stringify(vars)}`);
  }
  return v as Versions;
}

export function cacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.INGRESS2CONTOUR_CACHE || path.join(xdg, 'ingress2contour');
}

export interface Binaries {
  etcd: string;
  kubeApiserver: string;
}

/** Where prepare.sh caches the binaries; they may not exist yet. */
export function binaryPaths(versions: Versions = readVersions()): Binaries {
  const dir = cacheDir();
  return {
    etcd: path.join(dir, `etcd-${versions.ETCD_VERSION}`, 'etcd'),
    kubeApiserver: path.join(dir, `kube-apiserver-${versions.KUBE_VERSION}`, 'kube-apiserver'),
  };
}

export function binariesPresent(bins: Binaries = binaryPaths()): boolean {
  return existsSync(bins.etcd) && existsSync(bins.kubeApiserver);
}

export interface ClusterOptions {
  binaries?: Binaries;
  /** How long each component may take to become ready. */
  readyTimeoutMs?: number;
  log?: (msg: string) => void;
  /** Write an audit log (level Metadata, one JSON event per request) to `Cluster.auditLogPath`. */
  audit?: boolean;
}

export interface Contexts {
  admin: 'admin';
  reader: 'reader';
  nobody: 'nobody';
}

export interface Cluster {
  kubeconfigPath: string;
  server: string;
  contexts: Contexts;
  /** Temp dir holding PKI, logs, etcd data and the kubeconfig; removed by stop(). */
  dir: string;
  kubeVersion: string;
  etcdVersion: string;
  /** With `audit`: the apiserver's audit log (JSON lines). */
  auditLogPath?: string;
  apiserverPid(): number | undefined;
  stop(): Promise<void>;
  /** SIGKILL, no graceful shutdown: simulates a crash mid-request. */
  killApiserver(): Promise<void>;
  /** Starts the apiserver again on the same port, PKI and etcd data. */
  startApiserver(): Promise<void>;
  restartApiserver(): Promise<void>;
}

const CONTEXTS: Contexts = { admin: 'admin', reader: 'reader', nobody: 'nobody' };

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

interface Pki {
  dir: string;
  caCrt: string;
  adminCrt: string;
  adminKey: string;
}

// EC P-256 keys: much faster to generate than RSA and accepted for serving, client and SA tokens.
async function makePki(dir: string): Promise<Pki> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(dir, ['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=ingress2contour-e2e-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', 'ca.key', '-out', 'ca.crt']);
  writeFileSync(path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  writeFileSync(path.join(dir, 'client.ext'), 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  const leaf = async (name: string, subj: string, ext: string): Promise<void> => {
    await openssl(dir, ['req', '-new', ...ec, '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key',
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', ext, '-out', `${name}.crt`]);
  };
  await Promise.all([
    leaf('apiserver', '/CN=kube-apiserver', 'server.ext'),
    // O=system:masters bypasses RBAC.
    leaf('admin', '/O=system:masters/CN=harness-admin', 'client.ext'),
    openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'sa.key'])
      .then(() => openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'])),
  ]);
  return {
    dir,
    caCrt: path.join(dir, 'ca.crt'),
    adminCrt: path.join(dir, 'admin.crt'),
    adminKey: path.join(dir, 'admin.key'),
  };
}

/** Polls probe() until it resolves true; fails early if the process exits. */
async function waitReady(proc: Proc, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (proc.exitInfo) {
      throw new Error(`${proc.name} exited (${proc.exitInfo}) before becoming ready. Last log lines (${proc.logPath}):\n${tailFile(proc.logPath)}`);
    }
    try {
      if (await probe()) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`${proc.name} not ready after ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}. Last log lines (${proc.logPath}):\n${tailFile(proc.logPath)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function httpGetOk(url: string, options: https.RequestOptions = {}): Promise<boolean> {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { ...options, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

function b64(file: string): string {
  return readFileSync(file).toString('base64');
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  installExitHooks();
  const versions = readVersions();
  const bins = opts.binaries ?? binaryPaths(versions);
  for (const bin of [bins.etcd, bins.kubeApiserver]) {
    if (!existsSync(bin)) throw new Error(`missing ${bin}; run: bash test/e2e/harness/prepare.sh`);
  }
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const log = opts.log ?? ((): void => {});

  const dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-e2e-'));
  registerCleanup(`dir:${dir}`, () => removeDir(dir));
  let etcd: Proc | undefined;
  let apiserver: Proc | undefined;

  const stop = async (): Promise<void> => {
    await stopProcess(apiserver, 10_000);
    await stopProcess(etcd, 5_000);
    removeDir(dir);
    unregisterCleanup(`dir:${dir}`);
  };

  try {
    const [etcdPort, peerPort, apiPort] = (await freePorts(3)) as [number, number, number];
    const pki = await makePki(dir);
    const readerToken = randomBytes(16).toString('hex');
    const nobodyToken = randomBytes(16).toString('hex');
    const tokensCsv = path.join(dir, 'tokens.csv');
    writeFileSync(tokensCsv, `${readerToken},reader,uid-reader,"harness:readers"\n${nobodyToken},nobody,uid-nobody\n`);

    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    etcd = startProcess('etcd', bins.etcd, [
      '--name=harness', `--data-dir=${path.join(dir, 'etcd')}`, '--unsafe-no-fsync', '--log-level=warn',
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=harness=${peerUrl}`,
    ], path.join(dir, 'etcd.log'));
    await waitReady(etcd, () => httpGetOk(`${etcdUrl}/health`), readyTimeoutMs);
    log(`etcd ${versions.ETCD_VERSION} ready on ${etcdUrl}`);

    const server = `https://127.0.0.1:${apiPort}`;
    const tlsOpts: https.RequestOptions = {
      ca: readFileSync(pki.caCrt),
      cert: readFileSync(pki.adminCrt),
      key: readFileSync(pki.adminKey),
    };
    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`, '--etcd-prefix=/registry',
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--tls-cert-file=${path.join(pki.dir, 'apiserver.crt')}`,
      `--tls-private-key-file=${path.join(pki.dir, 'apiserver.key')}`,
      `--client-ca-file=${pki.caCrt}`, `--token-auth-file=${tokensCsv}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${path.join(pki.dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(pki.dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      // No controller-manager: nothing would mint SA tokens.
      '--disable-admission-plugins=ServiceAccount',
      // The reconciler would write a loopback address into Endpoints, which validation rejects.
      '--endpoint-reconciler-type=none',
      '--profiling=false', '--v=1',
    ];
    const auditLogPath = opts.audit ? path.join(dir, 'audit.log') : undefined;
    if (auditLogPath) {
      const policy = path.join(dir, 'audit-policy.yaml');
      writeFileSync(policy, yaml.dump({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules: [{ level: 'Metadata' }] }));
      apiserverArgs.push(`--audit-policy-file=${policy}`, `--audit-log-path=${auditLogPath}`, '--audit-log-mode=blocking', '--audit-log-format=json');
    }
    const startApiserver = async (): Promise<void> => {
      if (apiserver && !apiserver.exitInfo) throw new Error('kube-apiserver is already running');
      const started = Date.now();
      apiserver = startProcess('kube-apiserver', bins.kubeApiserver, apiserverArgs, path.join(dir, 'kube-apiserver.log'));
      await waitReady(apiserver, () => httpGetOk(`${server}/readyz`, tlsOpts), readyTimeoutMs);
      log(`kube-apiserver ${versions.KUBE_VERSION} ready on ${server} after ${Date.now() - started} ms`);
    };
    await startApiserver();

    const kubeconfigPath = path.join(dir, 'kubeconfig');
    const kubeconfig = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'harness', cluster: { server, 'certificate-authority-data': b64(pki.caCrt) } }],
      // Distinct user names per credential: client-node caches credentials by user name.
      users: [
        { name: 'harness-admin', user: { 'client-certificate-data': b64(pki.adminCrt), 'client-key-data': b64(pki.adminKey) } },
        { name: 'harness-reader', user: { token: readerToken } },
        { name: 'harness-nobody', user: { token: nobodyToken } },
      ],
      contexts: [
        { name: CONTEXTS.admin, context: { cluster: 'harness', user: 'harness-admin', namespace: 'default' } },
        { name: CONTEXTS.reader, context: { cluster: 'harness', user: 'harness-reader', namespace: 'team-a' } },
        { name: CONTEXTS.nobody, context: { cluster: 'harness', user: 'harness-nobody', namespace: 'default' } },
      ],
      'current-context': CONTEXTS.admin,
      preferences: {},
    };
    writeFileSync(kubeconfigPath, yaml.dump(kubeconfig), { mode: 0o600 });

    return {
      kubeconfigPath,
      server,
      contexts: CONTEXTS,
      dir,
      kubeVersion: versions.KUBE_VERSION,
      etcdVersion: versions.ETCD_VERSION,
      ...(auditLogPath ? { auditLogPath } : {}),
      apiserverPid: () => (apiserver && !apiserver.exitInfo ? apiserver.child.pid : undefined),
      stop,
      killApiserver: () => stopProcess(apiserver, 0),
      startApiserver,
      restartApiserver: async () => {
        await stopProcess(apiserver, 10_000);
        await startApiserver();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
