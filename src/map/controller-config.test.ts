// resolveControllerConfig: nginx's parsing rules for flags and ConfigMap keys, one verdict per key,
// and what the settings change in a conversion.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { convertYaml, type TestOptions } from '../../test/support/convert.js';
import { NGINX_SETTINGS_DEFAULT, type ControllerConfig } from '../model/controller.js';
import { Capabilities, parseContourVersion } from '../model/contour.js';
import { ControllerCatalogue, loadControllerCatalogue, parseControllerFile } from './controller-catalogue.js';
import { parseControllerArgs, resolveControllerConfig, routeDefaults } from './controller-config.js';

type Obj = Record<string, unknown>;
const catalogue = loadControllerCatalogue();

const controller = (configMap: Record<string, string>, args: Record<string, string> = { 'ingress-class': 'nginx' }): ControllerConfig => ({
  source: 'deployment ingress-nginx/ingress-nginx-controller',
  ingressClasses: ['nginx'],
  args,
  configMap,
  configMapSource: 'ingress-nginx/ingress-nginx-controller',
});

const resolve = (configMap: Record<string, string>, args?: Record<string, string>) => resolveControllerConfig(controller(configMap, args), catalogue);

describe('resolveControllerConfig: values as nginx parses them', () => {
  it.each([
    ['ssl-redirect', 'false', { sslRedirect: false }],
    ['ssl-redirect', 'F', { sslRedirect: false }],
    ['ssl-redirect', '0', { sslRedirect: false }],
    ['force-ssl-redirect', 'TRUE', { forceSslRedirect: true }],
    ['http-redirect-code', '301', { httpRedirectCode: 301 }],
    ['proxy-read-timeout', '120', { proxyReadTimeout: 120 }],
    ['proxy-send-timeout', '0', { proxySendTimeout: 0 }],
    ['proxy-connect-timeout', '10', { proxyConnectTimeout: 10 }],
    ['proxy-body-size', '8m', { proxyBodySize: '8m' }],
    ['proxy-next-upstream', 'error timeout http_502', { proxyNextUpstream: ['error', 'timeout', 'http_502'] }],
    ['proxy-next-upstream-tries', '5', { proxyNextUpstreamTries: 5 }],
    ['load-balance', 'ewma', { loadBalance: 'ewma' }],
    ['upstream-hash-by', '$remote_addr', { upstreamHashBy: '$remote_addr' }],
    ['use-forwarded-headers', 'true', { useForwardedHeaders: true }],
    ['use-proxy-protocol', 'true', { useProxyProtocol: true }],
    ['enable-real-ip', 'true', { enableRealIp: true }],
    ['forwarded-for-header', 'X-Real-Client', { forwardedForHeader: 'X-Real-Client' }],
    ['proxy-real-ip-cidr', '10.0.0.0/8, 192.168.0.1', { proxyRealIpCidr: ['10.0.0.0/8', '192.168.0.1'] }],
    ['whitelist-source-range', '10.0.0.0/8,172.16.0.0/12', { allowlistSourceRange: ['10.0.0.0/8', '172.16.0.0/12'] }],
    ['denylist-source-range', '1.2.3.4', { denylistSourceRange: ['1.2.3.4'] }],
    ['block-cidrs', '5.6.7.0/24', { blockCidrs: ['5.6.7.0/24'] }],
    ['allow-snippet-annotations', 'true', { allowSnippetAnnotations: true }],
    ['annotations-risk-level', 'Critical', { annotationsRiskLevel: 'Critical' }],
    ['strict-validate-path-type', 'false', { strictValidatePathType: false }],
    ['custom-http-errors', '404,503', { customHttpErrors: [404, 503] }],
    ['no-tls-redirect-locations', '/.well-known/acme-challenge,/health', { noTlsRedirectLocations: ['/.well-known/acme-challenge', '/health'] }],
    ['global-auth-url', 'http://auth.auth.svc/check', { globalAuthUrl: 'http://auth.auth.svc/check' }],
    ['annotation-value-word-blocklist', 'load_module,lua_package', { annotationValueWordBlocklist: ['load_module', 'lua_package'] }],
  ] as const)('%s: %s is applied', (key, value, expected) => {
    const r = resolve({ [key]: value });
    expect(r.settings).toMatchObject(expected);
    expect(r.findings.map((f) => [f.id, f.data.key, f.data.verdict])).toContainEqual(['controller.setting', key, 'applied']);
  });

  it("cluster-wide keys land in the settings for Contour's configuration", () => {
    const r = resolve({ 'ssl-protocols': 'TLSv1.3', 'ssl-ciphers': 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(r.settings).toMatchObject({ sslProtocols: ['TLSv1.3'], sslCiphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(r.findings.filter((f) => f.data.key === 'ssl-protocols').map((f) => f.data.verdict)).toEqual(['contour-config']);
  });

  it('HSTS keys land in the nested setting', () => {
    expect(resolve({ hsts: 'false', 'hsts-max-age': '600', 'hsts-preload': 'true', 'hsts-include-subdomains': 'false' }).settings.hsts).toEqual({
      enabled: false,
      maxAge: 600,
      includeSubdomains: false,
      preload: true,
    });
  });

  it.each([
    ['ssl-redirect', 'yes', 'sslRedirect'],
    ['proxy-read-timeout', '120s', 'proxyReadTimeout'],
    ['proxy-next-upstream-tries', 'three', 'proxyNextUpstreamTries'],
    ['proxy-next-upstream', 'error sometimes', 'proxyNextUpstream'],
    ['http-redirect-code', '303', 'httpRedirectCode'],
    ['load-balance', 'least_conn', 'loadBalance'],
    ['proxy-body-size', '1 m', 'proxyBodySize'],
    ['annotations-risk-level', 'high', 'annotationsRiskLevel'],
    ['proxy-real-ip-cidr', 'not-a-cidr', 'proxyRealIpCidr'],
  ] as const)('%s: %s is invalid and nginx keeps its default', (key, value, field) => {
    const r = resolve({ [key]: value });
    expect(r.settings[field]).toEqual(NGINX_SETTINGS_DEFAULT[field]);
    const f = r.findings.find((x) => x.data.key === key);
    expect(f).toMatchObject({ id: 'controller.invalid-value', severity: 'warn', subject: { source: 'ConfigMap ingress-nginx/ingress-nginx-controller' } });
  });

  it('custom-http-errors: nginx skips the entries that are not integers and keeps the rest', () => {
    const r = resolve({ 'custom-http-errors': '404,x,503' });
    expect(r.settings.customHttpErrors).toEqual([404, 503]);
    expect(r.findings.find((f) => f.data.key === 'custom-http-errors')?.id).toBe('controller.invalid-value');
  });

  it('a global access list nginx cannot load fails closed for every route (error)', () => {
    const r = resolve({ 'whitelist-source-range': '10.0.0.0/8,nope' });
    expect(r.settings.denyAllReason).toBeDefined();
    expect(r.settings.allowlistSourceRange).toEqual([]);
    expect(r.findings.find((f) => f.data.key === 'whitelist-source-range')).toMatchObject({ id: 'controller.invalid-value', severity: 'error' });
  });

  it('every key and flag gets exactly one finding naming its source; unknown ones warn', () => {
    const cm = { 'ssl-redirect': 'false', 'use-gzip': 'true', 'worker-processes': '4', 'ssl-redirekt': 'false', 'hsts-max-age': 'x' };
    const args = { 'ingress-class': 'internal', 'enable-ssl-passthrough': 'true', 'made-up-flag': 'true' };
    const r = resolve(cm, args);
    for (const key of Object.keys(cm))
      expect(
        r.findings.filter((f) => f.data.key === key && f.subject.source?.startsWith('ConfigMap ')),
        key,
      ).toHaveLength(1);
    for (const flag of Object.keys(args))
      expect(
        r.findings.filter((f) => f.data.key === `--${flag}` && f.subject.source === 'flags of deployment ingress-nginx/ingress-nginx-controller'),
        flag,
      ).toHaveLength(1);
    const byKey = (k: string) => r.findings.find((f) => f.data.key === k);
    expect(byKey('ssl-redirekt')).toMatchObject({ id: 'controller.unknown-key', severity: 'warn' });
    expect(byKey('--made-up-flag')).toMatchObject({ id: 'controller.unknown-key', severity: 'warn' });
    expect(byKey('use-gzip')).toMatchObject({ id: 'controller.setting', severity: 'warn', fidelity: 'unsupported', data: { verdict: 'unsupported' } });
    expect(byKey('worker-processes')).toMatchObject({ id: 'controller.setting', severity: 'info', data: { verdict: 'no-effect' } });
    expect(r.settings.ingressClass).toBe('internal');
    expect(r.settings.enableSslPassthrough).toBe(true);
  });

  it('a value equal to nginx default is info even for an unsupported key', () => {
    expect(resolve({ 'use-gzip': 'false' }).findings.find((f) => f.data.key === 'use-gzip')).toMatchObject({ severity: 'info' });
  });

  it('flags: namespace/name references; a malformed one is an error (the controller would not start)', () => {
    const ok = resolve({}, { 'default-ssl-certificate': 'ingress-nginx/wildcard', 'default-backend-service': 'ingress-nginx/errors', 'watch-namespace': 'a,b' });
    expect(ok.settings.defaultSslCertificate).toEqual({ namespace: 'ingress-nginx', name: 'wildcard' });
    expect(ok.settings.defaultBackendService).toEqual({ namespace: 'ingress-nginx', name: 'errors' });
    expect(ok.settings.watchNamespaces).toEqual(['a', 'b']);
    const bad = resolve({}, { 'default-ssl-certificate': 'wildcard' });
    expect(bad.settings.defaultSslCertificate).toBeUndefined();
    expect(bad.findings.find((f) => f.data.key === '--default-ssl-certificate')).toMatchObject({ id: 'controller.invalid-value', severity: 'error' });
  });

  it('no controller: one info finding; gated annotations are taken as enabled', () => {
    const r = resolveControllerConfig(undefined, catalogue);
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['controller.defaults-assumed', 'info']]);
    expect(r.settings).toMatchObject({ enableSslPassthrough: true, allowSnippetAnnotations: true, annotationsRiskLevel: 'Critical', strictValidatePathType: false, sslRedirect: true });
  });

  it('a ConfigMap without flags: flag defaults assumed (info), ConfigMap defaults are nginx v1.12+', () => {
    const r = resolveControllerConfig({ ...controller({ 'ssl-redirect': 'true' }), args: {} }, catalogue);
    expect(r.findings.filter((f) => f.id === 'controller.defaults-assumed')).toHaveLength(1);
    expect(r.settings).toMatchObject({ enableSslPassthrough: true, strictValidatePathType: true, annotationsRiskLevel: 'High', allowSnippetAnnotations: false });
  });

  it('flags without --configmap: the controller has no ConfigMap, so nginx v1.12+ defaults hold and nothing is assumed', () => {
    const r = resolveControllerConfig({ source: 'deployment ingress-nginx/c', ingressClasses: ['nginx'], args: { 'ingress-class': 'nginx' }, configMap: {} }, catalogue);
    expect(r.findings.filter((f) => f.id === 'controller.defaults-assumed')).toEqual([]);
    expect(r.settings).toMatchObject({ annotationsRiskLevel: 'High', allowSnippetAnnotations: false, strictValidatePathType: true });
  });

  it('a ConfigMap that could not be read is unknown, not empty: the permissive assumptions, said once', () => {
    const base = { source: 'deployment ingress-nginx/c', ingressClasses: ['nginx'], args: { configmap: 'ingress-nginx/c' }, configMap: {}, configMapSource: 'ingress-nginx/c' };
    const unknown = resolveControllerConfig({ ...base, configMapUnknown: true }, catalogue);
    expect(unknown.findings.filter((f) => f.id === 'controller.defaults-assumed')).toHaveLength(1);
    expect(unknown.settings).toMatchObject({ allowSnippetAnnotations: true, annotationsRiskLevel: 'Critical', strictValidatePathType: false });
    const empty = resolveControllerConfig(base, catalogue);
    expect(empty.findings.filter((f) => f.id === 'controller.defaults-assumed')).toEqual([]);
    expect(empty.settings).toMatchObject({ allowSnippetAnnotations: false, annotationsRiskLevel: 'High' });
  });
});

describe('parseControllerArgs', () => {
  it.each([
    ['/nginx-ingress-controller --ingress-class=internal --watch-ingress-without-class', { 'ingress-class': 'internal', 'watch-ingress-without-class': 'true' }],
    ['--enable-ssl-passthrough --configmap ingress-nginx/cm', { 'enable-ssl-passthrough': 'true', configmap: 'ingress-nginx/cm' }],
    ['--enable-ssl-passthrough=false -v 2', { 'enable-ssl-passthrough': 'false', v: '2' }],
    [`--annotations-prefix "custom.io" --default-ssl-certificate='ns/a b'`, { 'annotations-prefix': 'custom.io', 'default-ssl-certificate': 'ns/a b' }],
    // A bool flag never takes the next word (Go's flag package).
    ['--watch-ingress-without-class true', undefined],
  ])('%s', (text, expected) => {
    const r = parseControllerArgs(text, catalogue);
    if (expected) expect(r).toEqual({ args: expected });
    else expect(r).toHaveProperty('error');
  });

  it('refuses an unterminated quote with one line', () => {
    expect(parseControllerArgs('--ingress-class "x', catalogue)).toEqual({ error: 'unterminated " quote' });
  });
});

describe('controller catalogue', () => {
  it('covers the keys that change a request answer, each landing in an NginxSettings field', () => {
    const keys = [
      'ssl-redirect',
      'force-ssl-redirect',
      'http-redirect-code',
      'no-tls-redirect-locations',
      'hsts',
      'proxy-connect-timeout',
      'proxy-read-timeout',
      'proxy-send-timeout',
      'proxy-body-size',
      'proxy-next-upstream',
      'proxy-next-upstream-tries',
      'load-balance',
      'upstream-hash-by',
      'whitelist-source-range',
      'denylist-source-range',
      'use-forwarded-headers',
      'use-proxy-protocol',
      'enable-real-ip',
      'forwarded-for-header',
      'proxy-real-ip-cidr',
      'allow-snippet-annotations',
      'annotations-risk-level',
      'strict-validate-path-type',
      'global-auth-url',
      'custom-http-errors',
    ];
    for (const k of keys) {
      const entry = catalogue.configMapKey(k);
      expect(entry?.verdict, k).toBe('applied');
      const field = entry?.setting?.split('.')[0] ?? '';
      expect(
        field in NGINX_SETTINGS_DEFAULT || ['upstreamHashBy', 'globalAuthUrl', 'sslCiphers', 'logFormatUpstream', 'defaultSslCertificate', 'defaultBackendService'].includes(field),
        `${k} → ${field}`,
      ).toBe(true);
    }
    expect(catalogue.configMapEntries().length).toBeGreaterThan(150);
    for (const f of [
      'ingress-class',
      'controller-class',
      'watch-ingress-without-class',
      'annotations-prefix',
      'enable-ssl-passthrough',
      'default-ssl-certificate',
      'default-backend-service',
      'configmap',
    ])
      expect(catalogue.flag(f), f).toBeDefined();
  });

  it('every default parses by its own type (the catalogue agrees with itself)', () => {
    for (const e of catalogue.configMapEntries()) {
      if (e.default === '') continue;
      const r = resolve({ [e.key]: e.default }).findings.filter((f) => f.data.key === e.key);
      expect(
        r.map((f) => [f.id, f.severity]),
        e.key,
      ).toEqual([['controller.setting', 'info']]);
    }
  });

  it('a broken entry fails at load with a line naming the file, the key and the field', () => {
    const text = yaml.dump({ kind: 'configmap', entries: [{ key: 'x', type: 'bool', default: 'true', verdict: 'maybe', severity: 'info', nginx: 'n', message: 'm' }] });
    expect(() => parseControllerFile(text, 'broken.yaml')).toThrow('mappings/controller/broken.yaml: entry 1 (x): verdict must be one of');
    const dup = parseControllerFile(yaml.dump({ kind: 'flags', entries: [{ key: 'a', type: 'bool', default: '', verdict: 'no-effect', severity: 'info', nginx: 'n', message: 'm' }] }), 'f.yaml');
    expect(() => new ControllerCatalogue([dup, dup])).toThrow('duplicate key a');
  });
});

describe('routeDefaults', () => {
  const caps = new Capabilities('httpproxy', parseContourVersion('1.33')!);
  it('untouched settings give the emitters their nginx defaults', () => {
    expect(routeDefaults(NGINX_SETTINGS_DEFAULT, caps)).toEqual({ timeouts: { response: 'infinity', idle: '60s' }, retry: { count: 2, retryOn: ['connect-failure', 'refused-stream'] } });
  });
  it('timeouts and retries follow the ConfigMap', () => {
    const s = { ...NGINX_SETTINGS_DEFAULT, proxyReadTimeout: 300, proxyNextUpstream: ['error', 'http_503'], proxyNextUpstreamTries: 4 };
    expect(routeDefaults(s, caps)).toEqual({ timeouts: { response: 'infinity', idle: '300s' }, retry: { count: 3, retryOn: ['connect-failure', 'gateway-error', 'refused-stream', 'reset'] } });
    expect(routeDefaults({ ...NGINX_SETTINGS_DEFAULT, proxyNextUpstream: ['off'] }, caps).retry).toEqual({ count: -1 });
  });
});

describe('conversion under controller settings', () => {
  const ingress = (o: { name?: string; annotations?: Record<string, string>; path?: string; pathType?: string; tls?: boolean; secret?: boolean; cls?: string | null } = {}) =>
    yaml.dump({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: o.name ?? 'i', namespace: 'n', annotations: Object.fromEntries(Object.entries(o.annotations ?? {}).map(([k, v]) => [`nginx.ingress.kubernetes.io/${k}`, v])) },
      spec: {
        ...(o.cls === null ? {} : { ingressClassName: o.cls ?? 'nginx' }),
        ...(o.tls ? { tls: [{ hosts: ['h.example.com'], ...(o.secret === false ? {} : { secretName: 'cert' }) }] } : {}),
        rules: [{ host: 'h.example.com', http: { paths: [{ path: o.path ?? '/app', pathType: o.pathType ?? 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
      },
    });
  const run = (text: string, cm: Record<string, string>, args?: Record<string, string>, opts: TestOptions = {}) => {
    const r = convertYaml(text, { controller: controller(cm, args), ...opts });
    const routes = (r.objects.find((o) => o.kind === 'HTTPProxy' && !o.spec.virtualhost)?.spec.routes ?? []) as Obj[];
    return { r, routes, ids: r.findings.map((f) => f.id) };
  };

  it('ssl-redirect "false": routes of TLS hosts are also served over HTTP; the annotation still wins', () => {
    expect(run(ingress({ tls: true }), { 'ssl-redirect': 'false' }).routes[0]?.permitInsecure).toBe(true);
    expect(run(ingress({ tls: true, annotations: { 'ssl-redirect': 'true' } }), { 'ssl-redirect': 'false' }).routes[0]?.permitInsecure).toBeUndefined();
    expect(run(ingress({ tls: true }), {}).routes[0]?.permitInsecure).toBeUndefined();
  });

  it('proxy-read-timeout: the idle timeout of routes without the annotation (both targets)', () => {
    expect(run(ingress(), { 'proxy-read-timeout': '300' }).routes[0]?.timeoutPolicy).toEqual({ response: 'infinity', idle: '300s' });
    expect(run(ingress({ annotations: { 'proxy-read-timeout': '10' } }), { 'proxy-read-timeout': '300' }).routes[0]?.timeoutPolicy).toEqual({ response: 'infinity', idle: '60s' });
    const ir = convertYaml(ingress(), { target: 'ingressroute', controller: controller({ 'proxy-read-timeout': '300' }) });
    const irRoutes = ir.objects.flatMap((o) => (o.spec.routes ?? []) as Obj[]).filter((x) => x.services);
    expect(irRoutes[0]?.timeoutPolicy).toEqual({ request: '300s' });
  });

  it('use-forwarded-headers: IP lists check the forwarded address (source Remote) and the trusted hops are named', () => {
    const r = run(ingress({ annotations: { 'whitelist-source-range': '10.0.0.0/8' } }), { 'use-forwarded-headers': 'true' });
    expect(r.routes[0]?.ipAllowPolicy).toEqual([{ source: 'Remote', cidr: '10.0.0.0/8' }]);
    expect(r.r.findings.find((f) => f.id === 'controller.trusted-hops')).toMatchObject({ severity: 'warn', subject: { ingresses: ['n/i'] } });
    const plain = run(ingress({ annotations: { 'whitelist-source-range': '10.0.0.0/8' } }), {});
    expect(plain.routes[0]?.ipAllowPolicy).toEqual([{ source: 'Peer', cidr: '10.0.0.0/8' }]);
    expect(plain.ids).not.toContain('controller.trusted-hops');
  });

  it('global allow-list: every Ingress without its own list; where the target cannot filter, the routes are denied', () => {
    expect(run(ingress(), { 'whitelist-source-range': '10.0.0.0/8' }).routes[0]?.ipAllowPolicy).toEqual([{ source: 'Peer', cidr: '10.0.0.0/8' }]);
    expect(run(ingress({ annotations: { 'whitelist-source-range': '192.168.0.0/16' } }), { 'whitelist-source-range': '10.0.0.0/8' }).routes[0]?.ipAllowPolicy).toEqual([
      { source: 'Peer', cidr: '192.168.0.0/16' },
    ]);
    const old = run(ingress(), { 'whitelist-source-range': '10.0.0.0/8' }, undefined, { contourVersion: '1.24' });
    expect(old.routes[0]).toMatchObject({ directResponsePolicy: { statusCode: 403 } });
    expect(old.r.findings.find((f) => f.id === 'security.route-denied')?.data.control).toContain('whitelist-source-range');
    const ir = convertYaml(ingress(), { target: 'ingressroute', controller: controller({ 'whitelist-source-range': '10.0.0.0/8' }) });
    expect(ir.objects.filter((o) => o.kind === 'IngressRoute')).toEqual([]);
    expect(ir.findings.map((f) => f.id)).toContain('security.host-withheld');
  });

  it('block-cidrs are denied on every route; an unloadable list denies everything (503)', () => {
    expect(run(ingress(), { 'block-cidrs': '5.6.7.0/24' }).routes[0]?.ipDenyPolicy).toEqual([{ source: 'Peer', cidr: '5.6.7.0/24' }]);
    expect(run(ingress(), { 'block-cidrs': 'x' }).routes[0]).toMatchObject({ directResponsePolicy: { statusCode: 503 } });
  });

  it('global-auth-url: without --auth-extension the routes are denied; enable-global-auth "false" opts out', () => {
    const denied = run(ingress({ tls: true }), { 'global-auth-url': 'http://auth.example/check' });
    expect(denied.routes[0]).toMatchObject({ directResponsePolicy: { statusCode: 403 } });
    expect(denied.ids).toContain('security.route-denied');
    const optOut = run(ingress({ tls: true, annotations: { 'enable-global-auth': 'false' } }), { 'global-auth-url': 'http://auth.example/check' });
    expect(optOut.routes[0]?.directResponsePolicy).toBeUndefined();
    const ext = convertYaml(ingress({ tls: true }), { controller: controller({ 'global-auth-url': 'http://auth.example/check' }), authExtension: { namespace: 'auth', name: 'ext' } });
    const root = ext.objects.find((o) => o.spec.virtualhost);
    expect((root?.spec.virtualhost as Obj).authorization).toMatchObject({ extensionRef: { namespace: 'auth', name: 'ext' } });
  });

  it('snippets: nginx refuses the Ingress below the Critical risk level, strips them when not allowed', () => {
    const snippet = ingress({ annotations: { 'configuration-snippet': 'more_set_headers "A: b";' } });
    const high = run(snippet, {});
    expect(high.r.objects).toEqual([]);
    expect(high.r.findings.find((f) => f.id === 'controller.not-loaded')).toMatchObject({ subject: { ingresses: ['n/i'] } });
    const stripped = run(snippet, { 'annotations-risk-level': 'Critical' });
    expect(stripped.r.objects.length).toBeGreaterThan(0);
    expect(stripped.r.mapped[0]?.verdicts.find((v) => v.key === 'configuration-snippet')?.findingId).toBe('annotation.ignored');
    const allowed = run(snippet, { 'annotations-risk-level': 'Critical', 'allow-snippet-annotations': 'true' });
    expect(allowed.r.mapped[0]?.verdicts.find((v) => v.key === 'configuration-snippet')?.findingId).toBe('annotation.snippet');
  });

  it('strict-validate-path-type: a regex-like Prefix path is named (the webhook refuses it) and converted as nginx serves it', () => {
    const text = ingress({ path: '/api/v[0-9]+' });
    const strict = run(text, {});
    expect(strict.r.findings.find((f) => f.id === 'controller.strict-path-type')).toMatchObject({ severity: 'warn', subject: { ingresses: ['n/i'], path: '/api/v[0-9]+' } });
    expect(strict.r.objects.length).toBeGreaterThan(0);
    expect(run(text, { 'strict-validate-path-type': 'false' }).ids).not.toContain('controller.strict-path-type');
    expect(run(ingress({ path: '/api/v[0-9]+', pathType: 'ImplementationSpecific' }), {}).ids).not.toContain('controller.strict-path-type');
  });

  it('--default-ssl-certificate: a TLS host without secretName gets it, delegated', () => {
    const r = run(ingress({ tls: true, secret: false }), {}, { 'default-ssl-certificate': 'ingress-nginx/wild' });
    const root = r.r.objects.find((o) => o.spec.virtualhost);
    expect((root?.spec.virtualhost as Obj).tls).toEqual({ secretName: 'ingress-nginx/wild' });
    expect(r.r.objects.some((o) => o.kind === 'TLSCertificateDelegation' && o.metadata.namespace === 'ingress-nginx')).toBe(true);
    expect(r.ids).toContain('tls.default-certificate');
    expect(run(ingress({ tls: true, secret: false }), {}).ids).toContain('tls.no-secret');
  });

  it('--watch-ingress-without-class, --ingress-class and --watch-namespace decide which Ingresses are served', () => {
    const classless = ingress({ cls: null });
    expect(convertYaml(classless, { includeClassless: false, controller: controller({}) }).objects).toEqual([]);
    expect(convertYaml(classless, { includeClassless: false, controller: controller({}, { 'watch-ingress-without-class': 'true' }) }).objects.length).toBeGreaterThan(0);
    expect(convertYaml(ingress({ cls: 'internal' }), { controller: controller({}, { 'ingress-class': 'internal' }) }).objects.length).toBeGreaterThan(0);
    expect(convertYaml(ingress(), { controller: controller({}, { 'ingress-class': 'internal' }) }).objects).toEqual([]);
    expect(convertYaml(ingress(), { controller: controller({}, { 'watch-namespace': 'other' }) }).skipped).toEqual([
      { ingress: 'n/i', reason: 'namespace not watched by the controller (--watch-namespace)' },
    ]);
  });

  it('ssl-passthrough is ignored without --enable-ssl-passthrough, as nginx does', () => {
    const text = ingress({ tls: true, annotations: { 'ssl-passthrough': 'true' }, path: '/' });
    const off = run(text, {}, { 'ingress-class': 'nginx' });
    expect(off.r.mapped[0]?.verdicts.find((v) => v.key === 'ssl-passthrough')?.findingId).toBe('annotation.ignored');
    expect(off.r.objects.some((o) => o.spec.tcpproxy)).toBe(false);
    const on = run(text, {}, { 'enable-ssl-passthrough': 'true' });
    expect((on.r.objects.find((o) => o.spec.virtualhost)?.spec.virtualhost as Obj).tls).toEqual({ passthrough: true });
  });

  it('load-balance / upstream-hash-by: the balancing of every Ingress without its own annotation', () => {
    expect(run(ingress(), { 'load-balance': 'ewma' }).routes[0]?.loadBalancerPolicy).toEqual({ strategy: 'WeightedLeastRequest' });
    expect(run(ingress({ annotations: { 'load-balance': 'round_robin' } }), { 'load-balance': 'ewma' }).routes[0]?.loadBalancerPolicy).toEqual({ strategy: 'RoundRobin' });
    expect(run(ingress(), { 'upstream-hash-by': '$remote_addr' }).routes[0]?.loadBalancerPolicy).toEqual({ strategy: 'RequestHash', requestHashPolicies: [{ hashSourceIP: true }] });
    expect(run(ingress(), {}).routes[0]?.loadBalancerPolicy).toBeUndefined();
  });

  it('proxy-body-size: the report names the limit the controller applied ("0" is no limit, like Contour)', () => {
    const data = (cm: Record<string, string>) => run(ingress(), cm).r.findings.find((f) => f.id === 'route.nginx-defaults')?.data.bodyLimit;
    expect(data({ 'proxy-body-size': '8m' })).toContain('8m');
    expect(data({ 'proxy-body-size': '0' })).toBe('');
  });

  it('the result carries the settings used', () => {
    expect(run(ingress(), { 'proxy-read-timeout': '5' }).r.settings.proxyReadTimeout).toBe(5);
  });
});
