// Probe derivation: the questions `verify` asks both controllers, derived from the selected
// Ingresses only (pure; no I/O). Every path is probed at its boundaries, because that is where
// nginx's and Envoy's matching differ (segment vs string prefix, trailing slash, case).
import type { Ingress } from '../model/ingress.js';

export type Scheme = 'http' | 'https';
export type Method = 'GET' | 'HEAD' | 'OPTIONS';

/** Why a probe exists: which boundary or annotation it checks. */
export type ProbeKind =
  | 'path'
  | 'trailing-slash'
  | 'child'
  | 'sibling'
  | 'upper-case'
  | 'canary-header'
  | 'canary-cookie'
  | 'app-root'
  | 'cors-preflight'
  | 'unknown-host';

export interface Probe {
  /** Stable, unique, readable: `https GET example.com/foo/ [x-canary: always]`. */
  key: string;
  kind: ProbeKind;
  scheme: Scheme;
  method: Method;
  host: string;
  /** Request path (with query, if any) as sent. */
  path: string;
  /** Extra request headers (never a body). Sorted by name. */
  headers: Record<string, string>;
  /** The Ingress path this probe was derived from, as written; absent for the unknown-host probe. */
  ingressPath?: string;
  /** Ingresses (`namespace/name`) whose rules produced this probe, sorted. */
  ingresses: string[];
}

export interface DeriveOptions {
  annotationPrefix: string;
  /** Probes whose path starts with one of these are not sent (reported as skipped). */
  skipPaths?: string[];
}

export interface ProbeSet {
  probes: Probe[];
  skipped: Probe[];
}

/** A host nothing serves: both controllers must answer it with their default (404). */
export const UNKNOWN_HOST = 'unknown-host.ingress2contour-verify.invalid';
/** Appended to a path to make a child segment / a sibling string (`/foo` → `/foo-i2c`). */
export const CHILD_SEGMENT = 'i2c-verify-child';
export const SIBLING_SUFFIX = '-i2c-verify';
/** Origin sent on CORS preflights when the Ingress allows any origin. */
export const PROBE_ORIGIN = 'https://verify.ingress2contour.invalid';

