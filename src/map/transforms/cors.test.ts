import { describe, expect, it } from 'vitest';
import { corsOrigin } from './cors.js';

describe('corsOrigin', () => {
  it('keeps exact origins, * and null', () => {
    expect(corsOrigin('https://app.example.com')).toBe('https://app.example.com');
    expect(corsOrigin('http://localhost:3000')).toBe('http://localhost:3000');
    expect(corsOrigin('*')).toBe('*');
    expect(corsOrigin('null')).toBe('null');
  });
  it('turns a one-label wildcard into a case-insensitive RE2 regex', () => {
    const re = corsOrigin('https://*.example.com:8443');
    expect(re).toBe('(?i)https://[A-Za-z0-9-]+\\.example\\.com:8443');
    const js = new RegExp(`^${re!.replace('(?i)', '')}$`, 'i');
    expect(js.test('https://a.example.com:8443')).toBe(true);
    expect(js.test('https://a.b.example.com:8443')).toBe(false);
    expect(js.test('https://a.example.com')).toBe(false);
  });
  it.each(['example.com', 'https://a b.com', 'https://x.com/path', "https://x.com'"])('refuses %j', (o) => {
    expect(corsOrigin(o)).toBeUndefined();
  });
});
