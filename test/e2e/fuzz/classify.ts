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
// route.duplicate-path is not among them: it says the output ignores the younger path as nginx does.
const ROUTING: FindingId[] = ['route.string-prefix', 'route.regex-mode', 'route.regex-order', 'route.regex-unsupported', 'route.exact-approximated',
  'route.trailing-slash-redirect', 'canary.no-mainline', 'canary.cross-namespace', 'canary.extra'];
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

const stripQuery = (l: string | undefined): string | undefined => l?.replace(/\?.*$/, '');

/**
 * What an annotation finding can name, per annotation: the difference it describes and no other.
 * `d` holds both answers; `path` is the request path without query; `canaryHeader` whether the
 * request selects a canary.
 */
type Shape = (cls: DiffClass, d: { nginx: Seen; ours: Seen }, path: string, canaryHeader: boolean) => boolean;
const queryOnly: Shape = (cls, d) => cls === 'redirect-location' && stripQuery(d.nginx.location) === stripQuery(d.ours.location);
const canaryShape: Shape = (cls, _d, _p, canaryHeader) => cls === 'backend' && canaryHeader;
const regexShape: Shape = (cls, d, path) => path !== path.toLowerCase() || (cls === 'upstream-path' && d.nginx.backend === d.ours.backend);
const ANNOTATION_SHAPES: Record<string, Shape> = {
  'permanent-redirect': queryOnly,
  'temporal-redirect': queryOnly,
  'app-root': queryOnly,
  'rewrite-target': (cls) => cls === 'upstream-path',
  'use-regex': regexShape,
  canary: canaryShape,
  'canary-by-header': canaryShape,
};

/** The finding that names this difference, if any: the most specific one first. */
export function namingFinding(cls: DiffClass, host: string, requestPath: string, findings: Finding[], ingresses: IngressSpec[],
  answers?: { nginx: Seen; ours: Seen }, canaryHeader = false): Finding | undefined {
  const onHost = new Set(ingresses.filter((i) => i.host === host).map((i) => `${i.ns}/${i.name}`));
  const path = requestPath.split('?')[0] ?? requestPath;
  const names = (f: Finding): boolean => {
    if (!NAMERS[cls].includes(f.id)) return false;
    if (!(f.subject.host === host || f.subject.ingresses.some((i) => onHost.has(i)))) return false;
    if (f.id.startsWith('annotation.')) {
      const shape = ANNOTATION_SHAPES[(f.subject.annotation ?? '').replace(/^.*\//, '')];
      return !!shape && !!answers && shape(cls, answers, path, canaryHeader);
    }
    // The HTTPS redirect finding is about how ours redirects to https://<host> (code, slash, ACME);
    // the slash one about nginx's redirect of path to path/.
    if (f.id === 'tls.redirect-code') return answers?.ours.location?.startsWith(`https://${host}`) === true;
    if (f.id === 'route.trailing-slash-redirect') {
      const l = answers?.nginx.location;
      return l !== undefined && new URL(l).pathname === `${path}/`;
    }
    if (f.id.startsWith('canary.')) return canaryHeader;
    if (f.id === 'route.regex-mode') {
      // Case, and literal paths that became string prefixes (listed in the message).
      return path !== path.toLowerCase() || pathsIn(f.message).some((p) => stringSibling(path, p));
    }
    if (f.id === 'route.string-prefix') return pathsIn(f.message).some((p) => stringSibling(path, p));
    return true;
  };
  const specific = findings.filter((f) => !f.id.startsWith('annotation.'));
  return specific.find(names) ?? findings.filter((f) => f.id.startsWith('annotation.')).find(names);
}

/** The request path starts with p as a string but not at a segment boundary (/cartoon for /cart). */
function stringSibling(path: string, p: string): boolean {
  const base = p.replace(/\/$/, '');
  return base !== '' && path.startsWith(base) && path.length > base.length && path[base.length] !== '/';
}
