import { describe, expect, it } from 'vitest';
import { explain, inScope } from './apply.js';
import { ClusterError } from './errors.js';

describe('explain', () => {
  it('names the other field manager and the fields of a conflict', () => {
    const err = new ClusterError('conflict', 'Apply failed with 2 conflicts: ...', 409, [
      { reason: 'FieldManagerConflict', message: 'conflict with "platform-team" using projectcontour.io/v1', field: '.spec.routes' },
      { reason: 'FieldManagerConflict', message: 'conflict with "platform-team" using projectcontour.io/v1', field: '.spec.virtualhost.fqdn' },
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" with subresource "" using projectcontour.io/v1', field: '.metadata.labels.x' },
    ]);
    expect(explain(err)).toBe('conflict: field manager "platform-team" owns .spec.routes, .spec.virtualhost.fqdn; field manager "kubectl-edit" owns .metadata.labels.x (--force-conflicts takes them over)');
  });
  it('turns a missing namespace into advice', () => {
    expect(explain(new ClusterError('not-found', 'namespaces "ghost" not found', 404))).toBe('namespace "ghost" does not exist (--create-namespaces creates it)');
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
