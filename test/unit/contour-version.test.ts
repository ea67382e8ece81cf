// --contour-version: no emitted HTTPProxy uses a field newer than the version asked
// for, on every golden input. The field → version table below is written from the
// Contour API history (contour-api.md), independently of src/model/contour.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContourVersion, versionAtLeast } from '../../src/model/contour.js';
import { convertYaml } from '../support/convert.js';

type Node = Record<string, unknown>;

/** Every field (by JSON path pattern) an HTTPProxy may carry that some older Contour lacks. */
function featuresOf(obj: Node): Map<string, string> {
  const found = new Map<string, string>();
  const need = (feature: string, version: string): void => {
    found.set(feature, version);
  };
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, at));
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node as Node)) {
      const here = `${at}.${k}`;
      if (k === 'exact' && at.endsWith('.conditions')) need('exact path', '1.25');
      if (k === 'regex' && at.endsWith('.conditions')) need('regex path', '1.26');
      if (k === 'regex' && at.endsWith('.header')) need('header regex', '1.26');
      if (k === 'treatMissingAsEmpty') need('treatMissingAsEmpty', '1.26');
      if (k === 'ipAllowPolicy' || k === 'ipDenyPolicy') need('ip filters', '1.25');
      if (k === 'requestRedirectPolicy') need('redirects', '1.20');
      if (k === 'statusCode' && at.endsWith('.requestRedirectPolicy') && ![301, 302].includes(v as number)) need('redirect 303/307/308', '1.25');
      if (k === 'directResponsePolicy') need('direct response', '1.22');
      if (k === 'corsPolicy') need('cors', '1.9');
      if (k === 'authorization' || k === 'authPolicy') need('ext auth', '1.9');
      if (k === 'rateLimitPolicy') need('local rate limit', '1.12');
      if (k === 'retryOn' || k === 'retriableStatusCodes') need('retryOn', '1.7');
      if (k === 'clientValidation') need('client validation', '1.4');
      if (k === 'optionalClientCertificate') need('optional client cert', '1.24');
      if (k === 'skipClientCertValidation') need('skip client cert validation', '1.15');
      if (k === 'strategy' && v === 'RequestHash') need('request hash', '1.12');
      if (k === 'hashSourceIP') need('hash source ip', '1.20');
      if (k === 'queryParameterHashOptions') need('query hash', '1.21');
      if (k === 'ingressClassName') need('spec.ingressClassName', '1.18');
      if (k === 'pathRewritePolicy') need('path rewrite', '1.1');
      if (k === 'requestHeadersPolicy' || k === 'responseHeadersPolicy') need('header policies', '1.1');
      if (k === 'protocol' && at.endsWith('.services')) need('service protocol', '1.1');
      if (k === 'fqdn' && typeof v === 'string' && v.startsWith('*.')) need('wildcard fqdn', '1.20');
      if (k === 'include' && at.endsWith('.tcpproxy')) need('tcpproxy include', '1.3');
      walk(v, here);
    }
  };
  walk(obj.spec, 'spec');
  return found;
}

const CASES = path.resolve('test/golden/cases');
const inputs = [...readdirSync(CASES).map((c) => readFileSync(path.join(CASES, c, 'input.yaml'), 'utf8')), readFileSync('fixtures/demo/shop.yaml', 'utf8')];

describe('--contour-version gates HTTPProxy fields', () => {
  for (const version of ['1.0', '1.4', '1.9', '1.12', '1.18', '1.20', '1.24', '1.25', '1.33']) {
    it(`Contour ${version}: nothing newer is emitted`, () => {
      const v = parseContourVersion(version)!;
      const offending: string[] = [];
      for (const text of inputs) {
        for (const o of convertYaml(text, { target: 'httpproxy', contourVersion: version, authExtension: { namespace: 'auth', name: 'ext' } }).objects) {
          if (o.kind !== 'HTTPProxy') continue;
          for (const [feature, min] of featuresOf(o as unknown as Node)) if (!versionAtLeast(v, min)) offending.push(`${o.metadata.namespace}/${o.metadata.name}: ${feature} needs ${min}`);
        }
      }
      expect([...new Set(offending)]).toEqual([]);
    });
  }

  it('says which version would convert what was left out', () => {
    const r = convertYaml(readFileSync(path.join(CASES, 'source-range', 'input.yaml'), 'utf8'), { target: 'httpproxy', contourVersion: '1.20' });
    const version = r.findings.filter((f) => f.id === 'annotation.version');
    expect(version.length).toBeGreaterThan(0);
    for (const f of version) expect(f.message).toMatch(/needs Contour 1\.\d+ or newer/);
  });

  it('uses the newer fields when the version allows them', () => {
    const all = new Set<string>();
    for (const text of inputs)
      for (const o of convertYaml(text, { target: 'httpproxy', contourVersion: '1.33', authExtension: { namespace: 'auth', name: 'ext' } }).objects)
        for (const f of featuresOf(o as unknown as Node).keys()) all.add(f);
    for (const f of [
      'exact path',
      'regex path',
      'ip filters',
      'redirects',
      'direct response',
      'cors',
      'local rate limit',
      'retryOn',
      'client validation',
      'request hash',
      'hash source ip',
      'wildcard fqdn',
      'header regex',
    ])
      expect(all).toContain(f);
  });
});
