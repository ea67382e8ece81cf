// The fuzzer's pure parts: the generator is deterministic and bounded, and differences are
// classified and named only by findings about the request's host (and path).
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/findings.js';
import { classify, namingFinding, type Seen } from './classify.js';
import { generateCase } from './generate.js';

describe('fuzz generator', () => {
  it('gives the same case for the same seed and index, another for another index', () => {
    expect(generateCase(5, 3)).toEqual(generateCase(5, 3));
    expect(JSON.stringify(generateCase(5, 3))).not.toBe(JSON.stringify(generateCase(5, 4)));
  });

  it('stays within its bounds and names every object uniquely', () => {
    for (let i = 0; i < 50; i++) {
      const c = generateCase(9, i, 24);
      expect(c.requests.length).toBeLessThanOrEqual(24);
      expect(c.ingresses.length).toBeGreaterThan(0);
      expect(c.ingresses.length).toBeLessThanOrEqual(6);
      const names = c.ingresses.map((x) => `${x.ns}/${x.name}`);
      expect(new Set(names).size).toBe(names.length);
      for (const r of c.requests) expect(c.hosts).toContain(r.host);
    }
  });

  it('produces every feature it promises across a small seed range', () => {
    const cases = Array.from({ length: 60 }, (_, i) => generateCase(1, i));
    const anns = new Set(cases.flatMap((c) => c.ingresses.flatMap((i) => Object.keys(i.ann ?? {}))));
    for (const a of ['use-regex', 'rewrite-target', 'canary', 'permanent-redirect', 'app-root']) expect(anns).toContain(a);
    const types = new Set(cases.flatMap((c) => c.ingresses.flatMap((i) => i.paths.map(([, t]) => t))));
    expect([...types].sort()).toEqual(['Exact', 'ImplementationSpecific', 'Prefix']);
    expect(cases.some((c) => c.needsAges)).toBe(true);
    expect(cases.some((c) => c.ingresses.some((i) => i.tls))).toBe(true);
    expect(cases.some((c) => new Set(c.ingresses.map((i) => i.ns)).size > 1 && new Set(c.ingresses.map((i) => i.host)).size === 1)).toBe(true);
  });
});

describe('fuzz classification', () => {
  const proxied = (backend: string, path: string): Seen => ({ status: 200, backend, path });
  const redirect = (status: number, location: string): Seen => ({ status, backend: '(proxy)', location });

  it('classifies by what differs', () => {
    expect(classify(proxied('a/s0', '/x'), proxied('a/s0', '/x'))).toBeUndefined();
    expect(classify(proxied('a/s0', '/x'), proxied('a/s1', '/x'))).toBe('backend');
    expect(classify(proxied('a/s0', '/x'), proxied('a/s0', '/'))).toBe('upstream-path');
    expect(classify(redirect(308, 'https://h/'), redirect(301, 'https://h/'))).toBe('redirect-code');
    expect(classify(redirect(301, 'https://h/a'), redirect(301, 'https://h/a?q=1'))).toBe('redirect-location');
    expect(classify(redirect(301, 'http://h/foo/'), { status: 404, backend: '(proxy)' })).toBe('redirect-vs-answer');
    expect(classify({ status: 404, backend: '(proxy)' }, proxied('a/s0', '/x'))).toBe('status');
  });

  const ingresses = [{ ns: 'fz-a', name: 'one', host: 'h.fuzz.test', paths: [['/cart', 'Prefix', 's0']] as Array<[string, 'Prefix', string]> }];
  const prefix: Finding = { id: 'route.string-prefix', severity: 'warn', subject: { ingresses: ['fz-a/one'] }, data: { paths: ['/cart'] }, message: 'Contour matches these prefixes as plain strings: /cart' };

  it('a string-prefix finding names a sibling of its prefix only', () => {
    expect(namingFinding('backend', 'h.fuzz.test', '/cartoon', [prefix], ingresses)?.id).toBe('route.string-prefix');
    expect(namingFinding('backend', 'h.fuzz.test', '/cart/x', [prefix], ingresses)).toBeUndefined();
    expect(namingFinding('backend', 'h.fuzz.test', '/other', [prefix], ingresses)).toBeUndefined();
  });

  it('a finding about another host names nothing', () => {
    expect(namingFinding('backend', 'other.fuzz.test', '/cartoon', [prefix], ingresses)).toBeUndefined();
  });

  it('an annotation finding names only differences its annotation can cause', () => {
    const cors: Finding = { id: 'annotation.approximate', severity: 'warn', subject: { ingresses: ['fz-a/one'], annotation: 'nginx.ingress.kubernetes.io/enable-cors' }, data: {}, message: 'x' };
    const perm: Finding = { ...cors, subject: { ...cors.subject, annotation: 'nginx.ingress.kubernetes.io/permanent-redirect' } };
    const queryOnly = { nginx: redirect(301, 'https://x.test/landing'), ours: redirect(301, 'https://x.test/landing?q=1') };
    const elsewhere = { nginx: redirect(301, 'https://x.test/landing'), ours: redirect(301, 'https://x.test/other') };
    expect(namingFinding('redirect-location', 'h.fuzz.test', '/a?q=1', [cors], ingresses, queryOnly)).toBeUndefined();
    expect(namingFinding('redirect-location', 'h.fuzz.test', '/a?q=1', [perm], ingresses, queryOnly)?.subject.annotation).toBe(perm.subject.annotation);
    // The permanent-redirect finding speaks of the query string only.
    expect(namingFinding('redirect-location', 'h.fuzz.test', '/a?q=1', [perm], ingresses, elsewhere)).toBeUndefined();
  });

  it('the HTTPS redirect finding names only redirects to https://<host>', () => {
    const tls: Finding = { id: 'tls.redirect-code', severity: 'warn', subject: { ingresses: ['fz-a/one'] }, data: {}, message: '301' };
    const a = redirect(308, 'https://h.fuzz.test/a');
    const b = redirect(301, 'https://h.fuzz.test/a');
    expect(namingFinding('redirect-code', 'h.fuzz.test', '/a', [tls], ingresses, { nginx: a, ours: b })?.id).toBe('tls.redirect-code');
    // nginx redirects to HTTPS where ours does not: not what the finding describes.
    expect(namingFinding('redirect-vs-answer', 'h.fuzz.test', '/zz', [tls], ingresses, { nginx: redirect(308, 'https://h.fuzz.test/zz'), ours: { status: 404, backend: '(proxy)' } })).toBeUndefined();
    const c = redirect(301, 'http://h.fuzz.test/a/');
    expect(namingFinding('redirect-vs-answer', 'h.fuzz.test', '/a', [tls], ingresses, { nginx: c, ours: { status: 404, backend: '(proxy)' } })).toBeUndefined();
  });
});
