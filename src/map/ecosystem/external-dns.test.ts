import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../model/ingress.js';
import { externalDns } from './external-dns.js';

function ingress(annotations: Record<string, string>, hosts = ['a.example.com', 'b.example.com']): Ingress {
  return {
    namespace: 'web',
    name: 'a',
    annotations,
    labels: {},
    rules: hosts.map((host) => ({ host, paths: [] })),
    tls: [],
    apiVersion: 'networking.k8s.io/v1',
    origin: { source: 'test' },
  };
}

describe('external-dns annotations → root HTTPProxy', () => {
  it('carries every key as is to the roots of the rules’ hosts', () => {
    const r = externalDns(ingress({ 'external-dns.alpha.kubernetes.io/ttl': '60', 'external-dns.alpha.kubernetes.io/target': 'lb.example.net', other: 'x' }), 'httpproxy');
    expect(r.intent).toEqual({
      ingress: 'web/a',
      hosts: ['a.example.com', 'b.example.com'],
      annotations: { 'external-dns.alpha.kubernetes.io/ttl': '60', 'external-dns.alpha.kubernetes.io/target': 'lb.example.net' },
    });
    expect([...r.verdicts.values()].map((v) => v.fidelity)).toEqual(['exact', 'exact']);
  });

  it('says when hostname names hosts beyond the rules', () => {
    const r = externalDns(ingress({ 'external-dns.alpha.kubernetes.io/hostname': 'a.example.com,extra.example.com.' }), 'httpproxy');
    expect(r.intent?.annotations).toEqual({ 'external-dns.alpha.kubernetes.io/hostname': 'a.example.com,extra.example.com.' });
    expect(r.verdicts.get('external-dns.alpha.kubernetes.io/hostname')?.message).toContain('extra.example.com. beyond the rules');
  });

  it.each([
    ['defined-hosts-only', undefined, 'annotation.ignored'],
    ['annotation-only', 'a.example.com,x.example.com', 'annotation.exact'],
  ])('ingress-hostname-source %s: the HTTPProxy source does not read it', (source, carriedHostname, hostnameVerdict) => {
    const r = externalDns(ingress({ 'external-dns.alpha.kubernetes.io/ingress-hostname-source': source, 'external-dns.alpha.kubernetes.io/hostname': 'a.example.com,x.example.com' }), 'httpproxy');
    expect(r.intent?.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe(carriedHostname);
    expect(r.intent?.annotations['external-dns.alpha.kubernetes.io/ingress-hostname-source']).toBeUndefined();
    expect(r.verdicts.get('external-dns.alpha.kubernetes.io/hostname')?.findingId).toBe(hostnameVerdict);
    if (source === 'annotation-only') expect(r.verdicts.get('external-dns.alpha.kubernetes.io/ingress-hostname-source')).toMatchObject({ fidelity: 'approximate', severity: 'warn' });
  });

  it('IngressRoute: nothing carried, every key unsupported (warn)', () => {
    const r = externalDns(ingress({ 'external-dns.alpha.kubernetes.io/ttl': '60' }), 'ingressroute');
    expect(r.intent).toEqual({ ingress: 'web/a', hosts: ['a.example.com', 'b.example.com'], annotations: {} });
    expect(r.verdicts.get('external-dns.alpha.kubernetes.io/ttl')).toMatchObject({ fidelity: 'unsupported', severity: 'warn' });
  });

  it('an Ingress without a host has no root to carry to', () => {
    const r = externalDns(ingress({ 'external-dns.alpha.kubernetes.io/ttl': '60' }, []), 'httpproxy');
    expect(r.intent).toBeUndefined();
    expect(r.verdicts.get('external-dns.alpha.kubernetes.io/ttl')?.fidelity).toBe('unsupported');
  });
});
