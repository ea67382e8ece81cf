// HTTPProxy (projectcontour.io/v1) emitter: roots with includes, children with
// conditions relative to their include prefix, TLSCertificateDelegations.
import { finding, type Finding } from '../model/findings.js';
import type { Route, VirtualHost } from '../model/hosts.js';
import type { CanaryIntent, TimeoutIntent } from '../model/policy.js';
import type { ChildPlan, Plan, RootPlan, TcpChildPlan } from '../plan/plan.js';
import { HostNotes } from './notes.js';
import { delegationObjects, metadata, type EmitOptions, type Emitted, type KubeObject, type MetaOptions } from './objects.js';
import { nginxRegexToRe2, pcreOnly, relativePath } from './paths.js';
import { NGINX_DEFAULT_RETRY, NGINX_DEFAULT_TIMEOUTS as DEFAULT_TIMEOUTS } from '../model/nginx-defaults.js';
import { HTTPPROXY_FEATURES } from '../model/contour.js';
import { planRegexMode, type RegexModePlan } from './regex-mode.js';

const API = 'projectcontour.io/v1';
type Obj = Record<string, unknown>;
type Condition = Obj;

export function emitHttpProxy(p: Plan, opts: EmitOptions): Emitted {
  const findings: Finding[] = [];
  const meta: MetaOptions = {
    contourClass: opts.contourClass,
    classAsAnnotation: !opts.caps.has('ingressClassName'),
    generator: opts.generator,
    defaults: opts.clusterDefaults ? 'cluster' : undefined,
  };
  const objects: KubeObject[] = [];
  const notes = new HostNotes(findings);
  for (const o of delegationObjects(p, API, meta)) objects.push(o);
  const emptyChildren = new Set<ChildPlan>();
  const hostOfChild = new Map(p.roots.flatMap((r) => r.children.map((c) => [c, r.host] as const)));
  for (const child of p.children) {
    const host = hostOfChild.get(child);
    if (!host) throw new Error(`child ${child.namespace}/${child.name} has no root`);
    const routes = renderRoutes(child.routes, child.prefix, host, opts, notes);
    // A child whose every route was left out would only be an include to nothing.
    if (routes.length === 0) emptyChildren.add(child);
    else objects.push(withClass({ apiVersion: API, kind: 'HTTPProxy', metadata: metadata(child.name, child.namespace, child.sources, meta), spec: { routes } }, opts, meta));
  }
  for (const tcp of p.tcpChildren) objects.push(withClass(tcpChild(tcp, meta), opts, meta));
  for (const root of p.roots) {
    const rendered = renderRoot({ ...root, children: root.children.filter((c) => !emptyChildren.has(c)) }, opts, meta, notes);
    if (rendered) objects.push(withClass(rendered, opts, meta));
  }
  notes.flush();
  return { objects, findings };
}

function withClass(obj: KubeObject, opts: EmitOptions, meta: MetaOptions): KubeObject {
  if (opts.contourClass && !meta.classAsAnnotation) obj.spec = { ingressClassName: opts.contourClass, ...obj.spec };
  return obj;
}

function tcpChild(tcp: TcpChildPlan, meta: MetaOptions): KubeObject {
  return {
    apiVersion: API,
    kind: 'HTTPProxy',
    metadata: metadata(tcp.name, tcp.namespace, tcp.sources, meta),
    spec: { tcpproxy: { services: [{ name: tcp.backend.service, port: tcp.backend.port }] } },
  };
}

