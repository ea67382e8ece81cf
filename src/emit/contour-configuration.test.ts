import { describe, expect, it } from 'vitest';
import { parseContourVersion, type ContourVersion } from '../model/contour.js';
import { NGINX_SETTINGS_DEFAULT, type NginxSettings } from '../model/controller.js';
import { emitContourConfiguration, mapCiphers, translateLogFormat, type ContourConfigOptions } from './contour-configuration.js';

const v = (text: string): ContourVersion => parseContourVersion(text)!;
const run = (settings: Partial<NginxSettings>, opts: Partial<ContourConfigOptions> = {}) =>
  emitContourConfiguration({ ...NGINX_SETTINGS_DEFAULT, ...settings }, { contourVersion: v('1.33'), defaults: 'route', ...opts });
const ids = (r: ReturnType<typeof run>): string[] => r.findings.map((f) => `${f.severity} ${f.id}`);
const spec = (r: ReturnType<typeof run>): Record<string, unknown> => r.object!.spec;

// Contour 1.33.6, apis/projectcontour/v1alpha1/accesslog.go: the operators its validation accepts.
const CONTOUR_SIMPLE = new Set(
  'BYTES_RECEIVED BYTES_SENT DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT DOWNSTREAM_LOCAL_PORT DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT DOWNSTREAM_REMOTE_PORT DOWNSTREAM_TLS_CIPHER DOWNSTREAM_TLS_VERSION DOWNSTREAM_WIRE_BYTES_RECEIVED DOWNSTREAM_WIRE_BYTES_SENT DURATION HOSTNAME PROTOCOL REQUESTED_SERVER_NAME RESPONSE_CODE START_TIME UPSTREAM_CLUSTER UPSTREAM_HOST'.split(
    ' ',
  ),
);
const CONTOUR_COMPLEX = new Set(['ENVIRONMENT', 'METADATA', 'REQ', 'REQ_WITHOUT_QUERY', 'RESP', 'START_TIME', 'TRAILER']);
/** Contour's parseAccessLogFormatString, on the operators this tool emits. */
function contourAccepts(format: string): boolean {
  const re = /%(([A-Z_]+)(\([^)]+\)(:[0-9]+)?)?%)?/g;
  for (let m = re.exec(format); m !== null; m = re.exec(format)) {
    const op = m[2];
    if (!op) return false;
    if (m[3] ? !CONTOUR_COMPLEX.has(op) : !CONTOUR_SIMPLE.has(op)) return false;
  }
  return true;
}

