// mapIngress shares what Ingresses have in common (default verdicts, their findings): sharing must
// not show. Every Ingress gets the verdicts and findings a lone Ingress with the same annotations gets.
import { describe, expect, it } from 'vitest';
import { finding } from '../model/findings.js';
import { Capabilities, parseContourVersion } from '../model/contour.js';
import type { Ingress } from '../model/ingress.js';
import { loadCatalogue } from './catalogue.js';
import { mapIngress, verdictFindings, type MapContextOptions } from './engine.js';
import { showValue } from './values.js';

const PREFIX = 'nginx.ingress.kubernetes.io';

const ingress = (name: string, annotations: Record<string, string>): Ingress => ({
  namespace: 'team',
  name,
  annotations,
  labels: {},
  rules: [{ host: `${name}.example.com`, paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] }],
  tls: [],
  apiVersion: 'networking.k8s.io/v1',
  origin: { source: 'test.yaml' },
});

const options = (): MapContextOptions => ({ catalogue: loadCatalogue(), caps: new Capabilities('httpproxy', parseContourVersion('1.20')!), prefix: PREFIX, services: [], configMaps: [] });

describe('mapIngress across a fleet', () => {
  const annotations = {
    [`${PREFIX}/proxy-body-size`]: '8m',
    [`${PREFIX}/server-snippet`]: 'return 200;',
    [`${PREFIX}/no-such-key`]: 'x',
    [`${PREFIX}/enable-opentelemetry`]: 'true',
    [`${PREFIX}/rewrite-target`]: '/',
    'other.example.com/key': 'kept out',
  };

  it('gives each Ingress the verdicts and findings it gets alone', () => {
    const opts = options();
    const fleet = ['a', 'b', 'c'].map((name) => mapIngress(ingress(name, annotations), opts));
    for (const [i, m] of fleet.entries()) {
      const alone = mapIngress(ingress(m.ingress.name, annotations), options());
      expect(m.verdicts).toEqual(alone.verdicts);
      expect(m.verdicts.map((v) => v.key)).toEqual(['enable-opentelemetry', 'no-such-key', 'proxy-body-size', 'rewrite-target', 'server-snippet']);
      const findings = verdictFindings(m, PREFIX);
      expect(findings).toEqual(verdictFindings(alone, PREFIX));
      // Exactly what finding() makes, naming this Ingress only; and never the same object twice.
      for (const f of findings) {
        const v = m.verdicts.find((x) => `${PREFIX}/${x.key}` === f.subject.annotation)!;
        const data: Record<string, string> = { message: v.message, value: showValue(v.value) };
        if (v.needsContour) data.needsContour = v.needsContour;
        expect(f).toEqual(finding(v.findingId, v.severity, { ingresses: [`team/${['a', 'b', 'c'][i]}`], annotation: f.subject.annotation! }, data, v.fidelity));
      }
      expect(verdictFindings(m, PREFIX).every((f, j) => f !== findings[j] && f.subject !== findings[j]!.subject)).toBe(true);
    }
  });
});

describe('mapIngress with many annotations', () => {
  it('reads and orders them as with a few', () => {
    const keys = [
      'proxy-read-timeout',
      'proxy-send-timeout',
      'proxy-connect-timeout',
      'ssl-redirect',
      'force-ssl-redirect',
      'enable-cors',
      'cors-allow-origin',
      'affinity',
      'session-cookie-name',
      'limit-rps',
      'proxy-body-size',
      'upstream-vhost',
      'backend-protocol',
      'use-regex',
      'load-balance',
      'canary-weight',
      'x-unknown-1',
      'x-unknown-2',
      'x-unknown-3',
      'x-unknown-4',
    ];
    const many = Object.fromEntries(keys.reverse().map((k, i) => [`${PREFIX}/${k}`, k.endsWith('timeout') ? String(10 + i) : k === 'limit-rps' ? 'x' : 'true']));
    const m = mapIngress(ingress('many', many), options());
    expect(m.verdicts.map((v) => v.key)).toEqual([...keys].sort());
    for (const v of m.verdicts) expect(v.value).toBe(many[`${PREFIX}/${v.key}`]);
    expect(m.verdicts.find((v) => v.key === 'limit-rps')?.fidelity).toBe('invalid');
    // A few of the same annotations, read the short way, give the same verdicts.
    const few = Object.fromEntries(Object.entries(many).slice(0, 5));
    const alone = mapIngress(ingress('few', few), options());
    for (const v of alone.verdicts) expect(m.verdicts.find((x) => x.key === v.key)).toEqual(v);
  });
});

describe('mapIngress policies', () => {
  it('shares one frozen policy between Ingresses that ask for the same settings', () => {
    const opts = options();
    const timeouts = { [`${PREFIX}/proxy-read-timeout`]: '120', [`${PREFIX}/ssl-redirect`]: 'false' };
    const [a, b, c, d] = [
      mapIngress(ingress('a', timeouts), opts),
      mapIngress(ingress('b', { ...timeouts }), opts),
      mapIngress(ingress('c', { [`${PREFIX}/proxy-read-timeout`]: '60' }), opts),
      mapIngress(ingress('d', {}), opts),
    ];
    expect(a.policy).toBe(b.policy);
    expect(a.policy).toEqual(mapIngress(ingress('a', timeouts), options()).policy);
    expect(a.policy.route.permitInsecure).toBe(true);
    expect(c.policy).not.toBe(a.policy);
    expect(c.policy.route.timeouts).not.toEqual(a.policy.route.timeouts);
    expect(d.policy).toEqual({ route: {}, host: {} });
    expect(mapIngress(ingress('e', {}), opts).policy).toBe(d.policy);
    for (const m of [a, c, d]) {
      expect(Object.isFrozen(m.policy)).toBe(true);
      expect(Object.isFrozen(m.policy.route)).toBe(true);
      expect(Object.isFrozen(m.policy.host)).toBe(true);
    }
  });
});

describe('mapIngress policies with lists', () => {
  it('shares policies with equal lists and keeps apart those that differ', () => {
    const opts = options();
    const cors = (origin: string): Record<string, string> => ({ [`${PREFIX}/enable-cors`]: 'true', [`${PREFIX}/cors-allow-origin`]: origin, [`${PREFIX}/whitelist-source-range`]: '10.0.0.0/8' });
    const a = mapIngress(ingress('a', cors('https://a.example.com')), opts);
    const b = mapIngress(ingress('b', cors('https://a.example.com')), opts);
    const c = mapIngress(ingress('c', cors('https://c.example.com')), opts);
    expect(a.policy.host.cors).toBeDefined();
    expect(a.policy).toBe(b.policy);
    expect(c.policy).not.toBe(a.policy);
    expect(c.policy).toEqual(mapIngress(ingress('c', cors('https://c.example.com')), options()).policy);
    // A string that spells another field's text is not that field.
    const tricky = mapIngress(ingress('t', { [`${PREFIX}/proxy-read-timeout`]: '60', [`${PREFIX}/upstream-vhost`]: 'x=s1:y' }), opts);
    expect(tricky.policy).toEqual(mapIngress(ingress('t', { [`${PREFIX}/proxy-read-timeout`]: '60', [`${PREFIX}/upstream-vhost`]: 'x=s1:y' }), options()).policy);
  });
});