function renderRoot(root: RootPlan, opts: EmitOptions, meta: MetaOptions, notes: HostNotes): KubeObject | undefined {
  const host = root.host;
  const virtualhost: Obj = { fqdn: root.fqdn };
  if (root.tcpChild) virtualhost.tls = { passthrough: true };
  else if (root.tlsSecret) virtualhost.tls = { secretName: root.tlsSecret };
  if (root.redirectTo) {
    // from-to-www-redirect: the counterpart name only redirects to the host, keeping the path.
    const statusCode = opts.caps.has('redirect30x') ? 308 : 301;
    const spec: Obj = { virtualhost, routes: [{ requestRedirectPolicy: { hostname: root.redirectTo, statusCode } }] };
    return { apiVersion: API, kind: 'HTTPProxy', metadata: metadata(root.name, root.namespace, root.sources, meta), spec };
  }
  const policy = host.policy;
  if (policy.cors) {
    const c = policy.cors;
    const anyOrigin = c.allowOrigin.includes('*');
    const cors: Obj = { allowOrigin: c.allowOrigin, allowMethods: c.allowMethods };
    if (c.allowHeaders.length > 0) cors.allowHeaders = c.allowHeaders;
    if (c.exposeHeaders.length > 0) cors.exposeHeaders = c.exposeHeaders;
    // Envoy echoes the request's Origin where nginx answered `*`: with credentials that would let
    // every site make credentialed requests, which browsers refused with nginx's `*`.
    cors.allowCredentials = c.allowCredentials && !anyOrigin;
    cors.maxAge = c.maxAge;
    virtualhost.corsPolicy = cors;
    if (!root.aliasOf) notes.add(corsFinding(host, c.allowCredentials, anyOrigin));
  }
  const tls = virtualhost.tls as Obj | undefined;
  if (policy.clientValidation && root.clientCaSecret) {
    // Lowering removed client validation where the host has no TLS; passthrough hosts cannot ask for certificates.
    if (tls?.secretName) {
      const cv: Obj = { caSecret: root.clientCaSecret };
      if (policy.clientValidation.skipVerification) cv.skipClientCertValidation = true;
      if (policy.clientValidation.optional) cv.optionalClientCertificate = true;
      tls.clientValidation = cv;
    }
  }
  // Lowering removed authorization where the host has no TLS secret.
  if (policy.authorization && tls?.secretName) virtualhost.authorization = { extensionRef: { namespace: policy.authorization.namespace, name: policy.authorization.name } };
  const spec: Obj = { virtualhost };
  const includes = root.children.map((c) => {
    const inc: Obj = { name: c.name, namespace: c.namespace };
    if (c.prefix !== '/') inc.conditions = [{ prefix: c.prefix }];
    return inc;
  });
  const routes = [...appRootRoutes(host), ...renderRoutes(root.routes, '/', host, opts, notes)];
  if (includes.length > 0) spec.includes = includes;
  if (routes.length > 0) spec.routes = routes;
  if (root.tcpChild) spec.tcpproxy = { include: { name: root.tcpChild.name, namespace: root.tcpChild.namespace } };
  if (!spec.includes && !spec.routes && !spec.tcpproxy) {
    notes.add(finding('route.empty-host', 'error', { ingresses: root.sources, host: root.fqdn }, { reason: `no route of ${root.fqdn} could be converted, so no root is emitted for it` }));
    return undefined;
  }
  return { apiVersion: API, kind: 'HTTPProxy', metadata: metadata(root.name, root.namespace, root.sources, meta), spec };
}

/**
 * How Envoy's CORS filter answers differently from nginx's CORS block (nginx.tmpl `CORS`,
 * Envoy cors_filter.cc), one id per difference in `data.differences`.
 */
export const CORS_DIFFERENCES = {
  'preflight-status': 'preflights are answered with 200 (nginx: 204)',
  'preflight-detection':
    'only an OPTIONS request with an allowed Origin and Access-Control-Request-Method is a preflight (nginx answered every OPTIONS request with an allowed Origin, with * every OPTIONS request, itself with 204); the other OPTIONS requests reach the backend',
  'response-headers': 'answers other than preflights carry only Access-Control-Allow-Origin, -Allow-Credentials and -Expose-Headers (nginx added -Allow-Methods, -Allow-Headers and -Max-Age too)',
  'no-origin': 'requests without an Origin header get no CORS headers (nginx: Access-Control-Allow-Origin: * on every answer)',
  'origin-echoed': "Access-Control-Allow-Origin echoes the request's Origin (nginx: *)",
  'credentials-dropped':
    "Access-Control-Allow-Credentials is left out: with the echoed Origin it would let every site make credentialed requests, which browsers refused with nginx's * (so they still do)",
} as const;

