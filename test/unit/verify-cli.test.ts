// verify's network edge and the command, against two loopback servers standing in for the
// controllers (the real ones are in test/e2e/verify.e2e.test.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { sendProbe } from '../../src/verify/http.js';
import type { Probe } from '../../src/verify/probes.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface Fake {
  port: number;
  seen: { method: string; host: string; url: string; bodyBytes: number }[];
  close(): Promise<void>;
}

async function fake(handler: Handler): Promise<Fake> {
  const seen: Fake['seen'] = [];
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (c: Buffer) => (bodyBytes += c.length));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', host: req.headers.host ?? '', url: req.url ?? '', bodyBytes });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** An nginx-like router: /app and /app/… go to `web`, everything else 404; `/old` redirects. */
const routes = (opts: { stringPrefix?: boolean; dropApp?: boolean; redirectCode?: number } = {}): Handler => (req, res) => {
  const url = req.url ?? '/';
  const host = req.headers.host;
  if (host !== 'shop.example') return void res.writeHead(404).end('no host');
  if (url === '/old') return void res.writeHead(opts.redirectCode ?? 301, { location: 'https://shop.example/new' }).end();
  const app = opts.stringPrefix ? url.startsWith('/app') : url === '/app' || url.startsWith('/app/');
  if (app && !opts.dropApp) return void res.writeHead(200, { 'x-backend': 'web' }).end('web');
  res.writeHead(404).end('not found');
};

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example
    http:
      paths:
      - {path: /app, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /old, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /admin, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

function io(stdin = ''): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), readStdin: async () => stdin, stderrIsTty: false, exitCode: 0 } as Io & { out: string[]; err: string[] };
}

const probe = (path: string): Probe => ({ key: path, kind: 'path', scheme: 'http', method: 'GET', host: 'shop.example', path, headers: {}, ingresses: [] });

describe('sendProbe', () => {
  let server: Fake;
  beforeAll(async () => {
    server = await fake((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/old') return void res.writeHead(302, { location: '/new' }).end();
      res.writeHead(200, { 'x-backend': 'web' }).end('hello');
    });
  });
  afterAll(() => server.close());
  const addr = (): { host: string; httpPort: number; httpsPort: number } => ({ host: '127.0.0.1', httpPort: server.port, httpsPort: 1 });
  const opts = { timeoutMs: 300, compareHeaders: ['x-backend'], userAgent: 't' };

  it('sends the Host header, no body, and fingerprints a 2xx body', async () => {
    const o = await sendProbe(addr(), probe('/x'), opts, new AbortController().signal);
    expect(o).toMatchObject({ status: 200, headers: { 'x-backend': 'web' } });
    expect(o.backend).toMatch(/^sha256:[0-9a-f]{12}\/5$/);
    expect(server.seen.at(-1)).toMatchObject({ method: 'GET', host: 'shop.example', url: '/x', bodyBytes: 0 });
  });
  it('names the backend by header when asked', async () => {
    expect((await sendProbe(addr(), probe('/x'), { ...opts, backendHeader: 'x-backend' }, new AbortController().signal)).backend).toBe('web');
  });
  it('never follows a redirect; the Location is resolved against the probe URL', async () => {
    const before = server.seen.length;
    const o = await sendProbe(addr(), probe('/old'), opts, new AbortController().signal);
    expect(o).toMatchObject({ status: 302, location: 'http://shop.example/new' });
    expect(server.seen.length).toBe(before + 1);
  });
  it('gives up on a request after the probe timeout', async () => {
    const o = await sendProbe(addr(), probe('/hang'), opts, new AbortController().signal);
    expect(o.status).toBeUndefined();
    expect(o.error).toMatch(/no answer/);
  });
});

describe('ingress2contour verify', () => {
  const servers: Fake[] = [];
  let file = '';
  beforeAll(async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'i2c-verify-'));
    file = path.join(dir, 'shop.yaml');
    writeFileSync(file, INGRESS);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });
  const start = async (h: Handler): Promise<Fake> => {
    const s = await fake(h);
    servers.push(s);
    return s;
  };
  const verify = async (nginx: Fake, contour: Fake, extra: string[] = []): Promise<{ code: number; out: string; err: string }> => {
    const o = io();
    const code = await run(['verify', '-f', file, '--nginx-address', `127.0.0.1:${nginx.port}`, '--contour-address', `127.0.0.1:${contour.port}`, '--rate', '1000', ...extra], o);
    return { code, out: o.out.join(''), err: o.err.join('\n') };
  };

  it('exits 0 when only predicted differences remain (string prefix, reported by convert)', async () => {
    // Contour before 1.25 has no exact match: /app also matches /app-…, and convert says so.
    const r = await verify(await start(routes()), await start(routes({ stringPrefix: true })), ['--backend-header', 'x-backend', '--contour-version', '1.20']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^~ http GET \/app-i2c-verify: status 404 → 200 .*expected \(route\.string-prefix\)$/m);
    expect(r.out).not.toMatch(/^! /m);
  });

  it('exits 1 with one line per unexpected difference: a removed route, a changed redirect', async () => {
    const r = await verify(await start(routes()), await start(routes({ dropApp: true, redirectCode: 302 })), ['--backend-header', 'x-backend', '-o', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { probes: { path: string; verdict: string; differences: { field: string }[] }[] };
    const unexpected = json.probes.filter((p) => p.verdict === 'unexpected').map((p) => p.path).sort();
    expect(unexpected).toEqual(['/app', '/app/', '/app/i2c-verify-child', '/old']);
    expect(json.probes.find((p) => p.path === '/old')?.differences.map((d) => d.field)).toEqual(['status']);
  });

  it('never sends a request to a --skip-path path', async () => {
    const nginx = await start(routes());
    await verify(nginx, await start(routes()), ['--skip-path', '/admin']);
    expect(nginx.seen.length).toBeGreaterThan(0);
    expect(nginx.seen.some((s) => s.url.startsWith('/admin'))).toBe(false);
  });

  it('stops at --timeout with exit code "incomplete" when a controller never answers', async () => {
    const r = await verify(await start(routes()), await start(() => {}), ['--timeout', '1', '--probe-timeout', '30']);
    expect(r.code).toBe(EXIT.incomplete);
    expect(r.err).toMatch(/--timeout/);
    expect(r.out).toMatch(/^\? http GET \/\S*: not run$/m);
  });

  it('exits "incomplete" when a controller is not reachable at all, and 2 on a bad address', async () => {
    const dead = await start(routes());
    const port = dead.port;
    await dead.close();
    servers.splice(servers.indexOf(dead), 1);
    const o = io();
    const code = await run(['verify', '-f', file, '--nginx-address', `127.0.0.1:${(await start(routes())).port}`, '--contour-address', `127.0.0.1:${port}`, '--rate', '1000'], o);
    expect(code).toBe(EXIT.incomplete);
    expect(o.err.join('\n')).toMatch(/contour at .* answered no probe \(connection refused\)/);
    expect(await run(['verify', '-f', file, '--nginx-address', 'a:b:c', '--contour-address', 'x'], io())).toBe(2);
  });
});
