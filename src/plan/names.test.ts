import { describe, expect, it } from 'vitest';
import { dnsName, NameAllocator, pathSlug } from './names.js';

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('names', () => {
  it.each(['shop.example.com', '*.tenants.example.com', 'UPPER.Example.COM', '-weird-.name.', 'a'.repeat(300), '..', '日本.example'])('%j becomes a valid DNS-1123 subdomain', (text) => {
    const name = dnsName(text);
    expect(name).toMatch(DNS1123);
    expect(name.length).toBeLessThanOrEqual(253);
  });

  it('keeps a plain host name as it is and marks wildcards', () => {
    expect(dnsName('shop.example.com')).toBe('shop.example.com');
    expect(dnsName('a-1.b-2')).toBe('a-1.b-2');
    expect(dnsName('a.-b')).toBe('a-b');
    expect(dnsName('a--b..c')).toBe('a-b.c');
    expect(dnsName('a'.repeat(244))).toBe('a'.repeat(244));
    expect(dnsName('a'.repeat(245))).toBe('a'.repeat(244));
    expect(dnsName('*.example.com')).toMatch(/^wildcard\.example\.com-[0-9a-f]{8}$/);
  });

  it('never hands the same name to two identities in one namespace', () => {
    const names = new NameAllocator();
    const a = names.allocate('ns', '*.example.com', 'root *.example.com');
    const b = names.allocate('ns', 'wildcard.example.com', 'root wildcard.example.com');
    const c = names.allocate('ns', 'wildcard.example.com', 'child x');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(names.allocate('ns', 'wildcard.example.com', 'root wildcard.example.com')).toBe(b);
    expect(names.allocate('other', 'wildcard.example.com', 'child x')).toBe('wildcard.example.com');
  });

  it('names a child as allocate does with its identity, building that only for a taken name', () => {
    const plain = new NameAllocator();
    const lazy = new NameAllocator();
    for (const [ns, base, fqdn, prefix] of [
      ['ns', 'a.example.com', 'a.example.com', '/'],
      ['ns', 'a.example.com', 'b.example.com', '/x'],
      ['ns', 'a.example.com', 'c.example.com', '/'],
      ['other', 'a.example.com', 'a.example.com', '/'],
    ] as const) {
      expect(lazy.allocateChild(ns, base, fqdn, prefix)).toBe(plain.allocate(ns, base, `child ${fqdn} ${prefix}`));
    }
    expect(lazy.allocate('ns', 'a.example.com', 'root a.example.com')).toBe(plain.allocate('ns', 'a.example.com', 'root a.example.com'));
  });

  it('slugs path prefixes', () => {
    expect(pathSlug('/api/v1')).toBe('api-v1');
    expect(pathSlug('/')).toBe('root');
  });
});
