// Child processes and host resources for the traffic harness (Contour, Envoy, netns backends):
// each process runs in its own process group, and everything still alive is torn down
// synchronously when the test process exits or gets SIGINT/SIGTERM/SIGHUP.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';

export interface Proc {
  name: string;
  child: ChildProcess;
  logPath: string;
  exited: Promise<void>;
  exitInfo?: string;
}

const liveGroups = new Set<number>();
// Synchronous cleanup steps (e.g. deleting a network namespace), run after the processes die.
const cleanups = new Map<string, () => void>();
let hooksInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function cleanupSync(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
  for (const [key, fn] of cleanups) {
    try {
      fn();
    } catch {
      // best effort: the process is exiting
    }
    cleanups.delete(key);
  }
}

export function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      cleanupSync();
      process.off(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Registers a synchronous cleanup that runs at exit unless `unregisterCleanup` ran first. */
export function registerCleanup(key: string, fn: () => void): void {
  installExitHooks();
  cleanups.set(key, fn);
}

export function unregisterCleanup(key: string): void {
  cleanups.delete(key);
}

export function startProcess(name: string, bin: string, args: string[], logPath: string, opts: { env?: NodeJS.ProcessEnv; stdout?: 'pipe' } = {}): Proc {
  installExitHooks();
  const fd = openSync(logPath, 'a');
  const child = spawn(bin, args, {
    detached: true,
    stdio: ['ignore', opts.stdout === 'pipe' ? 'pipe' : fd, fd],
    ...(opts.env ? { env: opts.env } : {}),
  });
  closeSync(fd);
  const proc: Proc = {
    name,
    child,
    logPath,
    exited: new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        proc.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
        if (child.pid) liveGroups.delete(child.pid);
        resolve();
      });
      child.once('error', (err) => {
        proc.exitInfo = `spawn error: ${err.message}`;
        resolve();
      });
    }),
  };
  if (child.pid) liveGroups.add(child.pid);
  return proc;
}

export async function stopProcess(proc: Proc | undefined, graceMs: number): Promise<void> {
  const pid = proc?.child.pid;
  if (!proc || !pid) return;
  if (!proc.exitInfo) {
    killGroup(pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
    await proc.exited;
    clearTimeout(timer);
  }
  killGroup(pid, 'SIGKILL'); // anything left in the group
}

export function tailFile(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(log empty)';
  } catch {
    return '(no log)';
  }
}

/** Polls probe() until it resolves true; fails early if one of the processes exits. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, procs: Proc[] = [], intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    for (const p of procs) {
      if (p.exitInfo) {
        throw new Error(`${p.name} exited (${p.exitInfo}) while waiting for ${what}. Last log lines (${p.logPath}):\n${tailFile(p.logPath)}`);
      }
    }
    try {
      if (await probe()) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      const logs = procs.map((p) => `--- ${p.name} (${p.logPath}):\n${tailFile(p.logPath, 20)}`).join('\n');
      throw new Error(`${what}: not reached after ${timeoutMs} ms${last ? ` (last error: ${last})` : ''}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Reserves distinct free loopback ports (released just before use). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
