// auth-tls-*: client certificates for the host. nginx answers HTTP 400 for a bad
// certificate; Envoy fails the TLS handshake instead.
import type { Transform } from '../engine.js';

const SECRET_REF = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const clientAuth: Transform = {
  keys: ['auth-tls-secret', 'auth-tls-verify-client'],
  apply(ctx, policy) {
    const secret = ctx.get('auth-tls-secret');
    const verify = ctx.get('auth-tls-verify-client') ?? 'on';
    if (secret === undefined) {
      if (ctx.get('auth-tls-verify-client') !== undefined) ctx.ignored('auth-tls-verify-client', 'no auth-tls-secret: nginx asks for no client certificate');
      return;
    }
    if (!SECRET_REF.test(secret)) {
      ctx.invalid('auth-tls-secret', 'must be namespace/name');
      return;
    }
    if (!['on', 'off', 'optional', 'optional_no_ca'].includes(verify)) {
      ctx.invalid('auth-tls-verify-client', 'not on, off, optional or optional_no_ca');
      return;
    }
    if (verify === 'off') {
      ctx.ignored('auth-tls-secret', 'auth-tls-verify-client is off: nginx requests no certificate');
      return;
    }
    if (!ctx.supported('auth-tls-secret')) return;
    if (verify === 'optional' && !ctx.caps.has('optionalClientCertificate')) {
      ctx.unsupported('auth-tls-verify-client', 'optional client certificates need Contour 1.24+; not converted, so clients without a certificate would be refused', 'error');
      return;
    }
    if (verify === 'optional_no_ca' && !(ctx.caps.has('optionalClientCertificate') && ctx.caps.has('skipClientCertValidation'))) {
      ctx.unsupported('auth-tls-verify-client', 'optional_no_ca needs Contour 1.24+; not converted', 'error');
      return;
    }
    policy.host.clientValidation = {
      caSecret: secret,
      ...(verify === 'optional' || verify === 'optional_no_ca' ? { optional: true } : {}),
      ...(verify === 'optional_no_ca' ? { skipVerification: true } : {}),
    };
  },
};