function corsFinding(host: VirtualHost, credentials: boolean, anyOrigin: boolean): Finding {
  const differences: Array<keyof typeof CORS_DIFFERENCES> = ['preflight-status', 'preflight-detection', 'response-headers'];
  if (anyOrigin) differences.push('no-origin', 'origin-echoed');
  if (anyOrigin && credentials) differences.push('credentials-dropped');
  return finding(
    'annotation.approximate',
    'warn',
    { ingresses: [host.policySources.cors ?? ''], host: host.fqdn, annotation: 'enable-cors' },
    { differences, message: `Envoy's CORS filter answers differently from nginx on ${host.fqdn}: ${differences.map((d) => CORS_DIFFERENCES[d]).join('; ')}` },
  );
}

/** app-root: nginx answers exactly `/` of the host (aliases too) with a 302 to the app root. */
function appRootRoutes(host: VirtualHost): Obj[] {
  return host.policy.appRoot ? [{ conditions: [{ exact: '/' }], requestRedirectPolicy: { path: host.policy.appRoot, statusCode: 302 } }] : [];
}

interface HostFacts {
  exactPaths: Set<string>;
  claimed: Set<string>;
  longestLiteral: number;
}

const factsCache = new WeakMap<VirtualHost, HostFacts>();
const regexPlans = new WeakMap<VirtualHost, RegexModePlan>();

/** How the paths of a host in nginx regex mode become regex conditions (computed once per host). */
function regexPlanOf(host: VirtualHost): RegexModePlan {
  let plan = regexPlans.get(host);
  if (!plan) {
    plan = planRegexMode(host);
    regexPlans.set(host, plan);
  }
  return plan;
}

/**
 * Facts about all routes of a host, computed once per host: nginx skips the `= /foo`
 * companion of Prefix /foo when an Exact /foo exists, and the trailing-slash 301 when
 * /foo has a location of its own.
 */
function hostFacts(host: VirtualHost): HostFacts {
  let facts = factsCache.get(host);
  if (!facts) {
    facts = { exactPaths: new Set(), claimed: new Set(), longestLiteral: 0 };
    for (const r of host.routes) {
      if (r.match.kind === 'exact') facts.exactPaths.add(r.match.path);
      if (r.match.kind === 'exact' || r.match.kind === 'segment') facts.claimed.add(r.match.path);
      if (r.match.kind !== 'regex') facts.longestLiteral = Math.max(facts.longestLiteral, r.match.path.length);
    }
    factsCache.set(host, facts);
  }
  return facts;
}

interface PathEntry {
  conditions: Condition[];
  /** The bare-path companion of a `Prefix /foo/` path: nginx answers it with a 301 to this path. */
  redirectTo?: string;
}

function renderRoutes(routes: Route[], prefix: string, host: VirtualHost, opts: EmitOptions, notes: HostNotes): Obj[] {
  const fqdn = host.fqdn;
  const out: Obj[] = [];
  const { exactPaths, claimed, longestLiteral } = hostFacts(host);
  const rx = host.regexMode && opts.caps.has('regexPath') ? regexPlanOf(host) : undefined;
  for (const r of routes) {
    if (r.policy.deny) {
      // Without directResponsePolicy the verdict already says these paths are left out.
      if (!opts.caps.has('directResponse')) continue;
      const insecure = (r.policy.permitInsecure && host.tls) || servesPlainHttp(host) ? { permitInsecure: true } : {};
      for (const e of pathConditions(r, prefix, fqdn, opts, notes, claimed, exactPaths, longestLiteral, rx))
        out.push({ ...withConditions(e.conditions), ...insecure, directResponsePolicy: { statusCode: r.policy.deny.statusCode } });
      continue;
    }
    for (const e of pathConditions(r, prefix, fqdn, opts, notes, claimed, exactPaths, longestLiteral, rx)) {
      if (e.redirectTo !== undefined) out.push({ ...withConditions(e.conditions), requestRedirectPolicy: { path: e.redirectTo, statusCode: 301 } });
      else out.push(...forceSslRoutes(r, e.conditions, host, opts), ...routeBodies(r, e.conditions, host, opts));
    }
  }
  return out;
}

