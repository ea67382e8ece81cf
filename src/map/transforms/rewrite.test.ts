import { describe, expect, it } from 'vitest';
import { analyzeRewrite } from './rewrite.js';

describe('analyzeRewrite: which rewrite-target forms Contour can express', () => {
  it('reads the documented prefix strip `/p(/|$)(.*)` + `/$2` as an exact segment rewrite', () => {
    expect(analyzeRewrite('/something(/|$)(.*)', '/$2')).toEqual({ kind: 'rewrite', exact: true, rewrite: { literal: '/something', match: 'segment', replacement: '/' } });
  });

  it('keeps a replacement prefix', () => {
    expect(analyzeRewrite('/api(/|$)(.*)', '/v2/$2')).toMatchObject({ kind: 'rewrite', rewrite: { literal: '/api', replacement: '/v2/' } });
  });

  it('reads `/p/(.*)` + `/t/$1` as a slash rewrite', () => {
    expect(analyzeRewrite('/v1/(.*)', '/v2/$1')).toMatchObject({ kind: 'rewrite', exact: true, rewrite: { literal: '/v1/', match: 'slash', replacement: '/v2/' } });
  });

  it('reads `/p(.*)` + `/t$1` as a string-prefix rewrite', () => {
    expect(analyzeRewrite('/app(.*)', '/new$1')).toMatchObject({ kind: 'rewrite', rewrite: { literal: '/app', match: 'string', replacement: '/new' } });
  });

  it('treats a plain target on a literal path as approximate: nginx collapses every sub-path', () => {
    const a = analyzeRewrite('/something', '/');
    expect(a).toMatchObject({ kind: 'rewrite', exact: false, rewrite: { literal: '/something', replacement: '/' } });
    expect(a.kind === 'rewrite' && a.note).toContain('/something/a/b → /');
  });

  it.each([
    ['/swap/([a-z]+)/([a-z]+)', '/$2/$1', 'reordered captures'],
    ['/img/(.*)\\.png', '/images/$1', 'literal after the capture'],
    ['/a(/|$)(.*)', '/$1', 'the separator group'],
    ['/files/(.*)', '/$1/index', 'text after the capture'],
    ['/(v[0-9]+)/(.*)', '/$2', 'a regex before the capture'],
    ['/id/[0-9]+', '/item', 'a regex path with a plain target'],
  ])('refuses %s → %s (%s)', (path, target) => {
    expect(analyzeRewrite(path, target).kind).toBe('unsupported');
  });
});
