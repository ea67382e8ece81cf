// Contour's side of an ingress-nginx controller's cluster-wide settings: a ContourConfiguration
// (projectcontour.io/v1alpha1, read by `contour serve --contour-config-name NAME`) and the same
// settings as a contour.yaml fragment (for `contour serve --config-path`). Pure: settings in,
// object + text + findings out. Every field is gated by the Contour version that introduced it.
import { CONTOUR_CONFIG_FEATURES, formatVersion, versionAtLeast, type ContourConfigFeature, type ContourVersion } from '../model/contour.js';
import type { NamespacedName, NginxSettings } from '../model/controller.js';
import { finding, type Finding, type Severity } from '../model/findings.js';
import { idleTimeouts } from '../model/nginx-defaults.js';
import { dumpYaml } from './serialize.js';
import { metadata, type ClusterDefaults, type KubeObject } from './objects.js';

export const CONTOUR_CONFIG_API = 'projectcontour.io/v1alpha1';
export const CONTOUR_CONFIG_KIND = 'ContourConfiguration';
/** Contour reads its ContourConfiguration from $CONTOUR_NAMESPACE, default projectcontour. */
export const DEFAULT_CONTOUR_CONFIG: NamespacedName = { namespace: 'projectcontour', name: 'contour' };

export type DefaultsMode = 'route' | 'cluster';

export interface ContourConfigOptions {
  contourVersion: ContourVersion;
  /** Where nginx's per-location defaults go; `cluster` moves the ones Contour can hold into this configuration. */
  defaults: DefaultsMode;
  /** namespace/name of the ContourConfiguration (default projectcontour/contour). */
  ref?: NamespacedName;
  /** ExtensionService that takes over from auth-url; used for global-auth-url too. */
  authExtension?: NamespacedName;
  generator?: string;
}

/** What is set cluster-wide, independent of how it is written (CRD or config file). */
export interface ContourSide {
  tls: { minimumProtocolVersion?: string; maximumProtocolVersion?: string; cipherSuites?: string[] };
  fallbackCertificate?: NamespacedName;
  numTrustedHops?: number;
  useProxyProtocol?: boolean;
  timeouts: { requestTimeout?: string; streamIdleTimeout?: string; connectTimeout?: string };
  accessLog?: { format: 'envoy' | 'json'; formatString?: string; jsonFields?: string[] };
  globalExtAuth?: NamespacedName;
}

export interface ContourConfigResult {
  /** Absent when the Contour version has no ContourConfiguration (before 1.21): only the fragment then. */
  object?: KubeObject;
  /** contour.yaml text with the same settings (and comments where a setting is a serve flag). */
  fragment: string;
  /** The settings as set; `--defaults cluster` routes leave off what this carries. */
  side: ContourSide;
  /** The route defaults the routes may leave off because this configuration holds them. */
  carried: ClusterDefaults;
  findings: Finding[];
}

// nginx's default ssl-ciphers (ingress-nginx ConfigMap default). Its DHE suites only count when
// ssl-dh-param is set: without DH parameters nginx never negotiates them.
export const NGINX_DEFAULT_CIPHERS =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384';

/** The cipher names Contour accepts (apis/projectcontour/v1alpha1/ciphersuites.go, ValidTLSCiphers), BoringSSL spelling. */
export const CONTOUR_CIPHERS = new Set([
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'AES128-GCM-SHA256',
  'AES128-SHA',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA',
]);

/** OpenSSL spellings whose BoringSSL name differs. */
const OPENSSL_ALIASES: Record<string, string> = {
  'ECDHE-RSA-CHACHA20-POLY1305-OLD': 'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-CHACHA20-POLY1305-OLD': 'ECDHE-ECDSA-CHACHA20-POLY1305',
  'EECDH+AESGCM': '',
};

