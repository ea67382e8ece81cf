// Sends one request to Envoy's loopback listener with a Host header (and SNI for TLS) and
// reads what came back: status, response headers, and the echo backend's JSON if it answered.
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface Request {
  method?: string;
  /** Path and query, e.g. `/cart/items?x=1`. */
  path: string;
  host: string;
  scheme?: 'http' | 'https';
  headers?: Record<string, string>;
  /** A gRPC unary call over HTTP/2 (h2c on http, ALPN h2 on https). */
  grpc?: boolean;
  /** A new connection instead of the shared keep-alive agent. */
  fresh?: boolean;
}

export interface EchoAnswer {
  name: string;
  instance: string;
  proto: string;
  httpVersion: string;
  method: string;
  url: string;
  path: string;
  query: string;
  headers: Record<string, string | string[]>;
  authority?: string;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Set when the echo backend answered. */
  echo?: EchoAnswer;
  /** Subject alt names of the certificate Envoy served (https only). */
  certNames?: string;
  grpcStatus?: string;
  ms: number;
}

export interface Target {
  httpPort: number;
  httpsPort: number;
  ca: string | Buffer;
  timeoutMs?: number;
  agent?: { http?: http.Agent; https?: https.Agent };
}

function parseEcho(body: string): EchoAnswer | undefined {
  const trimmed = body.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(trimmed) as EchoAnswer;
    return typeof v.name === 'string' && typeof v.instance === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function send(t: Target, r: Request): Promise<Response> {
  if (r.grpc) return sendGrpc(t, r);
  const started = Date.now();
  const tls = r.scheme === 'https';
  const mod = tls ? https : http;
  const options: https.RequestOptions = {
    host: '127.0.0.1',
    port: tls ? t.httpsPort : t.httpPort,
    method: r.method ?? 'GET',
    path: r.path,
    headers: { host: r.host, ...r.headers },
    timeout: t.timeoutMs ?? 15_000,
    ...(tls ? { servername: r.host, ca: t.ca, agent: (!r.fresh && t.agent?.https) || false } : { agent: (!r.fresh && t.agent?.http) || false }),
  };
  return new Promise((resolve, reject) => {
    const req = mod.request(options, (res) => {
      const chunks: Buffer[] = [];
      let certNames: string | undefined;
      if (tls) certNames = (res.socket as TLSSocket).getPeerCertificate?.()?.subjectaltname;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          echo: parseEcho(body),
          ...(certNames ? { certNames } : {}),
          ms: Date.now() - started,
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`request ${r.host}${r.path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function sendGrpc(t: Target, r: Request): Promise<Response> {
  const started = Date.now();
  const tls = r.scheme === 'https';
  const authority = tls ? `https://127.0.0.1:${t.httpsPort}` : `http://127.0.0.1:${t.httpPort}`;
  return new Promise((resolve, reject) => {
    const session = http2.connect(authority, tls ? { servername: r.host, ca: t.ca, ALPNProtocols: ['h2'] } : {});
    session.on('error', reject);
    const msg = Buffer.from('{}');
    const frame = Buffer.alloc(5 + msg.length);
    frame.writeUInt32BE(msg.length, 1);
    msg.copy(frame, 5);
    const stream = session.request({
      ':method': 'POST',
      ':path': r.path,
      ':authority': r.host,
      ':scheme': tls ? 'https' : 'http',
      'content-type': 'application/grpc',
      te: 'trailers',
      ...r.headers,
    });
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    let grpcStatus: string | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = { ...h };
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    stream.on('trailers', (h) => {
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.setTimeout(t.timeoutMs ?? 15_000, () => stream.close(http2.constants.NGHTTP2_CANCEL));
    stream.on('error', (err: Error) => {
      session.close();
      reject(err);
    });
    stream.on('end', () => {
      session.close();
      const buf = Buffer.concat(chunks);
      const body = buf.length >= 5 ? buf.subarray(5, 5 + buf.readUInt32BE(1)).toString('utf8') : buf.toString('utf8');
      resolve({
        status,
        headers,
        body,
        echo: parseEcho(body),
        ...(grpcStatus !== undefined ? { grpcStatus } : {}),
        ms: Date.now() - started,
      });
    });
    stream.end(frame);
  });
}
