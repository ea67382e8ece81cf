// auth-url: nginx asks an HTTP service before each request. Contour authorizes a
// whole TLS virtual host through an ExtensionService speaking Envoy's gRPC
// ext_authz protocol, so the user names that service (--auth-extension).
import type { Transform } from '../transform.js';
import { hasControlChars } from '../values.js';

export const extAuth: Transform = {
  keys: ['auth-url'],
  apply(ctx, policy) {
    const url = ctx.get('auth-url');
    if (url === undefined) return;
    if (hasControlChars(url) || !/^https?:\/\/[^\s"'`\\]+$/.test(url)) {
      ctx.invalid('auth-url', 'not an http(s) URL');
      return;
    }
    if (!ctx.supported('auth-url')) return;
    const ext = ctx.options.authExtension;
    if (!ext) {
      ctx.unsupported('auth-url', 'Contour authorizes through an ExtensionService (gRPC ext_authz), not an HTTP URL: deploy one (e.g. oauth2-proxy or contour-authserver) and pass --auth-extension namespace/name; until then these paths would be served WITHOUT authentication', 'error');
      return;
    }
    policy.host.authorization = { namespace: ext.namespace, name: ext.name };
    policy.route.authRequired = true;
    ctx.approximate('auth-url', `authorization by ExtensionService ${ext.namespace}/${ext.name} for the whole host (nginx: per Ingress, HTTP subrequest to ${url}); it needs TLS on the host, and the service must implement the same decision`);
  },
};
