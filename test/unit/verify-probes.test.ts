// Probe derivation: which requests verify sends for which Ingress features.
import { describe, expect, it } from 'vitest';
import type { Ingress, IngressPath } from '../../src/model/ingress.js';
import { CHILD_SEGMENT, deriveProbes, literalPrefix, PROBE_ORIGIN, SIBLING_SUFFIX, UNKNOWN_HOST } from '../../src/verify/probes.js';

const P = 'nginx.ingress.kubernetes.io';

function ing(name: string, host: string, paths: [string, IngressPath['pathType']][], annotations: Record<string, string> = {}, tlsHosts: string[] = []): Ingress {
  return {
    namespace: 'shop', name, annotations, labels: {}, apiVersion: 'networking.k8s.io/v1', origin: { source: 'test' },
    rules: [{ host, paths: paths.map(([path, pathType]) => ({ path, pathType, backend: { service: { name: 'web', port: { number: 80 } } } })) }],
    tls: tlsHosts.length > 0 ? [{ hosts: tlsHosts, secretName: 's' }] : [],
  };
}

const keys = (i: Ingress[], skipPaths: string[] = []): string[] => deriveProbes(i, { annotationPrefix: P, skipPaths }).probes.map((p) => p.key);

describe('deriveProbes', () => {
  it('probes every path at its boundaries, plus an unknown host, in a fixed order', () => {
    expect(keys([ing('a', 'a.example', [['/foo', 'Prefix'], ['/', 'Prefix']])])).toEqual([
      'http GET a.example/',
      'http GET a.example/foo',
      `http GET a.example/foo${SIBLING_SUFFIX}`,
      'http GET a.example/foo/',
      `http GET a.example/foo/${CHILD_SEGMENT}`,
      `http GET a.example/${CHILD_SEGMENT}`,
      `http GET ${UNKNOWN_HOST}/`,
    ]);
  });

  it('probes a trailing-slash path without its slash', () => {
    expect(keys([ing('a', 'a.example', [['/app/', 'Prefix']])])).toContain('http GET a.example/app');
  });

  it('is deterministic whatever the input order', () => {
    const x = ing('x', 'x.example', [['/x', 'Exact']]);
    const y = ing('y', 'b.example', [['/y', 'Prefix']]);
    expect(keys([x, y])).toEqual(keys([y, x]));
  });

  it('sends TLS hosts over https and plain http', () => {
    const k = keys([ing('a', 'a.example', [['/', 'Prefix']], {}, ['a.example'])]);
    expect(k).toContain('https GET a.example/');
    expect(k).toContain('http GET a.example/');
  });

  it('adds upper case where nginx matched case-insensitively (regex mode), on the literal part of a regex', () => {
    expect(literalPrefix('/api/v[0-9]+')).toBe('/api/v');
    const k = keys([ing('a', 'a.example', [['/api/v[0-9]+', 'ImplementationSpecific']], { [`${P}/use-regex`]: 'true' })]);
    expect(k).toContain('http GET a.example/API/V');
    expect(k).toContain('http GET a.example/api/v');
    expect(keys([ing('b', 'b.example', [['/api', 'Prefix']])]).some((x) => x.includes('/API'))).toBe(false);
  });

  it('probes a canary with its header and cookie values always, never and the custom value', () => {
    const main = ing('main', 'c.example', [['/', 'Prefix']]);
    const canary = ing('canary', 'c.example', [['/', 'Prefix']], {
      [`${P}/canary`]: 'true', [`${P}/canary-by-header`]: 'X-Canary', [`${P}/canary-by-header-value`]: 'blue', [`${P}/canary-by-cookie`]: 'beta',
    });
    const set = deriveProbes([main, canary], { annotationPrefix: P });
    const k = set.probes.map((p) => p.key);
    for (const v of ['always', 'never', 'blue']) expect(k).toContain(`http GET c.example/ [x-canary: ${v}]`);
    for (const v of ['always', 'never']) expect(k).toContain(`http GET c.example/ [cookie: beta=${v}]`);
    // The forcing value at the path's boundaries (a child segment for /; a sibling too for longer paths).
    expect(k).toContain(`http GET c.example/${CHILD_SEGMENT} [x-canary: blue]`);
    expect(k).toContain(`http GET c.example/${CHILD_SEGMENT} [cookie: beta=always]`);
    const api = deriveProbes([ing('m', 'd.example', [['/api', 'Prefix']]), ing('c', 'd.example', [['/api', 'Prefix']], { [`${P}/canary`]: 'true', [`${P}/canary-by-header`]: 'X-C' })], { annotationPrefix: P });
    expect(api.probes.map((p) => p.key)).toContain(`http GET d.example/api${SIBLING_SUFFIX} [x-c: always]`);
    // The plain path is asked once, on behalf of both Ingresses.
    expect(set.probes.find((p) => p.key === 'http GET c.example/')?.ingresses).toEqual(['shop/canary', 'shop/main']);
  });

  it('asks for / on an app-root host and a CORS preflight where CORS is on', () => {
    const k = keys([ing('a', 'a.example', [['/shop', 'Prefix']], { [`${P}/app-root`]: '/shop', [`${P}/enable-cors`]: 'true' })]);
    expect(k).toContain('http GET a.example/');
    expect(k).toContain(`http OPTIONS a.example/shop [access-control-request-method: GET; origin: ${PROBE_ORIGIN}]`);
  });

  it('probes a name under a wildcard host', () => {
    expect(keys([ing('a', '*.w.example', [['/', 'Prefix']])])).toContain('http GET i2c-verify.w.example/');
  });

  it('never sends what --skip-path names, and lists it as skipped', () => {
    const set = deriveProbes([ing('a', 'a.example', [['/admin', 'Prefix'], ['/', 'Prefix']])], { annotationPrefix: P, skipPaths: ['/admin'] });
    expect(set.probes.some((p) => p.path.startsWith('/admin'))).toBe(false);
    expect(set.skipped.map((p) => p.path)).toContain('/admin');
    expect(set.skipped.length).toBeGreaterThanOrEqual(4);
    expect(set.probes.length).toBeGreaterThan(0);
  });
});