/** nginx's ssl-ciphers (an OpenSSL cipher list) → Contour cipher names; the entries that have none. */
export function mapCiphers(list: string): { ciphers: string[]; unmapped: string[]; tls13: string[] } {
  const ciphers: string[] = [];
  const unmapped: string[] = [];
  const tls13: string[] = [];
  for (const raw of list.split(/[:,\s]+/)) {
    const entry = raw.trim();
    // Exclusions (!x, -x) and reorderings (+x) select from what is named; they name nothing new.
    if (entry === '' || /^[!+-]/.test(entry) || entry.startsWith('@')) continue;
    // TLS 1.3 suites are not configured by ssl_ciphers (nginx ignores them there); Envoy's are fixed too.
    if (entry.startsWith('TLS_')) {
      tls13.push(entry);
      continue;
    }
    const name = OPENSSL_ALIASES[entry] ?? entry.toUpperCase();
    if (name !== '' && CONTOUR_CIPHERS.has(name)) {
      if (!ciphers.includes(name)) ciphers.push(name);
    } else unmapped.push(entry);
  }
  return { ciphers, unmapped, tls13 };
}

const TLS_VERSIONS: Record<string, string | undefined> = { 'TLSv1.2': '1.2', 'TLSv1.3': '1.3' };

/** Contour's own defaults: a setting equal to them is written anyway (explicit), but needs no finding. */
const CONTOUR_DEFAULT_CONNECT_TIMEOUT = '2s';

