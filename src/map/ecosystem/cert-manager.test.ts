import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../model/ingress.js';
import { DEFAULT_USAGES, ingressShim } from './cert-manager.js';

function ingress(annotations: Record<string, string>, tls: Ingress['tls'] = [{ hosts: ['a.example.com', 'www.a.example.com'], secretName: 'a-tls' }]): Ingress {
  return { namespace: 'web', name: 'a', annotations, labels: {}, rules: [], tls, apiVersion: 'networking.k8s.io/v1', origin: { source: 'test' } };
}
const shim = (annotations: Record<string, string>, tls?: Ingress['tls']) => ingressShim(ingress(annotations, tls), { nginxClass: 'nginx' });

describe('ingress-shim: when it acts and which issuer', () => {
  it.each([
    [{ 'cert-manager.io/cluster-issuer': 'le' }, { name: 'le', kind: 'ClusterIssuer' }],
    [{ 'cert-manager.io/issuer': 'ca' }, { name: 'ca', kind: 'Issuer' }],
    [
      { 'cert-manager.io/issuer': 'pca', 'cert-manager.io/issuer-kind': 'AWSPCAIssuer', 'cert-manager.io/issuer-group': 'awspca.cert-manager.io' },
      { name: 'pca', kind: 'AWSPCAIssuer', group: 'awspca.cert-manager.io' },
    ],
  ])('%j → issuerRef %j, one Certificate per TLS entry named after its secret', (annotations, issuerRef) => {
    const r = shim(annotations);
    expect(r.active).toBe(true);
    expect(r.certificates).toHaveLength(1);
    expect(r.certificates[0]).toMatchObject({ namespace: 'web', secretName: 'a-tls', hosts: ['a.example.com', 'www.a.example.com'] });
    expect(r.certificates[0]?.spec).toEqual({ secretName: 'a-tls', issuerRef, dnsNames: ['a.example.com', 'www.a.example.com'], usages: DEFAULT_USAGES });
  });

  it('does nothing without an issuer or tls-acme "true"; says so on its keys', () => {
    const r = shim({ 'cert-manager.io/duration': '2160h', 'kubernetes.io/tls-acme': 'false' });
    expect(r.active).toBe(false);
    expect(r.certificates).toEqual([]);
    expect(r.verdicts.get('cert-manager.io/duration')?.findingId).toBe('annotation.ignored');
  });

  it('tls-acme alone needs the default issuer: unknown offline → no Certificate, a warning naming the flags', () => {
    const r = shim({ 'kubernetes.io/tls-acme': 'true' });
    expect(r.certificates).toEqual([]);
    expect(r.verdicts.get('kubernetes.io/tls-acme')).toMatchObject({ findingId: 'certmanager.default-issuer', severity: 'warn' });
    expect(r.verdicts.get('kubernetes.io/tls-acme')?.message).toContain('--default-issuer-name');
    const given = ingressShim(ingress({ 'kubernetes.io/tls-acme': 'true' }), { nginxClass: 'nginx', defaultIssuer: { name: 'le', kind: 'ClusterIssuer' } });
    expect(given.certificates[0]?.spec.issuerRef).toEqual({ name: 'le', kind: 'ClusterIssuer' });
  });

  it.each([
    [{ 'cert-manager.io/issuer': 'a', 'cert-manager.io/cluster-issuer': 'b' }, 'cert-manager.io/cluster-issuer'],
    [{ 'cert-manager.io/cluster-issuer': 'b', 'cert-manager.io/issuer-kind': 'Issuer' }, 'cert-manager.io/issuer-kind'],
    [{ 'cert-manager.io/cluster-issuer': 'b', 'cert-manager.io/issuer-group': 'x.io' }, 'cert-manager.io/issuer-group'],
    [{ 'cert-manager.io/issuer': '' }, 'cert-manager.io/issuer'],
    [{ 'cert-manager.io/issuer': 'a', 'cert-manager.io/issuer-kind': 'Vault' }, 'cert-manager.io/issuer-kind'],
  ])('%j: refused issuer → invalid %s, no Certificate', (annotations, key) => {
    const r = shim(annotations);
    expect(r.certificates).toEqual([]);
    expect(r.verdicts.get(key)?.fidelity).toBe('invalid');
  });
});