/** One entry per Contour route the nginx match needs (exact + prefix for segment matches). */
const withConditions = (conds: Condition[]): Obj => (conds.length > 0 ? { conditions: conds } : {});

function pathConditions(
  r: Route,
  prefix: string,
  fqdn: string,
  opts: EmitOptions,
  notes: HostNotes,
  claimed: Set<string>,
  exactPaths: Set<string>,
  longestLiteral: number,
  rx: RegexModePlan | undefined,
): PathEntry[] {
  const { kind, path } = r.match;
  const rel = relativePath(path, prefix);
  const subject = { ingresses: [r.source.ingress], host: fqdn };
  const regexModeNote = (why?: string): void =>
    notes.add(
      finding('route.regex-mode', 'warn', subject, {
        reason: `host in nginx regex mode (use-regex or rewrite-target on one of its Ingresses): nginx matched every path case-insensitively; ${why ?? 'the literal paths became case-sensitive string prefixes'}`,
      }),
      path,
    );
  // In regex mode nginx tries `~* "^<path>"` locations in order; an earlier one with the same regex takes every request.
  const shadowed = rx?.shadowedBy.get(r);
  if (shadowed) {
    notes.add(
      finding(
        'route.duplicate-path',
        'warn',
        { ...subject, path: r.originalPath },
        {
          where: `${fqdn}${r.originalPath} (${r.pathType ?? 'Prefix'}, regex mode)`,
          owner: `the ${shadowed.pathType ?? 'Prefix'} path ${shadowed.originalPath} of Ingress ${shadowed.source.ingress}, whose location \`~* "^…"\` nginx tries first and which takes every request of this one`,
          ownerIngress: shadowed.source.ingress,
        },
      ),
    );
    return [];
  }
  // A rewritten path became a literal prefix: it lost nginx's case-insensitive match.
  if (r.rewrite) regexModeNote();
  const withConds = (conditions: Condition[]): PathEntry => ({ conditions });
  const prefixCond = (p: string): Condition[] => (p === '' ? [] : [{ prefix: p }]);
  const stringPrefixNote = (): void => notes.add(finding('route.string-prefix', 'warn', subject, { target: 'Contour' }), path);
  // nginx answers a path ending in `/` (Prefix, or Exact) without its slash with a 301 to the slash form.
  const slashRedirect = (): PathEntry[] => {
    const bare = path.replace(/\/+$/, '');
    if (!path.endsWith('/') || bare === '' || claimed.has(bare)) return [];
    const bareRel = relativePath(bare, prefix);
    if (opts.caps.has('exactPath') && opts.caps.has('requestRedirect') && bareRel !== '' && !bareRel.endsWith('/')) return [{ conditions: [{ exact: bareRel }], redirectTo: path }];
    notes.add(finding('route.trailing-slash-redirect', 'warn', subject, { target: 'Contour' }), bare);
    return [];
  };
  switch (kind) {
    case 'exact':
      if (opts.caps.has('exactPath') && rel !== '') return [withConds([{ exact: rel }]), ...slashRedirect()];
      notes.add(
        finding('route.exact-approximated', 'warn', subject, {
          reason: `exact paths became prefix matches (exact match needs Contour ${HTTPPROXY_FEATURES.exactPath}+ or a path below the include prefix)`,
        }),
        path,
      );
      return [withConds(prefixCond(rel))];
    case 'segment':
      if (path === '/') return [withConds(prefixCond(rel))];
      if (r.rewrite) {
        // Contour expands a rewritten prefix itself (/foo and /foo/), as a string prefix.
        stringPrefixNote();
        return [withConds(prefixCond(rel))];
      }
      if (opts.caps.has('exactPath') && rel !== '') {
        if (exactPaths.has(path)) return [withConds([{ prefix: `${rel}/` }])];
        return [withConds([{ exact: rel }]), withConds([{ prefix: `${rel}/` }])];
      }
      stringPrefixNote();
      return [withConds(prefixCond(rel))];
    case 'dir': {
      if (r.rewrite) {
        stringPrefixNote();
        return [withConds(prefixCond(rel.replace(/\/+$/, '')))];
      }
      return [withConds(prefixCond(rel)), ...slashRedirect()];
    }
    case 'string': {
      const re = rx?.regex.get(r);
      if (re !== undefined && prefix === '/') return [withConds([{ regex: re }])];
      if (path === '/') return [withConds(prefixCond(rel))];
      regexModeNote(
        rx?.demoted.has(r)
          ? 'a rewritten path nginx tried first overlaps these literal paths and Contour tries every regex route before any prefix route, so they stay case-sensitive string prefixes'
          : !opts.caps.has('regexPath')
            ? `the literal paths became case-sensitive string prefixes (case-insensitive regex conditions need HTTPProxy, Contour ${HTTPPROXY_FEATURES.regexPath}+)`
            : undefined,
      );
      return [withConds(prefixCond(rel))];
    }
    case 'regex': {
      const construct = pcreOnly(path);
      const re2 = nginxRegexToRe2(path);
      if (!opts.caps.has('regexPath') || construct || !re2 || prefix !== '/') {
        const why = construct
          ? `uses ${construct}, which RE2 does not support`
          : !re2
            ? 'does not start with /'
            : prefix !== '/'
              ? 'regex paths cannot sit below an include prefix'
              : `needs regex path conditions (HTTPProxy, Contour ${HTTPPROXY_FEATURES.regexPath}+)`;
        notes.add(finding('route.regex-unsupported', 'error', subject, { reason: why }), path);
        return [];
      }
      if (rx ? rx.outOfOrder.has(r) : longestLiteral > path.length) {
        notes.add(finding('route.regex-order', 'warn', subject), path);
      }
      return [withConds([{ regex: rx?.regex.get(r) ?? re2 }])];
    }
  }
}

