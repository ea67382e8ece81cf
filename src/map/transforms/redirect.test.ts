import { describe, expect, it } from 'vitest';
import { parseRedirectUrl } from './redirect.js';

describe('parseRedirectUrl', () => {
  it('splits an absolute URL into requestRedirectPolicy parts', () => {
    expect(parseRedirectUrl('http://maintenance.example.com:8080/down')).toEqual({ kind: 'ok', target: { scheme: 'http', hostname: 'maintenance.example.com', port: 8080, path: '/down' } });
  });

  it('keeps a relative target as a path only', () => {
    expect(parseRedirectUrl('/elsewhere')).toEqual({ kind: 'ok', target: { path: '/elsewhere' } });
  });

  it('says what a query in the target loses', () => {
    const r = parseRedirectUrl('https://new.example.com/?from=old');
    expect(r).toMatchObject({ kind: 'ok', target: { path: '/' } });
    expect(r.kind === 'ok' && r.lost).toContain('?from=old');
  });

  it.each(['https://x.example.com/$request_uri', 'ftp://x.example.com/', 'https://a b', 'http://x\r\nSet-Cookie: a=b', 'javascript:alert(1)'])('rejects %j', (url) => {
    expect(parseRedirectUrl(url).kind).toBe('invalid');
  });
});
