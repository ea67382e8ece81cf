// A small raw JSON client for the apiserver. kubeconfig.ts supplies the TLS material and
// credentials (plain ones itself; exec and auth-provider plugins, proxies and in-cluster
// through client-node 1.4); the requests themselves go through node:https so that objects stay plain
// JSON (the generated 1.x API classes turn timestamps into Date objects and drop
// unknown fields), server-side apply can send application/apply-patch+yaml, and one
// keep-alive agent is shared by all requests.
import http from 'node:http';
import https from 'node:https';
import { ClusterError, isOutage, redact, type ClusterErrorKind, type StatusCause, type StatusDetails } from './errors.js';
import type { LoadedConfig } from './kubeconfig.js';

export type Obj = Record<string, unknown>;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

export interface ClientOptions {
  /** Per-request timeout (kubectl's --request-timeout). */
  timeoutMs?: number;
  /** Extra attempts for connection failures, 429 and 503 (every request this tool makes is idempotent). */
  retries?: number;
  /** Sockets to the apiserver at once. */
  maxSockets?: number;
}

interface Prepared {
  agent: http.Agent;
  headers: Record<string, string>;
  auth?: string;
}

/** Node's certificate error codes (CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …). */
const TLS_CODE_PARTS = ['CERT', 'SELF_SIGNED', 'UNABLE_TO_VERIFY'];
/** Attempts after a 429/503 before the request fails. */
const THROTTLE_RETRIES = 8;
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export class KubeClient {
  readonly server: URL;
  readonly context: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxSockets: number;
  private agent?: http.Agent;
  /** Set after the apiserver stopped answering: later requests fail at once with the same error. */
  private down?: ClusterError;
  /** Requests sent (for tests and the benchmark). */
  requests = 0;
  /** 429/503 answers received. */
  throttled = 0;
  /** After a 429/503, no request is sent before this time (ms since the epoch). */
  private pausedUntil = 0;

  constructor(
    private readonly cfg: LoadedConfig,
    opts: ClientOptions = {},
  ) {
    this.server = new URL(cfg.kc.getCurrentCluster()?.server ?? 'https://localhost');
    this.context = cfg.context;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retries = opts.retries ?? 2;
    this.maxSockets = opts.maxSockets ?? 16;
  }

  get serverLabel(): string {
    return this.cfg.server;
  }

  /** Credentials are applied per request: exec plugins may hand out short-lived tokens. */
  private async prepare(): Promise<Prepared> {
    const o: https.RequestOptions = {};
    try {
      await this.cfg.kc.applyToHTTPSOptions(o);
    } catch (err) {
      throw new ClusterError('config', `context "${this.context}": cannot load credentials: ${redact(firstLine(err))}`);
    }
    if (!this.agent) {
      const proxied = Boolean(this.cfg.kc.getCurrentCluster()?.proxyUrl);
      if (proxied || this.server.protocol === 'http:') this.agent = o.agent as http.Agent;
      else {
        const tls: https.AgentOptions = { keepAlive: true, maxSockets: this.maxSockets };
        for (const k of ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized'] as const) {
          if (o[k] !== undefined) (tls as Record<string, unknown>)[k] = o[k];
        }
        this.agent = new https.Agent(tls);
      }
    } else if (o.agent && o.agent !== this.agent) (o.agent as http.Agent).destroy();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    const prepared: Prepared = { agent: this.agent, headers };
    if (o.auth) prepared.auth = o.auth;
    return prepared;
  }

  close(): void {
    this.agent?.destroy();
  }

  async request<T = Obj>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    if (this.down) throw this.down;
    let attempt = 0;
    let throttled = 0;
    for (;;) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        return await this.once<T>(method, path, opts);
      } catch (err) {
        const e = err as ClusterError & { retryAfterMs?: number; transient?: boolean; throttle?: boolean };
        // 429 and 503 are the apiserver asking for less: every request waits (Retry-After, else
        // exponential), and they are retried longer than connection failures.
        if (e.throttle && throttled < THROTTLE_RETRIES) {
          throttled++;
          const delay = e.retryAfterMs ?? Math.min(250 * 2 ** (throttled - 1), 8000);
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay + Math.random() * 100);
          this.throttled++;
          continue;
        }
        if (!e.transient || e.throttle || attempt >= this.retries) {
          if (isOutage(e)) this.down = e;
          throw err;
        }
        attempt++;
        await sleep(250 * 3 ** (attempt - 1));
      }
    }
  }

  private async once<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
    const p = await this.prepare();
    const url = new URL(this.server.pathname.replace(/\/$/, '') + path, this.server);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'ingress2contour', ...p.headers };
    if (payload !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    this.requests++;
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: p.agent, ...(p.auth ? { auth: p.auth } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(this.networkError(err)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve((text ? JSON.parse(text) : {}) as T);
            } catch {
              reject(new ClusterError('server', `${method} ${path}: the apiserver sent a reply that is not JSON`, status));
            }
            return;
          }
          reject(this.statusError(status, text, method, path, res.headers['retry-after']));
        });
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'I2C_TIMEOUT' })));
      req.on('error', (err) => reject(this.networkError(err)));
      req.end(payload);
    });
  }

  private networkError(err: NodeJS.ErrnoException): ClusterError {
    const code = err.code ?? '';
    let what: string;
    if (code === 'ECONNREFUSED') what = 'connection refused';
    else if (code === 'ECONNRESET' || err.message === 'socket hang up') what = 'connection reset (the apiserver went away mid-request)';
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') what = `cannot resolve ${this.server.hostname}`;
    else if (code === 'I2C_TIMEOUT') {
      return new ClusterError('timeout', `the apiserver ${this.cfg.server} (context "${this.context}") did not answer within ${Math.round(this.timeoutMs / 1000)} s`);
    } else if (code.startsWith('ERR_TLS') || TLS_CODE_PARTS.some((p) => code.includes(p))) what = `TLS: ${code} (check the cluster's certificate-authority in the kubeconfig)`;
    else what = redact(code || firstLine(err));
    const e = new ClusterError('unreachable', `cannot reach the apiserver ${this.cfg.server} (context "${this.context}"): ${what}`);
    return Object.assign(e, { transient: RETRY_CODES.has(code) || err.message === 'socket hang up' });
  }

  private statusError(status: number, text: string, method: string, path: string, retryAfter: string | string[] | undefined): ClusterError {
    let body: { message?: string; reason?: string; details?: StatusDetails & { causes?: StatusCause[] } } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // not a Status
    }
    const message = redact(body.message ?? `${method} ${path}: HTTP ${status}`);
    const kind: ClusterErrorKind =
      status === 401
        ? 'unauthorized'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not-found'
            : status === 409
              ? 'conflict'
              : status === 410
                ? 'gone'
                : status === 400 || status === 422
                  ? 'invalid'
                  : 'server';
    const text401 = `the apiserver ${this.cfg.server} rejected the credentials of context "${this.context}" (401 Unauthorized)`;
    const { causes = [], name, group, kind: detailKind } = body.details ?? {};
    const details: StatusDetails = { ...(name ? { name } : {}), ...(group ? { group } : {}), ...(detailKind ? { kind: detailKind } : {}) };
    const e = new ClusterError(kind, status === 401 ? text401 : message, status, causes, details);
    if (status === 429 || status === 503) {
      const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return Object.assign(e, { transient: true, throttle: true, retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : undefined });
    }
    return e;
  }

  /** All items of a list, page by page (limit + continue), restarting once if the continue token expires. */
  async listAll(path: string, opts: { labelSelector?: string; fieldSelector?: string; limit?: number } = {}): Promise<Obj[]> {
    for (let restart = 0; ; restart++) {
      const items: Obj[] = [];
      let cont: string | undefined;
      try {
        do {
          const page = await this.request<{ items?: Obj[]; metadata?: { continue?: string } }>('GET', path, {
            query: { limit: opts.limit ?? 500, continue: cont, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
          });
          for (const item of page.items ?? []) items.push(item);
          cont = page.metadata?.continue || undefined;
        } while (cont);
        return items;
      } catch (err) {
        if (err instanceof ClusterError && err.kind === 'gone' && restart === 0) continue;
        throw err;
      }
    }
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
