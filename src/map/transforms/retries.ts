// proxy-next-upstream(-tries): when nginx retries another endpoint. Contour retries
// only with a retryPolicy; Envoy retries any method, nginx never re-sends a request
// with a non-idempotent method unless `non_idempotent` is listed.
import type { Transform } from '../transform.js';
import { intValue } from '../annotation-values.js';
import type { RetryIntent } from '../../model/policy.js';
import { splitList } from '../values.js';

const TOKENS = new Set(['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404', 'http_429', 'non_idempotent', 'off']);

/** nginx's default `error timeout`, 3 tries: retry another endpoint when connecting fails. */

export function mapNextUpstream(tokens: string[]): { retryOn: string[]; codes: number[]; lost: string[] } {
  const retryOn = new Set<string>();
  const codes = new Set<number>();
  const lost: string[] = [];
  for (const t of tokens) {
    if (t === 'error') {
      retryOn.add('connect-failure');
      retryOn.add('refused-stream');
      retryOn.add('reset');
    } else if (t === 'timeout') {
      retryOn.add('connect-failure');
      retryOn.add('reset');
    } else if (t === 'http_502' || t === 'http_503' || t === 'http_504') retryOn.add('gateway-error');
    else if (/^http_\d{3}$/.test(t)) {
      retryOn.add('retriable-status-codes');
      codes.add(Number(t.slice(5)));
    } else if (t === 'invalid_header') lost.push('invalid_header (no Envoy equivalent)');
    else if (t === 'non_idempotent') continue;
  }
  return { retryOn: [...retryOn].sort(), codes: [...codes].sort(), lost };
}

export const retries: Transform = {
  keys: ['proxy-next-upstream', 'proxy-next-upstream-tries'],
  apply(ctx, policy) {
    if (!ctx.supported('proxy-next-upstream')) return;
    const raw = ctx.get('proxy-next-upstream');
    let tokens = ctx.settings.proxyNextUpstream;
    if (raw !== undefined) {
      const list = splitList(raw, ' ');
      const bad = list.filter((t) => !TOKENS.has(t));
      if (list.length === 0 || bad.length > 0) ctx.invalid('proxy-next-upstream', `unknown token(s) ${bad.join(', ') || '(empty)'}: nginx keeps "${tokens.join(' ')}", and so does the output`);
      else tokens = list;
    }
    const fallbackTries = ctx.settings.proxyNextUpstreamTries;
    const tries =
      ctx.get('proxy-next-upstream-tries') === undefined
        ? fallbackTries
        : intValue(ctx, 'proxy-next-upstream-tries', { fallback: fallbackTries, invalid: `not a non-negative integer: nginx uses ${fallbackTries}, and so does the output` });
    if (tokens.includes('off') || tries === 1) {
      policy.route.retry = { count: -1 };
      if (raw !== undefined) ctx.exact('proxy-next-upstream');
      return;
    }
    const { retryOn, codes, lost } = mapNextUpstream(tokens);
    const notes: string[] = [];
    if (lost.length > 0) notes.push(`not expressible: ${lost.join(', ')}`);
    if (!tokens.includes('non_idempotent') && retryOn.some((r) => r !== 'connect-failure' && r !== 'refused-stream'))
      notes.push('Envoy also retries POST and other non-idempotent requests, which nginx does not without non_idempotent');
    if (tries === 0) notes.push('nginx tries every endpoint (tries 0); Contour needs a count, 10 is used');
    if (notes.length > 0 && raw !== undefined) ctx.approximate('proxy-next-upstream', notes.join('; '));
    const retry: RetryIntent = { count: tries === 0 ? 10 : tries - 1, retryOn };
    if (codes.length > 0) retry.retriableStatusCodes = codes;
    policy.route.retry = retry;
  },
};
