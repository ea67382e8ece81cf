// The scenarios: Ingresses as ingress-nginx users write them, requests, and the answer
// ingress-nginx gives (shared/reference/nginx-annotations.md: its docs, templates and e2e
// tests). Our hypothetical nginx listens on ports 80/443 with the default ConfigMap
// (ssl-redirect on, http-redirect-code 308, HSTS on, use-forwarded-headers off).
//
// `differs` = an approximate mapping the tool reports: the request asserts Contour's answer
// and that the finding exists. `bug` = the converted objects route differently from nginx and
// no finding says so: the request keeps nginx's answer and runs as `it.fails`.
import { expect } from 'vitest';
import type { CheckCase, Ctx, Scenario } from './model.js';

const HSTS = 'max-age=31536000; includeSubDomains';
const NGINX_CORS_METHODS = { list: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'] };

async function burst(ctx: Ctx, host: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await ctx.send({ host, path: `/r/${i}` })).status);
  return statuses;
}

function canaryWeightCheck(weight: number, total: number, main: string, canary: string): CheckCase {
  return {
    name: `canary-weight ${weight}: ${total} requests split about ${weight}% to the canary`,
    nginx: `random(100) <= ${weight}: about ${weight}% of requests go to the canary`,
    run: async (ctx, host) => {
      const counts = new Map<string, number>();
      const batch = 10;
      for (let i = 0; i < total; i += batch) {
        const answers = await Promise.all(Array.from({ length: batch }, () => ctx.send({ host, path: '/w' })));
        for (const a of answers) {
          expect(a.status).toBe(200);
          const n = a.echo?.name ?? `status ${a.status}`;
          counts.set(n, (counts.get(n) ?? 0) + 1);
        }
      }
      const share = (counts.get(canary) ?? 0) / total;
      expect([...counts.keys()].sort()).toEqual([canary, main].sort());
      // Binomial sd at n=200, p=0.3 is 3.2 points; 10 points is a > 3 sigma tolerance.
      expect(share).toBeGreaterThan(weight / 100 - 0.1);
      expect(share).toBeLessThan(weight / 100 + 0.1);
    },
  };
}