describe('emitContourConfiguration', () => {
  it("nginx's defaults: TLS 1.2-1.3 with Contour's cipher list, connect 5s, no request timeout; nothing to warn about", () => {
    const r = run({});
    expect(r.object).toMatchObject({ apiVersion: 'projectcontour.io/v1alpha1', kind: 'ContourConfiguration', metadata: { namespace: 'projectcontour', name: 'contour' } });
    expect(spec(r)).toEqual({
      envoy: { listener: { tls: { minimumProtocolVersion: '1.2', maximumProtocolVersion: '1.3' } }, timeouts: { requestTimeout: 'infinity', connectTimeout: '5s' } },
    });
    expect(ids(r)).toEqual(['info contour-config.defaults', 'info contour-config.emitted']);
    expect(r.carried).toEqual({});
  });

  it('--defaults cluster carries the stream idle timeout (max of read/send) and says so as a warning', () => {
    const r = run({ proxyReadTimeout: 120, proxySendTimeout: 30 }, { defaults: 'cluster' });
    expect((spec(r).envoy as { timeouts: unknown }).timeouts).toEqual({ requestTimeout: 'infinity', streamIdleTimeout: '120s', connectTimeout: '5s' });
    expect(r.carried).toEqual({ idle: '120s' });
    const f = r.findings.find((x) => x.id === 'contour-config.defaults')!;
    expect(f).toMatchObject({ severity: 'warn', data: { mode: 'cluster' } });
  });

  it('--defaults cluster with read/send 0 (no limit) carries infinity', () => {
    expect(run({ proxyReadTimeout: 0, proxySendTimeout: 0 }, { defaults: 'cluster' }).carried).toEqual({ idle: 'infinity' });
  });

  it('--defaults cluster before Contour 1.7 carries nothing: routes keep their defaults', () => {
    const r = run({}, { defaults: 'cluster', contourVersion: v('1.5') });
    expect(r.carried).toEqual({});
    expect(r.object).toBeUndefined();
    expect(r.findings.find((x) => x.id === 'contour-config.defaults')).toMatchObject({ severity: 'info', data: { mode: 'cluster' } });
  });

  it.each([
    [['TLSv1.2'], { minimumProtocolVersion: '1.2', maximumProtocolVersion: '1.2' }, []],
    [['TLSv1.3'], { minimumProtocolVersion: '1.3', maximumProtocolVersion: '1.3' }, []],
    [['TLSv1', 'TLSv1.1', 'TLSv1.2'], { minimumProtocolVersion: '1.2', maximumProtocolVersion: '1.2' }, ['TLSv1', 'TLSv1.1']],
    [['SSLv3'], { minimumProtocolVersion: '1.2', maximumProtocolVersion: '1.3' }, ['SSLv3']],
  ])('ssl-protocols %j → %j, refused: %j', (protocols, tls, refused) => {
    const r = run({ sslProtocols: protocols });
    expect((spec(r).envoy as { listener: { tls: unknown } }).listener.tls).toEqual(tls);
    const f = r.findings.find((x) => x.id === 'contour-config.tls-protocols');
    if (refused.length === 0) expect(f).toBeUndefined();
    else expect(f).toMatchObject({ severity: 'warn', data: { protocols: refused } });
  });

  it('a maximum below 1.3 cannot be set before Contour 1.26: named', () => {
    const r = run({ sslProtocols: ['TLSv1.2'] }, { contourVersion: v('1.25') });
    expect((spec(r).envoy as { listener: { tls: unknown } }).listener.tls).toEqual({ minimumProtocolVersion: '1.2' });
    expect(r.findings.find((x) => x.id === 'contour-config.version')?.data.settings).toEqual(['the maximum TLS version 1.2 (Contour 1.26+)']);
  });

  it.each([
    ['ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384', ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384'], []],
    ['ecdhe-rsa-aes128-gcm-sha256:!aNULL:!MD5:+AES256', ['ECDHE-RSA-AES128-GCM-SHA256'], []],
    ['HIGH:DES-CBC3-SHA:ECDHE-RSA-AES128-SHA', ['ECDHE-RSA-AES128-SHA'], ['HIGH', 'DES-CBC3-SHA']],
    ['ECDHE-RSA-CHACHA20-POLY1305-OLD', ['ECDHE-RSA-CHACHA20-POLY1305'], []],
    ['DHE-RSA-AES128-GCM-SHA256', [], ['DHE-RSA-AES128-GCM-SHA256']],
  ])('ssl-ciphers %s → %j, unmapped %j', (list, ciphers, unmapped) => {
    expect(mapCiphers(list)).toMatchObject({ ciphers, unmapped });
  });

  it('mapped ciphers are set; unmapped ones are a warning; none mapped keeps the Contour list', () => {
    const some = run({ sslCiphers: 'HIGH:ECDHE-RSA-AES128-GCM-SHA256' });
    expect((spec(some).envoy as { listener: { tls: { cipherSuites: unknown } } }).listener.tls.cipherSuites).toEqual(['ECDHE-RSA-AES128-GCM-SHA256']);
    expect(some.findings.find((x) => x.id === 'contour-config.cipher-unmapped')).toMatchObject({ severity: 'warn', data: { ciphers: ['HIGH'] } });
    const none = run({ sslCiphers: 'HIGH:!aNULL' });
    expect((spec(none).envoy as { listener: { tls: Record<string, unknown> } }).listener.tls.cipherSuites).toBeUndefined();
  });

  it("nginx's default cipher list is Contour's default: no cipherSuites, no finding; its DHE suites matter only with ssl-dh-param", () => {
    expect(ids(run({}))).not.toContain('warn contour-config.cipher-unmapped');
    expect(run({ sslDhParam: 'ingress-nginx/dhparam' }).findings.find((x) => x.id === 'contour-config.cipher-unmapped')).toMatchObject({ severity: 'warn' });
  });

  it('--default-ssl-certificate becomes the fallback certificate, with the difference named', () => {
    const r = run({ defaultSslCertificate: { namespace: 'ingress-nginx', name: 'wildcard' } });
    expect(spec(r).httpproxy).toEqual({ fallbackCertificate: { name: 'wildcard', namespace: 'ingress-nginx' } });
    expect(r.findings.find((x) => x.id === 'contour-config.fallback-certificate')).toMatchObject({ severity: 'warn', data: { secret: 'ingress-nginx/wildcard' } });
    expect(r.fragment).toContain('fallback-certificate:\n    name: wildcard\n    namespace: ingress-nginx\n');
  });

  it('use-forwarded-headers → one trusted hop; the real_ip difference depends on proxy-real-ip-cidr', () => {
    const all = run({ useForwardedHeaders: true });
    expect((spec(all).envoy as { network: unknown }).network).toEqual({ numTrustedHops: 1 });
    const fa = all.findings.find((x) => x.id === 'contour-config.trusted-hops')!;
    expect(fa.severity).toBe('warn');
    expect(fa.data.reason).toContain('LEFTMOST');
    const listed = run({ useForwardedHeaders: true, proxyRealIpCidr: ['10.0.0.0/8'] });
    expect(listed.findings.find((x) => x.id === 'contour-config.trusted-hops')!.data.cidrs).toEqual(['10.0.0.0/8']);
    expect(listed.fragment).toContain('network:\n  num-trusted-hops: 1\n');
  });

  it('use-proxy-protocol → envoy.listener.useProxyProtocol; the fragment says it is a serve flag', () => {
    const r = run({ useProxyProtocol: true });
    expect((spec(r).envoy as { listener: { useProxyProtocol: unknown } }).listener.useProxyProtocol).toBe(true);
    expect(r.fragment).toContain('--use-proxy-protocol');
    expect(ids(r)).not.toContain('warn contour-config.trusted-hops');
  });

  it('connect timeout before Contour 1.21 cannot be set: a warning with the value', () => {
    const r = run({ proxyConnectTimeout: 10 }, { contourVersion: v('1.20') });
    expect(r.object).toBeUndefined();
    expect(r.fragment).not.toContain('connect-timeout');
    expect(r.findings.find((x) => x.id === 'contour-config.connect-timeout')).toMatchObject({ severity: 'warn', data: { timeout: '10s' } });
  });

  it('global-auth-url: globalExtAuth with --auth-extension, an error without', () => {
    const withExt = run({ globalAuthUrl: 'http://auth.sso.svc/check' }, { authExtension: { namespace: 'auth', name: 'ext' } });
    expect(spec(withExt).globalExtAuth).toEqual({ extensionRef: { namespace: 'auth', name: 'ext' }, failOpen: false });
    expect(withExt.fragment).toContain('extensionService: auth/ext');
    expect(withExt.findings.find((x) => x.id === 'contour-config.global-auth')?.severity).toBe('warn');
    const without = run({ globalAuthUrl: 'http://auth.sso.svc/check' });
    expect(spec(without).globalExtAuth).toBeUndefined();
    expect(without.findings.find((x) => x.id === 'contour-config.global-auth')).toMatchObject({ severity: 'error', data: { url: 'http://auth.sso.svc/check' } });
    const old = run({ globalAuthUrl: 'http://a/' }, { authExtension: { namespace: 'auth', name: 'ext' }, contourVersion: v('1.24') });
    expect(spec(old).globalExtAuth).toBeUndefined();
    expect(old.findings.find((x) => x.id === 'contour-config.global-auth')?.severity).toBe('error');
  });

  it('global rate limiting is reported with what Contour needs, nothing emitted', () => {
    const r = run({ globalRateLimitMemcachedHost: 'memcached.infra' });
    expect(r.findings.find((x) => x.id === 'contour-config.rate-limit-service')).toMatchObject({ severity: 'warn', data: { memcached: 'memcached.infra' } });
    expect(JSON.stringify(spec(r))).not.toContain('rateLimit');
  });

  it('another namespace/name and the generator', () => {
    const r = run({}, { ref: { namespace: 'contour-system', name: 'main' }, generator: 'ingress2contour 9.9.9' });
    expect(r.object!.metadata).toMatchObject({ namespace: 'contour-system', name: 'main', annotations: { 'ingress2contour/generator': 'ingress2contour 9.9.9' } });
    expect(r.findings.find((x) => x.id === 'contour-config.emitted')!.data.detail).toContain('--contour-config-name main');
  });

  it('every field is version-gated: Contour 1.0 gets a fragment with what it knows and the rest named', () => {
    const r = run({ useForwardedHeaders: true, sslCiphers: 'ECDHE-RSA-AES128-SHA', defaultSslCertificate: { namespace: 'a', name: 'b' } }, { contourVersion: v('1.0') });
    expect(r.object).toBeUndefined();
    expect(r.fragment).not.toMatch(/tls:|network:|timeouts:/);
    expect(r.findings.find((x) => x.id === 'contour-config.version')!.data.settings).toEqual([
      'the minimum TLS version (Contour 1.4+)',
      'TLS cipher suites (Contour 1.13+)',
      'the fallback certificate (Contour 1.5+)',
      'trusted X-Forwarded-For hops (Contour 1.13+)',
      'the timeouts block (Contour 1.7+)',
    ]);
  });
});

describe('log-format-upstream', () => {
  const NGINX_DEFAULT_LOG =
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';

  it("nginx's default upstream format: an Envoy format string Contour accepts, the variables without operator named", () => {
    const t = translateLogFormat(NGINX_DEFAULT_LOG, false);
    expect(t.format).toBe('envoy');
    expect(t.formatString!.endsWith('\n')).toBe(true);
    expect(contourAccepts(t.formatString!)).toBe(true);
    expect(t.untranslatable).toEqual(['$remote_user', '$proxy_alternative_upstream_name', '$upstream_response_length', '$upstream_status']);
    expect(t.approximate).toEqual(['$request_length', '$request_time', '$proxy_upstream_name', '$upstream_response_time']);
  });

  it('a JSON object (log-format-escape-json) becomes JSON fields; quoted and unquoted variables, headers, text', () => {
    const t = translateLogFormat('{"time": "$time_iso8601", "status": $status, "ua": "$http_user_agent", "req": "$request_method ${uri}", "up": "$upstream_status"}', true);
    expect(t.format).toBe('json');
    expect(t.jsonFields).toEqual(['time=%START_TIME(%Y-%m-%dT%H:%M:%S%z)%', 'status=%RESPONSE_CODE%', 'ua=%REQ(USER-AGENT)%', 'req=%REQ(:METHOD)% %REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%']);
    expect(t.untranslatable).toEqual(['$upstream_status', 'field "up" (no Envoy value)']);
    for (const f of t.jsonFields!) expect(contourAccepts(f.slice(f.indexOf('=') + 1))).toBe(true);
  });

  it('a literal % cannot be expressed (Contour rejects it) and is named; response headers map to RESP', () => {
    const t = translateLogFormat('100% $sent_http_content_type', false);
    expect(t.formatString).toBe('100 %RESP(CONTENT-TYPE)%\n');
    expect(t.untranslatable).toEqual(['%']);
    expect(contourAccepts(t.formatString!)).toBe(true);
  });

  it('escape-json on a format that is not a JSON object is named', () => {
    expect(translateLogFormat('$status', true).untranslatable).toEqual(['log-format-escape-json (the format is not a JSON object)']);
  });

  it('in the configuration: Contour 1.17 cannot take a format string, JSON fields it can', () => {
    const old = run({ logFormatUpstream: '$status' }, { contourVersion: v('1.17') });
    expect(old.fragment).not.toContain('accesslog');
    expect(old.findings.find((x) => x.id === 'contour-config.version')!.data.settings).toEqual(['an access log format string (Contour 1.18+)']);
    const json = run({ logFormatUpstream: '{"s": "$status"}' }, { contourVersion: v('1.17') });
    expect(json.fragment).toContain('accesslog-format: json\njson-fields:\n  - s=%RESPONSE_CODE%\n');
  });
});
