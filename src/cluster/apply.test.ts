import { describe, expect, it } from 'vitest';
import { explain, inScope } from './apply.js';
import { ClusterError } from './errors.js';
import type { KubeObject } from '../emit/objects.js';

describe('explain', () => {
  const desired: KubeObject = {
    apiVersion: 'projectcontour.io/v1', kind: 'HTTPProxy',
    metadata: { name: 'shop', namespace: 'a', labels: { x: 'ours' } },
    spec: { virtualhost: { fqdn: 'shop.example.com' }, routes: [{ services: [{ name: 'web', port: 80 }] }] },
  };
  const live = {
    apiVersion: 'projectcontour.io/v1', kind: 'HTTPProxy',
    metadata: {
      name: 'shop', namespace: 'a', labels: { x: 'theirs' },
      managedFields: [
        { manager: 'platform-team', operation: 'Apply', apiVersion: 'projectcontour.io/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:routes': {}, 'f:virtualhost': { 'f:fqdn': {} } } } },
        { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'projectcontour.io/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } } },
      ],
    },
    spec: { virtualhost: { fqdn: 'other.example.com' }, routes: [] },
  };
  it('names the other field managers and the fields they hold, from the live managedFields', () => {
    const err = new ClusterError('conflict', 'Apply failed with 3 conflicts: ...', 409, [{ reason: 'FieldManagerConflict', field: '.spec.routes' }]);
    expect(explain(err, { live, desired })).toBe('conflict: field manager "platform-team" owns .spec.routes, .spec.virtualhost.fqdn; field manager "kubectl-edit" owns .metadata.labels.x (--force-conflicts takes them over)');
  });
  it('falls back to the fields of the Status without the live object', () => {
    const err = new ClusterError('conflict', 'Apply failed', 409, [{ reason: 'FieldManagerConflict', field: '.spec.routes' }, { reason: 'FieldManagerConflict', field: '.spec.virtualhost.fqdn' }]);
    expect(explain(err)).toBe('conflict: another field manager owns .spec.routes, .spec.virtualhost.fqdn (--force-conflicts takes them over)');
  });
  it('turns a missing namespace into advice, from the Status details', () => {
    expect(explain(new ClusterError('not-found', 'namespaces "ghost" not found', 404, [], { name: 'ghost', kind: 'namespaces' }))).toBe('namespace "ghost" does not exist (--create-namespaces creates it)');
    expect(explain(new ClusterError('not-found', 'httpproxies "x" not found', 404, [], { name: 'x', kind: 'httpproxies' }))).toBe('httpproxies "x" not found');
    expect(explain(new ClusterError('invalid', 'HTTPProxy.projectcontour.io "x" is invalid', 422))).toBe('HTTPProxy.projectcontour.io "x" is invalid');
  });
});

describe('inScope (what prune may delete)', () => {
  const o = (namespace: string, sources?: string) => ({ metadata: { namespace, name: 'x', ...(sources ? { annotations: { 'ingress2contour/sources': sources } } : {}) } });
  const scope = { all: false as const, namespaces: new Set(['a', 'b']) };
  it('takes objects in the scope namespaces', () => {
    expect(inScope(o('a'), scope)).toBe(true);
  });
  it('takes a root elsewhere only when every source Ingress is in scope', () => {
    expect(inScope(o('roots', 'a/web,b/api'), scope)).toBe(true);
    expect(inScope(o('roots', 'a/web,c/other'), scope)).toBe(false);
    expect(inScope(o('roots'), scope)).toBe(false);
  });
  it('takes everything with -A', () => {
    expect(inScope(o('roots', 'z/z'), { all: true })).toBe(true);
  });
});
