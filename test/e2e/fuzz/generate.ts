// A seeded, bounded generator of Ingress sets and of requests derived from them, for the
// differential fuzzing of real ingress-nginx against Contour + Envoy configured by our output.
// Pure: the same seed and index always give the same case.
import type { Request } from '../traffic/client.js';
import type { IngressSpec, PathType } from '../traffic/model.js';

export const FUZZ_NAMESPACES = ['fz-a', 'fz-b', 'fz-c'] as const;
export const FUZZ_SERVICES = ['s0', 's1', 's2', 's3'] as const;
/** A wildcard certificate for every fuzz host, as Secret `fuzz-tls` in every namespace. */
export const FUZZ_TLS_SECRET = 'fuzz-tls';
export const FUZZ_DOMAIN = 'fuzz.test';

export interface FuzzCase {
  id: string;
  seed: number;
  index: number;
  hosts: string[];
  /** In creation order: with duplicates, the harness creates them apart so nginx sees the ages. */
  ingresses: IngressSpec[];
  /** True when two Ingresses share host + path + pathType (their age decides in nginx). */
  needsAges: boolean;
  requests: Request[];
}

/** mulberry32: small, fast, good enough for test generation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Pick {
  constructor(private readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  one<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
}

// Literal paths: nested and sibling prefixes, with and without trailing slashes.
const LITERALS = ['/', '/foo', '/foo/', '/foo/bar', '/foobar', '/api', '/api/', '/api/v1', '/apiv2', '/app', '/a', '/a/b/'];
// Regex paths (regex mode) with requests that match and do not match them.
const REGEXES: Array<{ path: string; probes: string[] }> = [
  { path: '/id/[0-9]+', probes: ['/id/42', '/id/42x', '/ID/7', '/id/abc'] },
  { path: '/v[12]/.*', probes: ['/v1/x', '/v2/', '/v3/x', '/V1/x'] },
  { path: '/img/.+\\.png', probes: ['/img/a.png', '/img/a.jpg', '/img/.png'] },
];
const PATH_TYPES: PathType[] = ['Exact', 'Prefix', 'ImplementationSpecific'];

function addRequest(out: Map<string, Request>, r: Request): void {
  out.set(`${r.scheme ?? 'http'} ${r.host} ${r.path} ${JSON.stringify(r.headers ?? {})}`, r);
}

/** Requests around every path of the case: boundaries, case, trailing slashes, siblings, queries. */
function deriveRequests(p: Pick, c: Omit<FuzzCase, 'requests'>, maxRequests: number): Request[] {
  const out = new Map<string, Request>();
  const tlsHosts = new Set(c.ingresses.filter((i) => i.tls).map((i) => i.host));
  for (const ing of c.ingresses) {
    for (const [path] of ing.paths) {
      const probes: string[] = [];
      const rx = REGEXES.find((x) => x.path === path);
      if (rx) probes.push(...rx.probes);
      else if (path.includes('(')) probes.push('/api', '/api/', '/api/users', '/apix', '/API/users');
      else {
        const bare = path.endsWith('/') && path !== '/' ? path.slice(0, -1) : path;
        const slash = bare === '/' ? '/' : `${bare}/`;
        const parent = bare.slice(0, bare.lastIndexOf('/')) || '/';
        probes.push(bare, slash, `${bare}x`, `${slash}sub`, bare.toUpperCase(), `${bare}?q=1`, `${parent === '/' ? '' : parent}/zz`);
      }
      for (const probe of probes) {
        addRequest(out, { host: ing.host, path: probe });
        if (tlsHosts.has(ing.host) && p.chance(0.3)) addRequest(out, { host: ing.host, path: probe, scheme: 'https' });
      }
      if (ing.ann?.canary === 'true') {
        addRequest(out, { host: ing.host, path: probes[0] ?? '/', headers: { 'X-Canary': 'always' } });
        addRequest(out, { host: ing.host, path: probes[0] ?? '/', headers: { 'X-Canary': 'never' } });
      }
    }
  }
  for (const h of c.hosts) {
    addRequest(out, { host: h, path: '/' });
    addRequest(out, { host: h, path: '/nothing/here' });
  }
  const all = [...out.values()];
  // Bounded: a random subset when there are too many.
  while (all.length > maxRequests) all.splice(p.int(all.length), 1);
  return all;
}