export function emitContourConfiguration(settings: NginxSettings, opts: ContourConfigOptions): ContourConfigResult {
  const v = opts.contourVersion;
  const ref = opts.ref ?? DEFAULT_CONTOUR_CONFIG;
  const findings: Finding[] = [];
  const add = (id: Parameters<typeof finding>[0], severity: Severity, data: Record<string, string | number | readonly string[]>): void => {
    findings.push(finding(id, severity, { source: `ContourConfiguration ${ref.namespace}/${ref.name}` }, data));
  };
  const missing: string[] = [];
  const has = (feature: ContourConfigFeature, what: string): boolean => {
    if (versionAtLeast(v, CONTOUR_CONFIG_FEATURES[feature])) return true;
    missing.push(`${what} (Contour ${CONTOUR_CONFIG_FEATURES[feature]}+)`);
    return false;
  };
  const side: ContourSide = { tls: {}, timeouts: {} };

  // TLS protocols: Contour serves 1.2 and 1.3 only.
  const known = settings.sslProtocols.map((p) => TLS_VERSIONS[p]).filter((p): p is string => p !== undefined);
  const older = settings.sslProtocols.filter((p) => TLS_VERSIONS[p] === undefined);
  const min = known.length > 0 ? known.reduce((a, b) => (a < b ? a : b)) : '1.2';
  const max = known.length > 0 ? known.reduce((a, b) => (a > b ? a : b)) : '1.3';
  if (older.length > 0) {
    add('contour-config.tls-protocols', 'warn', {
      protocols: older,
      reason: `Envoy as Contour configures it negotiates TLS 1.2 and 1.3 only, so clients limited to ${older.join(', ')} fail the handshake`,
    });
  }
  if (has('tlsMinimumProtocolVersion', 'the minimum TLS version')) side.tls.minimumProtocolVersion = min;
  // Before 1.26 Contour always allows up to 1.3: only a lower maximum is missing.
  if (versionAtLeast(v, CONTOUR_CONFIG_FEATURES.tlsMaximumProtocolVersion)) side.tls.maximumProtocolVersion = max;
  else if (max !== '1.3') has('tlsMaximumProtocolVersion', `the maximum TLS version ${max}`);

  // Ciphers: unset means nginx's default list, whose ECDHE suites are Contour's managed default list.
  if (settings.sslCiphers !== undefined && settings.sslCiphers.trim() !== NGINX_DEFAULT_CIPHERS) {
    const { ciphers, unmapped, tls13 } = mapCiphers(settings.sslCiphers);
    if (unmapped.length > 0) {
      add('contour-config.cipher-unmapped', 'warn', {
        ciphers: unmapped,
        reason:
          ciphers.length > 0
            ? 'Envoy (BoringSSL) as Contour validates it has no such cipher suite (or the entry is an OpenSSL keyword, which Contour does not expand); clients that offer only these fail the handshake'
            : "none of the entries names a cipher suite Contour accepts, so Contour's default list is kept; clients that offer only these fail the handshake",
      });
    }
    if (tls13.length > 0)
      add('contour-config.cipher-unmapped', 'info', { ciphers: tls13, reason: 'TLS 1.3 suites are not set by ssl-ciphers in nginx, nor configurable in Contour; both use the library defaults' });
    if (ciphers.length > 0 && has('cipherSuites', 'TLS cipher suites')) side.tls.cipherSuites = ciphers;
  } else if (settings.sslDhParam) {
    add('contour-config.cipher-unmapped', 'warn', {
      ciphers: ['DHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES256-GCM-SHA384'],
      reason: 'with ssl-dh-param set, nginx negotiated these DHE suites; Envoy (BoringSSL) has no DHE, so clients that offer only these fail the handshake',
    });
  }

  // Default certificate → fallback certificate (not the same thing: said precisely).
  if (settings.defaultSslCertificate) {
    const cert = settings.defaultSslCertificate;
    if (has('fallbackCertificate', 'the fallback certificate')) side.fallbackCertificate = cert;
    add('contour-config.fallback-certificate', 'warn', {
      secret: `${cert.namespace}/${cert.name}`,
      reason:
        "nginx serves --default-ssl-certificate to every TLS connection whose SNI names no host it serves (and to no-SNI clients), and on hosts whose tls entry has no secret of its own; Contour serves its fallback certificate only to clients that send no SNI, only on root HTTPProxies that set spec.virtualhost.tls.enableFallbackCertificate (the roots this tool emits do not) with the secret delegated to their namespace, never on a host without its own secretName, and not together with client certificate validation; unknown SNI names get no certificate (handshake fails) instead of nginx's default one",
    });
  }

  // Client address: trusted hops and PROXY protocol.
  if (settings.useProxyProtocol) {
    if (has('useProxyProtocol', 'PROXY protocol')) side.useProxyProtocol = true;
  }
  if (settings.useForwardedHeaders) {
    const hops = 1;
    if (has('numTrustedHops', 'trusted X-Forwarded-For hops')) side.numTrustedHops = hops;
    const trustsAll = settings.proxyRealIpCidr.length === 0 || settings.proxyRealIpCidr.some((c) => c === '0.0.0.0/0' || c === '::/0');
    add('contour-config.trusted-hops', 'warn', {
      hops,
      cidrs: settings.proxyRealIpCidr,
      reason: trustsAll
        ? 'nginx (use-forwarded-headers, real_ip_recursive with proxy-real-ip-cidr trusting every address) took the client address from the LEFTMOST X-Forwarded-For entry, whatever the client sent; Envoy counts a fixed number of hops from the right (numTrustedHops 1: the address the one proxy in front of Envoy appended), so a client-supplied X-Forwarded-For no longer sets the address; set numTrustedHops to the number of proxies in front of Envoy'
        : `nginx (use-forwarded-headers, real_ip_recursive) skipped X-Forwarded-For entries from the right while they were inside ${settings.proxyRealIpCidr.join(', ')}, however many there were; Envoy trusts a fixed number of hops from the right (numTrustedHops ${hops}) and has no address list, so with more or fewer proxies in front of it the client address differs; set numTrustedHops to the number of proxies in front of Envoy`,
    });
  }

  // Timeouts: connect (cluster-wide only in Contour), stream idle (route default), request (none).
  const connect = `${settings.proxyConnectTimeout}s`;
  if (versionAtLeast(v, CONTOUR_CONFIG_FEATURES.connectTimeout)) side.timeouts.connectTimeout = connect;
  else if (connect !== CONTOUR_DEFAULT_CONNECT_TIMEOUT) {
    add('contour-config.connect-timeout', 'warn', {
      timeout: connect,
      reason: `Contour ${formatVersion(v)} connects to upstreams with its fixed timeout (2s from Contour 1.20, 250ms before), nginx waited ${connect} (proxy-connect-timeout)`,
    });
  }
  const carried: ClusterDefaults = {};
  const idle = idleTimeouts(settings.proxyReadTimeout, settings.proxySendTimeout).idle;
  if (has('timeouts', 'the timeouts block')) {
    side.timeouts.requestTimeout = 'infinity';
    if (opts.defaults === 'cluster') {
      side.timeouts.streamIdleTimeout = idle;
      carried.idle = idle;
    }
  }

  // Access log.
  if (settings.logFormatUpstream !== undefined) {
    const log = translateLogFormat(settings.logFormatUpstream, Boolean(settings.logFormatEscapeJson));
    const feature = log.format === 'json' ? 'accessLogJsonFields' : 'accessLogFormatString';
    if (has(feature, log.format === 'json' ? 'JSON access log fields' : 'an access log format string')) side.accessLog = log;
    if (log.untranslatable.length > 0 || log.approximate.length > 0) {
      add('contour-config.access-log', 'info', {
        untranslatable: log.untranslatable,
        approximate: log.approximate,
        reason: `log-format-upstream became ${log.format === 'json' ? 'JSON access log fields' : 'an Envoy access log format string'}; variables without an Envoy command operator are left out, approximate ones log a related value`,
      });
    }
  }

  // Global external auth.
  if (settings.globalAuthUrl !== undefined) {
    if (opts.authExtension && has('globalExtAuth', 'global external authorization')) {
      side.globalExtAuth = opts.authExtension;
      add('contour-config.global-auth', 'warn', {
        url: settings.globalAuthUrl,
        extension: `${opts.authExtension.namespace}/${opts.authExtension.name}`,
        reason:
          'Contour checks every request of every virtual host (HTTPS and plain HTTP) with the ExtensionService (gRPC ext_authz), failing closed; it must decide like the URL did, and it must exist before Contour starts with this configuration (Contour exits otherwise: "error getting extension service"). Ingresses that set enable-global-auth "false" need authPolicy.disabled on their routes, and what global-auth-response-headers, -signin and -method did is not carried',
      });
    } else {
      add('contour-config.global-auth', 'error', {
        url: settings.globalAuthUrl,
        extension: '',
        reason: opts.authExtension
          ? `Contour ${formatVersion(v)} has no global external authorization (1.25+): not carried into Contour's configuration`
          : "not carried into Contour's configuration: Contour authorizes through a gRPC ExtensionService, not a URL; give one with --auth-extension ns/name (it must decide like the URL did)",
      });
    }
  }

  // Global rate limiting: Contour needs a Rate Limit Service the tool cannot create.
  if (settings.globalRateLimitMemcachedHost !== undefined) {
    add('contour-config.rate-limit-service', 'warn', {
      memcached: settings.globalRateLimitMemcachedHost,
      reason:
        "nginx's global rate limiting (global-rate-limit annotations, counters in memcached) has no equivalent here: Contour needs a Rate Limit Service (e.g. envoyproxy/ratelimit with its own limits configuration) registered as an ExtensionService, rateLimitService.extensionService (and domain) in its configuration, and globalRateLimitPolicy descriptors on the routes; none of this is emitted",
    });
  }

  if (missing.length > 0) add('contour-config.version', 'warn', { version: formatVersion(v), settings: missing });

  const crd = versionAtLeast(v, CONTOUR_CONFIG_FEATURES.contourConfiguration);
  if (opts.defaults === 'cluster') {
    const moved = carried.idle !== undefined;
    add('contour-config.defaults', moved ? 'warn' : 'info', {
      mode: 'cluster',
      detail: moved
        ? `the stream idle timeout (${carried.idle}, nginx's proxy-read/send-timeout) is set once in ${crd ? `ContourConfiguration ${ref.namespace}/${ref.name} (envoy.timeouts.streamIdleTimeout)` : 'contour.yaml (timeouts.stream-idle-timeout)'} and left off the routes; the routes depend on it: if Contour does not load it, idle streams are cut after Envoy's 5m instead. timeoutPolicy.response (infinity), retryPolicy and enableWebsockets stay on every route, because Contour has no cluster-wide default for them (without timeoutPolicy.response Envoy ends every response after 15s)`
        : `Contour ${formatVersion(v)} has no cluster-wide stream idle timeout (1.7+): every route keeps nginx's per-location defaults`,
    });
  } else {
    add('contour-config.defaults', 'info', {
      mode: 'route',
      detail: "every route carries nginx's per-location defaults (timeoutPolicy, retryPolicy, enableWebsockets); the configuration holds only what Contour can set cluster-wide alone",
    });
  }
  add('contour-config.emitted', 'info', {
    name: `${ref.namespace}/${ref.name}`,
    detail: crd
      ? `Contour reads a ContourConfiguration only when started with --contour-config-name ${ref.name} (from the namespace in $CONTOUR_NAMESPACE), and then ignores --config-path and the serve flags it holds (ports, xDS TLS, ingress class names, root namespaces, --use-proxy-protocol): merge these fields into the one Contour uses (server-side apply keeps the others), or give the contour.yaml fragment to --config-path. It applies to every route Contour serves, not only the converted ones`
      : `Contour ${formatVersion(v)} has no ContourConfiguration (1.21+): only the contour.yaml fragment is written, for --config-path. It applies to every route Contour serves, not only the converted ones`,
  });

  const result: ContourConfigResult = { fragment: contourYaml(side, ref, opts.generator), side, carried, findings };
  if (crd) result.object = contourConfigurationObject(side, ref, opts.generator);
  return result;
}

