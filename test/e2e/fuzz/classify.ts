// Classifies a difference between real nginx's answer and ours, and decides whether a finding of
// the tool names it. A finding names a difference only when its id fits the class and it is about
// the request's host (its Ingress serves that host) and, for path findings, about that path.
import type { Finding, FindingId } from '../../../src/model/findings.js';
import type { Response } from '../traffic/client.js';
import { normLocation, type StackPorts } from '../traffic/compare.js';
import type { IngressSpec } from '../traffic/model.js';

export interface Seen {
  status: number;
  backend: string;
  path?: string;
  location?: string;
}

export function seen(res: Response, ports: StackPorts): Seen {
  const loc = normLocation(res.headers.location as string | undefined, ports);
  return {
    status: res.status,
    backend: res.echo?.name ?? '(proxy)',
    ...(res.echo ? { path: res.echo.url } : {}),
    ...(loc !== undefined ? { location: loc } : {}),
  };
}

export type DiffClass =
  | 'redirect-code' // both redirect to the same place with different codes
  | 'redirect-location' // both redirect, elsewhere
  | 'redirect-vs-answer' // one redirects, the other does not
  | 'backend' // both proxied, to different backends
  | 'upstream-path' // same backend, another path (rewrites)
  | 'status'; // anything else (404 vs 200, 503 …)

const isRedirect = (s: number): boolean => s >= 300 && s < 400;

export function classify(nginx: Seen, ours: Seen): DiffClass | undefined {
  if (JSON.stringify(nginx) === JSON.stringify(ours)) return undefined;
  if (isRedirect(nginx.status) && isRedirect(ours.status)) return nginx.location === ours.location ? 'redirect-code' : 'redirect-location';
  if (isRedirect(nginx.status) !== isRedirect(ours.status)) return 'redirect-vs-answer';
  if (nginx.backend !== '(proxy)' && ours.backend !== '(proxy)') return nginx.backend !== ours.backend ? 'backend' : 'upstream-path';
  return 'status';
}

// Which finding ids can name a difference of each class.
const ROUTING: FindingId[] = ['route.string-prefix', 'route.regex-mode', 'route.regex-order', 'route.regex-unsupported', 'route.exact-approximated',
  'route.trailing-slash-redirect', 'route.duplicate-path', 'canary.no-mainline', 'canary.cross-namespace', 'canary.extra'];
const REDIRECTS: FindingId[] = ['tls.redirect-code', 'annotation.approximate', 'annotation.unsupported', 'route.trailing-slash-redirect'];
const NAMERS: Record<DiffClass, FindingId[]> = {
  'redirect-code': REDIRECTS,
  'redirect-location': REDIRECTS,
  'redirect-vs-answer': [...REDIRECTS, ...ROUTING],
  backend: [...ROUTING, 'annotation.approximate'],
  'upstream-path': ['annotation.approximate', 'annotation.unsupported', 'route.string-prefix', 'route.regex-mode'],
  status: [...ROUTING, 'annotation.approximate', 'annotation.unsupported'],
};

/** Paths a finding message lists (e.g. route.string-prefix: "…: /foo, /bar"). */
function pathsIn(message: string): string[] {
  return [...message.matchAll(/(?:^|[\s:,(])(\/[^\s,;)]*)/g)].map((m) => m[1] as string);
}

// Which annotations an annotation.* finding must be about to name a difference of each class.
const REDIRECT_ANNOTATIONS = ['permanent-redirect', 'permanent-redirect-code', 'temporal-redirect', 'app-root', 'ssl-redirect',
  'force-ssl-redirect', 'from-to-www-redirect'];
const ANNOTATIONS: Record<DiffClass, string[]> = {
  'redirect-code': REDIRECT_ANNOTATIONS,
  'redirect-location': REDIRECT_ANNOTATIONS,
  'redirect-vs-answer': [...REDIRECT_ANNOTATIONS, 'rewrite-target', 'use-regex'],
  backend: ['canary', 'canary-by-header', 'use-regex'],
  'upstream-path': ['rewrite-target', 'use-regex'],
  status: ['rewrite-target', 'use-regex', 'canary', 'canary-by-header'],
};

/** The finding that names this difference, if any. */
export function namingFinding(cls: DiffClass, host: string, requestPath: string, findings: Finding[], ingresses: IngressSpec[],
  answers?: { nginx: Seen; ours: Seen }): Finding | undefined {
  const onHost = new Set(ingresses.filter((i) => i.host === host).map((i) => `Ingress ${i.ns}/${i.name}`));
  const path = requestPath.split('?')[0] ?? requestPath;
  const locations = [answers?.nginx.location, answers?.ours.location].filter((l): l is string => l !== undefined);
  return findings.find((f) => {
    if (!NAMERS[cls].includes(f.id)) return false;
    if (!(f.host === host || (f.object !== undefined && onHost.has(f.object)))) return false;
    if (f.id.startsWith('annotation.')) {
      const short = (f.annotation ?? '').replace(/^.*\//, '');
      if (!ANNOTATIONS[cls].includes(short)) return false;
    }
    // The HTTPS redirect finding names a redirect to https://<host>; the slash one a redirect to path/.
    if (f.id === 'tls.redirect-code') return locations.some((l) => l.startsWith(`https://${host}`));
    if (f.id === 'route.trailing-slash-redirect') return locations.some((l) => new URL(l).pathname === `${path}/`);
    if (f.id === 'route.string-prefix') {
      // Names a sibling only: a listed prefix p with the request path starting with p but not p/ .
      return pathsIn(f.message).some((p) => {
        const base = p.replace(/\/$/, '');
        return base !== '' && path.startsWith(base) && path.length > base.length && path[base.length] !== '/';
      });
    }
    return true;
  });
}
