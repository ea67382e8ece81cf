// Sends every probe to both controllers within the limits: at most `concurrency` probes at a
// time, at most `rate` requests per second in total, and nothing after the time limit (requests
// in flight are aborted then). The transport is injected, so this has no network code.
import type { Finding } from '../model/findings.js';
import { judge, type Observation, type ProbeResult } from './compare.js';
import type { Probe } from './probes.js';

export type Side = 'nginx' | 'contour';

/** Sends one probe to one side; must honour the signal (abort = give up now). */
export type Send = (probe: Probe, side: Side, signal: AbortSignal) => Promise<Observation>;

export interface RunLimits {
  concurrency: number;
  /** Requests per second over both sides together. */
  rate: number;
  /** The whole run, in milliseconds. */
  totalMs: number;
}

export interface RunOutcome {
  results: ProbeResult[];
  /** Why the run stopped early, when it did. */
  stopped?: string;
}

class Stopped extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Stopped());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Stopped());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export async function runProbes(probes: readonly Probe[], send: Send, limits: RunLimits, findings: readonly Finding[], skipped: readonly Probe[] = []): Promise<RunOutcome> {
  const stop = new AbortController();
  let stopped: string | undefined;
  const timer = setTimeout(() => {
    stopped = `time limit of ${Math.round(limits.totalMs / 1000)}s reached (--timeout)`;
    stop.abort();
  }, limits.totalMs);

  // Rate: each request takes the next free start slot, 1/rate seconds after the previous one.
  const gap = 1000 / limits.rate;
  let nextSlot = 0;
  const takeSlot = async (): Promise<void> => {
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + gap;
    if (slot > now) await sleep(slot - now, stop.signal);
    if (stop.signal.aborted) throw new Stopped();
  };
  const ask = async (probe: Probe, side: Side): Promise<Observation> => {
    await takeSlot();
    const obs = await send(probe, side, stop.signal);
    if (stop.signal.aborted) throw new Stopped();
    return obs;
  };

  const results: (ProbeResult | undefined)[] = new Array<ProbeResult | undefined>(probes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted && next < probes.length) {
      const i = next++;
      const probe = probes[i]!;
      try {
        const nginx = await ask(probe, 'nginx');
        const contour = await ask(probe, 'contour');
        results[i] = judge(probe, nginx, contour, findings);
      } catch (err) {
        if (!(err instanceof Stopped)) throw err;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limits.concurrency, probes.length)) }, worker));
  } finally {
    clearTimeout(timer);
  }
  const done: ProbeResult[] = probes.map((probe, i) => results[i] ?? { probe, verdict: 'not-run', differences: [], predictedBy: [] });
  for (const probe of skipped) done.push({ probe, verdict: 'skipped', differences: [], predictedBy: [] });
  return stopped ? { results: done, stopped } : { results: done };
}