interface Draft {
  kind: ProbeKind;
  scheme: Scheme;
  method: Method;
  host: string;
  path: string;
  headers?: Record<string, string>;
  ingressPath?: string;
  ingress?: string;
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/** The literal part of a path before its first regex metacharacter (`/api/v[0-9]+` → `/api/v`). */
export function literalPrefix(path: string): string {
  const m = REGEX_META.exec(path);
  const lit = m ? path.slice(0, m.index) : path;
  return lit === '' ? '/' : lit;
}

/** A host name to send for a rule host (`*.example.com` → a name the wildcard covers). */
export function probeHost(host: string): string {
  return host.startsWith('*.') ? `i2c-verify${host.slice(1)}` : host;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(true|1|t|TRUE|True|T)$/.test(v.trim());

function joinChild(path: string): string {
  return `${path.replace(/\/+$/, '')}/${CHILD_SEGMENT}`;
}

/** The boundary probes of one Ingress path. */
function pathVariants(path: string, caseInsensitive: boolean): { kind: ProbeKind; path: string }[] {
  const out: { kind: ProbeKind; path: string }[] = [{ kind: 'path', path }];
  if (path !== '/') {
    out.push({ kind: 'trailing-slash', path: path.endsWith('/') ? path.replace(/\/+$/, '') : `${path}/` });
    out.push({ kind: 'sibling', path: `${path.replace(/\/+$/, '')}${SIBLING_SUFFIX}` });
  }
  out.push({ kind: 'child', path: joinChild(path) });
  const upper = path.toUpperCase();
  if (caseInsensitive && upper !== path) out.push({ kind: 'upper-case', path: upper });
  return out;
}

export function probeKey(p: Pick<Probe, 'scheme' | 'method' | 'host' | 'path' | 'headers'>): string {
  const h = Object.entries(p.headers).map(([k, v]) => `${k}: ${v}`).join('; ');
  return `${p.scheme} ${p.method} ${p.host}${p.path}${h ? ` [${h}]` : ''}`;
}

/** Derives the probe set of the selected Ingresses; the order is deterministic (host, path, scheme, method, headers). */
export function deriveProbes(ingresses: Ingress[], opts: DeriveOptions): ProbeSet {
  const a = (ing: Ingress, key: string): string | undefined => ing.annotations[`${opts.annotationPrefix}/${key}`];
  const drafts: Draft[] = [];

  // nginx's regex mode (use-regex or rewrite-target on any Ingress of a host) makes every path
  // of that host case-insensitive, so upper case is a boundary there.
  const regexHosts = new Set<string>();
  const tlsHosts = new Set<string>();
  for (const ing of ingresses) {
    const regex = truthy(a(ing, 'use-regex')) || a(ing, 'rewrite-target') !== undefined;
    for (const r of ing.rules) if (regex && r.host) regexHosts.add(r.host);
    for (const t of ing.tls) for (const h of t.hosts) tlsHosts.add(h.toLowerCase());
  }

  for (const ing of ingresses) {
    const key = `${ing.namespace}/${ing.name}`;
    const canary = truthy(a(ing, 'canary'));
    const canaryHeader = a(ing, 'canary-by-header');
    const canaryHeaderValue = a(ing, 'canary-by-header-value');
    const canaryCookie = a(ing, 'canary-by-cookie');
    const appRoot = a(ing, 'app-root');
    const cors = truthy(a(ing, 'enable-cors'));
    const corsOrigin = (a(ing, 'cors-allow-origin') ?? '*').split(',')[0]!.trim();
    for (const rule of ing.rules) {
      if (!rule.host) continue; // host-less rules are reported by convert; Contour cannot serve them
      const host = probeHost(rule.host);
      const schemes: Scheme[] = tlsHosts.has(rule.host) ? ['http', 'https'] : ['http'];
      const caseInsensitive = regexHosts.has(rule.host);
      for (const scheme of schemes) {
        const add = (d: Omit<Draft, 'scheme' | 'host' | 'ingress'>): void => {
          drafts.push({ ...d, scheme, host, ingress: key });
        };
        if (appRoot !== undefined && !canary) add({ kind: 'app-root', method: 'GET', path: '/', ingressPath: '/' });
        for (const p of rule.paths) {
          const base = caseInsensitive ? literalPrefix(p.path) : p.path;
          if (!canary) {
            for (const v of pathVariants(base, caseInsensitive)) add({ kind: v.kind, method: 'GET', path: v.path, ingressPath: p.path });
            if (cors) {
              const origin = corsOrigin === '*' || corsOrigin === '' ? PROBE_ORIGIN : corsOrigin;
              add({ kind: 'cors-preflight', method: 'OPTIONS', path: base, ingressPath: p.path, headers: { 'access-control-request-method': 'GET', origin } });
            }
            continue;
          }
          // A canary: its mainline path is probed by the mainline Ingress; here the header and
          // cookie values that force it on (always), off (never) or on with a custom value.
          // The forcing value is also sent at the path's boundaries: a header route matched as a
          // string prefix would take the sibling too.
          const forced = pathVariants(base, false).filter((v) => v.kind !== 'trailing-slash').map((v) => v.path);
          if (canaryHeader) {
            const name = canaryHeader.toLowerCase();
            const values = ['always', 'never', ...(canaryHeaderValue ? [canaryHeaderValue] : [])];
            for (const v of values) add({ kind: 'canary-header', method: 'GET', path: base, ingressPath: p.path, headers: { [name]: v } });
            for (const path of forced.slice(1)) add({ kind: 'canary-header', method: 'GET', path, ingressPath: p.path, headers: { [name]: canaryHeaderValue ?? 'always' } });
          }
          if (canaryCookie) {
            for (const v of ['always', 'never']) add({ kind: 'canary-cookie', method: 'GET', path: base, ingressPath: p.path, headers: { cookie: `${canaryCookie}=${v}` } });
            for (const path of forced.slice(1)) add({ kind: 'canary-cookie', method: 'GET', path, ingressPath: p.path, headers: { cookie: `${canaryCookie}=always` } });
          }
          // Without header or cookie the canary only changes weights: the plain path is the probe.
          add({ kind: 'path', method: 'GET', path: base, ingressPath: p.path });
        }
      }
    }
  }
  drafts.push({ kind: 'unknown-host', scheme: 'http', method: 'GET', host: UNKNOWN_HOST, path: '/' });

  // Merge drafts that send the same request: one probe, every Ingress that asked for it.
  const byKey = new Map<string, Probe>();
  for (const d of drafts) {
    const headers = Object.fromEntries(Object.entries(d.headers ?? {}).sort(([x], [y]) => x.localeCompare(y)));
    const key = probeKey({ ...d, headers });
    const prev = byKey.get(key);
    if (prev) {
      if (d.ingress && !prev.ingresses.includes(d.ingress)) prev.ingresses = [...prev.ingresses, d.ingress].sort();
      continue;
    }
    const probe: Probe = { key, kind: d.kind, scheme: d.scheme, method: d.method, host: d.host, path: d.path, headers, ingresses: d.ingress ? [d.ingress] : [] };
    if (d.ingressPath !== undefined) probe.ingressPath = d.ingressPath;
    byKey.set(key, probe);
  }
  const all = [...byKey.values()].sort(compareProbes);
  const skip = opts.skipPaths ?? [];
  const isSkipped = (p: Probe): boolean => skip.some((s) => p.path.startsWith(s) || (p.ingressPath ?? '').startsWith(s));
  return { probes: all.filter((p) => !isSkipped(p)), skipped: all.filter(isSkipped) };
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Unknown host last; then host, path, scheme, method, key. */
export function compareProbes(x: Probe, y: Probe): number {
  const ux = x.kind === 'unknown-host' ? 1 : 0;
  const uy = y.kind === 'unknown-host' ? 1 : 0;
  return ux - uy || cmp(x.host, y.host) || cmp(x.path, y.path) || cmp(x.scheme, y.scheme) || cmp(x.method, y.method) || cmp(x.key, y.key);
}
