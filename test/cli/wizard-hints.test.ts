import { describe, expect, it } from 'vitest';
import { whatToDo } from '../../src/cli/wizard-command.js';

describe('wizard: what to do after a cluster problem', () => {
  it.each([
    ['missing CRDs: the cluster serves neither httpproxies.projectcontour.io nor …', /Install Contour's CRDs/],
    ['namespace team-b: forbidden: User "reader" cannot patch httpproxies', /lacks a permission/],
    ['the apiserver rejected the credentials (401 Unauthorized)', /log in again/],
    ['https://127.0.0.1:6443 is unreachable (ECONNREFUSED)', /could not be reached/],
    ['something else', /run the wizard again/],
  ])('%s', (message, hint) => {
    expect(whatToDo(message)).toMatch(hint);
  });
});
