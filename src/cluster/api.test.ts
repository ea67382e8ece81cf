import { describe, expect, it } from 'vitest';
import { ruleAllows } from './api.js';
import { RESOURCES } from './resources.js';

const httpproxies = RESOURCES[0]!;

describe('ruleAllows (SelfSubjectRulesReview rules)', () => {
  it('matches verb, group and resource, with wildcards', () => {
    expect(ruleAllows({ verbs: ['create', 'patch'], apiGroups: ['projectcontour.io'], resources: ['httpproxies'] }, 'patch', httpproxies)).toBe(true);
    expect(ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, 'delete', httpproxies)).toBe(true);
    expect(ruleAllows({ verbs: ['get', 'list'], apiGroups: ['projectcontour.io'], resources: ['httpproxies'] }, 'patch', httpproxies)).toBe(false);
    expect(ruleAllows({ verbs: ['patch'], apiGroups: ['contour.heptio.com'], resources: ['httpproxies'] }, 'patch', httpproxies)).toBe(false);
    expect(ruleAllows({ verbs: ['patch'], apiGroups: ['projectcontour.io'], resources: ['tlscertificatedelegations'] }, 'patch', httpproxies)).toBe(false);
  });
  it('does not count a rule limited to some object names', () => {
    expect(ruleAllows({ verbs: ['patch'], apiGroups: ['projectcontour.io'], resources: ['httpproxies'], resourceNames: ['one'] }, 'patch', httpproxies)).toBe(false);
  });
});