export function generateCase(seed: number, index: number, maxRequests = 24): FuzzCase {
  const p = new Pick(rng((seed * 1_000_003 + index) >>> 0));
  const id = `s${seed}-${index}`;
  const hosts = Array.from({ length: 1 + p.int(2) }, (_, i) => `h${i}-${id}.${FUZZ_DOMAIN}`);
  const ingresses: IngressSpec[] = [];
  const n = 1 + p.int(4);
  const svc = (): string => p.one(FUZZ_SERVICES);
  for (let i = 0; i < n; i++) {
    const ns = p.one(FUZZ_NAMESPACES);
    const host = p.one(hosts);
    const ann: Record<string, string> = {};
    const paths: IngressSpec['paths'] = [];
    const style = p.int(10);
    if (style === 0) {
      ann['use-regex'] = 'true';
      const rx = p.one(REGEXES);
      paths.push([rx.path, 'ImplementationSpecific', svc()]);
    } else if (style === 1) {
      ann['rewrite-target'] = '/$2';
      paths.push(['/api(/|$)(.*)', 'ImplementationSpecific', svc()]);
    } else if (style === 2) {
      ann['rewrite-target'] = '/';
      paths.push([p.one(['/foo', '/api', '/app']), p.one(['Prefix', 'ImplementationSpecific'] as const), svc()]);
    } else {
      for (let k = 1 + p.int(3); k > 0; k--) paths.push([p.one(LITERALS), p.one(PATH_TYPES), svc()]);
    }
    if (p.chance(0.1)) ann['permanent-redirect'] = `https://elsewhere.${FUZZ_DOMAIN}/landing`;
    // eslint-disable-next-line no-dupe-else-if -- each p.chance() is a new draw of the seeded generator
    else if (p.chance(0.1) && paths.some(([x]) => x === '/')) ann['app-root'] = '/app';
    const tls = p.chance(0.2) ? { secret: FUZZ_TLS_SECRET, hosts: [host] } : undefined;
    ingresses.push({ ns, name: `i${i}`, host, paths, ...(Object.keys(ann).length ? { ann } : {}), ...(tls ? { tls } : {}) });
  }
  // Duplicates: the same host + path + pathType again, in another namespace, younger.
  if (p.chance(0.3)) {
    const src = p.one(ingresses);
    const [path, type] = p.one(src.paths);
    const ns = p.one(FUZZ_NAMESPACES.filter((x) => x !== src.ns));
    ingresses.push({ ns, name: `dup${ingresses.length}`, host: src.host, paths: [[path, type, svc()]] });
  }
  // A canary beside a mainline path (header-selected, so answers are deterministic).
  if (p.chance(0.25)) {
    const main = p.one(ingresses);
    if (!main.ann?.canary && !main.ann?.['use-regex'] && !main.ann?.['rewrite-target']) {
      const [path, type] = p.one(main.paths);
      ingresses.push({
        ns: main.ns,
        name: `canary${ingresses.length}`,
        host: main.host,
        ann: { canary: 'true', 'canary-by-header': 'X-Canary' },
        paths: [[path, type, svc()]],
      });
    }
  }
  // Names unique per namespace.
  const seen = new Map<string, number>();
  for (const ing of ingresses) {
    const key = `${ing.ns}/${ing.name}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    ing.name = `${id}-${ing.name}${k ? `-${k}` : ''}`;
  }
  const keys = ingresses.flatMap((i) => i.paths.map(([path, type]) => `${i.host} ${path} ${type}`));
  const base = { id, seed, index, hosts, ingresses, needsAges: new Set(keys).size !== keys.length };
  return { ...base, requests: deriveRequests(p, base, maxRequests) };
}
