// canary-*: a canary Ingress never routes on its own; nginx attaches it to the
// mainline path with the same host, path and pathType (see model/hosts.ts).
import type { Transform } from '../transform.js';
import { intValue } from '../annotation-values.js';
import { checkRe2 } from '../../model/re2.js';
import { BASIC_CHARS, parseGoBool } from '../values.js';

const HEADER_NAME = BASIC_CHARS;

export const canary: Transform = {
  keys: ['canary', 'canary-weight', 'canary-weight-total', 'canary-by-header', 'canary-by-header-value', 'canary-by-header-pattern', 'canary-by-cookie'],
  apply(ctx, policy) {
    const enabled = ctx.get('canary');
    const others = this.keys.filter((k) => k !== 'canary' && ctx.get(k) !== undefined);
    const on = enabled === undefined ? false : parseGoBool(enabled);
    if (enabled !== undefined && on === undefined) ctx.invalid('canary', 'not a boolean: nginx treats the Ingress as a normal one');
    if (!on) {
      for (const k of others) ctx.ignored(k, 'set without canary: "true": nginx ignores every canary setting and serves this Ingress as a normal one, and so does the output');
      return;
    }
    const weight = intValue(ctx, 'canary-weight', { fallback: 0, invalid: 'not a non-negative integer: nginx uses 0, and so does the output' });
    const given = intValue(ctx, 'canary-weight-total', { fallback: 100, invalid: 'not a non-negative integer: nginx uses 100, and so does the output' });
    // nginx: totals up to 100 count as 100.
    const total = Math.max(given, 100);
    if (given < 100) ctx.approximate('canary-weight-total', `nginx treats totals up to 100 as 100; ${given} becomes 100`, 'info');
    policy.canary = { weight: Math.min(weight, total), total };
    if (weight > total) ctx.approximate('canary-weight', `weight ${weight} is above the total ${total}: every request goes to the canary, as in nginx`, 'info');
    const header = ctx.get('canary-by-header');
    const headerValue = ctx.get('canary-by-header-value');
    const headerPattern = ctx.get('canary-by-header-pattern');
    if (header === undefined || header === '') {
      if (headerValue !== undefined) ctx.ignored('canary-by-header-value', 'needs canary-by-header: nginx ignores it');
      if (headerPattern !== undefined) ctx.ignored('canary-by-header-pattern', 'needs canary-by-header: nginx ignores it');
    } else if (!HEADER_NAME.test(header)) {
      ctx.invalid('canary-by-header', 'not a header name: nginx ignores it');
    } else if (ctx.supported('canary-by-header')) {
      if (headerValue !== undefined && headerValue !== '') {
        if (ctx.supported('canary-by-header-value')) policy.canary.byHeader = header;
        policy.canary.byHeaderValue = headerValue;
        if (headerPattern !== undefined) ctx.ignored('canary-by-header-pattern', 'canary-by-header-value is also set and wins, as in nginx');
      } else if (headerPattern !== undefined && headerPattern !== '') {
        // Contour checks header regexes with Go's regexp: one it rejects would invalidate the whole child.
        const raw = checkRe2(headerPattern);
        const check = !raw.ok || checkRe2(`.*(?:${headerPattern}).*`).ok ? raw : { ok: false as const, reason: 'nesting too deep once wrapped', pcreOnly: true };
        if (!check.ok && check.pcreOnly) {
          ctx.unsupported('canary-by-header-pattern', `uses ${check.reason}, which Contour and Envoy (RE2) do not accept; header routing not converted (nginx sends requests whose ${header} matches to the canary; the output decides them by cookie and weight)`);
        } else if (!check.ok) {
          // nginx compiles it per request (ngx.re.match); the error makes it pick the mainline for every request carrying the header.
          const fallsThrough = weight > 0 || Boolean(ctx.get('canary-by-cookie'));
          ctx.invalid(
            'canary-by-header-pattern',
            `nginx cannot compile it either (${check.reason}): every request carrying ${header} goes to the mainline; the output has no header route${fallsThrough ? ', so those requests are decided by cookie and weight like the others' : ', and with no weight or cookie every request goes to the mainline there too'}`,
            fallsThrough ? 'warn' : 'info',
          );
        } else if (ctx.supported('canary-by-header-pattern')) {
          policy.canary.byHeader = header;
          policy.canary.byHeaderPattern = headerPattern;
        }
      } else policy.canary.byHeader = header;
      if (!policy.canary.byHeader) delete policy.canary.byHeaderValue;
    }
    const cookie = ctx.get('canary-by-cookie');
    if (cookie !== undefined && cookie !== '') {
      if (!HEADER_NAME.test(cookie)) ctx.invalid('canary-by-cookie', 'not a cookie name: nginx ignores it');
      else if (ctx.supported('canary-by-cookie')) policy.canary.byCookie = cookie;
    }
    if (policy.canary.byHeader && policy.canary.byCookie && (policy.canary.byHeaderPattern !== undefined || !ctx.caps.has('treatMissingAsEmpty'))) {
      ctx.approximate('canary-by-cookie', 'with canary-by-header also set, Contour may evaluate the cookie routes before the header routes (nginx: header first); keeping the order needs a value header rule and Contour 1.26+');
    }
  },
};
