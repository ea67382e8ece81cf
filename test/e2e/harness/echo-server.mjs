// Echo backends for the traffic suite, run with `ip netns exec <ns> node echo-server.mjs <config.json>`.
// Every listener answers with its own name and the request it received, as JSON:
//   { name, instance, proto, httpVersion, method, url, path, query, headers }
// Query parameters steer timing: `sleep=<ms>` waits before answering; `drip=<n>&every=<ms>`
// sends the headers at once and then n chunks, one every <ms>.
// A request with content-type application/grpc* gets one gRPC message (the JSON) and
// trailers grpc-status 0. Prints READY once every listener listens.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tls = config.tls ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } : undefined;

function describe(listener, req) {
  const url = new URL(req.url, 'http://backend.invalid');
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!k.startsWith(':')) headers[k] = v;
  return {
    name: listener.name,
    instance: listener.instance,
    proto: listener.proto,
    httpVersion: req.httpVersion,
    method: req.method,
    url: req.url,
    path: url.pathname,
    query: url.search,
    headers,
    authority: req.headers[':authority'] ?? req.headers.host,
  };
}

function handler(listener) {
  return (req, res) => {
    const body = [];
    req.on('data', (c) => body.push(c));
    req.on('end', () => {
      const answer = describe(listener, req);
      const q = new URL(req.url, 'http://backend.invalid').searchParams;
      const ctype = String(req.headers['content-type'] ?? '');
      if (ctype.startsWith('application/grpc')) {
        const msg = Buffer.from(JSON.stringify(answer));
        const frame = Buffer.alloc(5 + msg.length);
        frame.writeUInt8(0, 0);
        frame.writeUInt32BE(msg.length, 1);
        msg.copy(frame, 5);
        res.writeHead(200, { 'content-type': 'application/grpc' });
        res.addTrailers({ 'grpc-status': '0', 'grpc-message': 'OK' });
        res.end(frame);
        return;
      }
      const json = JSON.stringify(answer);
      const drip = Number(q.get('drip') ?? 0);
      const send = () => {
        if (drip > 0) {
          const every = Number(q.get('every') ?? 500);
          res.writeHead(200, { 'content-type': 'application/json', 'x-echo-name': listener.name });
          let i = 0;
          const tick = () => {
            if (res.destroyed) return;
            if (i++ < drip) {
              res.write(' ');
              setTimeout(tick, every);
            } else {
              res.end(json);
            }
          };
          tick();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-echo-name': listener.name,
          'x-echo-instance': listener.instance,
        });
        res.end(json);
      };
      const sleep = Number(q.get('sleep') ?? 0);
      if (sleep > 0) setTimeout(send, sleep);
      else send();
    });
  };
}

const servers = config.listeners.map((l) => {
  const h = handler(l);
  switch (l.proto) {
    case 'http':
      return { l, server: http.createServer({ keepAliveTimeout: 120_000 }, h) };
    case 'https':
      return { l, server: https.createServer({ ...tls, keepAliveTimeout: 120_000 }, h) };
    case 'h2c':
      return { l, server: http2.createServer({}, h) };
    default:
      throw new Error(`unknown proto ${l.proto}`);
  }
});

await Promise.all(
  servers.map(
    ({ l, server }) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(l.port, l.ip, resolve);
      }),
  ),
);
process.stdout.write('READY\n');