/** force-ssl-redirect on a host without TLS: redirect requests the load balancer received over HTTP. */
function forceSslRoutes(r: Route, conditions: Condition[], host: VirtualHost, opts: EmitOptions): Obj[] {
  const force = r.policy.forceSslRedirect;
  if (!force || host.tls) return [];
  const header: Obj = { name: 'X-Forwarded-Proto', notexact: 'https' };
  if (opts.caps.has('treatMissingAsEmpty')) header.treatMissingAsEmpty = true;
  return [{ conditions: withPathLast(conditions, [{ header }]), requestRedirectPolicy: { scheme: 'https', statusCode: force.statusCode } }];
}

function routeBodies(r: Route, conditions: Condition[], host: VirtualHost, opts: EmitOptions): Obj[] {
  const conds = withConditions(conditions);
  const p = r.policy;
  if (p.redirect) {
    const redirect: Obj = {};
    if (p.redirect.scheme) redirect.scheme = p.redirect.scheme;
    if (p.redirect.hostname) redirect.hostname = p.redirect.hostname;
    if (p.redirect.port) redirect.port = p.redirect.port;
    if (p.redirect.path) redirect.path = p.redirect.path;
    redirect.statusCode = p.redirect.statusCode;
    return [{ ...conds, requestRedirectPolicy: redirect }];
  }
  const mainline = service(r.backend.service, r.backend.port, p.protocol);
  const bodies: Obj[] = [];
  const canary = r.canary;
  const base = (): Obj => {
    const route: Obj = { ...conds };
    return route;
  };
  const finish = (route: Obj, services: Obj[], cookie: boolean): Obj => {
    const validation = p.upstreamValidation;
    route.services = services.map((s) => (validation ? { ...s, validation: { caSecret: validation.caSecret, subjectName: validation.subjectName } } : s));
    if (p.mirror) (route.services as Obj[]).push({ name: p.mirror.service, port: p.mirror.port, mirror: true });
    if (p.permitInsecure || servesPlainHttp(host)) route.permitInsecure = true;
    route.enableWebsockets = true;
    route.timeoutPolicy = withoutClusterDefaults(p.timeouts ?? opts.routeDefaults?.timeouts ?? DEFAULT_TIMEOUTS, opts);
    const retry = p.retry ?? (opts.caps.has('retryOn') ? (opts.routeDefaults ? opts.routeDefaults.retry : NGINX_DEFAULT_RETRY) : undefined);
    // No retryPolicy means no retries in Contour, which is what "off" asks for.
    if (retry && retry.count !== -1) {
      const rp: Obj = { count: retry.count };
      if (retry.retryOn && retry.retryOn.length > 0) rp.retryOn = retry.retryOn;
      if (retry.retriableStatusCodes) rp.retriableStatusCodes = retry.retriableStatusCodes;
      route.retryPolicy = rp;
    }
    // nginx: a sticky cookie wins over the balancing algorithm.
    if (cookie) route.loadBalancerPolicy = { strategy: 'Cookie' };
    else if (p.loadBalancer)
      route.loadBalancerPolicy = p.loadBalancer.requestHashPolicies
        ? { strategy: p.loadBalancer.strategy, requestHashPolicies: p.loadBalancer.requestHashPolicies }
        : { strategy: p.loadBalancer.strategy };
    if (p.requestHeadersSet && p.requestHeadersSet.length > 0) route.requestHeadersPolicy = { set: p.requestHeadersSet.map((h) => ({ name: h.name, value: h.value })) };
    if (p.responseHeadersSet && p.responseHeadersSet.length > 0) route.responseHeadersPolicy = { set: p.responseHeadersSet.map((h) => ({ name: h.name, value: h.value })) };
    if (r.rewrite) route.pathRewritePolicy = { replacePrefix: [{ replacement: r.rewrite.replacement }] };
    const ipSource = opts.ipSource ?? 'Peer';
    if (p.ipAllow) route.ipAllowPolicy = p.ipAllow.map((cidr) => ({ source: ipSource, cidr }));
    else if (p.ipDeny) route.ipDenyPolicy = p.ipDeny.map((cidr) => ({ source: ipSource, cidr }));
    if (p.rateLimit) route.rateLimitPolicy = { local: { requests: p.rateLimit.requests, unit: p.rateLimit.unit, burst: p.rateLimit.burst, responseStatusCode: 503 } };
    // Contour authorizes the whole host; nginx only the Ingresses that set auth-url.
    if (host.policy.authorization && !p.authRequired) route.authPolicy = { disabled: true };
    return route;
  };
  const cookieAffinity = Boolean(p.cookieAffinity);
  if (canary) {
    const canarySvc = service(canary.backend.service, canary.backend.port, p.protocol);
    const { intent } = canary;
    const withHeader = (...headers: Obj[]): Obj => ({
      ...conds,
      conditions: withPathLast(
        conditions,
        headers.map((header) => ({ header })),
      ),
    });
    if (intent.byHeader) {
      if (intent.byHeaderValue !== undefined) bodies.push(finish(withHeader({ name: intent.byHeader, exact: intent.byHeaderValue }), [canarySvc], cookieAffinity));
      else if (intent.byHeaderPattern !== undefined) bodies.push(finish(withHeader({ name: intent.byHeader, regex: `.*(?:${intent.byHeaderPattern}).*` }), [canarySvc], cookieAffinity));
      else {
        bodies.push(finish(withHeader({ name: intent.byHeader, exact: 'always' }), [canarySvc], cookieAffinity));
        bodies.push(finish(withHeader({ name: intent.byHeader, exact: 'never' }), [mainline], cookieAffinity));
      }
    }
    if (intent.byCookie) {
      const cookie = escapeRe2(intent.byCookie);
      // nginx decides by header before cookie: the cookie routes only take requests whose
      // header did not decide (absent, or another value), which needs treatMissingAsEmpty.
      const headerUndecided = cookieGuard(intent, opts);
      bodies.push(finish(withHeader({ name: 'Cookie', regex: `(^|.*;\\s*)${cookie}=always(;.*|$)` }, ...headerUndecided), [canarySvc], cookieAffinity));
      bodies.push(finish(withHeader({ name: 'Cookie', regex: `(^|.*;\\s*)${cookie}=never(;.*|$)` }, ...headerUndecided), [mainline], cookieAffinity));
    }
    const { weight, total } = intent;
    if (weight <= 0) bodies.push(finish(base(), [mainline], cookieAffinity));
    else if (weight >= total) bodies.push(finish(base(), [canarySvc], cookieAffinity || Boolean(canary.cookieAffinity)));
    else
      bodies.push(
        finish(
          base(),
          [
            { ...mainline, weight: total - weight },
            { ...canarySvc, weight },
          ],
          cookieAffinity || Boolean(canary.cookieAffinity),
        ),
      );
    return bodies;
  }
  return [finish(base(), [mainline], cookieAffinity)];
}

