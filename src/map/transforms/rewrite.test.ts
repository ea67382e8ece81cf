import { describe, expect, it } from 'vitest';
import { analyzeRewrite, locationMatcher, prefixShape } from './rewrite.js';

describe('analyzeRewrite: rewrites that are prefix substitutions', () => {
  // [path, target, match, literal, replacement]
  it.each([
    ['/something(/|$)(.*)', '/$2', 'segment', '/something', '/'],
    ['/api(?:/|$)(.*)', '/$1', 'segment', '/api', '/'],
    ['/app(.*)', '/new$1', 'string', '/app', '/new'],
    ['/app(.*)$', '/new$1', 'string', '/app', '/new'],
    ['/static\\.files(.*)', '/s$1', 'string', '/static.files', '/s'],
    ['/(.*)', '/app/$1', 'segment', '/', '/app/'],
    ['/api/?(.*)', '/$1', 'string', '/api', '/'],
  ])('%s → %s is exactly a prefix replacement (%s %s → %s)', (path, target, match, literal, replacement) => {
    expect(analyzeRewrite(path, target)).toEqual({ kind: 'rewrite', exact: true, rewrite: { literal, match, replacement } });
  });

  // [path, target, match, literal, requests whose answer differs]
  it.each([
    // `(.+)` needs one character: nginx answers the bare prefix from another location.
    ['/foo/bar/(.+)', '/new/backend/$1', 'slash', '/foo/bar/', ['/foo/bar → another location', '/foo/bar/ → another location']],
    ['/v1/(.*)', '/v2/$1', 'slash', '/v1/', ['/v1 → another location']],
    ['/api(/.*)', '/v2$1', 'slash', '/api/', ['/api → another location']],
    // Contour trims the replacement's slash for the bare prefix.
    ['/api(/|$)(.*)', '/v2/$2', 'segment', '/api', ['/api → /v2/ (output: /v2)']],
    // An optional slash: nginx inserts the target's slash, Contour keeps the request's.
    ['/api/?(.*)', '/v2/$1', 'string', '/api', ['/api → /v2/ (output: /v2)', '/apix/y → /v2/x/y (output: /v2x/y)']],
    // An optional group matches nothing on /apix: nginx drops the rest.
    ['/api(/.*)?', '/v2$1', 'string', '/api', ['/apix/y → /v2 (output: /v2x/y)']],
  ])('%s → %s converts with the differences named', (path, target, match, literal, differences) => {
    const a = analyzeRewrite(path, target);
    expect(a).toMatchObject({ kind: 'rewrite', exact: false, rewrite: { literal, match } });
    for (const d of differences) expect(a.kind === 'rewrite' ? a.note : '').toContain(d);
  });

  it('treats a plain target on a literal path as approximate: nginx collapses every sub-path', () => {
    const a = analyzeRewrite('/something', '/');
    expect(a).toMatchObject({ kind: 'rewrite', exact: false, rewrite: { literal: '/something', replacement: '/' } });
    expect(a.kind === 'rewrite' && a.note).toContain('/something/a/b → /');
  });

  // [path, target, what the reason names]
  it.each([
    ['/swap/([a-z]+)/([a-z]+)', '/$2/$1', /2 captures/],
    ['/img/(.*)\\.png', '/images/$1', /does not end in a capture/],
    ['/a(/|$)(.*)', '/$1', /\$1 is not the last group/],
    ['/files/(.*)', '/$1/index', /text after \$1/],
    ['/(v[0-9]+)/(.*)', '/$2', /regex syntax before its last capture \("\(" at character 2\)/],
    ['/v[0-9]+/(.*)', '/$1', /"\[" at character 3/],
    ['/id/[0-9]+', '/item', /no capture/],
    ['/app/(.*)', '$1', /does not start with \//],
    // nginx glues the rest to a target without a slash; a prefix replacement cannot.
    ['/api(/|$)(.*)', '/v2$2', /\/api\/x\/y to \/v2x\/y/],
  ])('refuses %s → %s and names why', (path, target, reason) => {
    const a = analyzeRewrite(path, target);
    expect(a.kind).toBe('unsupported');
    expect(a.kind === 'unsupported' ? a.reason : '').toMatch(reason);
  });

  describe('IngressRoute: raw Envoy prefix rewrites, one route per form', () => {
    it('keeps a slash rewrite exact (no route for the bare prefix)', () => {
      expect(analyzeRewrite('/v1/(.*)', '/v2/$1', 'ingressroute')).toMatchObject({ kind: 'rewrite', exact: true, rewrite: { literal: '/v1/', match: 'slash' } });
      expect(analyzeRewrite('/app(.*)', '/new$1', 'ingressroute')).toMatchObject({ kind: 'rewrite', exact: true });
    });

    it('refuses a string rewrite whose raw replacement doubles the slash', () => {
      const a = analyzeRewrite('/api/?(.*)', '/v2/$1', 'ingressroute');
      expect(a.kind === 'unsupported' ? a.reason : '').toContain('/v2//x/y');
    });
  });
});

describe('locationMatcher: the literal compared directly, the rest as a shared regex', () => {
  // A seeded generator (no Math.random: a failure must replay).
  let seed = 13;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const LITERAL_PARTS = ['/', 'a', 'B', 'z', 'Z', '0', '-', '_', '~', '\\.', '\\/', '\\-', '\\_', 'é', 'K', '@', '[', '`', '{'] as const;
  const SEPARATORS = ['(/|$)', '(?:/|$)', '/?', ''] as const;
  const TAILS = ['(.*)', '(.+)', '(/.*)', '(/.+)', '(/.*)?'] as const;
  const URI_PARTS = ['/', 'a', 'A', 'b', 'z', 'Z', '0', '-', '_', '.', 'x', 'é', 'É', 'K', 'k', '\u212a', '@', '`', '[', '{', '\n'] as const;

  it('agrees with the whole regex nginx compiles, on every probe', () => {
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      let literal = '';
      for (let k = rand(6); k > 0; k--) literal += pick(LITERAL_PARTS);
      // Characters that would be regex syntax are only generated escaped; `[`, `{` are left out when bare.
      if (/(^|[^\\])[[{]/.test(literal)) continue;
      const path = `${literal}${pick(SEPARATORS)}${pick(TAILS)}${rand(3) === 0 ? '$' : ''}`;
      const shape = prefixShape(path);
      if ('refusal' in shape) continue;
      const whole = new RegExp(`^(?:${path})`, 'i');
      const matcher = locationMatcher(path, shape);
      const uris = [shape.literal, `${shape.literal}/`, `${shape.literal}x/y`, `${shape.literal}/x/y`, shape.literal.toUpperCase(), shape.literal.slice(0, -1)];
      for (let u = 0; u < 6; u++) {
        let uri = rand(2) === 0 ? shape.literal : '';
        for (let k = rand(5); k > 0; k--) uri += pick(URI_PARTS);
        uris.push(uri);
      }
      for (const uri of uris) {
        const expected = whole.exec(uri);
        const actual = matcher(uri);
        // The groups are what the rewrite uses (the whole match leaves the literal out).
        expect(actual === null ? null : [...actual].slice(1), `${path} on ${JSON.stringify(uri)}`).toEqual(expected === null ? null : [...expected].slice(1));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
