import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../emit/objects.js';
import { childRefs, dependencyRefs, desiredFromObjects } from './desired-adapter.js';

const obj = (kind: string, namespace: string, name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'projectcontour.io/v1', kind, metadata: { name, namespace, labels: {} }, spec,
});

describe('desiredFromObjects', () => {
  it('gives each object its role and the refKeys it depends on', () => {
    const del = obj('TLSCertificateDelegation', 'shop', 'ingress2contour-shop-tls', { delegations: [{ secretName: 'shop-tls', targetNamespaces: ['roots'] }] });
    const root = obj('HTTPProxy', 'roots', 'shop.example.com', {
      virtualhost: { fqdn: 'shop.example.com', tls: { secretName: 'shop/shop-tls' } },
      includes: [{ name: 'web', namespace: 'a' }],
      tcpproxy: { include: { name: 'tcp', namespace: 'b' } },
    });
    const web = obj('HTTPProxy', 'a', 'web', { routes: [] });
    const tcp = obj('HTTPProxy', 'b', 'tcp', { tcpproxy: { services: [] } });
    const out = desiredFromObjects([del, root, web, tcp]);
    expect(out.map((d) => d.role)).toEqual(['delegation', 'root', 'child', 'tcp-child']);
    expect(out[1]!.dependsOn).toEqual([
      'projectcontour.io/v1|HTTPProxy|a|web',
      'projectcontour.io/v1|HTTPProxy|b|tcp',
      'projectcontour.io/v1|TLSCertificateDelegation|shop|ingress2contour-shop-tls',
    ]);
    expect(out[2]!.dependsOn).toEqual([]);
    expect(out[0]!.object).toBe(del);
  });
});

describe('childRefs', () => {
  it('finds the children a root references (HTTPProxy includes, IngressRoute delegates)', () => {
    const root = obj('HTTPProxy', 'roots', 'shop.example.com', { virtualhost: { fqdn: 'shop.example.com' }, includes: [{ name: 'shop.example.com', namespace: 'b' }, { name: 'shop.example.com', namespace: 'a' }] });
    expect(childRefs(root).map((r) => `${r.namespace}/${r.name}`)).toEqual(['b/shop.example.com', 'a/shop.example.com']);
    const ir: KubeObject = { apiVersion: 'contour.heptio.com/v1beta1', kind: 'IngressRoute', metadata: { name: 'r', namespace: 'roots', labels: {} },
      spec: { virtualhost: { fqdn: 'x' }, routes: [{ match: '/', delegate: { name: 'c', namespace: 'app' } }, { match: '/local', services: [] }, { match: '/same', delegate: { name: 'd' } }] } };
    expect(childRefs(ir).map((r) => `${r.kind} ${r.namespace}/${r.name}`)).toEqual(['IngressRoute app/c', 'IngressRoute roots/d']);
    expect(childRefs(obj('HTTPProxy', 'a', 'x', { routes: [] }))).toEqual([]);
  });
});

describe('dependencyRefs', () => {
  it('adds the TLSCertificateDelegation a root needs for a secret in another namespace', () => {
    const d1 = obj('TLSCertificateDelegation', 'shop', 'ingress2contour-shop-tls', { delegations: [{ secretName: 'shop-tls', targetNamespaces: ['roots'] }] });
    const d2 = obj('TLSCertificateDelegation', 'other', 'ingress2contour-shop-tls', { delegations: [{ secretName: 'shop-tls', targetNamespaces: ['roots'] }] });
    const root = obj('HTTPProxy', 'roots', 'shop.example.com', { virtualhost: { fqdn: 'shop.example.com', tls: { secretName: 'shop/shop-tls' } }, includes: [{ name: 'c', namespace: 'a' }] });
    expect(dependencyRefs(root, [d2, d1]).map((r) => `${r.kind} ${r.namespace}/${r.name}`)).toEqual(['HTTPProxy a/c', 'TLSCertificateDelegation shop/ingress2contour-shop-tls']);
    const local = obj('HTTPProxy', 'roots', 'x', { virtualhost: { fqdn: 'x', tls: { secretName: 'x-tls' } } });
    expect(dependencyRefs(local, [d1])).toEqual([]);
  });
});
