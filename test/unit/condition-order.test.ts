// Contour decides the kind of a route's merged path match (exact or prefix) from the LAST
// condition of the include chain (internal/dag/conditions.go, mergePathMatchConditions): a route
// `[{exact: /p}, {header: …}]` becomes `prefix: /p` with the header and is sorted after the
// header-less `exact: /p`, so canary requests reach the mainline. Every emitted route must put
// its path condition last, on every golden input and every include scope.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { convertYaml } from '../support/convert.js';

type Obj = Record<string, unknown>;
const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'cases');
const isPath = (c: Obj): boolean => 'prefix' in c || 'exact' in c || 'regex' in c;

const CANARY_EXACT = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: a}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: login, namespace: b}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /login, pathType: Exact, backend: {service: {name: login, port: {number: 80}}}}, {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: login-canary
  namespace: b
  annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-by-header: X-Canary, nginx.ingress.kubernetes.io/canary-by-cookie: c}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /login, pathType: Exact, backend: {service: {name: login-next, port: {number: 80}}}}, {path: /api, pathType: Prefix, backend: {service: {name: api-next, port: {number: 80}}}}]}
`;

function routesOf(objects: Obj[]): Obj[][] {
  return objects.flatMap((o) => (((o.spec as Obj | undefined)?.routes as Obj[] | undefined) ?? []).map((r) => (r.conditions as Obj[] | undefined) ?? []));
}

function misplaced(objects: Obj[]): Obj[][] {
  return routesOf(objects).filter((conds) => conds.some((c, i) => isPath(c) && i !== conds.length - 1));
}

describe('the path condition is the last condition of every route', () => {
  for (const scope of ['auto', 'prefix', 'none'] as const) {
    it(`canaries on Exact and Prefix paths, include scope ${scope}`, () => {
      const objects = convertYaml(CANARY_EXACT, { includeScope: scope }).objects as unknown as Obj[];
      const withHeaders = routesOf(objects).filter((c) => c.some((x) => 'header' in x) && c.some(isPath));
      // exact /login and /api, prefix /api/: always, never, cookie always, cookie never each
      expect(withHeaders.length).toBeGreaterThanOrEqual(12);
      expect(withHeaders.some((c) => c.some((x) => x.exact === '/login'))).toBe(true);
      expect(misplaced(objects)).toEqual([]);
    });
  }
  it('every golden case', () => {
    let checked = 0;
    for (const name of readdirSync(CASES)) {
      const objects = convertYaml(readFileSync(path.join(CASES, name, 'input.yaml'), 'utf8')).objects as unknown as Obj[];
      checked += routesOf(objects).filter((c) => c.length > 1).length;
      expect(misplaced(objects), name).toEqual([]);
    }
    expect(checked).toBeGreaterThan(10);
  });
});
