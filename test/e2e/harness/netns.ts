// Echo backends in a network namespace this run creates: EndpointSlices reject loopback
// addresses, so the backends listen on 10.213.<k>.x inside namespace i2c-<pid>, reached
// from the root namespace (Envoy) over a veth pair. Nothing leaves the host.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessDir } from './cluster.js';
import { registerCleanup, removeDir, startProcess, stopProcess, unregisterCleanup, waitFor, type Proc } from './procs.js';

export type BackendProto = 'http' | 'https' | 'h2c';

export interface BackendSpec {
  /** Reported in every answer (`name`); by convention `<namespace>/<service>`. */
  name: string;
  proto: BackendProto;
  /** Endpoints of the backend; each answers with instance `<name>#<i>`. */
  instances: number;
}

export interface Endpoint {
  ip: string;
  port: number;
}

export interface Backends {
  netns: string;
  /** Address of the root-namespace end of the veth. */
  hostIp: string;
  endpoints(name: string): { ip: string[]; port: number };
  /** Certificate the https backends serve (self-signed). */
  stop(): Promise<void>;
}

const ip = (args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const ipQuiet = (args: string[]): void => {
  try {
    ip(args);
  } catch {
    // already gone
  }
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function deleteNetns(name: string, hostLink: string): void {
  // Processes still inside (a crashed run's backends) would keep the namespace alive.
  let pids: string[] = [];
  try {
    pids = ip(['netns', 'pids', name]).split(/\s+/).filter(Boolean);
  } catch {
    // namespace gone
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone
    }
  }
  ipQuiet(['link', 'del', hostLink]);
  ipQuiet(['netns', 'del', name]);
}

/** Removes namespaces left by earlier runs of this harness whose process is gone. */
export function removeStaleNetns(log: (m: string) => void = () => {}): void {
  let list = '';
  try {
    list = ip(['netns', 'list']);
  } catch {
    return;
  }
  for (const m of list.matchAll(/^i2c-(\d+)\b/gm)) {
    const pid = Number(m[1]);
    if (pid === process.pid || !alive(pid)) {
      log(`removing stale network namespace i2c-${pid}`);
      deleteNetns(`i2c-${pid}`, `i2c${pid}h`);
    }
  }
}

/** A /24 in 10.213.0.0/16 that no interface or route on this host uses yet. */
function pickSubnet(): number {
  const used = ip(['-4', '-o', 'addr', 'show']) + ip(['-4', 'route', 'show', 'table', 'all']);
  const start = process.pid % 200;
  for (let i = 0; i < 250; i++) {
    const k = ((start + i) % 250) + 1;
    if (!used.includes(`10.213.${k}.`)) return k;
  }
  throw new Error('no free /24 in 10.213.0.0/16');
}

function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'backend.crt');
  const key = path.join(dir, 'backend.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=echo-backend',
      '-addext',
      'subjectAltName=DNS:echo-backend',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

export async function startBackends(specs: BackendSpec[], opts: { log?: (m: string) => void; readyTimeoutMs?: number } = {}): Promise<Backends> {
  const log = opts.log ?? ((): void => {});
  removeStaleNetns(log);
  const netns = `i2c-${process.pid}`;
  const hostLink = `i2c${process.pid}h`;
  const peerLink = `i2c${process.pid}b`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-backends-'));
  const cleanupKey = `netns:${netns}`;
  registerCleanup(cleanupKey, () => {
    deleteNetns(netns, hostLink);
    removeDir(dir);
  });
  let proc: Proc | undefined;
  const stop = async (): Promise<void> => {
    await stopProcess(proc, 2_000);
    deleteNetns(netns, hostLink);
    removeDir(dir);
    unregisterCleanup(cleanupKey);
  };

  try {
    const k = pickSubnet();
    const hostIp = `10.213.${k}.1`;
    const maxInstances = Math.max(1, ...specs.map((s) => s.instances));
    const instanceIps = Array.from({ length: maxInstances }, (_, i) => `10.213.${k}.${10 + i}`);
    ip(['netns', 'add', netns]);
    ip(['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', peerLink]);
    ip(['link', 'set', peerLink, 'netns', netns]);
    ip(['addr', 'add', `${hostIp}/24`, 'dev', hostLink]);
    ip(['link', 'set', hostLink, 'up']);
    const inNs = (args: string[]): string => ip(['netns', 'exec', netns, 'ip', ...args]);
    for (const a of instanceIps) inNs(['addr', 'add', `${a}/24`, 'dev', peerLink]);
    inNs(['link', 'set', peerLink, 'up']);
    inNs(['link', 'set', 'lo', 'up']);
    log(`network namespace ${netns}: host ${hostIp}, backends ${instanceIps.join(', ')}`);

    const ports = new Map<string, number>();
    const listeners = specs.flatMap((s, i) => {
      const port = 20000 + i;
      ports.set(s.name, port);
      return Array.from({ length: s.instances }, (_, n) => ({
        name: s.name,
        instance: `${s.name}#${n + 1}`,
        proto: s.proto,
        ip: instanceIps[n] as string,
        port,
      }));
    });
    const needTls = specs.some((s) => s.proto === 'https');
    const configPath = path.join(dir, 'echo.json');
    writeFileSync(configPath, JSON.stringify({ listeners, tls: needTls ? selfSignedCert(dir) : undefined }));
    const logPath = path.join(dir, 'echo.log');
    proc = startProcess('echo backends', 'ip', ['netns', 'exec', netns, process.execPath, path.join(harnessDir, 'echo-server.mjs'), configPath], logPath, { stdout: 'pipe' });
    let ready = false;
    proc.child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes('READY')) ready = true;
    });
    await waitFor('echo backends READY', async () => ready, opts.readyTimeoutMs ?? 20_000, [proc], 50);
    log(`${listeners.length} echo listeners for ${specs.length} backends`);

    return {
      netns,
      hostIp,
      endpoints: (name) => {
        const spec = specs.find((s) => s.name === name);
        const port = ports.get(name);
        if (!spec || port === undefined) throw new Error(`no backend ${name}`);
        return { ip: instanceIps.slice(0, spec.instances), port };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
