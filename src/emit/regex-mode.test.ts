// Regex mode on HTTPProxy, checked differentially on random hosts: a model of nginx (the
// location list of ingress-nginx v1.11: sorted by path length and path, Prefix paths normalised
// by updateServerLocations, every location `~* "^path"`, first match wins) against a model of
// Contour 1.33 (internal/sorter: exact, then regex longest string first, then prefix longest
// first; the first matching route wins) running the converter's output.
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/e2e/fuzz/generate.js';
import { convertYaml } from '../../test/support/convert.js';

type Obj = Record<string, unknown>;

const LITERALS = ['/a', '/a/', '/a/b', '/ab', '/api', '/api/', '/api/v1', '/Api', '/x', '/x/y', '/id', '/id/', '/v1', '/static', '/STATIC/js'];
const REGEXES = ['/id/[0-9]+', '/v[12]/.*', '/a.c', '/static/.+\\.js'];

interface Loc {
  path: string;
  type: 'Exact' | 'Prefix';
  service: string;
  regex: boolean;
}

/** nginx's server: implicit-free (every case has Prefix /), locations in the order nginx adds them. */
function nginxAnswer(locations: Loc[], path: string): string {
  const sorted = [...locations].sort((x, y) => (x.path.length !== y.path.length ? y.path.length - x.path.length : x.path > y.path ? -1 : x.path < y.path ? 1 : 0));
  const exact = new Set(locations.filter((l) => l.type === 'Exact').map((l) => l.path));
  const final: Array<{ path: string; service: string }> = [];
  for (const l of sorted) {
    if (l.path === '/' || l.type === 'Exact' || l.regex) {
      final.push(l);
      continue;
    }
    const norm = l.path.endsWith('/') ? l.path : `${l.path}/`;
    final.push({ path: norm, service: l.service });
    if (!exact.has(l.path)) final.push({ path: l.path, service: l.service });
  }
  return final.find((l) => new RegExp(`^${l.path}`, 'i').test(path))?.service ?? '404';
}

interface ContourRoute {
  kind: 'exact' | 'regex' | 'prefix';
  value: string;
  service: string;
}

function contourRoutes(objects: Obj[]): ContourRoute[] {
  const out: ContourRoute[] = [];
  for (const o of objects) {
    for (const r of ((o.spec as Obj).routes as Obj[] | undefined) ?? []) {
      const conds = (r.conditions as Obj[] | undefined) ?? [];
      const svc = ((r.services as Obj[] | undefined)?.[0]?.name as string | undefined) ?? `status ${String((r.directResponsePolicy as Obj | undefined)?.statusCode)}`;
      const c = conds.find((x) => 'exact' in x || 'regex' in x || 'prefix' in x) ?? { prefix: '/' };
      const kind = 'exact' in c ? 'exact' : 'regex' in c ? 'regex' : 'prefix';
      out.push({ kind, value: c[kind] as string, service: svc });
    }
  }
  const rank = { exact: 0, regex: 1, prefix: 2 };
  return out.sort((x, y) => rank[x.kind] - rank[y.kind] || (x.kind !== 'exact' && y.value.length - x.value.length) || (x.value > y.value ? -1 : x.value < y.value ? 1 : 0));
}

function contourAnswer(routes: ContourRoute[], path: string): string {
  const hit = routes.find((r) => {
    if (r.kind === 'exact') return path === r.value;
    if (r.kind === 'prefix') return path.startsWith(r.value);
    // The converter's regexes are case-insensitive everywhere it matters: `/`, `.*` and `$` have no case.
    return new RegExp(`^(?:${r.value.replace(/\(\?i:/g, '(?:')})$`, 'i').test(path);
  });
  return hit?.service ?? '404';
}

