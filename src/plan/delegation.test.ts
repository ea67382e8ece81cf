import { describe, expect, it } from 'vitest';
import type { MatchKind, Route } from '../model/hosts.js';
import { groupRoutes, prefixTradeoffs, type GroupOptions } from './delegation.js';

const route = (namespace: string, path: string, kind: MatchKind = 'segment'): Route => ({
  host: 'h',
  namespace,
  match: { kind, path },
  originalPath: path,
  backend: { service: 's', port: 80 },
  policy: {},
  source: { ingress: `${namespace}/i`, rule: 0, path: 0 },
});

const opts: GroupOptions = { scope: 'prefix', exactNeedsParent: true, regexMode: false };
const summary = (groups: ReturnType<typeof groupRoutes>) => groups.map((g) => `${g.namespace} ${g.prefix} [${g.routes.map((r) => r.match.path).join(' ')}]`);

describe('groupRoutes: include/delegation prefixes from all routes of a host', () => {
  it('gives each namespace the prefix its paths share', () => {
    const groups = groupRoutes(
      new Map([
        ['a', [route('a', '/shop/cart'), route('a', '/shop/checkout')]],
        ['b', [route('b', '/search')]],
      ]),
      opts,
    );
    expect(summary(groups)).toEqual(['a /shop [/shop/cart /shop/checkout]', 'b /search [/search]']);
  });

  it('splits namespaces that would get the same prefix (Contour rejects duplicate include conditions)', () => {
    const groups = groupRoutes(
      new Map([
        ['a', [route('a', '/api/a'), route('a', '/api/b')]],
        ['b', [route('b', '/api/c'), route('b', '/api/d')]],
      ]),
      opts,
    );
    expect(summary(groups)).toEqual(['a /api/a [/api/a]', 'a /api/b [/api/b]', 'b /api/c [/api/c]', 'b /api/d [/api/d]']);
    const prefixes = groups.map((g) => g.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('falls back to / (exempt from the duplicate check) for the same path in two namespaces', () => {
    const groups = groupRoutes(
      new Map([
        ['a', [route('a', '/x', 'exact')]],
        ['b', [route('b', '/x')]],
      ]),
      opts,
    );
    expect(summary(groups)).toEqual(['a / [/x]', 'b /x [/x]']);
  });

  it('never lets an exact path equal its include prefix on HTTPProxy', () => {
    expect(summary(groupRoutes(new Map([['a', [route('a', '/health', 'exact')]]]), opts))).toEqual(['a / [/health]']);
    expect(summary(groupRoutes(new Map([['a', [route('a', '/health', 'exact')]]]), { ...opts, exactNeedsParent: false }))).toEqual(['a /health [/health]']);
    expect(summary(groupRoutes(new Map([['a', [route('a', '/app/health', 'exact'), route('a', '/app/x')]]]), opts))).toEqual(['a /app [/app/health /app/x]']);
  });

  it('uses the parent of a string prefix (regex-mode literal /foo also matches /foobar)', () => {
    expect(summary(groupRoutes(new Map([['a', [route('a', '/docs/v1', 'string')]]]), opts))).toEqual(['a /docs [/docs/v1]']);
  });

  it('includes everything at / when asked, or when the host has regex paths', () => {
    const byNs = new Map([
      ['a', [route('a', '/api/a')]],
      ['b', [route('b', '/api/b')]],
    ]);
    expect(summary(groupRoutes(byNs, { ...opts, scope: 'none' }))).toEqual(['a / [/api/a]', 'b / [/api/b]']);
    expect(summary(groupRoutes(new Map([['a', [route('a', '/id/[0-9]+', 'regex')]]]), opts))).toEqual(['a / [/id/[0-9]+]']);
  });

  it('keeps nested prefixes of different namespaces (longest match still routes right)', () => {
    const groups = groupRoutes(
      new Map([
        ['a', [route('a', '/api')]],
        ['b', [route('b', '/api/admin')]],
      ]),
      opts,
    );
    expect(summary(groups)).toEqual(['a /api [/api]', 'b /api/admin [/api/admin]']);
  });

  it('counts the segments of paths with repeated, trailing or no leading slashes', () => {
    const a = [route('a', '/api//a'), route('a', '/api/b/'), route('a', 'api/c', 'string')];
    expect(
      summary(
        groupRoutes(
          new Map([
            ['a', a],
            ['b', [route('b', '//other//')]],
          ]),
          opts,
        ),
      ),
    ).toEqual(['a /api [/api//a /api/b/ api/c]', 'b /other [//other//]']);
    const b = [route('b', '/api/c/', 'string'), route('b', '/api/d', 'exact')];
    expect(
      summary(
        groupRoutes(
          new Map([
            ['a', a.slice(0, 2)],
            ['b', b],
          ]),
          opts,
        ),
      ),
    ).toEqual(['a /api/a [/api//a]', 'a /api/b [/api/b/]', 'b /api [/api/d]', 'b /api/c [/api/c/]']);
  });

  it('splits a namespace with many next segments (looked up by name past 32)', () => {
    const many = Array.from({ length: 40 }, (_, i) => route('a', `/api/s${i % 35}/x${i}`));
    const groups = summary(
      groupRoutes(
        new Map([
          ['a', many],
          ['b', [route('b', '/api/s3'), route('b', '/api/s4/y')]],
        ]),
        opts,
      ),
    );
    expect(groups).toHaveLength(38);
    expect(groups.slice(0, 3)).toEqual(['a /api/s0 [/api/s0/x0 /api/s0/x35]', 'a /api/s1 [/api/s1/x1 /api/s1/x36]', 'a /api/s10/x10 [/api/s10/x10]']);
    expect(groups.filter((g) => g.startsWith('a /api/s3') || g.startsWith('b'))).toEqual([
      'a /api/s3/x3 [/api/s3/x3]',
      'a /api/s3/x38 [/api/s3/x38]',
      'a /api/s30/x30 [/api/s30/x30]',
      'a /api/s31/x31 [/api/s31/x31]',
      'a /api/s32/x32 [/api/s32/x32]',
      'a /api/s33/x33 [/api/s33/x33]',
      'a /api/s34/x34 [/api/s34/x34]',
      'b / [/api/s3]',
      'b /api/s4/y [/api/s4/y]',
    ]);
  });

  describe('auto scope: prefixes only where several namespaces share the host', () => {
    const auto: GroupOptions = { ...opts, scope: 'auto' };
    it('includes a host served by one namespace at / (segment semantics kept, nothing traded)', () => {
      const groups = groupRoutes(new Map([['a', [route('a', '/aaa'), route('a', '/aaa/b', 'exact'), route('a', '/z/')]]]), auto);
      expect(summary(groups)).toEqual(['a / [/aaa /aaa/b /z/]']);
      expect(prefixTradeoffs(groups)).toEqual([]);
    });

    it('scopes every namespace of a shared host and names the segment paths that equal their prefix', () => {
      const groups = groupRoutes(
        new Map([
          ['a', [route('a', '/aaa')]],
          ['b', [route('b', '/bbb/x'), route('b', '/bbb/y')]],
        ]),
        auto,
      );
      expect(summary(groups)).toEqual(['a /aaa [/aaa]', 'b /bbb [/bbb/x /bbb/y]']);
      expect(prefixTradeoffs(groups).map((r) => `${r.namespace} ${r.match.path}`)).toEqual(['a /aaa']);
    });

    it('prefix scope keeps conditions even on a host with one namespace', () => {
      const groups = groupRoutes(new Map([['a', [route('a', '/aaa')]]]), opts);
      expect(summary(groups)).toEqual(['a /aaa [/aaa]']);
      expect(prefixTradeoffs(groups).map((r) => r.match.path)).toEqual(['/aaa']);
    });

    it('trades nothing for a directory or string path equal to the prefix', () => {
      const groups = groupRoutes(
        new Map([
          ['a', [route('a', '/d/'), route('a', '/d/e')]],
          ['b', [route('b', '/q')]],
        ]),
        auto,
      );
      expect(prefixTradeoffs(groups).map((r) => r.match.path)).toEqual(['/q']);
      expect(summary(groups)).toContain('a /d [/d/ /d/e]');
    });
  });
});
