// HTTPProxy (projectcontour.io/v1) emitter: roots with includes, children with
// conditions relative to their include prefix, TLSCertificateDelegations.
import { finding, type Finding } from '../model/findings.js';
import type { Route, VirtualHost } from '../model/hosts.js';
import type { CanaryIntent, RetryIntent, RoutePolicy, TimeoutIntent } from '../model/policy.js';
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
  const ctx: RouteContext = {
    opts,
    notes,
    parts: new Map(),
    retries: new Map(),
    timeouts: new Map(),
    timeoutValues: new Map(),
    retryValues: new Map(),
    servicesOf: undefined,
    services: NO_SERVICES,
  };
  const delegations = delegationObjects(p, API, meta);
  for (let i = 0; i < delegations.length; i++) objects.push(delegations[i]!);
  // withClass only where it changes something (a call per object otherwise); indexed loops: for-of
  // allocated an iterator result per root and child.
  const classInSpec = Boolean(opts.contourClass) && !meta.classAsAnnotation;
  const emptyChildren = new Set<ChildPlan>();
  const roots = p.roots;
  // p.children in their order, each with its host: plan adds them root by root, and the extra
  // roots (aliases, share the children of their host; www redirects, have none) add none.
  for (let ri = 0; ri < roots.length; ri++) {
    const root = roots[ri]!;
    if (root.aliasOf !== undefined) continue;
    const children = root.children;
    for (let ci = 0; ci < children.length; ci++) {
      const child = children[ci]!;
      const routes = renderRoutes(child.routes, child.prefix, root.host, ctx);
      // A child whose every route was left out would only be an include to nothing.
      if (routes.length === 0) emptyChildren.add(child);
      else {
        const obj: KubeObject = { apiVersion: API, kind: 'HTTPProxy', metadata: metadata(child.name, child.namespace, child.sources, meta), spec: { routes } };
        objects.push(classInSpec ? withClass(obj, opts, meta) : obj);
      }
    }
  }
  for (let i = 0; i < p.tcpChildren.length; i++) objects.push(withClass(tcpChild(p.tcpChildren[i]!, meta), opts, meta));
  for (let ri = 0; ri < roots.length; ri++) {
    const root = roots[ri]!;
    const children = emptyChildren.size === 0 ? root.children : withoutEmpty(root.children, emptyChildren);
    const rendered = renderRoot(children === root.children ? root : { ...root, children }, meta, ctx);
    if (rendered) objects.push(classInSpec ? withClass(rendered, opts, meta) : rendered);
  }
  notes.flush();
  return { objects, findings };
}

