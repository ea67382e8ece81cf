// What an ingress-nginx controller was told beyond its Ingresses: its command-line flags and
// its ConfigMap. Read from a cluster (src/cluster) or from files (--nginx-configmap, --nginx-args);
// resolved into NginxSettings by src/map/controller-config.ts, which every later stage reads
// instead of assuming nginx's defaults.

/** One controller as it was found: raw flags and ConfigMap data, nothing interpreted yet. */
export interface ControllerConfig {
  /** Where it was read, for findings: `deployment ingress-nginx/ingress-nginx-controller`, or file names. */
  source: string;
  /** IngressClass names this controller serves (its `--ingress-class`, and classes naming its `--controller-class`). */
  ingressClasses: string[];
  /** Command-line flags without leading dashes, as given: `configmap` → `ns/name`; a bare flag → `true`. */
  args: Record<string, string>;
  /** The ConfigMap's data; empty when the controller has none or it could not be read. */
  configMap: Record<string, string>;
  /** `ns/name` of the ConfigMap, or the file it came from. */
  configMapSource?: string;
  /** The controller names a ConfigMap that could not be read: its keys are unknown, not absent. */
  configMapUnknown?: boolean;
}

export type RiskLevel = 'Low' | 'Medium' | 'High' | 'Critical';

export interface NamespacedName {
  namespace: string;
  name: string;
}

/**
 * The controller settings that change what a request gets, as the conversion uses them.
 * NGINX_SETTINGS_DEFAULT is what ingress-nginx does with an empty ConfigMap and default flags.
 * Durations are seconds; 0 means "no limit" where nginx reads it so.
 */
export interface NginxSettings {
  // Flags
  ingressClass: string;
  watchIngressWithoutClass: boolean;
  annotationsPrefix: string;
  enableSslPassthrough: boolean;
  defaultSslCertificate?: NamespacedName;
  defaultBackendService?: NamespacedName;
  // TLS and redirects
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  httpRedirectCode: number;
  noTlsRedirectLocations: string[];
  hsts: { enabled: boolean; maxAge: number; includeSubdomains: boolean; preload: boolean };
  sslProtocols: string[];
  sslCiphers?: string;
  /** ssl-dh-param (a Secret): only with it does nginx negotiate the DHE suites of ssl-ciphers. */
  sslDhParam?: string;
  // Proxying
  proxyConnectTimeout: number;
  proxyReadTimeout: number;
  proxySendTimeout: number;
  proxyBodySize: string;
  proxyNextUpstream: string[];
  proxyNextUpstreamTries: number;
  loadBalance: string;
  upstreamHashBy?: string;
  customHttpErrors: number[];
  // Client address
  useForwardedHeaders: boolean;
  useProxyProtocol: boolean;
  forwardedForHeader: string;
  computeFullForwardedFor: boolean;
  proxyRealIpCidr: string[];
  allowlistSourceRange: string[];
  denylistSourceRange: string[];
  /** block-cidrs: denied on every server, whatever the Ingresses say. */
  blockCidrs: string[];
  /** enable-real-ip: the client address comes from forwarded-for-header (without trusting the other X-Forwarded-*). */
  enableRealIp: boolean;
  /**
   * Set when the controller's configuration makes nginx fail closed for every location (a global
   * access list nginx cannot load): every route answers 503 instead of being published open.
   */
  denyAllReason?: string;
  // Admission of annotations and paths
  allowSnippetAnnotations: boolean;
  annotationsRiskLevel: RiskLevel;
  strictValidatePathType: boolean;
  /** annotation-value-word-blocklist: an Ingress with an annotation value containing one of these is not loaded. */
  annotationValueWordBlocklist: string[];
  /** --watch-namespace: only these namespaces are served; empty = all. */
  watchNamespaces: string[];
  // Global external auth
  globalAuthUrl?: string;
  // Observability
  logFormatUpstream?: string;
  /** log-format-escape-json. */
  logFormatEscapeJson?: boolean;
  // Global rate limiting
  /** global-rate-limit-memcached-host: nginx's global rate limiting is in use. */
  globalRateLimitMemcachedHost?: string;
}

export const NGINX_SETTINGS_DEFAULT: NginxSettings = {
  ingressClass: 'nginx',
  watchIngressWithoutClass: false,
  annotationsPrefix: 'nginx.ingress.kubernetes.io',
  enableSslPassthrough: false,
  sslRedirect: true,
  forceSslRedirect: false,
  httpRedirectCode: 308,
  noTlsRedirectLocations: ['/.well-known/acme-challenge'],
  hsts: { enabled: true, maxAge: 31536000, includeSubdomains: true, preload: false },
  sslProtocols: ['TLSv1.2', 'TLSv1.3'],
  proxyConnectTimeout: 5,
  proxyReadTimeout: 60,
  proxySendTimeout: 60,
  proxyBodySize: '1m',
  proxyNextUpstream: ['error', 'timeout'],
  proxyNextUpstreamTries: 3,
  loadBalance: 'round_robin',
  customHttpErrors: [],
  useForwardedHeaders: false,
  useProxyProtocol: false,
  forwardedForHeader: 'X-Forwarded-For',
  computeFullForwardedFor: false,
  proxyRealIpCidr: ['0.0.0.0/0'],
  allowlistSourceRange: [],
  denylistSourceRange: [],
  blockCidrs: [],
  enableRealIp: false,
  allowSnippetAnnotations: false,
  annotationsRiskLevel: 'High',
  strictValidatePathType: true,
  annotationValueWordBlocklist: [],
  watchNamespaces: [],
};
