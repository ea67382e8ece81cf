// Target-neutral intents that the annotation transforms produce. The emitters
// render them; a field is only set when the chosen target/version can express it.

export type UpstreamProtocol = 'h2' | 'h2c' | 'tls';

export interface HeaderValue {
  name: string;
  value: string;
}

export interface RedirectIntent {
  scheme?: 'http' | 'https';
  hostname?: string;
  port?: number;
  path?: string;
  statusCode: number;
}

export interface CanaryIntent {
  weight: number;
  total: number;
  byHeader?: string;
  byHeaderValue?: string;
  byHeaderPattern?: string;
  byCookie?: string;
}

export interface TimeoutIntent {
  /** Envoy route timeout (total): Go duration or "infinity". */
  response?: string;
  /** Envoy per-stream idle timeout. */
  idle?: string;
}

/**
 * How a rewritten path matches once its regex is read as a literal:
 * `segment` = `/foo(/|$)…` (exact /foo and prefix /foo/), `slash` = `/foo/…` (prefix /foo/),
 * `string` = `/foo…` (plain string prefix /foo).
 */
export interface RewriteForPath {
  literal: string;
  match: 'segment' | 'slash' | 'string';
  /** Replacement for the whole literal (exact route) and for the literal + `/` (prefix route). */
  replacement: string;
}

/** What one Ingress asks for on each of its routes. */
export interface RoutePolicy {
  /** ssl-redirect "false": serve this Ingress's routes over plain HTTP on a TLS host. */
  permitInsecure?: boolean;
  /** force-ssl-redirect on a host without TLS: redirect when X-Forwarded-Proto is not https. */
  forceSslRedirect?: { statusCode: number };
  protocol?: UpstreamProtocol;
  /**
   * rewrite-target per Ingress path (keyed by the path as written). `literal` is the
   * literal prefix the nginx regex path matches segment-wise (`/foo(/|$)(.*)` → `/foo`).
   */
  rewrites?: Record<string, RewriteForPath>;
  /** Paths of this Ingress that cannot be converted at all (already reported). */
  unconvertiblePaths?: string[];
  /** No path of this Ingress can be converted (already reported); they still claim their place. */
  omitAll?: boolean;
  redirect?: RedirectIntent;
  timeouts?: TimeoutIntent;
  cookieAffinity?: boolean;
  requestHeadersSet?: HeaderValue[];
  responseHeadersSet?: HeaderValue[];
  rateLimit?: RateLimitIntent;
  retry?: RetryIntent;
  loadBalancer?: LoadBalancerIntent;
  upstreamValidation?: UpstreamValidationIntent;
  /** auth-url on this Ingress: the host's authorization applies to its routes. */
  authRequired?: boolean;
  /** Mirror every request to this Service of the route's namespace. */
  mirror?: { service: string; port: number };
  ipAllow?: string[];
  ipDeny?: string[];
  /** The location answers this status (nginx "location denied"), e.g. 503 for an invalid allow-list. */
  deny?: { statusCode: number; reason: string };
  /** use-regex on this Ingress (the host-wide switch is decided in the model). */
  useRegex?: boolean;
  /** A valid rewrite-target: every location whose path differs from it switches the host to regex mode. */
  rewriteTarget?: string;
}

export interface CorsIntent {
  allowOrigin: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge: string;
}

export interface ClientValidationIntent {
  /** `ns/name` or `name` of the Secret holding ca.crt. */
  caSecret: string;
  optional?: boolean;
  skipVerification?: boolean;
}

export interface AuthorizationIntent {
  namespace: string;
  name: string;
  responseTimeout?: string;
}

/** Host-level intents; the oldest Ingress of the host that sets one wins. */
export interface HostPolicy {
  appRoot?: string;
  aliases?: string[];
  sslPassthrough?: boolean;
  cors?: CorsIntent;
  /** from-to-www-redirect: the counterpart name redirects to this host. */
  fromToWww?: boolean;
  clientValidation?: ClientValidationIntent;
  authorization?: AuthorizationIntent;
}

export interface RateLimitIntent {
  requests: number;
  unit: 'second' | 'minute';
  burst: number;
}

export interface RetryIntent {
  /** -1 disables retries (Contour 1.20+). */
  count: number;
  retryOn?: string[];
  retriableStatusCodes?: number[];
}

export interface LoadBalancerIntent {
  strategy: 'RoundRobin' | 'WeightedLeastRequest' | 'Random' | 'Cookie' | 'RequestHash';
  requestHashPolicies?: Record<string, unknown>[];
}

export interface UpstreamValidationIntent {
  /** `ns/name` or `name` of the Secret holding ca.crt. */
  caSecret: string;
  subjectName: string;
}

export interface IngressPolicy {
  route: RoutePolicy;
  host: HostPolicy;
  canary?: CanaryIntent;
}

/** A new policy to fill in (one per Ingress mapped). Its parts made first: a literal nested in another is copied by the runtime, with allocation-site records, until the caller is optimized. */
export function emptyPolicy(): IngressPolicy {
  const route: RoutePolicy = {};
  const host: HostPolicy = {};
  return { route, host };
}
