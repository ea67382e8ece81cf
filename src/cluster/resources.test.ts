import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../emit/objects.js';
import { desiredFromObjects } from './desired-adapter.js';
import { contains, mapLimit, normalizeLive, phaseOf, writeBatches } from './resources.js';

const obj = (kind: string, namespace: string, name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'projectcontour.io/v1', kind, metadata: { name, namespace, labels: {} }, spec,
});

describe('normalizeLive', () => {
  it('drops server bookkeeping and sorts keys', () => {
    const live = {
      kind: 'HTTPProxy', apiVersion: 'projectcontour.io/v1',
      metadata: {
        name: 'a', namespace: 'n', uid: 'u', resourceVersion: '9', generation: 3, creationTimestamp: 't', selfLink: '/x',
        managedFields: [{ manager: 'm' }], labels: { b: '1', a: '2' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: { z: 1, a: [{ y: 1, b: 2 }] },
      status: { currentStatus: 'valid' },
    };
    const n = normalizeLive(live);
    expect(JSON.stringify(n)).toBe('{"apiVersion":"projectcontour.io/v1","kind":"HTTPProxy","metadata":{"labels":{"a":"2","b":"1"},"name":"a","namespace":"n"},"spec":{"a":[{"b":2,"y":1}],"z":1}}');
    expect(live.metadata.uid).toBe('u'); // no mutation
  });
  it('keeps other annotations', () => {
    expect(normalizeLive({ metadata: { annotations: { x: '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } })).toEqual({ metadata: { annotations: { x: '1' } } });
  });
});

describe('contains', () => {
  it('is a field subset check with lists compared whole', () => {
    expect(contains({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBe(true);
    expect(contains({ a: 1 }, { a: 2 })).toBe(false);
    expect(contains({ l: [{ x: 1, extra: 1 }] }, { l: [{ x: 1 }] })).toBe(true);
    expect(contains({ l: [{ x: 1 }, { x: 2 }] }, { l: [{ x: 1 }] })).toBe(false);
    expect(contains(undefined, { a: 1 })).toBe(false);
  });
});

describe('write order', () => {
  const del = obj('TLSCertificateDelegation', 'shop', 'd', { delegations: [] });
  const root = obj('HTTPProxy', 'roots', 'shop.example.com', { virtualhost: { fqdn: 'shop.example.com' }, includes: [{ name: 'shop.example.com', namespace: 'b' }, { name: 'shop.example.com', namespace: 'a' }] });
  const childA = obj('HTTPProxy', 'a', 'shop.example.com', { routes: [] });
  const childB = obj('HTTPProxy', 'b', 'shop.example.com', { routes: [] });
  const childB2 = obj('HTTPProxy', 'b', 'api.example.com', { routes: [] });

  it('phases delegations, children, roots; namespaces and names sorted', () => {
    expect([del, root, childA].map(phaseOf)).toEqual([0, 2, 1]);
    const batches = writeBatches(desiredFromObjects([root, childB, childB2, del, childA]));
    expect(batches.map((phase) => phase.map((b) => `${b.namespace}:${b.objects.map((d) => d.object.metadata.name).join(',')}`))).toEqual([
      ['shop:d'],
      ['a:shop.example.com', 'b:api.example.com,shop.example.com'],
      ['roots:shop.example.com'],
    ]);
  });

  it('leaves out empty phases', () => {
    expect(writeBatches(desiredFromObjects([childA])).length).toBe(1);
    expect(writeBatches([])).toEqual([]);
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