/**
 * --defaults cluster: an idle timeout equal to the one Contour's configuration sets for every
 * stream (envoy.timeouts.streamIdleTimeout) is left off the route. The response timeout stays:
 * Contour has no cluster-wide one (a route without it gets Envoy's 15s), nor retries or websockets.
 */
function withoutClusterDefaults(t: TimeoutIntent, opts: EmitOptions): TimeoutIntent {
  const carried = opts.clusterDefaults?.idle;
  if (carried === undefined || t.idle !== carried) return t;
  const { idle: _carried, ...rest } = t;
  return rest;
}

/**
 * Header conditions first, the path condition last: Contour takes the kind of the merged path
 * match (exact or prefix) from the LAST condition of the chain (`mergePathMatchConditions` in
 * internal/dag/conditions.go), so `[{exact: /p}, {header}]` would become `prefix: /p` with the
 * header, sorted after the header-less `exact: /p` route: its requests would reach the mainline.
 */
export function withPathLast(path: Condition[], headers: Condition[]): Condition[] {
  return [...headers, ...path];
}

/** Header conditions that keep cookie routes from taking requests the canary header already decided. */
function cookieGuard(intent: CanaryIntent, opts: EmitOptions): Obj[] {
  if (!intent.byHeader || intent.byHeaderPattern !== undefined || !opts.caps.has('treatMissingAsEmpty')) return [];
  const values = intent.byHeaderValue !== undefined ? [intent.byHeaderValue] : ['always', 'never'];
  return values.map((v) => ({ name: intent.byHeader, notexact: v, treatMissingAsEmpty: true }));
}

function service(name: string, port: number, protocol: string | undefined): Obj {
  const s: Obj = { name, port };
  if (protocol) s.protocol = protocol;
  return s;
}

const escapeRe2 = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/**
 * ssl-passthrough makes the Contour virtual host a TLS one, which redirects plain HTTP to HTTPS.
 * nginx served plain HTTP normally on a passthrough host without spec.tls, so its routes stay on HTTP.
 */
function servesPlainHttp(host: VirtualHost): boolean {
  return Boolean(host.policy.sslPassthrough) && host.tls === undefined;
}
