// The network edge of verify: one probe to one controller address, with the probe's Host header
// and SNI. No request body, no redirect ever followed, one fresh connection per request, a
// per-request timeout, and the run's abort signal honoured.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import type { Observation } from './compare.js';
import type { Probe } from './probes.js';

export interface Address {
  host: string;
  httpPort: number;
  httpsPort: number;
}

export const formatAddress = (a: Address): string => `${a.host}:${a.httpPort},${a.httpsPort}`;

/** `host[:port[,https-port]]`; the ports default to 80 and 443. Returns a reason on bad input. */
export function parseAddress(text: string): Address | string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:,\s]+)(?::(\d+))?(?:,(\d+))?$/.exec(text.trim());
  if (!m) return `"${text}" is not host:port[,https-port]`;
  const port = (s: string | undefined, dflt: number): number => (s === undefined ? dflt : Number(s));
  const httpPort = port(m[2], 80);
  const httpsPort = port(m[3], 443);
  for (const p of [httpPort, httpsPort]) if (!(p >= 1 && p <= 65535)) return `"${text}": port ${p} is out of range`;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), httpPort, httpsPort };
}

export interface SendOptions {
  /** Per request, in milliseconds. */
  timeoutMs: number;
  /** Response headers to compare (lower case). */
  compareHeaders: string[];
  /** A response header that names the backend; without it, 2xx GET bodies are hashed. */
  backendHeader?: string;
  /** Hash at most this many body bytes. */
  bodyLimit?: number;
  userAgent: string;
}

const CORS_HEADERS = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-allow-credentials'];

function describeError(err: unknown, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.message === 'probe timeout') return `no answer within ${timeoutMs / 1000}s`;
  switch (e?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'address not found';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'unreachable';
    case 'ABORT_ERR': return 'aborted';
    default: return e?.code ? `failed (${e.code})` : `failed (${String(e?.message ?? err).split('\n')[0]})`;
  }
}

function headerText(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : v;
}

export function resolveLocation(location: string, probe: Pick<Probe, 'scheme' | 'host' | 'path'>): string {
  try {
    return new URL(location, `${probe.scheme}://${probe.host}${probe.path}`).href;
  } catch {
    return location;
  }
}

export function sendProbe(address: Address, probe: Probe, opts: SendOptions, signal: AbortSignal): Promise<Observation> {
  const tls = probe.scheme === 'https';
  const headers: Record<string, string> = { host: probe.host, 'user-agent': opts.userAgent, accept: '*/*', ...probe.headers };
  const base = { host: address.host, port: tls ? address.httpsPort : address.httpPort, method: probe.method, path: probe.path, headers, agent: false as const, signal };
  const compare = probe.kind === 'cors-preflight' ? [...new Set([...opts.compareHeaders, ...CORS_HEADERS])] : opts.compareHeaders;
  const limit = opts.bodyLimit ?? 1024 * 1024;
  return new Promise<Observation>((resolve) => {
    let settled = false;
    const finish = (o: Observation): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const onResponse = (res: http.IncomingMessage): void => {
      const obs: Observation = { status: res.statusCode ?? 0, headers: {} };
      const loc = headerText(res.headers.location);
      if (loc !== undefined) obs.location = resolveLocation(loc, probe);
      for (const h of compare) {
        const v = headerText(res.headers[h]);
        if (v !== undefined) obs.headers[h] = v;
      }
      if (tls) {
        const cert = (res.socket as TLSSocket).getPeerCertificate?.();
        if (cert && Object.keys(cert).length > 0) obs.certificate = checkServerIdentity(probe.host, cert) === undefined ? 'matches-host' : 'other-name';
      }
      if (opts.backendHeader) {
        const b = headerText(res.headers[opts.backendHeader]);
        if (b !== undefined) obs.backend = b;
      }
      const hashBody = !opts.backendHeader && probe.method === 'GET' && obs.status! >= 200 && obs.status! < 300;
      if (!hashBody) {
        res.resume();
        res.once('end', () => finish(obs));
        res.once('error', () => finish(obs));
        return;
      }
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        const room = limit - size;
        if (room > 0) hash.update(room >= chunk.length ? chunk : chunk.subarray(0, room));
        size += chunk.length;
        if (size > limit) {
          obs.backend = `sha256:${hash.digest('hex').slice(0, 12)}/>${limit}`;
          res.destroy();
          finish(obs);
        }
      });
      res.once('end', () => {
        obs.backend = `sha256:${hash.digest('hex').slice(0, 12)}/${size}`;
        finish(obs);
      });
      res.once('error', (err) => finish({ error: describeError(err, opts.timeoutMs), headers: {} }));
      res.once('close', () => finish({ error: 'connection closed before the body ended', headers: {} }));
    };
    const req = tls
      ? https.request({ ...base, servername: probe.host, rejectUnauthorized: false }, onResponse)
      : http.request(base, onResponse);
    const timer = setTimeout(() => req.destroy(new Error('probe timeout')), opts.timeoutMs);
    req.once('error', (err) => finish({ error: describeError(err, opts.timeoutMs), headers: {} }));
    req.end();
  });
}
