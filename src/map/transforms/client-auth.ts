// auth-tls-*: client certificates for the host. nginx answers HTTP 400 for a bad
// certificate; Envoy fails the TLS handshake instead.
import type { Transform } from '../transform.js';

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
    const optional = verify === 'optional' || verify === 'optional_no_ca';
    if ((optional && !ctx.requires('auth-tls-verify-client', 'optionalClientCertificate', `${verify} client certificates`)) || (verify === 'optional_no_ca' && !ctx.requires('auth-tls-verify-client', 'skipClientCertValidation', 'optional_no_ca client certificates'))) {
      // Without the verify mode the certificate check cannot be reproduced at all.
      ctx.unsupported('auth-tls-secret', `auth-tls-verify-client ${verify} cannot be expressed, so the client certificate check is not converted`);
      return;
    }
    policy.host.clientValidation = {
      caSecret: secret,
      ...(verify === 'optional' || verify === 'optional_no_ca' ? { optional: true } : {}),
      ...(verify === 'optional_no_ca' ? { skipVerification: true } : {}),
    };
  },
};