describe('ingress-shim: annotation fields', () => {
  const base = { 'cert-manager.io/cluster-issuer': 'le' };
  it.each([
    [{ 'cert-manager.io/common-name': 'a.example.com' }, { commonName: 'a.example.com' }],
    [
      { 'cert-manager.io/duration': '2160h', 'cert-manager.io/renew-before': '360h' },
      { duration: '2160h', renewBefore: '360h' },
    ],
    [{ 'cert-manager.io/renew-before-percentage': '30' }, { renewBeforePercentage: 30 }],
    [{ 'cert-manager.io/usages': 'digital signature, server auth' }, { usages: ['digital signature', 'server auth'] }],
    [{ 'cert-manager.io/revision-history-limit': '3' }, { revisionHistoryLimit: 3 }],
    [{ 'cert-manager.io/private-key-algorithm': 'ECDSA', 'cert-manager.io/private-key-size': '384' }, { privateKey: { algorithm: 'ECDSA', size: 384 } }],
    [{ 'cert-manager.io/private-key-encoding': 'PKCS8', 'cert-manager.io/private-key-rotation-policy': 'Always' }, { privateKey: { encoding: 'PKCS8', rotationPolicy: 'Always' } }],
    [{ 'cert-manager.io/subject-organizations': '"Acme, Inc",Umbrella', 'cert-manager.io/subject-serialnumber': '42' }, { subject: { organizations: ['Acme, Inc', 'Umbrella'], serialNumber: '42' } }],
    [{ 'cert-manager.io/email-sans': 'ops@example.com' }, { emailAddresses: ['ops@example.com'] }],
    [
      { 'cert-manager.io/alt-names': 'b.example.com', 'cert-manager.io/ip-sans': '10.0.0.1' },
      { dnsNames: ['a.example.com', 'www.a.example.com', 'b.example.com'], ipAddresses: ['10.0.0.1'] },
    ],
    [{ 'cert-manager.io/secret-template': '{"labels":{"team":"a"},"annotations":{"x.io/y":"z"}}' }, { secretTemplate: { labels: { team: 'a' }, annotations: { 'x.io/y': 'z' } } }],
  ])('%j', (extra, fields) => {
    const r = shim({ ...base, ...extra });
    expect(r.certificates).toHaveLength(1);
    expect(r.certificates[0]?.spec).toMatchObject(fields);
    for (const k of Object.keys(extra)) expect(r.verdicts.get(k)).toBeUndefined();
  });

  it.each([
    ['cert-manager.io/duration', '90d'],
    ['cert-manager.io/duration', '30m'],
    ['cert-manager.io/renew-before', '1m'],
    ['cert-manager.io/renew-before', '2200h'],
    ['cert-manager.io/renew-before-percentage', '100'],
    ['cert-manager.io/renew-before-percentage', 'x'],
    ['cert-manager.io/usages', 'digital signature,serverauth'],
    ['cert-manager.io/revision-history-limit', '0'],
    ['cert-manager.io/private-key-algorithm', 'rsa'],
    ['cert-manager.io/private-key-size', '1024'],
    ['cert-manager.io/private-key-encoding', 'DER'],
    ['cert-manager.io/private-key-rotation-policy', 'Sometimes'],
    ['cert-manager.io/subject-countries', 'a"b'],
    ['cert-manager.io/email-sans', 'Ops <ops@example.com>'],
    ['cert-manager.io/ip-sans', '10.0.0.300'],
    ['cert-manager.io/common-name', 'x'.repeat(65)],
    ['cert-manager.io/secret-template', '{"labels":{"a":"b"},"data":{}}'],
    ['cert-manager.io/secret-template', '{"annotations":{"cert-manager.io/foo":"b"}}'],
    ['cert-manager.io/secret-template', 'not json'],
  ])('%s=%j: cert-manager refuses it → invalid, and no Certificate with a bad field', (key, value) => {
    const r = shim({ ...base, [key]: value });
    expect(r.verdicts.get(key)?.fidelity).toBe('invalid');
    expect(r.certificates).toEqual([]);
  });

  it('renew-before and renew-before-percentage together are refused', () => {
    const r = shim({ ...base, 'cert-manager.io/renew-before': '360h', 'cert-manager.io/renew-before-percentage': '30' });
    expect(r.verdicts.get('cert-manager.io/renew-before-percentage')?.fidelity).toBe('invalid');
    expect(r.certificates).toEqual([]);
  });
});

describe('ingress-shim: TLS entries and the HTTP-01 solver', () => {
  const base = { 'cert-manager.io/cluster-issuer': 'le' };
  it('one Certificate per TLS entry; entries without hosts or secret are skipped; IP hosts become ipAddresses', () => {
    const r = shim(base, [
      { hosts: ['a.example.com'], secretName: 'a-tls' },
      { hosts: ['b.example.com', '10.1.2.3', 'b.example.com'], secretName: 'b-tls' },
      { hosts: [], secretName: 'c-tls' },
      { hosts: ['d.example.com'] },
    ]);
    expect(r.certificates.map((c) => c.secretName)).toEqual(['a-tls', 'b-tls']);
    expect(r.certificates[1]?.spec).toMatchObject({ dnsNames: ['b.example.com'], ipAddresses: ['10.1.2.3'] });
    expect(r.notes.filter((n) => n.kind === 'tls-skipped').map((n) => n.data.entry)).toEqual(['spec.tls[2]', 'spec.tls[3]']);
  });

  it('a secret in two TLS entries: ingress-shim refuses the whole Ingress', () => {
    const r = shim(base, [
      { hosts: ['a.example.com'], secretName: 'x' },
      { hosts: ['b.example.com'], secretName: 'x' },
    ]);
    expect(r.certificates).toEqual([]);
    expect(r.notes.map((n) => n.kind)).toEqual(['no-certificate']);
  });

  it('a solver class override: the nginx class is not carried (warn), another class is', () => {
    const nginx = shim({ ...base, 'acme.cert-manager.io/http01-ingress-class': 'nginx', 'acme.cert-manager.io/http01-edit-in-place': 'true' });
    expect(nginx.verdicts.get('acme.cert-manager.io/http01-ingress-class')).toMatchObject({ findingId: 'certmanager.http01-nginx', severity: 'warn' });
    expect(nginx.verdicts.get('acme.cert-manager.io/http01-edit-in-place')).toMatchObject({ findingId: 'certmanager.http01-nginx' });
    expect(nginx.certificates[0]?.annotations).toEqual({});
    const contour = shim({ ...base, 'acme.cert-manager.io/http01-ingress-ingressclassname': 'contour' });
    expect(contour.certificates[0]?.annotations).toEqual({ 'acme.cert-manager.io/http01-override-ingress-ingressclassname': 'contour' });
    expect(contour.certificates[0]?.solverClass).toBe('contour');
  });
});