function contourConfigurationObject(side: ContourSide, ref: NamespacedName, generator: string | undefined): KubeObject {
  const spec: Record<string, unknown> = {};
  const envoy: Record<string, unknown> = {};
  const listener: Record<string, unknown> = {};
  if (side.useProxyProtocol) listener.useProxyProtocol = true;
  const tls: Record<string, unknown> = {};
  if (side.tls.minimumProtocolVersion) tls.minimumProtocolVersion = side.tls.minimumProtocolVersion;
  if (side.tls.maximumProtocolVersion) tls.maximumProtocolVersion = side.tls.maximumProtocolVersion;
  if (side.tls.cipherSuites) tls.cipherSuites = side.tls.cipherSuites;
  if (Object.keys(tls).length > 0) listener.tls = tls;
  if (Object.keys(listener).length > 0) envoy.listener = listener;
  if (side.accessLog) {
    const logging: Record<string, unknown> = { accessLogFormat: side.accessLog.format };
    if (side.accessLog.formatString) logging.accessLogFormatString = side.accessLog.formatString;
    if (side.accessLog.jsonFields) logging.accessLogJSONFields = side.accessLog.jsonFields;
    envoy.logging = logging;
  }
  const timeouts: Record<string, unknown> = {};
  if (side.timeouts.requestTimeout) timeouts.requestTimeout = side.timeouts.requestTimeout;
  if (side.timeouts.streamIdleTimeout) timeouts.streamIdleTimeout = side.timeouts.streamIdleTimeout;
  if (side.timeouts.connectTimeout) timeouts.connectTimeout = side.timeouts.connectTimeout;
  if (Object.keys(timeouts).length > 0) envoy.timeouts = timeouts;
  if (side.numTrustedHops !== undefined) envoy.network = { numTrustedHops: side.numTrustedHops };
  if (Object.keys(envoy).length > 0) spec.envoy = envoy;
  if (side.fallbackCertificate) spec.httpproxy = { fallbackCertificate: { name: side.fallbackCertificate.name, namespace: side.fallbackCertificate.namespace } };
  if (side.globalExtAuth) spec.globalExtAuth = { extensionRef: { namespace: side.globalExtAuth.namespace, name: side.globalExtAuth.name }, failOpen: false };
  return { apiVersion: CONTOUR_CONFIG_API, kind: CONTOUR_CONFIG_KIND, metadata: metadata(ref.name, ref.namespace, [], { classAsAnnotation: false, generator }), spec };
}