/** The children that are not empty; the list itself when none is (a copy of the root only for roots that lost a child). */
function withoutEmpty(children: ChildPlan[], empty: Set<ChildPlan>): ChildPlan[] {
  for (let i = 0; i < children.length; i++) if (empty.has(children[i]!)) return children.filter((c) => !empty.has(c));
  return children;
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

function renderRoot(root: RootPlan, meta: MetaOptions, ctx: RouteContext): KubeObject | undefined {
  const { opts, notes } = ctx;
  const host = root.host;
  // Objects below are made as literals of their final shape where it is common: a property added
  // to a literal afterwards goes to a separate property array, kept with the object to the end.
  const tls: Obj | undefined = root.tcpChild ? { passthrough: true } : root.tlsSecret ? { secretName: root.tlsSecret } : undefined;
  if (root.redirectTo) {
    // from-to-www-redirect: the counterpart name only redirects to the host, keeping the path.
    const statusCode = opts.caps.has('redirect30x') ? 308 : 301;
    const virtualhost: Obj = tls ? { fqdn: root.fqdn, tls } : { fqdn: root.fqdn };
    const spec: Obj = { virtualhost, routes: [{ requestRedirectPolicy: { hostname: root.redirectTo, statusCode } }] };
    return { apiVersion: API, kind: 'HTTPProxy', metadata: metadata(root.name, root.namespace, root.sources, meta), spec };
  }
  const policy = host.policy;
  let cors: Obj | undefined;
  if (policy.cors) {
    const c = policy.cors;
    const anyOrigin = c.allowOrigin.includes('*');
    cors = { allowOrigin: c.allowOrigin, allowMethods: c.allowMethods };
    // A copy of its size: the model's list was grown by push, and the root keeps this one to the end.
    if (c.allowHeaders.length > 0) cors.allowHeaders = c.allowHeaders.slice();
    if (c.exposeHeaders.length > 0) cors.exposeHeaders = c.exposeHeaders;
    // Envoy echoes the request's Origin where nginx answered `*`: with credentials that would let
    // every site make credentialed requests, which browsers refused with nginx's `*`.
    cors.allowCredentials = c.allowCredentials && !anyOrigin;
    cors.maxAge = c.maxAge;
    if (!root.aliasOf) notes.add(corsFinding(host, c.allowCredentials, anyOrigin));
  }
  const fqdn = root.fqdn;
  const virtualhost: Obj = tls ? (cors ? { fqdn, tls, corsPolicy: cors } : { fqdn, tls }) : cors ? { fqdn, corsPolicy: cors } : { fqdn };
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
  const includes = root.children.map(include);
  const own = renderRoutes(root.routes, '/', host, ctx);
  // No spread copy of every root's routes: most hosts have no app-root.
  const routes = host.policy.appRoot ? [appRootRoute(host.policy.appRoot), ...own] : own;
  const spec: Obj = includes.length > 0 ? (routes.length > 0 ? { virtualhost, includes, routes } : { virtualhost, includes }) : routes.length > 0 ? { virtualhost, routes } : { virtualhost };
  if (root.tcpChild) spec.tcpproxy = { include: { name: root.tcpChild.name, namespace: root.tcpChild.namespace } };
  if (!spec.includes && !spec.routes && !spec.tcpproxy) {
    notes.add(finding('route.empty-host', 'error', { ingresses: root.sources, host: root.fqdn }, { reason: `no route of ${root.fqdn} could be converted, so no root is emitted for it` }));
    return undefined;
  }
  return { apiVersion: API, kind: 'HTTPProxy', metadata: metadata(root.name, root.namespace, root.sources, meta), spec };
}

/** A root's include of a child. */
function include(c: ChildPlan): Obj {
  return c.prefix !== '/' ? { name: c.name, namespace: c.namespace, conditions: [{ prefix: c.prefix }] } : { name: c.name, namespace: c.namespace };
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
function appRootRoute(appRoot: string): Obj {
  return { conditions: [{ exact: '/' }], requestRedirectPolicy: { path: appRoot, statusCode: 302 } };
}

interface HostFacts {
  routes: Route[];
  /** The paths of exact routes, and of exact or segment routes; on hosts of more than SCAN_ROUTES routes only (smaller ones are scanned). */
  exactPaths: Set<string> | undefined;
  claimed: Set<string> | undefined;
  longestLiteral: number;
}

/** Most hosts have a few routes: scanning them costs less than two Sets per host. */
const SCAN_ROUTES = 8;

/** Whether the host has an exact route of this path. */
function hasExactPath(facts: HostFacts, path: string): boolean {
  if (facts.exactPaths) return facts.exactPaths.has(path);
  const routes = facts.routes;
  for (let i = 0; i < routes.length; i++) if (routes[i]!.match.kind === 'exact' && routes[i]!.match.path === path) return true;
  return false;
}

/** Whether the host has an exact or segment route of this path (a location of its own). */
function isClaimed(facts: HostFacts, path: string): boolean {
  if (facts.claimed) return facts.claimed.has(path);
  const routes = facts.routes;
  for (let i = 0; i < routes.length; i++) {
    const m = routes[i]!.match;
    if ((m.kind === 'exact' || m.kind === 'segment') && m.path === path) return true;
  }
  return false;
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
    const routes = host.routes;
    const many = routes.length > SCAN_ROUTES;
    const exactPaths = many ? new Set<string>() : undefined;
    const claimed = many ? new Set<string>() : undefined;
    let longestLiteral = 0;
    for (let i = 0; i < routes.length; i++) {
      const { kind, path } = routes[i]!.match;
      if (kind === 'exact') exactPaths?.add(path);
      if (kind === 'exact' || kind === 'segment') claimed?.add(path);
      if (kind !== 'regex' && path.length > longestLiteral) longestLiteral = path.length;
    }
    facts = { routes: host.routes, exactPaths, claimed, longestLiteral };
    factsCache.set(host, facts);
  }
  return facts;
}

interface PathEntry {
  conditions: Condition[];
  /** The bare-path companion of a `Prefix /foo/` path: nginx answers it with a 301 to this path. */
  redirectTo?: string;
}

/** What one emitHttpProxy call keeps across its routes. */
interface RouteContext {
  opts: EmitOptions;
  notes: HostNotes;
  /** The policy-only parts of a route, built once per route policy (an Ingress's routes share it). */
  parts: Map<RoutePolicy, PolicyParts>;
  /** retryPolicy per retry intent: the controller's default intent is shared by most routes. */
  retries: Map<RetryIntent, Obj | undefined>;
  /** timeoutPolicy per timeout intent, likewise. */
  timeouts: Map<TimeoutIntent, Obj>;
  /** timeoutPolicy per distinct value (keys and values in order). */
  timeoutValues: Map<string, Obj>;
  /** retryPolicy per distinct value. */
  retryValues: Map<string, Obj>;
  /** The route whose one-service list `services` is: the exact and prefix routes of a segment path share it. */
  servicesOf: Route | undefined;
  services: Obj[];
}

/** What renderRoutes knows of the host and include prefix it renders routes for. */
interface PathContext {
  prefix: string;
  fqdn: string;
  opts: EmitOptions;
  notes: HostNotes;
  facts: HostFacts;
  rx: RegexModePlan | undefined;
}

// Sub-objects many routes share, never mutated after emission (the writer and JSON only read
// them): shared, they are allocated and retained once instead of once per route.
// Frozen, so the YAML writer renders each once per depth (serialize.ts frozenBlock).
const ROOT_PREFIX = Object.freeze([Object.freeze({ prefix: '/' }) as Condition]) as Condition[];
const NO_CONDITIONS: Condition[] = [];
const NO_SERVICES: Obj[] = [];
const COOKIE_BALANCING: Obj = Object.freeze({ strategy: 'Cookie' });
/** The directResponsePolicy of denied routes (403, 4k at 20k Ingresses): one per status code. */
const DENY_403: Obj = Object.freeze({ statusCode: 403 });
const directResponse = (statusCode: number): Obj => (statusCode === 403 ? DENY_403 : { statusCode });
const AUTH_DISABLED: Obj = Object.freeze({ disabled: true });

function renderRoutes(routes: Route[], prefix: string, host: VirtualHost, ctx: RouteContext): Obj[] {
  const { opts, notes } = ctx;
  const out: Obj[] = [];
  const rx = host.regexMode && opts.caps.has('regexPath') ? regexPlanOf(host) : undefined;
  const pc: PathContext = { prefix, fqdn: host.fqdn, opts, notes, facts: hostFacts(host), rx };
  // Indexed loops: for-of allocated an iterator result per route and entry (renderRoutes runs per child).
  for (let ri = 0; ri < routes.length; ri++) {
    const r = routes[ri]!;
    if (r.policy.deny) {
      // Without directResponsePolicy the verdict already says these paths are left out.
      if (opts.caps.has('directResponse')) denyRoutes(r, r.policy.deny.statusCode, host, pc, out);
      continue;
    }
    const entries = pathConditions(r, pc);
    for (let ei = 0; ei < entries.length; ei++) {
      const e = entries[ei]!;
      if (e.redirectTo !== undefined) out.push(redirectRoute(e.conditions, { path: e.redirectTo, statusCode: 301 }));
      else {
        if (r.policy.forceSslRedirect && !host.tls) out.push(forceSslRoute(r.policy.forceSslRedirect.statusCode, e.conditions, opts));
        routeBodies(r, e.conditions, host, ctx, out);
      }
    }
  }
  // Emitted and kept to the end: a list grown by push keeps room for 17 routes (128 bytes spare
  // for the one route most children have); the copy is of its size.
  return out.slice();
}

/**
 * The routes of a denied location: a function of its own (a rare branch kept out of renderRoutes'
 * compiled code), each route a literal of its final shape.
 */
function denyRoutes(r: Route, statusCode: number, host: VirtualHost, pc: PathContext, out: Obj[]): void {
  const insecure = (r.policy.permitInsecure && host.tls) || servesPlainHttp(host);
  const directResponsePolicy = directResponse(statusCode);
  const entries = pathConditions(r, pc);
  for (let ei = 0; ei < entries.length; ei++) {
    const conditions = entries[ei]!.conditions;
    if (conditions.length > 0) out.push(insecure ? { conditions, permitInsecure: true, directResponsePolicy } : { conditions, directResponsePolicy });
    else out.push(insecure ? { permitInsecure: true, directResponsePolicy } : { directResponsePolicy });
  }
}

/** A redirect route, with its conditions when it has any. */
function redirectRoute(conditions: Condition[], requestRedirectPolicy: Obj): Obj {
  return conditions.length > 0 ? { conditions, requestRedirectPolicy } : { requestRedirectPolicy };
}

const prefixCond = (p: string): Condition[] => (p === '' ? NO_CONDITIONS : p === '/' ? ROOT_PREFIX : [{ prefix: p }]);

const REGEX_MODE = 'host in nginx regex mode (use-regex or rewrite-target on one of its Ingresses): nginx matched every path case-insensitively; ';
const REGEX_MODE_PREFIXES = `${REGEX_MODE}the literal paths became case-sensitive string prefixes`;
const REGEX_MODE_DEMOTED = `${REGEX_MODE}a rewritten path nginx tried first overlaps these literal paths and Contour tries every regex route before any prefix route, so they stay case-sensitive string prefixes`;
const REGEX_MODE_NO_REGEX = `${REGEX_MODE}the literal paths became case-sensitive string prefixes (case-insensitive regex conditions need HTTPProxy, Contour ${HTTPPROXY_FEATURES.regexPath}+)`;
const EXACT_APPROXIMATED = `exact paths became prefix matches (exact match needs Contour ${HTTPPROXY_FEATURES.exactPath}+ or a path below the include prefix)`;
const REGEX_NEEDS_CONDITIONS = `needs regex path conditions (HTTPProxy, Contour ${HTTPPROXY_FEATURES.regexPath}+)`;

const regexModeNote = (pc: PathContext, r: Route, reason: string): void => pc.notes.addPath('route.regex-mode', 'warn', pc.fqdn, r.source.ingress, 'reason', reason, r.match.path);
const stringPrefixNote = (pc: PathContext, r: Route): void => pc.notes.addPath('route.string-prefix', 'warn', pc.fqdn, r.source.ingress, 'target', 'Contour', r.match.path);

/** nginx answers a path ending in `/` (Prefix, or Exact) without its slash with a 301 to the slash form. */
function slashRedirect(pc: PathContext, r: Route, entries: PathEntry[]): PathEntry[] {
  const path = r.match.path;
  if (!path.endsWith('/')) return entries;
  const bare = path.replace(/\/+$/, '');
  if (bare === '' || isClaimed(pc.facts, bare)) return entries;
  const bareRel = relativePath(bare, pc.prefix);
  if (pc.opts.caps.has('exactPath') && pc.opts.caps.has('requestRedirect') && bareRel !== '' && !bareRel.endsWith('/')) entries.push({ conditions: [{ exact: bareRel }], redirectTo: path });
  else pc.notes.addPath('route.trailing-slash-redirect', 'warn', pc.fqdn, r.source.ingress, 'target', 'Contour', bare);
  return entries;
}

function pathConditions(r: Route, pc: PathContext): PathEntry[] {
  const { kind, path } = r.match;
  const { prefix, fqdn, opts, rx } = pc;
  const rel = relativePath(path, prefix);
  // In regex mode nginx tries `~* "^<path>"` locations in order; an earlier one with the same regex takes every request.
  const shadowed = rx?.shadowedBy.get(r);
  if (shadowed) {
    pc.notes.add(
      finding(
        'route.duplicate-path',
        'warn',
        { ingresses: [r.source.ingress], host: fqdn, path: r.originalPath },
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
  if (r.rewrite) regexModeNote(pc, r, REGEX_MODE_PREFIXES);
  switch (kind) {
    case 'exact':
      if (opts.caps.has('exactPath') && rel !== '') return slashRedirect(pc, r, [{ conditions: [{ exact: rel }] }]);
      pc.notes.addPath('route.exact-approximated', 'warn', fqdn, r.source.ingress, 'reason', EXACT_APPROXIMATED, path);
      return [{ conditions: prefixCond(rel) }];
    case 'segment':
      if (path === '/') return [{ conditions: prefixCond(rel) }];
      if (r.rewrite) {
        // Contour expands a rewritten prefix itself (/foo and /foo/), as a string prefix.
        stringPrefixNote(pc, r);
        return [{ conditions: prefixCond(rel) }];
      }
      if (opts.caps.has('exactPath') && rel !== '') {
        if (hasExactPath(pc.facts, path)) return [{ conditions: [{ prefix: `${rel}/` }] }];
        return [{ conditions: [{ exact: rel }] }, { conditions: [{ prefix: `${rel}/` }] }];
      }
      stringPrefixNote(pc, r);
      return [{ conditions: prefixCond(rel) }];
    case 'dir': {
      if (r.rewrite) {
        stringPrefixNote(pc, r);
        return [{ conditions: prefixCond(rel.replace(/\/+$/, '')) }];
      }
      return slashRedirect(pc, r, [{ conditions: prefixCond(rel) }]);
    }
    case 'string': {
      const re = rx?.regex.get(r);
      if (re !== undefined && prefix === '/') return [{ conditions: [{ regex: re }] }];
      if (path === '/') return [{ conditions: prefixCond(rel) }];
      regexModeNote(pc, r, rx?.demoted.has(r) ? REGEX_MODE_DEMOTED : !opts.caps.has('regexPath') ? REGEX_MODE_NO_REGEX : REGEX_MODE_PREFIXES);
      return [{ conditions: prefixCond(rel) }];
    }
    case 'regex': {
      const re2 = nginxRegexToRe2(path);
      // A path RE2 takes has no PCRE-only construct: parsed again only when it failed.
      const construct = re2 === undefined ? pcreOnly(path) : undefined;
      if (!opts.caps.has('regexPath') || construct || !re2 || prefix !== '/') {
        const why = construct
          ? `uses ${construct}, which RE2 does not support`
          : !re2
            ? 'does not start with /'
            : prefix !== '/'
              ? 'regex paths cannot sit below an include prefix'
              : REGEX_NEEDS_CONDITIONS;
        pc.notes.addPath('route.regex-unsupported', 'error', fqdn, r.source.ingress, 'reason', why, path);
        return [];
      }
      if (rx ? rx.outOfOrder.has(r) : pc.facts.longestLiteral > path.length) pc.notes.addPath('route.regex-order', 'warn', fqdn, r.source.ingress, undefined, '', path);
      return [{ conditions: [{ regex: rx?.regex.get(r) ?? re2 }] }];
    }
  }
}

/** force-ssl-redirect on a host without TLS: redirect requests the load balancer received over HTTP. */
function forceSslRoute(statusCode: number, conditions: Condition[], opts: EmitOptions): Obj {
  const header: Obj = { name: 'X-Forwarded-Proto', notexact: 'https' };
  if (opts.caps.has('treatMissingAsEmpty')) header.treatMissingAsEmpty = true;
  return { conditions: withPathLast(conditions, [{ header }]), requestRedirectPolicy: { scheme: 'https', statusCode } };
}

/** The parts of a route that depend on its policy alone, in the order they are written. */
interface PolicyParts {
  validation: Obj | undefined;
  mirror: Obj | undefined;
  timeoutPolicy: Obj;
  retryPolicy: Obj | undefined;
  loadBalancerPolicy: Obj | undefined;
  requestHeadersPolicy: Obj | undefined;
  responseHeadersPolicy: Obj | undefined;
  ipAllowPolicy: Obj[] | undefined;
  ipDenyPolicy: Obj[] | undefined;
  rateLimitPolicy: Obj | undefined;
}

function partsOf(p: RoutePolicy, ctx: RouteContext): PolicyParts {
  let parts = ctx.parts.get(p);
  if (parts) return parts;
  const opts = ctx.opts;
  const ipSource = opts.ipSource ?? 'Peer';
  const retry = p.retry ?? (opts.caps.has('retryOn') ? (opts.routeDefaults ? opts.routeDefaults.retry : NGINX_DEFAULT_RETRY) : undefined);
  parts = {
    validation: p.upstreamValidation ? { caSecret: p.upstreamValidation.caSecret, subjectName: p.upstreamValidation.subjectName } : undefined,
    mirror: p.mirror ? { name: p.mirror.service, port: p.mirror.port, mirror: true } : undefined,
    timeoutPolicy: timeoutPolicyOf(p.timeouts ?? opts.routeDefaults?.timeouts ?? DEFAULT_TIMEOUTS, ctx),
    retryPolicy: retry ? retryPolicyOf(retry, ctx) : undefined,
    loadBalancerPolicy: p.loadBalancer
      ? p.loadBalancer.requestHashPolicies
        ? { strategy: p.loadBalancer.strategy, requestHashPolicies: p.loadBalancer.requestHashPolicies }
        : { strategy: p.loadBalancer.strategy }
      : undefined,
    requestHeadersPolicy: p.requestHeadersSet && p.requestHeadersSet.length > 0 ? { set: p.requestHeadersSet.map((h) => ({ name: h.name, value: h.value })) } : undefined,
    responseHeadersPolicy: p.responseHeadersSet && p.responseHeadersSet.length > 0 ? { set: p.responseHeadersSet.map((h) => ({ name: h.name, value: h.value })) } : undefined,
    ipAllowPolicy: p.ipAllow ? ipPolicy(p.ipAllow, ipSource) : undefined,
    ipDenyPolicy: !p.ipAllow && p.ipDeny ? ipPolicy(p.ipDeny, ipSource) : undefined,
    rateLimitPolicy: p.rateLimit ? { local: { requests: p.rateLimit.requests, unit: p.rateLimit.unit, burst: p.rateLimit.burst, responseStatusCode: 503 } } : undefined,
  };
  ctx.parts.set(p, parts);
  return parts;
}

/** An IP allow or deny list (a function, not closures over the source: those made partsOf allocate a context per policy). */
function ipPolicy(cidrs: string[], source: string): Obj[] {
  const out = new Array<Obj>(cidrs.length);
  for (let i = 0; i < cidrs.length; i++) out[i] = { source, cidr: cidrs[i] };
  return out;
}

/**
 * A frozen copy (the intent belongs to the model), one per intent and one per distinct value:
 * each Ingress with timeout annotations has an intent of its own (9.4k at 20k Ingresses), mostly
 * equal, and each frozen spread copy also had a hidden class of its own (≈ 180 bytes each).
 */
function timeoutPolicyOf(timeouts: TimeoutIntent, ctx: RouteContext): Obj {
  let policy = ctx.timeouts.get(timeouts);
  if (!policy) {
    const carried = withoutClusterDefaults(timeouts, ctx.opts);
    // Keys in their order with their values: equal keys give equal output.
    let key = '';
    for (const k in carried) {
      const v = carried[k as keyof TimeoutIntent];
      key += `${k}\n${v === undefined ? '\0' : v}\n`;
    }
    policy = ctx.timeoutValues.get(key);
    if (!policy) {
      policy = Object.freeze({ ...carried });
      ctx.timeoutValues.set(key, policy);
    }
    ctx.timeouts.set(timeouts, policy);
  }
  return policy;
}

function retryPolicyOf(retry: RetryIntent, ctx: RouteContext): Obj | undefined {
  if (ctx.retries.has(retry)) return ctx.retries.get(retry);
  // No retryPolicy means no retries in Contour, which is what "off" asks for.
  let rp: Obj | undefined;
  if (retry.count !== -1) {
    // One per distinct value too (an Ingress with retry annotations has an intent of its own).
    const retryOn = retry.retryOn && retry.retryOn.length > 0 ? retry.retryOn : undefined;
    const codes = retry.retriableStatusCodes;
    const key = `${retry.count}\n${retryOn ? retryOn.join('\0') : '\u0001'}\n${codes ? codes.join(',') : '\u0001'}`;
    rp = ctx.retryValues.get(key);
    if (!rp) {
      rp = { count: retry.count };
      // Frozen through and through: the writer keeps a frozen object's text (serialize.ts), and the lists belong to the model.
      if (retryOn) rp.retryOn = Object.freeze([...retryOn]);
      if (codes) rp.retriableStatusCodes = Object.freeze([...codes]);
      Object.freeze(rp);
      ctx.retryValues.set(key, rp);
    }
  }
  ctx.retries.set(retry, rp);
  return rp;
}

/** The route of one set of conditions and services, with everything the policy adds. */
function finish(r: Route, host: VirtualHost, parts: PolicyParts, conditions: Condition[], services: Obj[], cookie: boolean): Obj {
  const p = r.policy;
  const validation = parts.validation;
  let list = validation ? withValidation(services, validation) : services;
  // Appended as concat does, to a list of its size (push left room for 17 in a list kept to the end).
  if (parts.mirror) list = list.concat(parts.mirror);
  const insecure = p.permitInsecure || servesPlainHttp(host);
  const timeoutPolicy = parts.timeoutPolicy;
  const retryPolicy = parts.retryPolicy;
  // The common shapes as one literal each, in the order of the keys: a property added to a
  // literal afterwards goes to a separate property array (16-32 bytes more per route, kept to the end).
  let route: Obj;
  if (conditions.length > 0) {
    if (insecure)
      route = retryPolicy
        ? { conditions, services: list, permitInsecure: true, enableWebsockets: true, timeoutPolicy, retryPolicy }
        : { conditions, services: list, permitInsecure: true, enableWebsockets: true, timeoutPolicy };
    else route = retryPolicy ? { conditions, services: list, enableWebsockets: true, timeoutPolicy, retryPolicy } : { conditions, services: list, enableWebsockets: true, timeoutPolicy };
  } else if (insecure)
    route = retryPolicy
      ? { services: list, permitInsecure: true, enableWebsockets: true, timeoutPolicy, retryPolicy }
      : { services: list, permitInsecure: true, enableWebsockets: true, timeoutPolicy };
  else route = retryPolicy ? { services: list, enableWebsockets: true, timeoutPolicy, retryPolicy } : { services: list, enableWebsockets: true, timeoutPolicy };
  // nginx: a sticky cookie wins over the balancing algorithm.
  if (cookie) route.loadBalancerPolicy = COOKIE_BALANCING;
  else if (parts.loadBalancerPolicy) route.loadBalancerPolicy = parts.loadBalancerPolicy;
  if (parts.requestHeadersPolicy) route.requestHeadersPolicy = parts.requestHeadersPolicy;
  if (parts.responseHeadersPolicy) route.responseHeadersPolicy = parts.responseHeadersPolicy;
  if (r.rewrite) route.pathRewritePolicy = { replacePrefix: [{ replacement: r.rewrite.replacement }] };
  if (parts.ipAllowPolicy) route.ipAllowPolicy = parts.ipAllowPolicy;
  else if (parts.ipDenyPolicy) route.ipDenyPolicy = parts.ipDenyPolicy;
  if (parts.rateLimitPolicy) route.rateLimitPolicy = parts.rateLimitPolicy;
  // Contour authorizes the whole host; nginx only the Ingresses that set auth-url.
  if (host.policy.authorization && !p.authRequired) route.authPolicy = AUTH_DISABLED;
  return route;
}

/** Services with the upstream validation (a function: a closure over `validation` in finish allocated a context per route). */
function withValidation(services: Obj[], validation: Obj): Obj[] {
  // Sized up front as map() would: the list is emitted and kept.
  const out = new Array<Obj>(services.length);
  for (let i = 0; i < services.length; i++) out[i] = serviceWith(services[i]!, services[i]!.weight as number | undefined, validation);
  return out;
}

/** Appends the routes of one nginx location and one set of path conditions to `out`. */
function routeBodies(r: Route, conditions: Condition[], host: VirtualHost, ctx: RouteContext, out: Obj[]): void {
  const p = r.policy;
  if (p.redirect) {
    const redirect: Obj = {};
    if (p.redirect.scheme) redirect.scheme = p.redirect.scheme;
    if (p.redirect.hostname) redirect.hostname = p.redirect.hostname;
    if (p.redirect.port) redirect.port = p.redirect.port;
    if (p.redirect.path) redirect.path = p.redirect.path;
    redirect.statusCode = p.redirect.statusCode;
    out.push(redirectRoute(conditions, redirect));
    return;
  }
  const parts = partsOf(p, ctx);
  const cookieAffinity = Boolean(p.cookieAffinity);
  const canary = r.canary;
  if (!canary) {
    // Emitted lists are only read (the writer and JSON), so the routes of one location share theirs.
    if (ctx.servicesOf !== r) {
      ctx.servicesOf = r;
      ctx.services = [service(r.backend.service, r.backend.port, p.protocol)];
    }
    out.push(finish(r, host, parts, conditions, ctx.services, cookieAffinity));
    return;
  }
  const mainline = service(r.backend.service, r.backend.port, p.protocol);
  const canarySvc = service(canary.backend.service, canary.backend.port, p.protocol);
  const { intent } = canary;
  if (intent.byHeader) {
    if (intent.byHeaderValue !== undefined) out.push(finish(r, host, parts, withHeader(conditions, { name: intent.byHeader, exact: intent.byHeaderValue }), [canarySvc], cookieAffinity));
    else if (intent.byHeaderPattern !== undefined)
      out.push(finish(r, host, parts, withHeader(conditions, { name: intent.byHeader, regex: `.*(?:${intent.byHeaderPattern}).*` }), [canarySvc], cookieAffinity));
    else {
      out.push(finish(r, host, parts, withHeader(conditions, { name: intent.byHeader, exact: 'always' }), [canarySvc], cookieAffinity));
      out.push(finish(r, host, parts, withHeader(conditions, { name: intent.byHeader, exact: 'never' }), [mainline], cookieAffinity));
    }
  }
  if (intent.byCookie) {
    const cookie = escapeRe2(intent.byCookie);
    // nginx decides by header before cookie: the cookie routes only take requests whose
    // header did not decide (absent, or another value), which needs treatMissingAsEmpty.
    const headerUndecided = cookieGuard(intent, ctx.opts);
    out.push(finish(r, host, parts, withHeader(conditions, { name: 'Cookie', regex: `(^|.*;\\s*)${cookie}=always(;.*|$)` }, ...headerUndecided), [canarySvc], cookieAffinity));
    out.push(finish(r, host, parts, withHeader(conditions, { name: 'Cookie', regex: `(^|.*;\\s*)${cookie}=never(;.*|$)` }, ...headerUndecided), [mainline], cookieAffinity));
  }
  const { weight, total } = intent;
  if (weight <= 0) out.push(finish(r, host, parts, conditions, [mainline], cookieAffinity));
  else if (weight >= total) out.push(finish(r, host, parts, conditions, [canarySvc], cookieAffinity || Boolean(canary.cookieAffinity)));
  else out.push(finish(r, host, parts, conditions, [serviceWith(mainline, total - weight, undefined), serviceWith(canarySvc, weight, undefined)], cookieAffinity || Boolean(canary.cookieAffinity)));
}

/**
 * The path conditions after header conditions on these headers. A module function, not a closure in
 * routeBodies: one over `conditions` made every call (one per route) allocate a context for it.
 */
function withHeader(conditions: Condition[], ...headers: Obj[]): Condition[] {
  return withPathLast(
    conditions,
    headers.map((header) => ({ header })),
  );
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
  // A list of its size: the spread grew it with room to spare, and routes keep it to the end.
  const out = new Array<Condition>(headers.length + path.length);
  for (let i = 0; i < headers.length; i++) out[i] = headers[i]!;
  for (let i = 0; i < path.length; i++) out[headers.length + i] = path[i]!;
  return out;
}

/** Header conditions that keep cookie routes from taking requests the canary header already decided. */
function cookieGuard(intent: CanaryIntent, opts: EmitOptions): Obj[] {
  if (!intent.byHeader || intent.byHeaderPattern !== undefined || !opts.caps.has('treatMissingAsEmpty')) return [];
  const values = intent.byHeaderValue !== undefined ? [intent.byHeaderValue] : ['always', 'never'];
  return values.map((v) => ({ name: intent.byHeader, notexact: v, treatMissingAsEmpty: true }));
}

function service(name: string, port: number, protocol: string | undefined): Obj {
  return protocol ? { name, port, protocol } : { name, port };
}

/**
 * A copy of a service with a weight and/or a validation, as literals: a spread plus a key made
 * a hidden class of its own for each copy.
 */
function serviceWith(s: Obj, weight: number | undefined, validation: Obj | undefined): Obj {
  const { name, port, protocol } = s;
  if (protocol === undefined) {
    if (weight === undefined) return validation ? { name, port, validation } : { name, port };
    return validation ? { name, port, weight, validation } : { name, port, weight };
  }
  if (weight === undefined) return validation ? { name, port, protocol, validation } : { name, port, protocol };
  return validation ? { name, port, protocol, weight, validation } : { name, port, protocol, weight };
}

const escapeRe2 = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/**
 * ssl-passthrough makes the Contour virtual host a TLS one, which redirects plain HTTP to HTTPS.
 * nginx served plain HTTP normally on a passthrough host without spec.tls, so its routes stay on HTTP.
 */
function servesPlainHttp(host: VirtualHost): boolean {
  return Boolean(host.policy.sslPassthrough) && host.tls === undefined;
}
