// proxy-ssl-*: verify the backend's certificate. Contour's services[].validation
// takes the CA secret and the expected name; the client certificate nginx can
// present is Contour-wide only.
import type { Transform } from '../transform.js';

const SECRET_REF = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const backendTls: Transform = {
  keys: ['proxy-ssl-secret', 'proxy-ssl-verify', 'proxy-ssl-name'],
  apply(ctx, policy) {
    const secret = ctx.get('proxy-ssl-secret');
    const verify = ctx.get('proxy-ssl-verify');
    const name = ctx.get('proxy-ssl-name');
    if (secret !== undefined && !SECRET_REF.test(secret)) {
      ctx.invalid('proxy-ssl-secret', 'must be namespace/name');
      return;
    }
    if (verify !== undefined && verify !== 'on' && verify !== 'off') ctx.invalid('proxy-ssl-verify', 'not on/off: nginx keeps off, and so does the output');
    if (verify !== 'on') {
      if (secret !== undefined) ctx.approximate('proxy-ssl-secret', 'without proxy-ssl-verify on, nginx only presents the client certificate; Contour cannot present one per route (only Contour-wide), so nothing is emitted');
      if (name !== undefined) ctx.ignored('proxy-ssl-name', 'proxy-ssl-verify is not on: only SNI would change, which Contour ties to the Host header');
      return;
    }
    if (secret === undefined) {
      ctx.unsupported('proxy-ssl-verify', 'verification needs proxy-ssl-secret with the CA (ca.crt); the backend certificate is not verified', 'error');
      return;
    }
    if (!ctx.supported('proxy-ssl-verify')) return;
    if (policy.route.protocol === undefined && ctx.target === 'httpproxy') {
      ctx.approximate('proxy-ssl-verify', 'Contour verifies only TLS upstreams: set backend-protocol HTTPS (or the Service upstream-protocol annotation)');
    }
    // The subject name is required by Contour; nginx defaults to the proxied host name.
    const service = ctx.ingress.rules.flatMap((r) => r.paths).find((p) => p.backend.service)?.backend.service?.name ?? 'backend';
    const subjectName = name ?? `${service}.${ctx.ingress.namespace}.svc`;
    if (name === undefined) ctx.approximate('proxy-ssl-verify', `no proxy-ssl-name: the expected certificate name is ${subjectName} (nginx checks the proxied host name)`);
    const [ns, secretName] = secret.split('/') as [string, string];
    if (ns !== ctx.ingress.namespace && ctx.target === 'ingressroute') {
      ctx.unsupported('proxy-ssl-secret', `IngressRoute reads the CA secret only from the route's namespace (${ctx.ingress.namespace}); copy ${secret} there; the backend certificate is not verified`, 'error');
      return;
    }
    policy.route.upstreamValidation = { caSecret: ns === ctx.ingress.namespace ? secretName : secret, subjectName };
  },
};
