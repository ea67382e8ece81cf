import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../emit/objects.js';
import { appliedLeafPaths, compareLive, dotted, managedLeafPaths, ownsExactly } from './compare.js';

const desired: KubeObject = {
  apiVersion: 'projectcontour.io/v1',
  kind: 'HTTPProxy',
  metadata: { name: 'shop', namespace: 'a', labels: { 'app.kubernetes.io/managed-by': 'ingress2contour' }, annotations: { 'ingress2contour/sources': 'a/shop' } },
  spec: { virtualhost: { fqdn: 'shop.example.com' }, routes: [{ conditions: [{ prefix: '/' }], services: [{ name: 'web', port: 80 }] }] },
};
// What the apiserver records for the server-side apply of `desired` by ingress2contour.
const ownFields = {
  'f:metadata': { 'f:annotations': { 'f:ingress2contour/sources': {} }, 'f:labels': { 'f:app.kubernetes.io/managed-by': {} } },
  'f:spec': { 'f:routes': {}, 'f:virtualhost': { 'f:fqdn': {} } },
};
const entry = (manager: string, fieldsV1: unknown, extra: Record<string, unknown> = {}) => ({
  manager,
  operation: 'Apply',
  apiVersion: 'projectcontour.io/v1',
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...extra,
});
const liveOf = (patch: { spec?: unknown; labels?: unknown; annotations?: unknown; managedFields?: unknown[] } = {}) => ({
  apiVersion: 'projectcontour.io/v1',
  kind: 'HTTPProxy',
  metadata: {
    name: 'shop',
    namespace: 'a',
    resourceVersion: '7',
    uid: 'u',
    labels: patch.labels ?? { 'app.kubernetes.io/managed-by': 'ingress2contour' },
    annotations: patch.annotations ?? { 'ingress2contour/sources': 'a/shop' },
    managedFields: patch.managedFields ?? [entry('ingress2contour', ownFields)],
  },
  spec: patch.spec ?? { virtualhost: { fqdn: 'shop.example.com' }, routes: [{ conditions: [{ prefix: '/' }], services: [{ name: 'web', port: 80, weight: 0 }] }] },
  status: { currentStatus: 'valid' },
});

describe('leaf paths', () => {
  it('reads FieldsV1 and the desired object the same way', () => {
    expect([...managedLeafPaths(ownFields)!].map(dotted).sort()).toEqual([...appliedLeafPaths(desired)!].map(dotted).sort());
    expect([...appliedLeafPaths(desired)!].map(dotted).sort()).toEqual([
      '.metadata.annotations.ingress2contour/sources',
      '.metadata.labels.app.kubernetes.io/managed-by',
      '.spec.routes',
      '.spec.virtualhost.fqdn',
    ]);
  });
  it('gives up on list keys and null values (counted as different)', () => {
    expect(managedLeafPaths({ 'f:spec': { 'f:x': { 'k:{"name":"a"}': {} } } })).toBeUndefined();
    expect(appliedLeafPaths({ ...desired, spec: { x: null } })).toBeUndefined();
  });
});

describe('compareLive', () => {
  it('is equal when our fields and values are live (server defaults and status do not count)', () => {
    expect(compareLive(liveOf(), desired)).toEqual({ state: 'equal' });
  });
  it('is absent without a live object', () => {
    expect(compareLive(undefined, desired)).toEqual({ state: 'absent' });
  });
  it('sees a value another manager changed', () => {
    const live = liveOf({
      spec: { virtualhost: { fqdn: 'shop.example.com' }, routes: [] },
      managedFields: [entry('ingress2contour', ownFields), entry('kubectl-edit', { 'f:spec': { 'f:routes': {} } }, { operation: 'Update' })],
    });
    expect(compareLive(live, desired)).toEqual({ state: 'differs', why: 'values' });
  });
  it('sees a field of ours that is gone (label removed: apply no longer owns it)', () => {
    const fields = { ...ownFields, 'f:metadata': { 'f:annotations': { 'f:ingress2contour/sources': {} } } };
    expect(compareLive(liveOf({ labels: {}, managedFields: [entry('ingress2contour', fields)] }), desired)).toEqual({ state: 'differs', why: 'fields' });
  });
  it('sees a field we own but no longer want (apply would remove it)', () => {
    const fields = { ...ownFields, 'f:spec': { ...ownFields['f:spec'], 'f:tcpproxy': {} } };
    expect(compareLive(liveOf({ managedFields: [entry('ingress2contour', fields)] }), desired)).toEqual({ state: 'differs', why: 'fields' });
  });
  it('needs our Apply entry in the same apiVersion', () => {
    expect(compareLive(liveOf({ managedFields: [entry('kubectl', ownFields)] }), desired)).toEqual({ state: 'differs', why: 'not-managed' });
    expect(compareLive(liveOf({ managedFields: [entry('ingress2contour', ownFields, { operation: 'Update' })] }), desired)).toEqual({ state: 'differs', why: 'not-managed' });
    expect(compareLive(liveOf({ managedFields: [entry('ingress2contour', ownFields, { apiVersion: 'projectcontour.io/v2' })] }), desired)).toEqual({ state: 'differs', why: 'api-version' });
  });
});

describe('ownsExactly (one walk) decides as the leaf-path sets do', () => {
  const sameSets = (fieldsV1: unknown, d: KubeObject): boolean => {
    const owned = managedLeafPaths(fieldsV1);
    const wanted = appliedLeafPaths(d);
    return Boolean(owned && wanted && owned.size === wanted.size && [...owned].every((p) => wanted.has(p)));
  };
  const { name: _n, namespace: _ns, ...meta } = desired.metadata;
  const cases: [string, unknown, KubeObject][] = [
    ['equal', ownFields, desired],
    ['with "." entries', { ...ownFields, '.': {}, 'f:spec': { '.': {}, ...ownFields['f:spec'] } }, desired],
    ['extra field owned', { ...ownFields, 'f:spec': { ...ownFields['f:spec'], 'f:tcpproxy': {} } }, desired],
    ['field missing', { ...ownFields, 'f:spec': { 'f:routes': {} } }, desired],
    ['owned deeper than the desired leaf', { ...ownFields, 'f:spec': { ...ownFields['f:spec'], 'f:routes': { 'f:x': {} } } }, desired],
    ['list keys', { ...ownFields, 'f:spec': { ...ownFields['f:spec'], 'f:routes': { 'k:{"a":1}': {} } } }, desired],
    ['empty map desired is a leaf', { ...ownFields, 'f:spec': { ...ownFields['f:spec'], 'f:tls': {} } }, { ...desired, spec: { ...desired.spec, tls: {} } }],
    ['null desired', ownFields, { ...desired, spec: { ...desired.spec, virtualhost: null } }],
    ['not an object', 'x', desired],
    ['no annotations', { 'f:metadata': { 'f:labels': ownFields['f:metadata']['f:labels'] }, 'f:spec': ownFields['f:spec'] }, { ...desired, metadata: { ...desired.metadata, annotations: {} } }],
  ];
  it.each(cases)('%s', (_label, fieldsV1, d) => {
    const { name: _a, namespace: _b, ...m } = d.metadata;
    expect(ownsExactly(fieldsV1, { metadata: m, spec: d.spec })).toBe(sameSets(fieldsV1, d));
  });
  it('the fixture itself', () => expect(ownsExactly(ownFields, { metadata: meta, spec: desired.spec })).toBe(true));
});
