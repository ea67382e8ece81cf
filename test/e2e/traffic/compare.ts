// Comparing answers of the two stacks: the hand-written expectation, real ingress-nginx (the
// oracle), and Contour + Envoy. Every projection names only the fields an expectation names, so
// a mismatch shows a focused diff.
import { expect } from 'vitest';
import type { BackendProto } from '../harness/netns.js';
import type { Response } from './client.js';
import type { Answer, Matcher } from './model.js';

/** The loopback ports a stack listens on; redirects are compared as if they were 80 and 443. */
export interface StackPorts {
  httpPort: number;
  httpsPort: number;
}

function matcher(m: Matcher): unknown {
  if (m === null) return null;
  if (m instanceof RegExp) return expect.stringMatching(m);
  if (typeof m === 'object') return [...m.list].sort();
  return m;
}

function headerValue(v: string | string[] | undefined, m: Matcher): unknown {
  if (v === undefined) return null;
  const s = Array.isArray(v) ? v.join(', ') : v;
  if (m !== null && typeof m === 'object' && !(m instanceof RegExp)) return splitList(s).sort();
  return s;
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * `https://host` and `https://host/` are the same URL. A stack's own loopback port in a redirect
 * is dropped: nginx writes its listen port only when it is not the standard one (e.g. v1.11's
 * from-to-www writes `:<https port>` unless it is 443), so on 80/443 there would be none.
 */
export function normLocation(l: string | undefined, ports?: StackPorts): string | undefined {
  if (l === undefined) return undefined;
  try {
    const u = new URL(l);
    if (ports && (u.port === String(ports.httpPort) || u.port === String(ports.httpsPort))) u.port = '';
    return u.href;
  } catch {
    return l;
  }
}

/** Projects the response onto the fields the expectation names (and any redirect it carries). */
export function observed(res: Response, exp: Answer, ports?: StackPorts): Record<string, unknown> {
  const o: Record<string, unknown> = { status: res.status };
  // Which backend answered; `(proxy)` when the proxy answered itself.
  o.backend = res.echo?.name ?? '(proxy)';
  if (exp.path !== undefined) o.path = res.echo?.url;
  if (exp.host !== undefined) o.host = res.echo?.authority;
  if (exp.httpVersion !== undefined) o.httpVersion = res.echo?.httpVersion;
  if (exp.proto !== undefined) o.proto = res.echo?.proto;
  if (exp.grpcStatus !== undefined) o.grpcStatus = res.grpcStatus;
  if (exp.location !== undefined || typeof res.headers.location === 'string') {
    o.location = normLocation(res.headers.location as string | undefined, ports);
  }
  if (exp.certName !== undefined) o.certName = res.certNames;
  if (exp.headers) {
    o.headers = Object.fromEntries(Object.entries(exp.headers).map(([h, m]) => [h, headerValue(res.echo?.headers[h], m)]));
  }
  if (exp.responseHeaders) {
    o.responseHeaders = Object.fromEntries(Object.entries(exp.responseHeaders).map(([h, m]) => [h, headerValue(res.headers[h], m)]));
  }
  return o;
}

export function expected(exp: Answer): Record<string, unknown> {
  const o: Record<string, unknown> = { status: exp.status, backend: exp.backend ?? '(proxy)' };
  if (exp.path !== undefined) o.path = exp.path;
  if (exp.host !== undefined) o.host = exp.host;
  if (exp.httpVersion !== undefined) o.httpVersion = exp.httpVersion;
  if (exp.proto !== undefined) o.proto = exp.proto;
  if (exp.grpcStatus !== undefined) o.grpcStatus = exp.grpcStatus;
  if (exp.location !== undefined) o.location = normLocation(exp.location);
  if (exp.certName !== undefined) o.certName = expect.stringContaining(exp.certName);
  if (exp.headers) o.headers = Object.fromEntries(Object.entries(exp.headers).map(([h, m]) => [h, matcher(m)]));
  if (exp.responseHeaders) o.responseHeaders = Object.fromEntries(Object.entries(exp.responseHeaders).map(([h, m]) => [h, matcher(m)]));
  return o;
}

export function merge(base: Answer, ours: Partial<Answer>): Answer {
  return {
    ...base,
    ...ours,
    ...(base.headers || ours.headers ? { headers: { ...base.headers, ...ours.headers } } : {}),
    ...(base.responseHeaders || ours.responseHeaders ? { responseHeaders: { ...base.responseHeaders, ...ours.responseHeaders } } : {}),
  };
}

function oracleHeader(v: string | string[] | undefined, m: Matcher): Matcher {
  // A regex stands for a value that varies per request (ids, addresses): it stays the matcher.
  if (m instanceof RegExp) return m;
  if (v === undefined) return null;
  const s = Array.isArray(v) ? v.join(', ') : v;
  if (m !== null && typeof m === 'object') return { list: splitList(s) };
  return s;
}

/**
 * Real nginx's answer as an expectation over the fields the hand-written one names, plus the
 * path the backend saw and any redirect target, which are always compared.
 */
export function answerOf(res: Response, hand: Answer, ports: StackPorts): Answer {
  const a: Answer = { status: res.status };
  if (res.echo) {
    a.backend = res.echo.name;
    a.path = res.echo.url;
  }
  const loc = normLocation(res.headers.location as string | undefined, ports);
  if (loc !== undefined) a.location = loc;
  if (hand.host !== undefined && res.echo?.authority !== undefined) a.host = res.echo.authority;
  if (hand.httpVersion !== undefined && res.echo) a.httpVersion = res.echo.httpVersion;
  if (hand.proto !== undefined && res.echo) a.proto = res.echo.proto as BackendProto;
  if (hand.grpcStatus !== undefined && res.grpcStatus !== undefined) a.grpcStatus = res.grpcStatus;
  if (hand.certName !== undefined && res.certNames !== undefined) a.certName = res.certNames;
  if (hand.headers) {
    a.headers = Object.fromEntries(Object.entries(hand.headers).map(([h, m]) => [h, oracleHeader(res.echo?.headers[h], m)]));
  }
  if (hand.responseHeaders) {
    a.responseHeaders = Object.fromEntries(Object.entries(hand.responseHeaders).map(([h, m]) => [h, oracleHeader(res.headers[h], m)]));
  }
  return a;
}

/** Whether the response matches the expectation; the diff text when it does not. */
export function mismatch(res: Response, exp: Answer, ports?: StackPorts): string | undefined {
  try {
    expect(observed(res, exp, ports)).toEqual(expected(exp));
    return undefined;
  } catch (err) {
    return (
      (err as Error).message
        .split('\n')
        .filter((l) => /^\s*[-+]/.test(l) && !/^\s*[-+]\s*(Expected|Received)/.test(l))
        .join(' ')
        .replace(/\s+/g, ' ') || (err as Error).message
    );
  }
}

/** One line for an answer: status, backend, path, Location. */
export function describeResponse(res: Response, ports?: StackPorts): string {
  const loc = normLocation(res.headers.location as string | undefined, ports);
  return `${res.status}${res.echo ? ` ${res.echo.name} ${res.echo.url}` : ' (proxy)'}${loc ? ` → ${loc}` : ''}`;
}
