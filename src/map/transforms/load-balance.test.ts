import { describe, expect, it } from 'vitest';
import { hashPolicy } from './load-balance.js';

describe('hashPolicy', () => {
  it.each([
    ['$remote_addr', { hashSourceIP: true }],
    ['$binary_remote_addr', { hashSourceIP: true }],
    ['${remote_addr}', { hashSourceIP: true }],
    ['$http_x_user_id', { headerHashOptions: { headerName: 'x-user-id' } }],
    ['$arg_session', { queryParameterHashOptions: { parameterName: 'session' } }],
  ])('%s', (key, policy) => {
    expect(hashPolicy(key)?.policy).toEqual(policy);
  });
  it.each(['$request_uri', '$host', '$uri$args', '${request_uri}-text'])('has no equivalent for %s', (key) => {
    expect(hashPolicy(key)).toBeUndefined();
  });
});
