// x-forwarded-prefix (only inside an active rewrite) and custom-headers (response
// headers from a ConfigMap, resolved at conversion time).
import type { Transform } from '../transform.js';
import { hasControlChars, showValue } from '../values.js';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const headers: Transform = {
  keys: ['x-forwarded-prefix', 'custom-headers'],
  apply(ctx, policy) {
    const prefix = ctx.get('x-forwarded-prefix');
    if (prefix !== undefined) {
      const rewriting = Object.keys(policy.route.rewrites ?? {}).length > 0 || ctx.get('rewrite-target') !== undefined;
      if (prefix === '' || !rewriting) ctx.ignored('x-forwarded-prefix', 'nginx only sends it inside an active rewrite-target; no rewrite here, so neither does the output');
      else if (prefix.includes('$') || hasControlChars(prefix)) ctx.unsupported('x-forwarded-prefix', 'values with regex captures ($n) cannot be expressed; the header is not sent', 'warn');
      else if (ctx.supported('x-forwarded-prefix')) policy.route.requestHeadersSet = [...(policy.route.requestHeadersSet ?? []), { name: 'X-Forwarded-Prefix', value: prefix }];
    }
    const ref = ctx.get('custom-headers');
    if (ref !== undefined) {
      const [ns, name] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [ctx.ingress.namespace, ref];
      const cm = ctx.configMaps.find((c) => c.namespace === ns && c.name === name);
      if (!cm) {
        ctx.unsupported('custom-headers', `ConfigMap ${showValue(`${ns}/${name}`)} is not in the input (add it with -f, or read from a cluster); nginx answers 503 when it is missing; the headers are not added`, 'error');
        return;
      }
      const set: { name: string; value: string }[] = [];
      const bad: string[] = [];
      for (const [k, v] of Object.entries(cm.data).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (!HEADER_NAME.test(k) || hasControlChars(v)) bad.push(showValue(k));
        else set.push({ name: k, value: v });
      }
      if (bad.length > 0) ctx.invalid('custom-headers', `ConfigMap ${ns}/${name} has invalid header(s) ${bad.join(', ')}`);
      if (set.length > 0 && ctx.supported('custom-headers')) {
        policy.route.responseHeadersSet = [...(policy.route.responseHeadersSet ?? []), ...set];
        ctx.approximate('custom-headers', `the ${set.length} header(s) of ConfigMap ${ns}/${name} are copied now; later edits of the ConfigMap no longer apply, and nginx's global-allowed-response-headers check is not made`);
      }
    }
  },
};
