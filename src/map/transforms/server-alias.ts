// server-alias: extra names for the host (host-level, oldest Ingress wins).
import type { Transform } from '../transform.js';
import { showValue, splitList } from '../values.js';

const PLAIN_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const serverAlias: Transform = {
  keys: ['server-alias'],
  apply(ctx, policy) {
    const value = ctx.get('server-alias');
    if (value === undefined) return;
    const aliases: string[] = [];
    const refused: string[] = [];
    for (const raw of splitList(value)) {
      const alias = raw.toLowerCase();
      if (!PLAIN_NAME.test(alias)) refused.push(`${showValue(raw)} is an nginx regex or pattern name`);
      else if (alias.startsWith('*.') && !ctx.caps.has('wildcardFqdn')) refused.push(`${showValue(raw)}: wildcard names need HTTPProxy on Contour 1.20+`);
      else aliases.push(alias);
    }
    if (refused.length > 0) ctx.unsupported('server-alias', `${refused.join('; ')}; not converted`, 'warn');
    if (aliases.length > 0 && ctx.supported('server-alias')) policy.host.aliases = [...new Set(aliases)].sort();
  },
};
