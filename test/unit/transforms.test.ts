// Edge cases of every transform, many taken from ingress-nginx's own e2e tests: the
// verdict each annotation gets, and what lands in the HTTPProxy.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/emit/objects.js';
import { convertYaml, type TestOptions } from '../support/convert.js';

type Obj = Record<string, unknown>;

function run(annotations: Record<string, string>, opts: TestOptions = {}, extra: { tls?: boolean; path?: string } = {}) {
  const text = yaml.dump({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'i', namespace: 'n', annotations: Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v])) },
    spec: {
      ingressClassName: 'nginx',
      ...(extra.tls ? { tls: [{ hosts: ['h.example.com'], secretName: 'cert' }] } : {}),
      rules: [{ host: 'h.example.com', http: { paths: [{ path: extra.path ?? '/app', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
    },
  });
  const r = convertYaml(text, { target: 'httpproxy', ...opts });
  const verdict = (key: string) => r.mapped[0]?.verdicts.find((v) => v.key === key);
  const child = r.objects.find((o: KubeObject) => o.kind === 'HTTPProxy' && !o.spec.virtualhost);
  const root = r.objects.find((o: KubeObject) => o.kind === 'HTTPProxy' && o.spec.virtualhost);
  const routes = (child?.spec.routes ?? []) as Obj[];
  return { r, verdict, routes, root, route: routes.find((x) => !((x.conditions as Obj[] | undefined) ?? []).some((c) => 'header' in c)) };
}

describe('timeouts: whole seconds only, as nginx parses them', () => {
  it('"120s" is invalid and nginx keeps 60 s; a number becomes the idle timeout', () => {
    const bad = run({ 'proxy-read-timeout': '120s' });
    expect(bad.verdict('proxy-read-timeout')).toMatchObject({ fidelity: 'invalid' });
    expect(bad.route?.timeoutPolicy).toEqual({ response: 'infinity', idle: '60s' });
    expect(run({ 'proxy-read-timeout': '300', 'proxy-send-timeout': '10' }).route?.timeoutPolicy).toEqual({ response: 'infinity', idle: '300s' });
    expect(run({ 'proxy-read-timeout': '0' }).route?.timeoutPolicy).toEqual({ response: 'infinity', idle: '60s' });
  });
});

describe('canary weights (nginx e2e: 0 → mainline, 100 → canary, totals up to 100 count as 100)', () => {
  const canary = (ann: Record<string, string>) => {
    const text = [
      { name: 'main', ann: {}, svc: 'stable' },
      { name: 'canary', ann: { canary: 'true', ...ann }, svc: 'next' },
    ]
      .map((d) =>
        yaml.dump({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: d.name, namespace: 'n', annotations: Object.fromEntries(Object.entries(d.ann).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v])) },
          spec: { ingressClassName: 'nginx', rules: [{ host: 'c.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: d.svc, port: { number: 80 } } } }] } }] },
        }),
      )
      .join('---\n');
    const r = convertYaml(text, { target: 'httpproxy' });
    const routes = (r.objects.find((o) => !o.spec.virtualhost)?.spec.routes ?? []) as Obj[];
    return { r, services: routes.map((x) => (x.services as Obj[]).map((s) => `${String(s.name)}:${String(s.weight ?? '-')}`).join(',')) };
  };
  it.each([
    [{ 'canary-weight': '0' }, ['stable:-']],
    [{ 'canary-weight': '100' }, ['next:-']],
    [{ 'canary-weight': '50' }, ['stable:50,next:50']],
    [{ 'canary-weight': '1000', 'canary-weight-total': '1000' }, ['next:-']],
    [{ 'canary-weight': '100', 'canary-weight-total': '200' }, ['stable:100,next:100']],
    [{ 'canary-weight': '30', 'canary-weight-total': '50' }, ['stable:70,next:30']],
    [{ 'canary-weight': '150' }, ['next:-']],
  ])('%j', (ann, expected) => {
    expect(canary(ann).services).toEqual(expected);
  });
  it('header always/never route before the weights; anything else falls through', () => {
    expect(canary({ 'canary-by-header': 'X-C' }).services).toEqual(['next:-', 'stable:-', 'stable:-']);
  });
});

describe('one transform at a time', () => {
  it('backend-protocol: case-insensitive; AUTO_HTTP approximate; junk falls back to HTTP', () => {
    expect(run({ 'backend-protocol': 'https' }).route?.services).toEqual([{ name: 's', port: 80, protocol: 'tls' }]);
    expect(run({ 'backend-protocol': 'GRPCS' }).route?.services).toEqual([{ name: 's', port: 80, protocol: 'h2' }]);
    expect(run({ 'backend-protocol': 'AUTO_HTTP' }).verdict('backend-protocol')?.fidelity).toBe('approximate');
    const junk = run({ 'backend-protocol': 'SPDY' });
    expect(junk.verdict('backend-protocol')?.fidelity).toBe('invalid');
    expect(junk.route?.services).toEqual([{ name: 's', port: 80 }]);
  });

  it('use-regex / ssl-redirect / affinity with values nginx does not parse keep nginx defaults', () => {
    expect(run({ 'use-regex': 'yes' }).verdict('use-regex')?.fidelity).toBe('invalid');
    expect(run({ 'ssl-redirect': 'nope' }, {}, { tls: true }).route?.permitInsecure).toBeUndefined();
    expect(run({ 'ssl-redirect': 'false' }, {}, { tls: true }).route?.permitInsecure).toBe(true);
    expect(run({ affinity: 'ip' }).route?.loadBalancerPolicy).toBeUndefined();
  });

  it('force-ssl-redirect on a host without TLS: redirect when X-Forwarded-Proto is not https', () => {
    const { routes } = run({ 'force-ssl-redirect': 'true' });
    const redirect = routes.find((x) => x.requestRedirectPolicy);
    expect(redirect?.requestRedirectPolicy).toEqual({ scheme: 'https', statusCode: 308 });
    expect(redirect?.conditions).toContainEqual({ header: { name: 'X-Forwarded-Proto', notexact: 'https', treatMissingAsEmpty: true } });
    expect(run({ 'force-ssl-redirect': 'true' }, { contourVersion: '1.20' }).routes.find((x) => x.requestRedirectPolicy)?.requestRedirectPolicy).toEqual({ scheme: 'https', statusCode: 301 });
    expect(run({ 'force-ssl-redirect': 'true' }, {}, { tls: true }).routes.some((x) => x.requestRedirectPolicy)).toBe(false);
  });

  it('app-root must be a path; upstream-vhost must be a host name (nginx refuses the Ingress otherwise)', () => {
    expect(run({ 'app-root': 'https://elsewhere.example/' }).verdict('app-root')?.fidelity).toBe('invalid');
    const vhost = run({ 'upstream-vhost': 'a b' });
    expect(vhost.verdict('upstream-vhost')).toMatchObject({ fidelity: 'invalid', severity: 'error' });
    expect(vhost.r.objects).toEqual([]);
  });

  it('server-alias: wildcard names need Contour 1.20; regex names are refused', () => {
    const old = run({ 'server-alias': '*.alias.example.com' }, { contourVersion: '1.18' });
    expect(old.verdict('server-alias')?.fidelity).toBe('unsupported');
    expect(
      run({ 'server-alias': '*.alias.example.com' })
        .r.objects.filter((o) => o.spec.virtualhost)
        .map((o) => (o.spec.virtualhost as Obj).fqdn),
    ).toEqual(['h.example.com', '*.alias.example.com']);
  });

  it('ssl-passthrough needs a / path for its TCP backend', () => {
    const noSlash = run({ 'ssl-passthrough': 'true' });
    expect(noSlash.r.findings.some((f) => f.message.includes('ssl-passthrough on h.example.com needs a / path'))).toBe(true);
    const withSlash = run({ 'ssl-passthrough': 'true' }, {}, { path: '/' });
    expect((withSlash.root?.spec.virtualhost as Obj).tls).toEqual({ passthrough: true });
  });

  it('allow lists: only invalid entries → 503 for these paths (nginx fails closed)', () => {
    const r = run({ 'whitelist-source-range': 'not-an-ip' });
    expect(r.routes.every((x) => (x.directResponsePolicy as Obj | undefined)?.statusCode === 503)).toBe(true);
    expect(run({ 'whitelist-source-range': 'not-an-ip' }, { contourVersion: '1.20' }).r.objects.filter((o) => !o.spec.virtualhost)).toEqual([]);
  });

  it('load-balance and upstream-hash-by', () => {
    expect(run({ 'load-balance': 'ewma' }).route?.loadBalancerPolicy).toEqual({ strategy: 'WeightedLeastRequest' });
    expect(run({ 'load-balance': 'round_robin' }).verdict('load-balance')?.fidelity).toBe('exact');
    expect(run({ 'load-balance': 'chash' }).verdict('load-balance')?.fidelity).toBe('unsupported');
    expect(run({ 'upstream-hash-by': '$request_uri' }).route?.loadBalancerPolicy).toBeUndefined();
    expect(run({ 'upstream-hash-by': '$arg_user' }, { contourVersion: '1.20' }).verdict('upstream-hash-by')?.fidelity).toBe('unsupported');
    expect(run({ affinity: 'cookie', 'load-balance': 'ewma' }).route?.loadBalancerPolicy).toEqual({ strategy: 'Cookie' });
  });

  it("CORS: ignored without enable-cors; defaults are nginx's", () => {
    expect(run({ 'cors-allow-origin': 'https://a.example' }).verdict('cors-allow-origin')?.findingId).toBe('annotation.ignored');
    const cors = (run({ 'enable-cors': 'true' }).root?.spec.virtualhost as Obj).corsPolicy as Obj;
    expect(cors).toMatchObject({ allowOrigin: ['*'], allowCredentials: false, maxAge: '1728000s' });
    expect(cors.allowMethods).toEqual(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']);
    expect((run({ 'enable-cors': 'true', 'cors-allow-origin': 'https://a.example, *' }).root?.spec.virtualhost as Obj).corsPolicy).toMatchObject({ allowOrigin: ['*'] });
  });

  it('rate limits: 0 means no limit; rps with multiplier', () => {
    expect(run({ 'limit-rps': '0' }).route?.rateLimitPolicy).toBeUndefined();
    expect(run({ 'limit-rps': '5', 'limit-burst-multiplier': '2' }).route?.rateLimitPolicy).toEqual({ local: { requests: 5, unit: 'second', burst: 10, responseStatusCode: 503 } });
    expect(run({ 'limit-rpm': '60' }, { contourVersion: '1.11' }).route?.rateLimitPolicy).toBeUndefined();
  });

  it('retries: off and tries 1 mean no retryPolicy; tries 0 is capped', () => {
    expect(run({ 'proxy-next-upstream': 'off' }).route?.retryPolicy).toBeUndefined();
    expect(run({ 'proxy-next-upstream-tries': '1' }).route?.retryPolicy).toBeUndefined();
    expect(run({ 'proxy-next-upstream-tries': '0' }).route?.retryPolicy).toMatchObject({ count: 10 });
    expect(run({ 'proxy-next-upstream': 'error bogus' }).verdict('proxy-next-upstream')?.fidelity).toBe('invalid');
  });

  it('mirror-target: only a Service of the namespace', () => {
    expect(run({ 'mirror-target': 'http://shadow.n.svc:8080' }).route?.services).toContainEqual({ name: 'shadow', port: 8080, mirror: true });
    expect(run({ 'mirror-target': 'https://vendor.example/in' }).verdict('mirror-target')?.fidelity).toBe('unsupported');
  });

  it('auth-url without --auth-extension is an error: the paths would lose authentication', () => {
    expect(run({ 'auth-url': 'https://auth.example/check' }, {}, { tls: true }).verdict('auth-url')).toMatchObject({ fidelity: 'unsupported', severity: 'error' });
    const ok = run({ 'auth-url': 'https://auth.example/check' }, { authExtension: { namespace: 'a', name: 'x' } }, { tls: true });
    expect((ok.root?.spec.virtualhost as Obj).authorization).toEqual({ extensionRef: { namespace: 'a', name: 'x' } });
  });

  it('client certificates and backend validation', () => {
    expect(run({ 'auth-tls-secret': 'n/ca', 'auth-tls-verify-client': 'off' }, {}, { tls: true }).verdict('auth-tls-secret')?.findingId).toBe('annotation.ignored');
    expect(((run({ 'auth-tls-secret': 'n/ca' }, {}, { tls: true }).root?.spec.virtualhost as Obj).tls as Obj).clientValidation).toEqual({ caSecret: 'n/ca' });
    // Too old a Contour for optional certificates: the version verdict names 1.24, and the certificate check is lost (an error).
    const old = run({ 'auth-tls-secret': 'n/ca', 'auth-tls-verify-client': 'optional' }, { contourVersion: '1.20' }, { tls: true });
    expect(old.verdict('auth-tls-verify-client')).toMatchObject({ findingId: 'annotation.version', needsContour: '1.24' });
    expect(old.verdict('auth-tls-secret')).toMatchObject({ fidelity: 'unsupported', severity: 'error' });
    expect(run({ 'proxy-ssl-verify': 'on' }).verdict('proxy-ssl-verify')).toMatchObject({ fidelity: 'unsupported', severity: 'error' });
    expect(run({ 'proxy-ssl-verify': 'on', 'proxy-ssl-secret': 'n/ca', 'backend-protocol': 'HTTPS' }).route?.services).toEqual([
      { name: 's', port: 80, protocol: 'tls', validation: { caSecret: 'ca', subjectName: 's.n.svc' } },
    ]);
  });

  it('x-forwarded-prefix only inside a rewrite', () => {
    expect(run({ 'x-forwarded-prefix': '/app' }).verdict('x-forwarded-prefix')?.findingId).toBe('annotation.ignored');
    const rw = run({ 'x-forwarded-prefix': '/app', 'rewrite-target': '/$2' }, {}, { path: '/app(/|$)(.*)' });
    expect(rw.route?.requestHeadersPolicy).toEqual({ set: [{ name: 'X-Forwarded-Prefix', value: '/app' }] });
  });
});