function ingressYaml(name: string, created: number, locs: Loc[], regex: boolean): string {
  const paths = locs
    .map((l) => `          - {path: "${l.path.replace(/\\/g, '\\\\')}", pathType: ${l.regex ? 'ImplementationSpecific' : l.type}, backend: {service: {name: ${l.service}, port: {number: 80}}}}`)
    .join('\n');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: shop
  creationTimestamp: "2024-01-01T00:00:${String(created).padStart(2, '0')}Z"
${regex ? '  annotations: {nginx.ingress.kubernetes.io/use-regex: "true"}\n' : ''}spec:
  ingressClassName: nginx
  rules:
    - host: rx.example.com
      http:
        paths:
${paths}
`;
}

describe('regex mode: Contour tries the converted routes in the order nginx tried its locations', () => {
  it('answers like nginx on 300 random hosts (literal Exact/Prefix paths of any case, regex paths)', () => {
    let compared = 0;
    let regexRoutes = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
      const seen = new Set<string>();
      const locs: Loc[] = [];
      const docs: string[] = [];
      const rx: Loc = { path: pick(REGEXES), type: 'Prefix', service: 'rx', regex: true };
      locs.push(rx);
      docs.push(ingressYaml('rx', 0, [rx], true));
      const n = 2 + Math.floor(r() * 5);
      for (let i = 0; i < n; i++) {
        const l: Loc = { path: pick(LITERALS), type: r() < 0.4 ? 'Exact' : 'Prefix', service: `s${i}`, regex: false };
        if (seen.has(`${l.type} ${l.path}`)) continue;
        seen.add(`${l.type} ${l.path}`);
        locs.push(l);
        docs.push(ingressYaml(`i${i}`, i + 1, [l], false));
      }
      const root: Loc = { path: '/', type: 'Prefix', service: 'root', regex: false };
      locs.push(root);
      docs.push(ingressYaml('root', 59, [root], false));
      const result = convertYaml(docs.join('---\n'));
      const routes = contourRoutes(result.objects as unknown as Obj[]);
      regexRoutes += routes.filter((x) => x.kind === 'regex').length;
      const requests = new Set<string>(['/', '/zz']);
      for (const l of locs) {
        const base = l.regex
          ? l.path
              .replace(/\[0-9\]\+/, '42')
              .replace(/\.\*|\.\+|\\\./g, 'q')
              .replace(/\[12\]/, '1')
              .replace('.', 'b')
          : l.path;
        for (const p of [base, base.toUpperCase(), base.toLowerCase(), `${base}/`, `${base}x`, `${base}/sub`, base.replace(/\/$/, '')]) if (p.startsWith('/')) requests.add(p);
      }
      for (const path of requests) {
        const want = nginxAnswer(locs, path);
        expect(contourAnswer(routes, path), `seed ${seed}: ${path}\n${locs.map((l) => `${l.type} ${l.path} → ${l.service}`).join('\n')}\nroutes: ${JSON.stringify(routes)}`).toBe(want);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
    expect(regexRoutes).toBeGreaterThan(600);
  });

  it('on Contour before 1.26 literal paths stay case-sensitive prefixes, and route.regex-mode names them', () => {
    const doc = [
      ingressYaml('rx', 0, [{ path: '/id/[0-9]+', type: 'Prefix', service: 'rx', regex: true }], true),
      ingressYaml('web', 1, [{ path: '/static', type: 'Prefix', service: 'st', regex: false }], false),
    ].join('---\n');
    const res = convertYaml(doc, { contourVersion: '1.25' });
    const routes = contourRoutes(res.objects as unknown as Obj[]);
    expect(routes.filter((x) => x.kind === 'regex')).toEqual([]);
    expect(routes.find((x) => x.service === 'st')).toEqual({ kind: 'prefix', value: '/static', service: 'st' });
    const note = res.findings.find((f) => f.id === 'route.regex-mode');
    expect(note?.severity).toBe('warn');
    expect(note?.data.paths).toEqual(['/static']);
    expect(note?.message).toContain('Contour 1.26+');
  });

  it('a literal path nginx tried after an overlapping rewritten path stays a prefix after it, named by route.regex-mode', () => {
    const api = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: shop, creationTimestamp: "2024-01-01T00:00:00Z", annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2}}
spec:
  rules:
    - host: rx.example.com
      http: {paths: [{path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}]}
`;
    const doc = [
      api,
      ingressYaml('a', 1, [{ path: '/a', type: 'Prefix', service: 'a', regex: false }], false),
      ingressYaml('b', 2, [{ path: '/b', type: 'Exact', service: 'b', regex: false }], false),
    ].join('---\n');
    const res = convertYaml(doc);
    const routes = contourRoutes(res.objects as unknown as Obj[]);
    expect(contourAnswer(routes, '/api/users')).toBe('api');
    expect(contourAnswer(routes, '/a/x')).toBe('a');
    // /b overlaps nothing nginx tried first: case-insensitive.
    expect(contourAnswer(routes, '/B/x')).toBe('b');
    const notes = res.findings.filter((f) => f.id === 'route.regex-mode');
    expect(notes.flatMap((f) => f.data.paths as string[]).sort()).toEqual(['/a', '/api']);
  });

  it('a literal path every request of which an earlier rewritten path takes is left out, named by route.duplicate-path (fuzz seed 3, case 12)', () => {
    const api = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: shop, creationTimestamp: "2024-01-01T00:00:00Z", annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2}}
spec:
  rules:
    - host: rx.example.com
      http: {paths: [{path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}]}
`;
    const doc = [
      api,
      ingressYaml(
        'lit',
        1,
        [
          { path: '/api/', type: 'Prefix', service: 'slash', regex: false },
          { path: '/API/v1', type: 'Exact', service: 'v1', regex: false },
          { path: '/apix', type: 'Prefix', service: 'apix', regex: false },
          { path: '/api', type: 'Exact', service: 'exact', regex: false },
        ],
        false,
      ),
    ].join('---\n');
    const res = convertYaml(doc);
    const routes = contourRoutes(res.objects as unknown as Obj[]);
    expect(contourAnswer(routes, '/api/sub')).toBe('api');
    expect(contourAnswer(routes, '/api/v1')).toBe('api');
    // Not covered by `/api(/|$)`: /apix keeps its own route.
    expect(contourAnswer(routes, '/apix/1')).toBe('apix');
    // Exact /api is `~* ^/api` in regex mode: the rewrite takes /api and /api/…, it keeps the rest (fuzz seed 3, case 22).
    expect(contourAnswer(routes, '/api')).toBe('api');
    expect(contourAnswer(routes, '/apiq')).toBe('exact');
    expect(contourAnswer(routes, '/APIQ')).toBe('exact');
    const left = res.findings.filter((f) => f.id === 'route.duplicate-path').map((f) => f.subject.path);
    expect(left.sort()).toEqual(['/API/v1', '/api/']);
  });
});
