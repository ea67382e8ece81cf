// Registry of transforms by the name the catalogue uses in `transform:`.
import type { Transform } from '../transform.js';
import { affinity } from './affinity.js';
import { appRoot } from './app-root.js';
import { backendTls } from './backend-tls.js';
import { clientAuth } from './client-auth.js';
import { cors } from './cors.js';
import { extAuth } from './ext-auth.js';
import { fromToWww } from './from-to-www.js';
import { headers } from './headers.js';
import { loadBalance } from './load-balance.js';
import { mirror } from './mirror.js';
import { rateLimit } from './rate-limit.js';
import { retries } from './retries.js';
import { backendProtocol } from './backend-protocol.js';
import { canary } from './canary.js';
import { redirect } from './redirect.js';
import { rewrite } from './rewrite.js';
import { serverAlias } from './server-alias.js';
import { sourceRange } from './source-range.js';
import { sslPassthrough } from './ssl-passthrough.js';
import { sslRedirect } from './ssl-redirect.js';
import { timeouts } from './timeouts.js';
import { upstreamVhost } from './upstream-vhost.js';

export const TRANSFORMS: Record<string, Transform> = {
  affinity,
  'app-root': appRoot,
  'backend-protocol': backendProtocol,
  'backend-tls': backendTls,
  canary,
  'client-auth': clientAuth,
  cors,
  'ext-auth': extAuth,
  'from-to-www': fromToWww,
  headers,
  'load-balance': loadBalance,
  mirror,
  'rate-limit': rateLimit,
  retries,
  redirect,
  rewrite,
  'server-alias': serverAlias,
  'source-range': sourceRange,
  'ssl-passthrough': sslPassthrough,
  'ssl-redirect': sslRedirect,
  timeouts,
  'upstream-vhost': upstreamVhost,
};
