// upstream-vhost: the Host header sent to the backend.
import type { Transform } from '../transform.js';

const HOST_CHARS = /^[-._a-zA-Z0-9:]+$/;

export const upstreamVhost: Transform = {
  keys: ['upstream-vhost'],
  apply(ctx, policy) {
    const value = ctx.get('upstream-vhost');
    if (value === undefined) return;
    if (!HOST_CHARS.test(value)) {
      ctx.invalid('upstream-vhost', 'not a host name');
      return;
    }
    if (ctx.supported('upstream-vhost')) policy.route.requestHeadersSet = [...(policy.route.requestHeadersSet ?? []), { name: 'Host', value }];
  },
};