/** The same settings as contour.yaml keys (pkg/config/parameters.go); serve flags as comments. */
function contourYaml(side: ContourSide, ref: NamespacedName, generator: string | undefined): string {
  const doc: Record<string, unknown> = {};
  const tls: Record<string, unknown> = {};
  if (side.tls.minimumProtocolVersion) tls['minimum-protocol-version'] = side.tls.minimumProtocolVersion;
  if (side.tls.maximumProtocolVersion) tls['maximum-protocol-version'] = side.tls.maximumProtocolVersion;
  if (side.tls.cipherSuites) tls['cipher-suites'] = side.tls.cipherSuites;
  if (side.fallbackCertificate) tls['fallback-certificate'] = { name: side.fallbackCertificate.name, namespace: side.fallbackCertificate.namespace };
  if (Object.keys(tls).length > 0) doc.tls = tls;
  if (side.numTrustedHops !== undefined) doc.network = { 'num-trusted-hops': side.numTrustedHops };
  const timeouts: Record<string, unknown> = {};
  if (side.timeouts.requestTimeout) timeouts['request-timeout'] = side.timeouts.requestTimeout;
  if (side.timeouts.streamIdleTimeout) timeouts['stream-idle-timeout'] = side.timeouts.streamIdleTimeout;
  if (side.timeouts.connectTimeout) timeouts['connect-timeout'] = side.timeouts.connectTimeout;
  if (Object.keys(timeouts).length > 0) doc.timeouts = timeouts;
  if (side.accessLog) {
    doc['accesslog-format'] = side.accessLog.format;
    if (side.accessLog.formatString) doc['accesslog-format-string'] = side.accessLog.formatString;
    if (side.accessLog.jsonFields) doc['json-fields'] = side.accessLog.jsonFields;
  }
  if (side.globalExtAuth) doc.globalExtAuth = { extensionService: `${side.globalExtAuth.namespace}/${side.globalExtAuth.name}`, failOpen: false };
  const lines = [
    `# contour.yaml settings from ingress-nginx's controller configuration${generator ? ` (${generator})` : ''}.`,
    `# For Contour started with --config-path; the same settings as ContourConfiguration ${ref.namespace}/${ref.name}.`,
    '# Merge into the file Contour already uses; keys not listed here keep their values.',
  ];
  if (side.useProxyProtocol) lines.push('# PROXY protocol is a serve flag, not a key of this file: start Contour with --use-proxy-protocol.');
  const body = Object.keys(doc).length > 0 ? dumpYaml(doc) : '{}\n';
  return `${lines.join('\n')}\n${body}`;
}

