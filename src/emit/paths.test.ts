import { describe, expect, it } from 'vitest';
import { checkRe2 } from '../model/re2.js';
import { nginxRegexToRe2, pcreOnly } from './paths.js';

/** nginx's `~* "^<path>"` search and Envoy's full match, both run with JS regexes (the patterns below are JS-compatible). */
const nginxMatches = (path: string, uri: string): boolean => new RegExp(`^${path}`, 'i').test(uri);
const envoyMatches = (re2: string, uri: string): boolean => new RegExp(`^(?:${re2.replace(/\(\?[is]+:/g, '(?:')})$`, 'is').test(uri);

describe('nginxRegexToRe2: nginx regex-mode paths as Envoy full-match regexes', () => {
  it.each<[string, string, string[]]>([
    ['/api/v[0-9]+', '/(?i:api/v[0-9]+).*', ['/api/v1', '/API/V2/x', '/api/v', '/x/api/v1']],
    ['/', '/.*', ['/', '/q']],
    // `^/a|/b` is `(^/a)|(/b)`: /b anywhere in the path matches too.
    ['/a|/b', '/?(?s:.*)(?i:^/a|/b)(?s:.*)', ['/a', '/ax', '/x/b', '/b', '/c', '/A']],
    ['/x$|/y', '/?(?s:.*)(?i:^/x$|/y)(?s:.*)', ['/x', '/xx', '/zz/y']],
    // A quantified first slash cannot be split off.
    ['/*abc', '/?(?s:.*)(?i:^/*abc)(?s:.*)', ['/abc', '//abc', '/x']],
  ])('%s → %s, matching what nginx matches', (path, re2, uris) => {
    expect(nginxRegexToRe2(path)).toBe(re2);
    expect(checkRe2(re2)).toEqual({ ok: true });
    for (const uri of uris) expect(envoyMatches(re2, uri)).toBe(nginxMatches(path, uri));
  });

  it.each(['/a)(b', '/(?=x)y', '/a{1001}', '/(a'])('refuses %s, which Contour would reject', (path) => {
    expect(nginxRegexToRe2(path)).toBeUndefined();
    expect(pcreOnly(path)).toBeDefined();
  });
});