export const scenarios: Scenario[] = [
  // ---------------------------------------------------------------- routing
  {
    id: 'shared-host',
    family: 'routing',
    title: 'three namespaces share one host (root + includes)',
    host: 'shop.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'shop-cart', host: 'shop.traffic.test', paths: [['/cart', 'Prefix', 'shop-cart']] },
      { ns: 'tr-b', name: 'shop-web', host: 'shop.traffic.test', paths: [['/', 'Prefix', 'shop-web']] },
      {
        ns: 'tr-c',
        name: 'shop-api',
        host: 'shop.traffic.test',
        paths: [
          ['/api/v1', 'Exact', 'shop-api-v1'],
          ['/api', 'Prefix', 'shop-api'],
        ],
      },
    ],
    requests: [
      { name: 'GET /cart', req: { path: '/cart' }, nginx: { status: 200, backend: 'tr-a/shop-cart', path: '/cart' } },
      {
        name: 'GET /cart/items?x=1',
        req: { path: '/cart/items?x=1' },
        nginx: { status: 200, backend: 'tr-a/shop-cart', path: '/cart/items?x=1' },
      },
      {
        name: 'GET /cartoon (not under /cart)',
        req: { path: '/cartoon' },
        nginx: { status: 200, backend: 'tr-b/shop-web', path: '/cartoon' },
        differs: { finding: { id: 'route.string-prefix', text: '/cart' }, ours: { backend: 'tr-a/shop-cart' }, what: '/cartoon reaches the /cart include (string prefix)' },
      },
      { name: 'GET /CART (case-sensitive)', req: { path: '/CART' }, nginx: { status: 200, backend: 'tr-b/shop-web', path: '/CART' } },
      { name: 'GET /', req: { path: '/' }, nginx: { status: 200, backend: 'tr-b/shop-web', path: '/' } },
      { name: 'GET /about', req: { path: '/about' }, nginx: { status: 200, backend: 'tr-b/shop-web', path: '/about' } },
      { name: 'GET /api/v1 (Exact wins)', req: { path: '/api/v1' }, nginx: { status: 200, backend: 'tr-c/shop-api-v1', path: '/api/v1' } },
      { name: 'GET /api/v1/x (Exact does not match)', req: { path: '/api/v1/x' }, nginx: { status: 200, backend: 'tr-c/shop-api', path: '/api/v1/x' } },
      { name: 'GET /api', req: { path: '/api' }, nginx: { status: 200, backend: 'tr-c/shop-api', path: '/api' } },
      {
        name: 'GET /apix',
        req: { path: '/apix' },
        nginx: { status: 200, backend: 'tr-b/shop-web', path: '/apix' },
        differs: { finding: { id: 'route.string-prefix', text: '/api' }, ours: { backend: 'tr-c/shop-api' }, what: '/apix reaches the /api include (string prefix)' },
      },
    ],
  },
  {
    id: 'path-types',
    family: 'routing',
    title: 'Exact, Prefix, ImplementationSpecific and a trailing-slash Prefix on one host',
    host: 'paths.traffic.test',
    ingresses: [
      {
        ns: 'tr-a',
        name: 'paths',
        host: 'paths.traffic.test',
        paths: [
          ['/foo', 'Exact', 'pt-exact'],
          ['/foo', 'Prefix', 'pt-prefix'],
          ['/bar', 'ImplementationSpecific', 'pt-impl'],
          ['/baz/', 'Prefix', 'pt-slash'],
          ['/', 'Prefix', 'pt-root'],
        ],
      },
    ],
    requests: [
      { name: 'GET /foo (Exact beats Prefix)', req: { path: '/foo' }, nginx: { status: 200, backend: 'tr-a/pt-exact', path: '/foo' } },
      { name: 'GET /foo?x=1 (query ignored)', req: { path: '/foo?x=1' }, nginx: { status: 200, backend: 'tr-a/pt-exact', path: '/foo?x=1' } },
      { name: 'GET /foo/ ', req: { path: '/foo/' }, nginx: { status: 200, backend: 'tr-a/pt-prefix', path: '/foo/' } },
      { name: 'GET /foo/bar', req: { path: '/foo/bar' }, nginx: { status: 200, backend: 'tr-a/pt-prefix', path: '/foo/bar' } },
      { name: 'GET /foobar (segment boundary)', req: { path: '/foobar' }, nginx: { status: 200, backend: 'tr-a/pt-root', path: '/foobar' } },
      { name: 'GET /bar (ImplementationSpecific = Prefix)', req: { path: '/bar' }, nginx: { status: 200, backend: 'tr-a/pt-impl', path: '/bar' } },
      { name: 'GET /bar/x', req: { path: '/bar/x' }, nginx: { status: 200, backend: 'tr-a/pt-impl', path: '/bar/x' } },
      { name: 'GET /barx', req: { path: '/barx' }, nginx: { status: 200, backend: 'tr-a/pt-root', path: '/barx' } },
      {
        name: 'GET /baz (301 to /baz/)',
        req: { path: '/baz' },
        nginx: { status: 301, location: 'http://paths.traffic.test/baz/' },
      },
      { name: 'GET /baz/q', req: { path: '/baz/q' }, nginx: { status: 200, backend: 'tr-a/pt-slash', path: '/baz/q' } },
    ],
  },
  {
    // Found by the differential fuzzer: nginx's slash-less redirect also applies to an Exact path.
    id: 'exact-trailing-slash',
    family: 'routing',
    title: 'an Exact path with a trailing slash: nginx redirects the slash-less URI',
    host: 'exact-slash.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'exact-slash', host: 'exact-slash.traffic.test', paths: [['/docs/', 'Exact', 'es-docs']] }],
    requests: [
      { name: 'GET /docs/', req: { path: '/docs/' }, nginx: { status: 200, backend: 'tr-a/es-docs', path: '/docs/' } },
      { name: 'GET /docs (301 to /docs/)', req: { path: '/docs' }, nginx: { status: 301, location: 'http://exact-slash.traffic.test/docs/' } },
      { name: 'GET /docs/x (Exact)', req: { path: '/docs/x' }, nginx: { status: 404 } },
    ],
  },
  {
    id: 'regex-mode',
    family: 'rewrite/regex',
    title: 'use-regex on one Ingress puts every path of the host in regex mode',
    host: 'regex.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'rx-ids', host: 'regex.traffic.test', ann: { 'use-regex': 'true' }, paths: [['/id/[0-9]+', 'ImplementationSpecific', 'rx-ids']] },
      {
        ns: 'tr-b',
        name: 'rx-web',
        host: 'regex.traffic.test',
        paths: [
          ['/static', 'Prefix', 'rx-static'],
          ['/', 'Prefix', 'rx-root'],
        ],
      },
    ],
    requests: [
      { name: 'GET /id/123', req: { path: '/id/123' }, nginx: { status: 200, backend: 'tr-a/rx-ids', path: '/id/123' } },
      { name: 'GET /id/123a (anchored at the start only)', req: { path: '/id/123a' }, nginx: { status: 200, backend: 'tr-a/rx-ids', path: '/id/123a' } },
      { name: 'GET /ID/42 (case-insensitive)', req: { path: '/ID/42' }, nginx: { status: 200, backend: 'tr-a/rx-ids', path: '/ID/42' } },
      { name: 'GET /id/abc', req: { path: '/id/abc' }, nginx: { status: 200, backend: 'tr-b/rx-root', path: '/id/abc' } },
      { name: 'GET /static/app.js', req: { path: '/static/app.js' }, nginx: { status: 200, backend: 'tr-b/rx-static', path: '/static/app.js' } },
      { name: 'GET /staticfoo (no segment boundary in regex mode)', req: { path: '/staticfoo' }, nginx: { status: 200, backend: 'tr-b/rx-static', path: '/staticfoo' } },
      { name: 'GET /STATIC/x (case-insensitive)', req: { path: '/STATIC/x' }, nginx: { status: 200, backend: 'tr-b/rx-static', path: '/STATIC/x' } },
      { name: 'GET /other', req: { path: '/other' }, nginx: { status: 200, backend: 'tr-b/rx-root', path: '/other' } },
    ],
  },
  {
    // issue 11, part 5: in regex mode every location is `~* "^path"`, Exact ones too, tried longest
    // path first; literal paths become case-insensitive regex conditions in that order.
    id: 'regex-mode-literals',
    family: 'rewrite/regex',
    title: 'regex mode: Exact and Prefix literal paths match case-insensitively, in nginx order, beside a rewrite',
    host: 'regex-lit.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'rxl-ids', host: 'regex-lit.traffic.test', ann: { 'use-regex': 'true' }, paths: [['/id/[0-9]+', 'ImplementationSpecific', 'rxl-ids']] },
      {
        ns: 'tr-a',
        name: 'rxl-pages',
        host: 'regex-lit.traffic.test',
        paths: [
          ['/static', 'Prefix', 'rxl-static'],
          ['/static', 'Exact', 'rxl-static-index'],
          ['/login', 'Exact', 'rxl-login'],
          ['/', 'Prefix', 'rxl-root'],
        ],
      },
      { ns: 'tr-b', name: 'rxl-api', host: 'regex-lit.traffic.test', ann: { 'rewrite-target': '/$2' }, paths: [['/api(/|$)(.*)', 'ImplementationSpecific', 'rxl-api']] },
      { ns: 'tr-b', name: 'rxl-a', host: 'regex-lit.traffic.test', paths: [['/a', 'Prefix', 'rxl-a']] },
    ],
    requests: [
      { name: 'GET /STATIC/app.js (Prefix, case-insensitive)', req: { path: '/STATIC/app.js' }, nginx: { status: 200, backend: 'tr-a/rxl-static', path: '/STATIC/app.js' } },
      { name: 'GET /Static (the Exact path)', req: { path: '/Static' }, nginx: { status: 200, backend: 'tr-a/rxl-static-index', path: '/Static' } },
      { name: 'GET /staticfoo (the Exact path is ^/static)', req: { path: '/staticfoo' }, nginx: { status: 200, backend: 'tr-a/rxl-static-index', path: '/staticfoo' } },
      { name: 'GET /LOGIN (Exact, case-insensitive)', req: { path: '/LOGIN' }, nginx: { status: 200, backend: 'tr-a/rxl-login', path: '/LOGIN' } },
      { name: 'GET /login/more (Exact is a prefix in regex mode)', req: { path: '/login/more' }, nginx: { status: 200, backend: 'tr-a/rxl-login', path: '/login/more' } },
      { name: 'GET /ID/42', req: { path: '/ID/42' }, nginx: { status: 200, backend: 'tr-a/rxl-ids', path: '/ID/42' } },
      { name: 'GET /api/users (rewrite)', req: { path: '/api/users' }, nginx: { status: 200, backend: 'tr-b/rxl-api', path: '/users' } },
      {
        name: 'GET /Api/users (rewrite, case-insensitive)',
        req: { path: '/Api/users' },
        nginx: { status: 200, backend: 'tr-b/rxl-api', path: '/users' },
        differs: { finding: { id: 'route.regex-mode', text: '/api' }, ours: { backend: 'tr-a/rxl-root', path: '/Api/users' }, what: 'a rewritten path stays a case-sensitive prefix' },
      },
      { name: 'GET /a/x (after the overlapping rewrite)', req: { path: '/a/x' }, nginx: { status: 200, backend: 'tr-b/rxl-a', path: '/a/x' } },
      {
        name: 'GET /A/x (a literal after an overlapping rewrite)',
        req: { path: '/A/x' },
        nginx: { status: 200, backend: 'tr-b/rxl-a', path: '/A/x' },
        differs: {
          finding: { id: 'route.regex-mode', text: 'a rewritten path nginx tried first overlaps' },
          ours: { backend: 'tr-a/rxl-root' },
          what: 'a literal path nginx tried after an overlapping rewrite stays case-sensitive',
        },
      },
      { name: 'GET /other', req: { path: '/other' }, nginx: { status: 200, backend: 'tr-a/rxl-root', path: '/other' } },
    ],
  },
  {
    // Found by the differential fuzzer.
    id: 'regex-mode-exact',
    family: 'rewrite/regex',
    title: 'an Exact / on a host in regex mode: nginx does not serve it',
    host: 'regex-exact.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'rxe-ids', host: 'regex-exact.traffic.test', ann: { 'use-regex': 'true' }, paths: [['/v[12]/.*', 'ImplementationSpecific', 'rxe-ids']] },
      { ns: 'tr-b', name: 'rxe-home', host: 'regex-exact.traffic.test', paths: [['/', 'Exact', 'rxe-home']] },
    ],
    // Written from the oracle's answers (not from documentation): real nginx serves neither / nor
    // anything else from the Exact `/` path of a regex-mode host.
    requests: [
      { name: 'GET / (not served either)', req: { path: '/' }, nginx: { status: 404 } },
      { name: 'GET /v1/x', req: { path: '/v1/x' }, nginx: { status: 200, backend: 'tr-a/rxe-ids', path: '/v1/x' } },
      { name: 'GET /zz (Exact / does not match)', req: { path: '/zz' }, nginx: { status: 404 } },
    ],
  },
  {
    id: 'rewrite-strip',
    family: 'rewrite/regex',
    title: 'rewrite-target /$2 on /api(/|$)(.*) strips the prefix',
    host: 'rewrite.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'rw-api', host: 'rewrite.traffic.test', ann: { 'rewrite-target': '/$2' }, paths: [['/api(/|$)(.*)', 'ImplementationSpecific', 'rw-api']] },
      { ns: 'tr-a', name: 'rw-web', host: 'rewrite.traffic.test', paths: [['/', 'Prefix', 'rw-web']] },
    ],
    requests: [
      { name: 'GET /api/users?x=1', req: { path: '/api/users?x=1' }, nginx: { status: 200, backend: 'tr-a/rw-api', path: '/users?x=1' } },
      { name: 'GET /api', req: { path: '/api' }, nginx: { status: 200, backend: 'tr-a/rw-api', path: '/' } },
      { name: 'GET /api/', req: { path: '/api/' }, nginx: { status: 200, backend: 'tr-a/rw-api', path: '/' } },
      { name: 'GET /api/a/b', req: { path: '/api/a/b' }, nginx: { status: 200, backend: 'tr-a/rw-api', path: '/a/b' } },
      {
        name: 'GET /apix (regex needs / or end after /api)',
        req: { path: '/apix' },
        nginx: { status: 200, backend: 'tr-a/rw-web', path: '/apix' },
        differs: { finding: { id: 'route.string-prefix', text: '/api' }, ours: { backend: 'tr-a/rw-api', path: '/x' }, what: '/apix is rewritten to /x (string prefix)' },
      },
      {
        // nginx matches the rewrite path `~* ^/api(/|$)(.*)` case-insensitively; the prefix `/api`
        // it became is case-sensitive (route.regex-mode names it), so /API/users falls to `/`.
        name: 'GET /API/users (case-insensitive)',
        req: { path: '/API/users' },
        nginx: { status: 200, backend: 'tr-a/rw-api', path: '/users' },
        differs: { finding: { id: 'route.regex-mode', text: '/api' }, ours: { backend: 'tr-a/rw-web', path: '/API/users' }, what: 'a rewritten path is matched case-sensitively' },
      },
      { name: 'GET /web', req: { path: '/web' }, nginx: { status: 200, backend: 'tr-a/rw-web', path: '/web' } },
    ],
  },
  {
    id: 'rewrite-plain',
    family: 'rewrite/regex',
    title: 'rewrite-target / on a literal path collapses every sub-path to /',
    host: 'rewrite-root.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'rwr', host: 'rewrite-root.traffic.test', ann: { 'rewrite-target': '/' }, paths: [['/something', 'Prefix', 'rwr']] }],
    requests: [
      { name: 'GET /something', req: { path: '/something' }, nginx: { status: 200, backend: 'tr-a/rwr', path: '/' } },
      {
        name: 'GET /something/abc',
        req: { path: '/something/abc' },
        nginx: { status: 200, backend: 'tr-a/rwr', path: '/' },
        differs: { finding: { id: 'annotation.approximate', annotation: 'rewrite-target', text: 'replaces only the prefix' }, ours: { path: '/abc' }, what: 'only the prefix is replaced' },
      },
    ],
  },
  // ---------------------------------------------------------------- TLS and redirects
  {
    id: 'ssl-redirect',
    family: 'tls/redirect',
    title: 'TLS host: HTTP is redirected, ssl-redirect "false" keeps a path on HTTP',
    host: 'secure.traffic.test',
    secrets: [{ ns: 'tr-a', name: 'secure-cert', hosts: ['secure.traffic.test'] }],
    ingresses: [
      { ns: 'tr-a', name: 'secure', host: 'secure.traffic.test', tls: { secret: 'secure-cert' }, paths: [['/', 'Prefix', 'sec-web']] },
      { ns: 'tr-b', name: 'secure-plain', host: 'secure.traffic.test', ann: { 'ssl-redirect': 'false' }, paths: [['/plain', 'Prefix', 'sec-plain']] },
      // An HTTP-01 solver Ingress (as cert-manager creates): nginx exempts locations whose Ingress
      // path starts with /.well-known/acme-challenge (no-tls-redirect-locations) from the redirect.
      {
        ns: 'tr-a',
        name: 'secure-acme',
        host: 'secure.traffic.test',
        paths: [['/.well-known/acme-challenge/solver-token', 'ImplementationSpecific', 'sec-acme']],
      },
    ],
    requests: [
      {
        name: 'http GET /foo?q=1',
        req: { path: '/foo?q=1' },
        nginx: { status: 308, location: 'https://secure.traffic.test/foo?q=1' },
        differs: { finding: { id: 'tls.redirect-code', text: '301' }, ours: { status: 301 }, what: 'HTTPS redirect is 301, not 308' },
      },
      {
        name: 'http POST /foo',
        req: { path: '/foo', method: 'POST' },
        nginx: { status: 308, location: 'https://secure.traffic.test/foo' },
        differs: { finding: { id: 'tls.redirect-code', text: '301' }, ours: { status: 301 }, what: 'HTTPS redirect is 301, not 308' },
      },
      {
        // nginx strips the trailing slash from the HTTPS redirect's Location (unless
        // preserve-trailing-slash); Envoy keeps it, which tls.redirect-code says.
        name: 'http GET /foo/ (trailing slash stripped)',
        req: { path: '/foo/' },
        nginx: { status: 308, location: 'https://secure.traffic.test/foo' },
        differs: {
          finding: { id: 'tls.redirect-code', text: 'trailing slash' },
          ours: { status: 301, location: 'https://secure.traffic.test/foo/' },
          what: 'the HTTPS redirect keeps the trailing slash (and is 301)',
        },
      },
      {
        name: 'https GET /foo (HSTS)',
        req: { path: '/foo', scheme: 'https' },
        nginx: { status: 200, backend: 'tr-a/sec-web', path: '/foo', certName: 'DNS:secure.traffic.test', responseHeaders: { 'strict-transport-security': HSTS } },
        differs: { finding: { id: 'tls.redirect-code', text: 'HSTS' }, ours: { responseHeaders: { 'strict-transport-security': null } }, what: 'no HSTS header' },
      },
      {
        name: 'http GET the solver path (exempt)',
        req: { path: '/.well-known/acme-challenge/solver-token' },
        nginx: { status: 200, backend: 'tr-a/sec-acme', path: '/.well-known/acme-challenge/solver-token' },
        differs: {
          finding: { id: 'tls.redirect-code', text: '/.well-known/acme-challenge' },
          ours: { status: 301, backend: undefined, path: undefined, location: 'https://secure.traffic.test/.well-known/acme-challenge/solver-token' },
          what: 'an HTTP-01 solver path is redirected too',
        },
      },
      { name: 'http GET /plain (ssl-redirect "false")', req: { path: '/plain' }, nginx: { status: 200, backend: 'tr-b/sec-plain', path: '/plain' } },
      { name: 'https GET /plain', req: { path: '/plain', scheme: 'https' }, nginx: { status: 200, backend: 'tr-b/sec-plain', path: '/plain' } },
      {
        name: 'http GET /.well-known/acme-challenge/token (exempt)',
        req: { path: '/.well-known/acme-challenge/token' },
        nginx: { status: 200, backend: 'tr-a/sec-web', path: '/.well-known/acme-challenge/token' },
        differs: {
          finding: { id: 'tls.redirect-code', text: '/.well-known/acme-challenge' },
          ours: { status: 301, backend: undefined, path: undefined, location: 'https://secure.traffic.test/.well-known/acme-challenge/token' },
          what: 'ACME HTTP-01 path is redirected too',
        },
      },
    ],
  },
  {
    id: 'tls-cross-namespace',
    family: 'tls/redirect',
    title: 'TLS secret in the Ingress namespace, root elsewhere (TLSCertificateDelegation); cert is host-wide',
    host: 'multi-tls.traffic.test',
    secrets: [{ ns: 'tr-b', name: 'mt-cert', hosts: ['multi-tls.traffic.test'] }],
    ingresses: [
      { ns: 'tr-b', name: 'mt-b', host: 'multi-tls.traffic.test', tls: { secret: 'mt-cert' }, paths: [['/b', 'Prefix', 'mt-b']] },
      { ns: 'tr-c', name: 'mt-c', host: 'multi-tls.traffic.test', paths: [['/c', 'Prefix', 'mt-c']] },
    ],
    requests: [
      { name: 'https GET /b', req: { path: '/b', scheme: 'https' }, nginx: { status: 200, backend: 'tr-b/mt-b', path: '/b', certName: 'DNS:multi-tls.traffic.test' } },
      { name: 'https GET /c (Ingress without tls)', req: { path: '/c/x', scheme: 'https' }, nginx: { status: 200, backend: 'tr-c/mt-c', path: '/c/x', certName: 'DNS:multi-tls.traffic.test' } },
      {
        name: 'http GET /c/x redirected',
        req: { path: '/c/x' },
        nginx: { status: 308, location: 'https://multi-tls.traffic.test/c/x' },
        differs: { finding: { id: 'tls.redirect-code', text: '301' }, ours: { status: 301 }, what: 'HTTPS redirect is 301, not 308' },
      },
      {
        // Found by the differential fuzzer: nginx's default location of a TLS host redirects too.
        name: 'http GET /zzz (no route) redirected',
        req: { path: '/zzz' },
        nginx: { status: 308, location: 'https://multi-tls.traffic.test/zzz' },
        // The host's implicit / (nginx's default location) is a root route answering 404, so Contour's HTTPS redirect covers it.
        differs: { finding: { id: 'tls.redirect-code', text: '301' }, ours: { status: 301 }, what: 'HTTPS redirect is 301, not 308' },
      },
    ],
  },
  {
    // issue 11, part 10: ssl-passthrough makes Contour's virtual host a TLS one (tls.passthrough +
    // tcpproxy); nginx served port 80 as for any host without spec.tls, so the routes carry
    // permitInsecure. The oracle runs without --enable-ssl-passthrough, which only moves nginx's
    // HTTPS port behind the controller's TLS proxy (nginx.go setupSSLProxy): plain HTTP is the same.
    id: 'ssl-passthrough-plain-http',
    family: 'tls/redirect',
    title: 'ssl-passthrough without spec.tls keeps serving plain HTTP',
    host: 'passthrough.traffic.test',
    ingresses: [
      {
        ns: 'tr-a',
        name: 'passthrough',
        host: 'passthrough.traffic.test',
        ann: { 'ssl-passthrough': 'true' },
        paths: [
          ['/', 'Prefix', 'pt-web'],
          ['/ui', 'Prefix', 'pt-ui'],
        ],
      },
    ],
    requests: [
      { name: 'http GET / (no HTTPS redirect)', req: { path: '/' }, nginx: { status: 200, backend: 'tr-a/pt-web', path: '/' } },
      { name: 'http GET /ui/x', req: { path: '/ui/x' }, nginx: { status: 200, backend: 'tr-a/pt-ui', path: '/ui/x' } },
      { name: 'http GET /uix (segment boundary)', req: { path: '/uix' }, nginx: { status: 200, backend: 'tr-a/pt-web', path: '/uix' } },
      { name: 'http POST /other', req: { path: '/other', method: 'POST' }, nginx: { status: 200, backend: 'tr-a/pt-web', path: '/other' } },
    ],
  },
  {
    id: 'force-ssl-redirect',
    family: 'tls/redirect',
    title: 'force-ssl-redirect without a certificate',
    host: 'force.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'force', host: 'force.traffic.test', ann: { 'force-ssl-redirect': 'true' }, paths: [['/', 'Prefix', 'force-web']] }],
    requests: [
      { name: 'http GET /', req: { path: '/' }, nginx: { status: 308, location: 'https://force.traffic.test' } },
      { name: 'http GET /x?y=1', req: { path: '/x?y=1' }, nginx: { status: 308, location: 'https://force.traffic.test/x?y=1' } },
    ],
  },
  {
    id: 'redirects',
    family: 'tls/redirect',
    title: 'permanent-redirect and temporal-redirect with their codes',
    host: 'redirect.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'rd-perm', host: 'redirect.traffic.test', ann: { 'permanent-redirect': 'https://new.traffic.test/landing' }, paths: [['/perm', 'Prefix', 'rd-web']] },
      {
        ns: 'tr-a',
        name: 'rd-perm308',
        host: 'redirect.traffic.test',
        ann: { 'permanent-redirect': 'https://new.traffic.test/p308', 'permanent-redirect-code': '308' },
        paths: [['/perm308', 'Prefix', 'rd-web']],
      },
      { ns: 'tr-a', name: 'rd-temp', host: 'redirect.traffic.test', ann: { 'temporal-redirect': 'https://new.traffic.test/later' }, paths: [['/temp', 'Prefix', 'rd-web']] },
      {
        ns: 'tr-a',
        name: 'rd-temp307',
        host: 'redirect.traffic.test',
        ann: { 'temporal-redirect': 'https://new.traffic.test/t307', 'temporal-redirect-code': '307' },
        paths: [['/temp307', 'Prefix', 'rd-web']],
      },
      { ns: 'tr-a', name: 'rd-root', host: 'redirect.traffic.test', paths: [['/', 'Prefix', 'rd-web']] },
    ],
    requests: [
      { name: 'GET /perm → 301', req: { path: '/perm' }, nginx: { status: 301, location: 'https://new.traffic.test/landing' } },
      {
        name: 'GET /perm/deep?x=1 → 301, path and query not appended',
        req: { path: '/perm/deep?x=1' },
        nginx: { status: 301, location: 'https://new.traffic.test/landing' },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'permanent-redirect', text: 'query string' },
          ours: { location: 'https://new.traffic.test/landing?x=1' },
          what: 'the query string is appended',
        },
      },
      { name: 'GET /perm308 → 308', req: { path: '/perm308' }, nginx: { status: 308, location: 'https://new.traffic.test/p308' } },
      { name: 'GET /temp → 302', req: { path: '/temp' }, nginx: { status: 302, location: 'https://new.traffic.test/later' } },
      {
        name: 'GET /temp307 → 307',
        req: { path: '/temp307' },
        nginx: { status: 307, location: 'https://new.traffic.test/t307' },
        oracleGap: 'temporal-redirect-code is read from ingress-nginx v1.12 on; the oracle (v1.11) ignores it and answers 302',
      },
      { name: 'GET /other is proxied', req: { path: '/other' }, nginx: { status: 200, backend: 'tr-a/rd-web', path: '/other' } },
    ],
  },
  {
    id: 'app-root',
    family: 'tls/redirect',
    title: 'app-root redirects only the exact request /',
    host: 'approot.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'approot', host: 'approot.traffic.test', ann: { 'app-root': '/app' }, paths: [['/', 'Prefix', 'ar-web']] }],
    requests: [
      { name: 'GET / → 302 /app', req: { path: '/' }, nginx: { status: 302, location: 'http://approot.traffic.test/app' } },
      {
        name: 'GET /?q=1 → 302, query dropped',
        req: { path: '/?q=1' },
        nginx: { status: 302, location: 'http://approot.traffic.test/app' },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'app-root', text: 'query string' },
          ours: { location: 'http://approot.traffic.test/app?q=1' },
          what: 'the query string is kept',
        },
      },
      { name: 'GET /app', req: { path: '/app' }, nginx: { status: 200, backend: 'tr-a/ar-web', path: '/app' } },
      { name: 'GET /other', req: { path: '/other' }, nginx: { status: 200, backend: 'tr-a/ar-web', path: '/other' } },
    ],
  },
  {
    id: 'from-to-www',
    family: 'tls/redirect',
    title: 'from-to-www-redirect answers the www. counterpart with 308',
    host: 'fromwww.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'fromwww', host: 'fromwww.traffic.test', ann: { 'from-to-www-redirect': 'true' }, paths: [['/', 'Prefix', 'www-web']] }],
    requests: [
      { name: 'GET www./foo → 308', req: { host: 'www.fromwww.traffic.test', path: '/foo' }, nginx: { status: 308, location: 'http://fromwww.traffic.test:80/foo' } },
      { name: 'GET /foo on the host itself', req: { path: '/foo' }, nginx: { status: 200, backend: 'tr-a/www-web', path: '/foo' } },
    ],
  },
  // ---------------------------------------------------------------- canary
  {
    id: 'canary-weight',
    family: 'canary',
    title: 'canary-weight 30',
    host: 'canary-weight.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'cw-main', host: 'canary-weight.traffic.test', paths: [['/', 'Prefix', 'cw-main']] },
      { ns: 'tr-a', name: 'cw-canary', host: 'canary-weight.traffic.test', ann: { canary: 'true', 'canary-weight': '30' }, paths: [['/', 'Prefix', 'cw-canary']] },
    ],
    requests: [],
    checks: [canaryWeightCheck(30, 200, 'tr-a/cw-main', 'tr-a/cw-canary')],
  },
  {
    id: 'canary-header',
    family: 'canary',
    title: 'canary-by-header: always / never / anything else',
    host: 'canary-header.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'ch-main', host: 'canary-header.traffic.test', paths: [['/', 'Prefix', 'ch-main']] },
      { ns: 'tr-a', name: 'ch-canary', host: 'canary-header.traffic.test', ann: { canary: 'true', 'canary-by-header': 'X-Canary' }, paths: [['/', 'Prefix', 'ch-canary']] },
    ],
    requests: [
      { name: 'X-Canary: always → canary', req: { path: '/h', headers: { 'X-Canary': 'always' } }, nginx: { status: 200, backend: 'tr-a/ch-canary' } },
      { name: 'X-Canary: never → mainline', req: { path: '/h', headers: { 'X-Canary': 'never' } }, nginx: { status: 200, backend: 'tr-a/ch-main' } },
      { name: 'X-Canary: other → mainline (weight 0)', req: { path: '/h', headers: { 'X-Canary': 'sometimes' } }, nginx: { status: 200, backend: 'tr-a/ch-main' } },
      { name: 'no header → mainline', req: { path: '/h' }, nginx: { status: 200, backend: 'tr-a/ch-main' } },
    ],
  },
  {
    id: 'canary-header-value',
    family: 'canary',
    title: 'canary-by-header-value: only the exact value selects the canary',
    host: 'canary-value.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'cv-main', host: 'canary-value.traffic.test', paths: [['/', 'Prefix', 'cv-main']] },
      {
        ns: 'tr-a',
        name: 'cv-canary',
        host: 'canary-value.traffic.test',
        ann: { canary: 'true', 'canary-by-header': 'X-Release', 'canary-by-header-value': 'blue' },
        paths: [['/', 'Prefix', 'cv-canary']],
      },
    ],
    requests: [
      { name: 'X-Release: blue → canary', req: { path: '/v', headers: { 'X-Release': 'blue' } }, nginx: { status: 200, backend: 'tr-a/cv-canary' } },
      { name: 'X-Release: always → mainline', req: { path: '/v', headers: { 'X-Release': 'always' } }, nginx: { status: 200, backend: 'tr-a/cv-main' } },
      { name: 'X-Release: Blue → mainline (case-sensitive)', req: { path: '/v', headers: { 'X-Release': 'Blue' } }, nginx: { status: 200, backend: 'tr-a/cv-main' } },
      { name: 'no header → mainline', req: { path: '/v' }, nginx: { status: 200, backend: 'tr-a/cv-main' } },
    ],
  },
  {
    id: 'canary-cookie',
    family: 'canary',
    title: 'canary-by-cookie: always / never',
    host: 'canary-cookie.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'cc-main', host: 'canary-cookie.traffic.test', paths: [['/', 'Prefix', 'cc-main']] },
      { ns: 'tr-a', name: 'cc-canary', host: 'canary-cookie.traffic.test', ann: { canary: 'true', 'canary-by-cookie': 'canary_flag' }, paths: [['/', 'Prefix', 'cc-canary']] },
    ],
    requests: [
      { name: 'canary_flag=always → canary', req: { path: '/c', headers: { Cookie: 'canary_flag=always' } }, nginx: { status: 200, backend: 'tr-a/cc-canary' } },
      { name: 'other cookies first, canary_flag=always → canary', req: { path: '/c', headers: { Cookie: 'session=1; canary_flag=always' } }, nginx: { status: 200, backend: 'tr-a/cc-canary' } },
      { name: 'canary_flag=never → mainline', req: { path: '/c', headers: { Cookie: 'canary_flag=never' } }, nginx: { status: 200, backend: 'tr-a/cc-main' } },
      { name: 'xcanary_flag=always (another cookie) → mainline', req: { path: '/c', headers: { Cookie: 'xcanary_flag=always' } }, nginx: { status: 200, backend: 'tr-a/cc-main' } },
      { name: 'no cookie → mainline', req: { path: '/c' }, nginx: { status: 200, backend: 'tr-a/cc-main' } },
    ],
  },
  {
    // Found by verify on first use (docs/verify.md): the header route of the `exact: /api` half of
    // a Prefix path was merged by Contour into `prefix: /api` (the last condition decides the kind)
    // and sorted after the header-less `exact: /api`, so the canary header never reached the canary.
    id: 'canary-header-prefix-path',
    family: 'canary',
    title: 'canary-by-header on a Prefix path beside other paths (exact + prefix halves with header conditions)',
    host: 'canary-path.traffic.test',
    ingresses: [
      {
        ns: 'tr-a',
        name: 'cpp-main',
        host: 'canary-path.traffic.test',
        paths: [
          ['/', 'Prefix', 'cpp-web'],
          ['/api', 'Prefix', 'cpp-api'],
        ],
      },
      { ns: 'tr-a', name: 'cpp-canary', host: 'canary-path.traffic.test', ann: { canary: 'true', 'canary-by-header': 'X-Canary' }, paths: [['/api', 'Prefix', 'cpp-canary']] },
    ],
    requests: [
      { name: '/api, X-Canary: always → canary', req: { path: '/api', headers: { 'X-Canary': 'always' } }, nginx: { status: 200, backend: 'tr-a/cpp-canary', path: '/api' } },
      { name: '/api/v1, X-Canary: always → canary', req: { path: '/api/v1', headers: { 'X-Canary': 'always' } }, nginx: { status: 200, backend: 'tr-a/cpp-canary', path: '/api/v1' } },
      { name: '/api, X-Canary: never → mainline', req: { path: '/api', headers: { 'X-Canary': 'never' } }, nginx: { status: 200, backend: 'tr-a/cpp-api', path: '/api' } },
      { name: '/api without the header → mainline', req: { path: '/api' }, nginx: { status: 200, backend: 'tr-a/cpp-api', path: '/api' } },
      {
        name: '/api-docs, X-Canary: always → / (not under /api)',
        req: { path: '/api-docs', headers: { 'X-Canary': 'always' } },
        nginx: { status: 200, backend: 'tr-a/cpp-web', path: '/api-docs' },
      },
    ],
  },
  {
    // issue 11, part 11: with --include-scope none every namespace is included at `/`, and an Exact
    // path keeps `exact`; its header-matched canary routes must come before the header-less one.
    id: 'canary-exact-scope-none',
    family: 'canary',
    title: '--include-scope none: header and cookie canaries on an Exact path in a namespace of its own',
    host: 'canary-exact.traffic.test',
    convert: { includeScope: 'none' },
    ingresses: [
      { ns: 'tr-a', name: 'cex-web', host: 'canary-exact.traffic.test', paths: [['/', 'Prefix', 'cex-web']] },
      { ns: 'tr-b', name: 'cex-login', host: 'canary-exact.traffic.test', paths: [['/login', 'Exact', 'cex-login']] },
      {
        ns: 'tr-b',
        name: 'cex-login-canary',
        host: 'canary-exact.traffic.test',
        ann: { canary: 'true', 'canary-by-header': 'X-Canary', 'canary-by-cookie': 'login_canary' },
        paths: [['/login', 'Exact', 'cex-login-canary']],
      },
      { ns: 'tr-c', name: 'cex-pay', host: 'canary-exact.traffic.test', paths: [['/pay', 'Exact', 'cex-pay']] },
      {
        ns: 'tr-c',
        name: 'cex-pay-canary',
        host: 'canary-exact.traffic.test',
        ann: { canary: 'true', 'canary-by-header': 'X-Pay', 'canary-by-header-value': 'next' },
        paths: [['/pay', 'Exact', 'cex-pay-canary']],
      },
    ],
    requests: [
      { name: '/login, X-Canary: always → canary', req: { path: '/login', headers: { 'X-Canary': 'always' } }, nginx: { status: 200, backend: 'tr-b/cex-login-canary', path: '/login' } },
      { name: '/login, X-Canary: never → mainline', req: { path: '/login', headers: { 'X-Canary': 'never' } }, nginx: { status: 200, backend: 'tr-b/cex-login', path: '/login' } },
      { name: '/login, cookie always → canary', req: { path: '/login', headers: { Cookie: 'login_canary=always' } }, nginx: { status: 200, backend: 'tr-b/cex-login-canary', path: '/login' } },
      {
        name: '/login, X-Canary: never beats the cookie → mainline',
        req: { path: '/login', headers: { 'X-Canary': 'never', Cookie: 'login_canary=always' } },
        nginx: { status: 200, backend: 'tr-b/cex-login', path: '/login' },
      },
      { name: '/login without header or cookie → mainline', req: { path: '/login' }, nginx: { status: 200, backend: 'tr-b/cex-login', path: '/login' } },
      { name: '/login/x, X-Canary: always → / (Exact)', req: { path: '/login/x', headers: { 'X-Canary': 'always' } }, nginx: { status: 200, backend: 'tr-a/cex-web', path: '/login/x' } },
      { name: '/loginx, X-Canary: always → / (Exact)', req: { path: '/loginx', headers: { 'X-Canary': 'always' } }, nginx: { status: 200, backend: 'tr-a/cex-web', path: '/loginx' } },
      { name: '/pay, X-Pay: next → canary', req: { path: '/pay', headers: { 'X-Pay': 'next' } }, nginx: { status: 200, backend: 'tr-c/cex-pay-canary', path: '/pay' } },
      { name: '/pay, X-Pay: always → mainline (value set)', req: { path: '/pay', headers: { 'X-Pay': 'always' } }, nginx: { status: 200, backend: 'tr-c/cex-pay', path: '/pay' } },
    ],
  },
  // ---------------------------------------------------------------- affinity, upstream
  {
    id: 'affinity-cookie',
    family: 'affinity',
    title: 'affinity: cookie keeps a client on one endpoint',
    host: 'sticky.traffic.test',
    backends: { 'tr-a/sticky-web': { instances: 2 } },
    ingresses: [{ ns: 'tr-a', name: 'sticky', host: 'sticky.traffic.test', ann: { affinity: 'cookie' }, paths: [['/', 'Prefix', 'sticky-web']] }],
    requests: [],
    checks: [
      {
        name: 'the first answer sets a session cookie; 12 requests with it reach one endpoint',
        nginx: 'Set-Cookie INGRESSCOOKIE=…; Path=/; the cookie pins the endpoint',
        run: async (ctx, host) => {
          const first = await ctx.send({ host, path: '/s' });
          expect(first.status).toBe(200);
          const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
          expect(setCookie.length).toBeGreaterThan(0);
          const cookie = (setCookie[0] as string).split(';')[0] as string;
          const seen = new Set<string>();
          for (let i = 0; i < 12; i++) {
            const r = await ctx.send({ host, path: `/s/${i}`, headers: { Cookie: cookie } });
            expect(r.status).toBe(200);
            seen.add(r.echo?.instance ?? '?');
          }
          expect([...seen]).toEqual([first.echo?.instance]);
        },
      },
      {
        name: 'without a cookie both endpoints are used (so stickiness is not trivial)',
        nginx: 'each cookie-less request may pick a new endpoint',
        run: async (ctx, host) => {
          const seen = new Set<string>();
          for (let i = 0; i < 24 && seen.size < 2; i++) {
            // A new connection each time: without a cookie Envoy hashes the client address and port.
            const r = await ctx.send({ host, path: `/n/${i}`, fresh: true });
            expect(r.status).toBe(200);
            seen.add(r.echo?.instance ?? '?');
          }
          expect([...seen].sort()).toEqual(['tr-a/sticky-web#1', 'tr-a/sticky-web#2']);
        },
      },
      {
        name: "the session cookie's name",
        nginx: 'Set-Cookie: INGRESSCOOKIE=<hash>; Path=/; HttpOnly',
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'affinity', text: 'X-Contour-Session-Affinity' },
          what: 'the cookie is X-Contour-Session-Affinity, not INGRESSCOOKIE',
        },
        run: async (ctx, host) => {
          const first = await ctx.send({ host, path: '/s' });
          const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
          expect(setCookie.map((c) => c.split('=')[0])).toEqual(['X-Contour-Session-Affinity']);
        },
      },
    ],
  },
  {
    id: 'upstream-vhost',
    family: 'headers',
    title: 'upstream-vhost sets the Host the backend sees',
    host: 'vhost.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'vhost', host: 'vhost.traffic.test', ann: { 'upstream-vhost': 'internal.backend.test' }, paths: [['/', 'Prefix', 'vh-web']] }],
    requests: [{ name: 'GET /x', req: { path: '/x' }, nginx: { status: 200, backend: 'tr-a/vh-web', path: '/x', host: 'internal.backend.test' } }],
  },
  {
    id: 'backend-https',
    family: 'backend-protocol',
    title: 'backend-protocol HTTPS: TLS to the backend, no verification',
    host: 'bp-https.traffic.test',
    backends: { 'tr-a/bp-tls': { proto: 'https' } },
    ingresses: [{ ns: 'tr-a', name: 'bp-https', host: 'bp-https.traffic.test', ann: { 'backend-protocol': 'HTTPS' }, paths: [['/', 'Prefix', 'bp-tls', 443]] }],
    requests: [{ name: 'GET /secure-upstream', req: { path: '/secure-upstream' }, nginx: { status: 200, backend: 'tr-a/bp-tls', path: '/secure-upstream', proto: 'https' } }],
  },
  {
    id: 'backend-grpc',
    family: 'backend-protocol',
    title: 'backend-protocol GRPC: gRPC over TLS to the proxy, h2c to the backend',
    host: 'grpc.traffic.test',
    secrets: [{ ns: 'tr-a', name: 'grpc-cert', hosts: ['grpc.traffic.test'] }],
    backends: { 'tr-a/grpc-echo': { proto: 'h2c' } },
    ingresses: [
      {
        ns: 'tr-a',
        name: 'grpc',
        host: 'grpc.traffic.test',
        ann: { 'backend-protocol': 'GRPC' },
        tls: { secret: 'grpc-cert' },
        paths: [['/', 'Prefix', 'grpc-echo', 50051]],
      },
    ],
    requests: [
      {
        name: 'unary call /echo.Echo/Say',
        req: { path: '/echo.Echo/Say', scheme: 'https', grpc: true },
        oracleGap: 'gRPC needs HTTP/2 on the listener; the oracle\'s nginx 1.22 runs with use-http2 "false"',
        nginx: {
          status: 200,
          grpcStatus: '0',
          backend: 'tr-a/grpc-echo',
          path: '/echo.Echo/Say',
          httpVersion: '2.0',
          proto: 'h2c',
          headers: { 'content-type': 'application/grpc' },
        },
      },
    ],
  },
  // ---------------------------------------------------------------- CORS, access, limits, timeouts
  {
    id: 'cors',
    family: 'cors',
    title: 'enable-cors with one allowed origin',
    host: 'cors.traffic.test',
    ingresses: [
      {
        ns: 'tr-a',
        name: 'cors',
        host: 'cors.traffic.test',
        ann: { 'enable-cors': 'true', 'cors-allow-origin': 'https://app.traffic.test' },
        paths: [['/', 'Prefix', 'cors-web']],
      },
    ],
    requests: [
      {
        // nginx answers a CORS preflight with 204; Envoy's CORS filter answers 200, as the
        // enable-cors finding says.
        name: 'preflight from the allowed origin → answered by the proxy',
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: 'preflights are answered with 200 (nginx: 204)' },
          ours: { status: 200 },
          what: 'the preflight is answered with 200, not 204',
        },
        req: { method: 'OPTIONS', path: '/data', headers: { Origin: 'https://app.traffic.test', 'Access-Control-Request-Method': 'POST' } },
        nginx: {
          status: 204,
          responseHeaders: {
            'access-control-allow-origin': 'https://app.traffic.test',
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': NGINX_CORS_METHODS,
            'access-control-max-age': '1728000',
          },
        },
      },
      {
        name: 'GET from the allowed origin → CORS headers on the answer',
        req: { path: '/data', headers: { Origin: 'https://app.traffic.test' } },
        nginx: {
          status: 200,
          backend: 'tr-a/cors-web',
          path: '/data',
          responseHeaders: { 'access-control-allow-origin': 'https://app.traffic.test', 'access-control-allow-credentials': 'true' },
        },
      },
      {
        name: 'GET from the allowed origin → nginx adds the preflight headers too',
        req: { path: '/data', headers: { Origin: 'https://app.traffic.test' } },
        nginx: { status: 200, backend: 'tr-a/cors-web', path: '/data', responseHeaders: { 'access-control-allow-methods': NGINX_CORS_METHODS, 'access-control-max-age': '1728000' } },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: 'answers other than preflights carry only' },
          ours: { responseHeaders: { 'access-control-allow-methods': null, 'access-control-max-age': null } },
          what: 'answers other than preflights carry fewer CORS headers',
        },
      },
      {
        name: 'OPTIONS from the allowed origin without Access-Control-Request-Method',
        req: { method: 'OPTIONS', path: '/data', headers: { Origin: 'https://APP.traffic.test' } },
        nginx: { status: 204, responseHeaders: { 'access-control-allow-origin': 'https://APP.traffic.test' } },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: 'only an OPTIONS request with an allowed Origin and Access-Control-Request-Method is a preflight' },
          ours: { status: 200, backend: 'tr-a/cors-web', path: '/data' },
          what: 'an OPTIONS request without Access-Control-Request-Method reaches the backend',
        },
      },
      {
        name: 'GET without Origin → no CORS headers',
        req: { path: '/data' },
        nginx: { status: 200, backend: 'tr-a/cors-web', path: '/data', responseHeaders: { 'access-control-allow-origin': null } },
      },
      {
        name: 'preflight from another origin → passed to the backend, no CORS headers',
        req: { method: 'OPTIONS', path: '/data', headers: { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'POST' } },
        nginx: { status: 200, backend: 'tr-a/cors-web', path: '/data', responseHeaders: { 'access-control-allow-origin': null } },
      },
    ],
  },
  {
    // issue 11, part 8: nginx's default `*` answers every request with `*`; Envoy echoes the Origin
    // of requests that have one; credentials are not allowed (browsers refused them with `*`).
    id: 'cors-any-origin',
    family: 'cors',
    title: 'enable-cors with the default origin * and credentials',
    host: 'cors-any.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'cors-any', host: 'cors-any.traffic.test', ann: { 'enable-cors': 'true' }, paths: [['/', 'Prefix', 'cors-any-web']] }],
    requests: [
      {
        name: 'GET without Origin',
        req: { path: '/x' },
        nginx: { status: 200, backend: 'tr-a/cors-any-web', path: '/x', responseHeaders: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' } },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: 'requests without an Origin header get no CORS headers' },
          ours: { responseHeaders: { 'access-control-allow-origin': null, 'access-control-allow-credentials': null } },
          what: 'no CORS headers without Origin',
        },
      },
      {
        name: 'GET with an Origin',
        req: { path: '/x', headers: { Origin: 'https://site.traffic.test' } },
        nginx: { status: 200, backend: 'tr-a/cors-any-web', path: '/x', responseHeaders: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' } },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: "echoes the request's Origin (nginx: *)" },
          ours: { responseHeaders: { 'access-control-allow-origin': 'https://site.traffic.test', 'access-control-allow-credentials': null } },
          what: 'the Origin is echoed, and credentials are not allowed (browsers refused them with *)',
        },
      },
      {
        name: 'preflight',
        req: { method: 'OPTIONS', path: '/x', headers: { Origin: 'https://site.traffic.test', 'Access-Control-Request-Method': 'PUT' } },
        nginx: {
          status: 204,
          responseHeaders: { 'access-control-allow-origin': '*', 'access-control-allow-methods': NGINX_CORS_METHODS, 'access-control-allow-credentials': 'true', 'access-control-max-age': '1728000' },
        },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: 'preflights are answered with 200 (nginx: 204)' },
          ours: { status: 200, responseHeaders: { 'access-control-allow-origin': 'https://site.traffic.test', 'access-control-allow-credentials': null } },
          what: 'the preflight: 200, the Origin echoed, no credentials',
        },
      },
      {
        name: 'OPTIONS without Origin',
        req: { method: 'OPTIONS', path: '/x' },
        nginx: { status: 204, responseHeaders: { 'access-control-allow-origin': '*' } },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'enable-cors', text: 'with * every OPTIONS request' },
          ours: { status: 200, backend: 'tr-a/cors-any-web', path: '/x', responseHeaders: { 'access-control-allow-origin': null } },
          what: 'an OPTIONS request without Origin reaches the backend',
        },
      },
    ],
  },
  {
    id: 'ip-access',
    family: 'access',
    title: 'allow and deny source ranges (the client is 127.0.0.1)',
    host: 'ipacl.traffic.test',
    ingresses: [
      { ns: 'tr-a', name: 'acl-allow-in', host: 'ipacl.traffic.test', ann: { 'whitelist-source-range': '10.0.0.0/8,127.0.0.1/32' }, paths: [['/allow-in', 'Prefix', 'acl-web']] },
      { ns: 'tr-a', name: 'acl-allow-out', host: 'ipacl.traffic.test', ann: { 'allowlist-source-range': '10.0.0.0/8' }, paths: [['/allow-out', 'Prefix', 'acl-web']] },
      { ns: 'tr-a', name: 'acl-deny-in', host: 'ipacl.traffic.test', ann: { 'denylist-source-range': '127.0.0.0/8' }, paths: [['/deny-in', 'Prefix', 'acl-web']] },
      { ns: 'tr-a', name: 'acl-deny-out', host: 'ipacl.traffic.test', ann: { 'denylist-source-range': '10.0.0.0/8' }, paths: [['/deny-out', 'Prefix', 'acl-web']] },
      {
        ns: 'tr-a',
        name: 'acl-both',
        host: 'ipacl.traffic.test',
        ann: { 'allowlist-source-range': '127.0.0.0/8', 'denylist-source-range': '127.0.0.1/32' },
        paths: [['/both', 'Prefix', 'acl-web']],
      },
    ],
    requests: [
      { name: 'allow list containing 127.0.0.1 → 200', req: { path: '/allow-in' }, nginx: { status: 200, backend: 'tr-a/acl-web', path: '/allow-in' } },
      { name: 'allow list without 127.0.0.1 → 403', req: { path: '/allow-out' }, nginx: { status: 403 } },
      { name: 'deny list containing 127.0.0.1 → 403', req: { path: '/deny-in' }, nginx: { status: 403 } },
      { name: 'deny list without 127.0.0.1 → 200', req: { path: '/deny-out' }, nginx: { status: 200, backend: 'tr-a/acl-web', path: '/deny-out' } },
      { name: 'allow 127/8 + deny 127.0.0.1 → deny wins, 403', req: { path: '/both' }, nginx: { status: 403 } },
    ],
  },
  {
    id: 'rate-limit',
    family: 'rate-limit',
    title: 'limit-rps 1 (burst multiplier 5)',
    host: 'ratelimit.traffic.test',
    ingresses: [{ ns: 'tr-a', name: 'rl', host: 'ratelimit.traffic.test', ann: { 'limit-rps': '1' }, paths: [['/', 'Prefix', 'rl-web']] }],
    requests: [],
    checks: [
      {
        name: 'back-to-back requests are rejected with 503 once the burst is used',
        nginx: 'limit_req … nodelay rejects the excess with limit-req-status-code 503',
        run: async (ctx, host) => {
          const statuses = await burst(ctx, host, 15);
          expect(statuses[0]).toBe(200);
          expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
          expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
        },
      },
      {
        // nginx's `limit_req zone=… rate=1r/s burst=5 nodelay` admits 1 + burst = 6 requests at
        // once (the first has excess 0; the 7th exceeds burst); Envoy's bucket holds requests + burst.
        name: 'exactly 1 + 5 requests pass at once (rps 1 × multiplier 5)',
        nginx: '6 pass at once, the 7th gets 503',
        run: async (ctx, host) => {
          // Tokens refill at 1/s; the previous check drained them, so start from a full bucket.
          await new Promise((r) => setTimeout(r, 6_500));
          const statuses = await burst(ctx, host, 10);
          // One token may refill while the loop runs.
          expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(6);
          expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(7);
        },
      },
    ],
  },
  {
    id: 'read-timeout',
    family: 'timeouts',
    title: 'proxy-read-timeout and proxy-send-timeout 2: a silent backend times out, a slow but steady one does not',
    host: 'timeout.traffic.test',
    ingresses: [
      {
        ns: 'tr-a',
        name: 'slow',
        host: 'timeout.traffic.test',
        ann: { 'proxy-read-timeout': '2', 'proxy-send-timeout': '2' },
        paths: [['/', 'Prefix', 'to-web']],
      },
      { ns: 'tr-a', name: 'slow-read-only', host: 'timeout.traffic.test', ann: { 'proxy-read-timeout': '2' }, paths: [['/read-only', 'Prefix', 'to-web']] },
    ],
    requests: [
      { name: 'answer after 0.5 s → 200', req: { path: '/t?sleep=500' }, nginx: { status: 200, backend: 'tr-a/to-web' } },
      { name: 'nothing for 4 s → 504', req: { path: '/t?sleep=4000' }, nginx: { status: 504 } },
      { name: 'a byte every second for 4 s → 200 (idle, not total)', req: { path: '/t?drip=4&every=1000' }, nginx: { status: 200, backend: 'tr-a/to-web' } },
      {
        name: 'read timeout alone: nothing for 4 s → 504',
        req: { path: '/read-only?sleep=4000' },
        nginx: { status: 504 },
        differs: {
          finding: { id: 'annotation.approximate', annotation: 'proxy-read-timeout', text: 'larger of read and send timeouts' },
          ours: { status: 200, backend: 'tr-a/to-web' },
          what: 'the idle timeout is the larger of read and send (60 s default)',
        },
      },
    ],
  },
  // ---------------------------------------------------------------- the controller's ConfigMap
  // The same ConfigMap goes to the real ingress-nginx (nginxConfig) and to the conversion.
  {
    id: 'controller-ssl-redirect-off',
    family: 'controller',
    title: 'ConfigMap ssl-redirect "false": a TLS host also answers plain HTTP',
    host: 'cfg-tls.traffic.test',
    nginxConfig: { 'ssl-redirect': 'false' },
    secrets: [{ ns: 'tr-a', name: 'cfg-tls-cert', hosts: ['cfg-tls.traffic.test'] }],
    ingresses: [
      { ns: 'tr-a', name: 'cfg-tls', host: 'cfg-tls.traffic.test', tls: { secret: 'cfg-tls-cert' }, paths: [['/', 'Prefix', 'cfg-web']] },
      { ns: 'tr-a', name: 'cfg-tls-strict', host: 'cfg-tls.traffic.test', ann: { 'ssl-redirect': 'true' }, paths: [['/login', 'Prefix', 'cfg-login']] },
    ],
    requests: [
      { name: 'http GET /foo (no redirect)', req: { path: '/foo' }, nginx: { status: 200, backend: 'tr-a/cfg-web', path: '/foo' } },
      { name: 'https GET /foo', req: { path: '/foo', scheme: 'https' }, nginx: { status: 200, backend: 'tr-a/cfg-web', path: '/foo' } },
      {
        name: 'http GET /login (the annotation asks for the redirect)',
        req: { path: '/login' },
        nginx: { status: 308, location: 'https://cfg-tls.traffic.test/login' },
        differs: { finding: { id: 'tls.redirect-code', text: '301' }, ours: { status: 301 }, what: 'HTTPS redirect is 301, not 308' },
      },
    ],
  },
  {
    id: 'controller-allowlist',
    family: 'controller',
    title: 'ConfigMap whitelist-source-range: every Ingress without its own list is protected (the client is 127.0.0.1)',
    host: 'cfg-acl.traffic.test',
    nginxConfig: { 'whitelist-source-range': '10.0.0.0/8' },
    ingresses: [
      { ns: 'tr-a', name: 'cfg-acl-global', host: 'cfg-acl.traffic.test', paths: [['/global', 'Prefix', 'cfg-acl']] },
      { ns: 'tr-a', name: 'cfg-acl-own', host: 'cfg-acl.traffic.test', ann: { 'whitelist-source-range': '127.0.0.1/32' }, paths: [['/own', 'Prefix', 'cfg-acl']] },
    ],
    requests: [
      { name: 'the global list without 127.0.0.1 → 403', req: { path: '/global' }, nginx: { status: 403 } },
      { name: "the Ingress's own list replaces the global one → 200", req: { path: '/own' }, nginx: { status: 200, backend: 'tr-a/cfg-acl', path: '/own' } },
    ],
  },
  {
    id: 'controller-forwarded-headers',
    family: 'controller',
    title: 'ConfigMap use-forwarded-headers "true": source ranges check the X-Forwarded-For address (the peer is 127.0.0.1)',
    host: 'cfg-xff.traffic.test',
    nginxConfig: { 'use-forwarded-headers': 'true' },
    ingresses: [{ ns: 'tr-a', name: 'cfg-xff', host: 'cfg-xff.traffic.test', ann: { 'whitelist-source-range': '10.0.0.0/8' }, paths: [['/', 'Prefix', 'cfg-xff']] }],
    requests: [
      { name: 'no X-Forwarded-For: the peer 127.0.0.1 is not allowed → 403', req: { path: '/a' }, nginx: { status: 403 } },
      {
        name: 'X-Forwarded-For 10.1.2.3 (allowed)',
        req: { path: '/a', headers: { 'x-forwarded-for': '10.1.2.3' } },
        nginx: { status: 200, backend: 'tr-a/cfg-xff', path: '/a' },
        // The harness's Contour trusts no hops: the Remote address stays the peer until num-trusted-hops is set, as the finding says.
        differs: {
          finding: { id: 'controller.trusted-hops' },
          ours: { status: 403, backend: undefined, path: undefined },
          what: "the forwarded address counts only once Contour's trusted hops are configured",
        },
      },
    ],
  },
  {
    id: 'controller-strict-path-type',
    family: 'controller',
    title: 'ConfigMap strict-validate-path-type "true": only the admission webhook refuses a regex-like Prefix path; a stored Ingress is served as a plain path',
    host: 'cfg-paths.traffic.test',
    nginxConfig: { 'strict-validate-path-type': 'true' },
    ingresses: [
      { ns: 'tr-a', name: 'cfg-paths-regex', host: 'cfg-paths.traffic.test', paths: [['/v[0-9]+', 'Prefix', 'cfg-regex']] },
      { ns: 'tr-a', name: 'cfg-paths-plain', host: 'cfg-paths.traffic.test', paths: [['/plain', 'Prefix', 'cfg-plain']] },
    ],
    requests: [
      { name: 'GET /plain', req: { path: '/plain' }, nginx: { status: 200, backend: 'tr-a/cfg-plain', path: '/plain' } },
      { name: 'GET /v1 (the path is not a regex) → 404', req: { path: '/v1' }, nginx: { status: 404 } },
    ],
  },
  {
    id: 'controller-default-certificate',
    family: 'controller',
    title: "--default-ssl-certificate: a TLS entry without secretName is served with the controller's certificate",
    host: 'cfg-dc.traffic.test',
    nginxArgs: ['--default-ssl-certificate=tr-a/cfg-default-cert'],
    secrets: [{ ns: 'tr-a', name: 'cfg-default-cert', hosts: ['cfg-dc.traffic.test'] }],
    ingresses: [{ ns: 'tr-a', name: 'cfg-dc', host: 'cfg-dc.traffic.test', tls: { secret: '' }, paths: [['/', 'Prefix', 'cfg-dc']] }],
    requests: [{ name: 'https GET /x', req: { path: '/x', scheme: 'https' }, nginx: { status: 200, backend: 'tr-a/cfg-dc', path: '/x', certName: 'DNS:cfg-dc.traffic.test' } }],
  },
  {
    id: 'controller-watch-without-class',
    family: 'controller',
    title: '--watch-ingress-without-class: an Ingress without any class is served',
    host: 'cfg-noclass.traffic.test',
    nginxArgs: ['--watch-ingress-without-class=true'],
    ingresses: [{ ns: 'tr-a', name: 'cfg-noclass', host: 'cfg-noclass.traffic.test', className: null, paths: [['/', 'Prefix', 'cfg-noclass']] }],
    requests: [{ name: 'GET /x', req: { path: '/x' }, nginx: { status: 200, backend: 'tr-a/cfg-noclass', path: '/x' } }],
  },
];