// ---- log-format-upstream → Envoy access log -------------------------------------------------

/** nginx variable → Envoy command operator; `approx` when the value differs in unit or detail. */
const LOG_VARIABLES: Record<string, { op: string; approx?: boolean }> = {
  remote_addr: { op: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%' },
  the_real_ip: { op: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%' },
  realip_remote_addr: { op: '%DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT%' },
  remote_port: { op: '%DOWNSTREAM_REMOTE_PORT%' },
  server_port: { op: '%DOWNSTREAM_LOCAL_PORT%' },
  time_local: { op: '%START_TIME(%d/%b/%Y:%H:%M:%S %z)%' },
  time_iso8601: { op: '%START_TIME(%Y-%m-%dT%H:%M:%S%z)%' },
  msec: { op: '%START_TIME(%s.%3f)%' },
  request: { op: '%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%' },
  request_method: { op: '%REQ(:METHOD)%' },
  request_uri: { op: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%' },
  uri: { op: '%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%', approx: true },
  server_protocol: { op: '%PROTOCOL%' },
  host: { op: '%REQ(:AUTHORITY)%' },
  status: { op: '%RESPONSE_CODE%' },
  body_bytes_sent: { op: '%BYTES_SENT%' },
  bytes_sent: { op: '%DOWNSTREAM_WIRE_BYTES_SENT%', approx: true },
  request_length: { op: '%DOWNSTREAM_WIRE_BYTES_RECEIVED%', approx: true },
  request_time: { op: '%DURATION%', approx: true },
  upstream_addr: { op: '%UPSTREAM_HOST%' },
  upstream_response_time: { op: '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%', approx: true },
  proxy_upstream_name: { op: '%UPSTREAM_CLUSTER%', approx: true },
  req_id: { op: '%REQ(X-REQUEST-ID)%' },
  request_id: { op: '%REQ(X-REQUEST-ID)%' },
  ssl_protocol: { op: '%DOWNSTREAM_TLS_VERSION%' },
  ssl_cipher: { op: '%DOWNSTREAM_TLS_CIPHER%' },
  ssl_server_name: { op: '%REQUESTED_SERVER_NAME%' },
  hostname: { op: '%HOSTNAME%' },
  scheme: { op: '%REQ(X-FORWARDED-PROTO)%', approx: true },
  namespace: { op: '%METADATA(ROUTE:envoy.access_loggers.file:io.projectcontour.namespace)%', approx: true },
  ingress_name: { op: '%METADATA(ROUTE:envoy.access_loggers.file:io.projectcontour.name)%', approx: true },
};

export interface TranslatedLog {
  format: 'envoy' | 'json';
  formatString?: string;
  jsonFields?: string[];
  untranslatable: string[];
  approximate: string[];
}

/** nginx variable name → operator text, or undefined (untranslatable). */
function variableOperator(name: string): { op: string; approx: boolean } | undefined {
  const known = LOG_VARIABLES[name];
  if (known) return { op: known.op, approx: Boolean(known.approx) };
  const header = /^(http|sent_http)_([a-z0-9_]+)$/.exec(name);
  if (header) {
    const h = header[2]!.replace(/_/g, '-').toUpperCase();
    return { op: header[1] === 'http' ? `%REQ(${h})%` : `%RESP(${h})%`, approx: false };
  }
  return undefined;
}

/** Replaces the nginx variables of `text` with Envoy operators; `%` signs (Contour rejects any stray `%`) and unknown variables are dropped and named. */
function translateText(text: string, untranslatable: Set<string>, approximate: Set<string>): string {
  let out = '';
  const re = /\$\{(\w+)\}|\$(\w+)|%/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '%') {
      untranslatable.add('%');
      continue;
    }
    const name = m[1] ?? m[2]!;
    const op = variableOperator(name);
    if (!op) {
      untranslatable.add(`$${name}`);
      out += '-';
      continue;
    }
    if (op.approx) approximate.add(`$${name}`);
    out += op.op;
  }
  return out + text.slice(last);
}

export function translateLogFormat(format: string, escapeJson: boolean): TranslatedLog {
  const untranslatable = new Set<string>();
  const approximate = new Set<string>();
  const trimmed = format.trim();
  // A JSON object of fields (the usual shape with log-format-escape-json): Contour's JSON log.
  if (trimmed.startsWith('{')) {
    const fields = parseJsonTemplate(trimmed);
    if (fields) {
      const jsonFields: string[] = [];
      for (const [key, value] of fields) {
        if (key.includes('=') || key === '') {
          untranslatable.add(`field "${key}"`);
          continue;
        }
        const op = translateText(value, untranslatable, approximate);
        if (op === '' || !/%[A-Z_]/.test(op)) {
          untranslatable.add(`field "${key}" (no Envoy value)`);
          continue;
        }
        jsonFields.push(`${key}=${op}`);
      }
      return { format: 'json', jsonFields, untranslatable: [...untranslatable], approximate: [...approximate] };
    }
  }
  if (escapeJson) untranslatable.add('log-format-escape-json (the format is not a JSON object)');
  const formatString = `${translateText(trimmed.replace(/\n/g, ' '), untranslatable, approximate)}\n`;
  return { format: 'envoy', formatString, untranslatable: [...untranslatable], approximate: [...approximate] };
}

/** `{"key": "$var text", ...}` with the values as written (nginx substitutes inside the quotes). */
function parseJsonTemplate(text: string): [string, string][] | undefined {
  // Unquoted variables (`"status": $status`) become strings; then the template is JSON.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/:\s*(\$\{?\w+\}?)/g, ': "$1"'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const out: [string, string][] = [];
  for (const [k, val] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof val === 'string') out.push([k, val]);
    else out.push([k, '']);
  }
  return out;
}
