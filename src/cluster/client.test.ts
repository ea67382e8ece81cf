import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from './client.js';
import { ClusterError } from './errors.js';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A plain-HTTP apiserver stand-in answering each request with the next of `answers`. */
async function fake(answers: { status: number; headers?: Record<string, string> }[], opts: { timeoutMs?: number } = {}): Promise<{ client: KubeClient; seen: () => number }> {
  let n = 0;
  server = http.createServer((_req, res) => {
    const a = answers[Math.min(n++, answers.length - 1)]!;
    if (a.status === 0) return; // never answers
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(JSON.stringify(a.status === 200 ? { ok: true } : { kind: 'Status', message: 'slow down', reason: 'TooManyRequests' }));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return { client: new KubeClient({ kc, context: 'x', namespace: 'default', server: url, source: 'test' }, { retries: 0, ...opts }), seen: () => n };
}

describe('KubeClient throttling', () => {
  it('waits and retries after 429 (Retry-After honoured), even with no connection retries', async () => {
    const { client, seen } = await fake([{ status: 429, headers: { 'Retry-After': '0' } }, { status: 429 }, { status: 200 }]);
    expect(await client.request('GET', '/x')).toEqual({ ok: true });
    expect(seen()).toBe(3);
    expect(client.throttled).toBe(2);
    client.close();
  });
  it('fails with a typed error once the apiserver keeps refusing', async () => {
    const { client } = await fake([{ status: 403 }]);
    const err = await client.request('GET', '/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).kind).toBe('forbidden');
    client.close();
  });
  it('a request without an answer is a timeout, and later requests fail at once with it', async () => {
    const { client, seen } = await fake([{ status: 0 }], { timeoutMs: 200 });
    const err = await client.request('GET', '/x').catch((e: unknown) => e);
    expect((err as ClusterError).kind).toBe('timeout');
    expect(await client.request('GET', '/y').catch((e: unknown) => e)).toBe(err);
    expect(seen()).toBe(1);
    client.close();
  });
});
