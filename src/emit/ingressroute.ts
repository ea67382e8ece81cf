// IngressRoute (contour.heptio.com/v1beta1, Contour ≤1.5) emitter: roots
// delegate prefixes; children repeat full paths under the delegated prefix.
import { finding } from '../model/findings.js';
import type { Route, VirtualHost } from '../model/hosts.js';
import type { ChildPlan, Plan, RootPlan } from '../plan/plan.js';
import { HostNotes } from './notes.js';
import { delegationObjects, metadata, type EmitOptions, type Emitted, type KubeObject, type MetaOptions } from './objects.js';
import { NGINX_DEFAULT_TIMEOUTS as DEFAULT_TIMEOUTS } from '../model/nginx-defaults.js';

const API = 'contour.heptio.com/v1beta1';
type Obj = Record<string, unknown>;

export function emitIngressRoute(p: Plan, opts: EmitOptions): Emitted {
  const findings: Emitted['findings'] = [];
  const notes = new HostNotes(findings);
  const meta: MetaOptions = { contourClass: opts.contourClass, classAsAnnotation: true, generator: opts.generator };
  const objects: KubeObject[] = [];
  for (const o of delegationObjects(p, API, meta)) objects.push(o);
  const emptyChildren = new Set<ChildPlan>();
  for (const root of p.roots) {
    for (const child of root.aliasOf ? [] : root.children) {
      const routes = renderRoutes(child.routes, root.host, notes, opts.routeDefaults?.timeouts.idle);
      if (routes.length === 0) emptyChildren.add(child);
      else objects.push({ apiVersion: API, kind: 'IngressRoute', metadata: metadata(child.name, child.namespace, child.sources, meta), spec: { routes } });
    }
  }
  for (const tcp of p.tcpChildren) {
    objects.push({
      apiVersion: API,
      kind: 'IngressRoute',
      metadata: metadata(tcp.name, tcp.namespace, tcp.sources, meta),
      spec: { tcpproxy: { services: [{ name: tcp.backend.service, port: tcp.backend.port }] } },
    });
  }
  for (const root of p.roots) {
    const rendered = renderRoot({ ...root, children: root.children.filter((c) => !emptyChildren.has(c)) }, meta, notes, opts.routeDefaults?.timeouts.idle);
    if (rendered) objects.push(rendered);
  }
  notes.flush();
  return { objects, findings };
}

function renderRoot(root: RootPlan, meta: MetaOptions, notes: HostNotes, defaultIdle: string | undefined): KubeObject | undefined {
  const virtualhost: Obj = { fqdn: root.fqdn };
  if (root.tcpChild) virtualhost.tls = { passthrough: true };
  else if (root.tlsSecret) virtualhost.tls = { secretName: root.tlsSecret };
  const routes = [...renderRoutes(root.routes, root.host, notes, defaultIdle), ...root.children.map((c) => ({ match: c.prefix, delegate: { name: c.name, namespace: c.namespace } }))];
  if (routes.length === 0 && !root.tcpChild) {
    notes.add(finding('route.empty-host', 'error', { ingresses: root.sources, host: root.fqdn }, { reason: `no route of ${root.fqdn} could be converted, so no root is emitted for it` }));
    return undefined;
  }
  const spec: Obj = { virtualhost, routes };
  if (root.tcpChild) spec.tcpproxy = { delegate: { name: root.tcpChild.name, namespace: root.tcpChild.namespace } };
  return { apiVersion: API, kind: 'IngressRoute', metadata: metadata(root.name, root.namespace, root.sources, meta), spec };
}

function renderRoutes(routes: Route[], host: VirtualHost, notes: HostNotes, defaultIdle: string | undefined): Obj[] {
  const out: Obj[] = [];
  const fqdn = host.fqdn;
  // IngressRoute has only prefixes: an Exact path equal to a Prefix path of the host cannot coexist.
  const prefixPaths = new Set(host.routes.filter((r) => r.match.kind !== 'exact').map((r) => r.match.path));
  for (const r of routes) {
    const subject = { ingresses: [r.source.ingress], host: fqdn };
    const { kind, path } = r.match;
    // A fixed status (nginx's denied location) cannot be expressed; the verdict already says the paths are left out.
    // IngressRoute can answer neither a fixed status nor a redirect: nginx's implicit `/` stays a 404 by having no route.
    if (r.policy.deny || r.implicit) continue;
    if (kind === 'regex') {
      notes.add(finding('route.regex-unsupported', 'error', subject, { reason: 'IngressRoute has no regex paths' }), path);
      continue;
    }
    if (kind === 'exact' && prefixPaths.has(path)) {
      notes.add(
        finding('route.exact-approximated', 'warn', subject, { reason: 'IngressRoute has no exact match and the host has a Prefix path of the same name, which now also serves these Exact paths' }),
        path,
      );
      continue;
    }
    if (kind === 'exact') notes.add(finding('route.exact-approximated', 'warn', subject, { reason: 'IngressRoute has no exact match: these Exact paths also match everything below them' }), path);
    if (kind === 'dir' && !r.rewrite && !host.routes.some((o) => o.match.path === path.replace(/\/+$/, ''))) {
      notes.add(finding('route.trailing-slash-redirect', 'warn', subject, { target: 'IngressRoute' }), path.replace(/\/+$/, ''));
    }
    if (kind === 'segment' && path !== '/') {
      notes.add(finding('route.string-prefix', 'warn', subject, { target: 'IngressRoute' }), path);
    }
    if (kind === 'string' || r.rewrite)
      notes.add(finding('route.regex-mode', 'warn', subject, { reason: 'host in nginx regex mode: nginx matched these paths case-insensitively; IngressRoute matches them case-sensitively' }), path);
    for (const [match, rewrite] of matches(r)) out.push(routeBody(r, match, rewrite, host, defaultIdle));
  }
  return out;
}

/** IngressRoute's prefixRewrite is raw Envoy: /foo → / turns /foo/bar into //bar, so /foo/ and /foo get their own routes. */
function matches(r: Route): [string, string | undefined][] {
  const { kind, path } = r.match;
  if (!r.rewrite) return [[path, undefined]];
  const replacement = r.rewrite.replacement;
  const bare = path.replace(/\/+$/, '') || '/';
  const slashed = replacement.endsWith('/') ? replacement : `${replacement}/`;
  const trimmed = replacement.replace(/\/+$/, '') || '/';
  if (bare === '/') return [['/', replacement]];
  if (kind === 'dir') return [[`${bare}/`, slashed]];
  if (kind === 'string' && !path.endsWith('/')) return [[path, replacement]];
  return [
    [`${bare}/`, slashed],
    [bare, trimmed],
  ];
}

function routeBody(r: Route, match: string, rewrite: string | undefined, host: VirtualHost, defaultIdle: string | undefined): Obj {
  const p = r.policy;
  const strategy = p.cookieAffinity || r.canary?.cookieAffinity ? { strategy: 'Cookie' } : p.loadBalancer && p.loadBalancer.strategy !== 'RequestHash' ? { strategy: p.loadBalancer.strategy } : {};
  const validation = p.upstreamValidation ? { validation: { caSecret: p.upstreamValidation.caSecret, subjectName: p.upstreamValidation.subjectName } } : {};
  const services: Obj[] = [];
  const mainline = { name: r.backend.service, port: r.backend.port, ...strategy, ...validation };
  if (r.canary) {
    const { weight, total } = r.canary.intent;
    const canary = { name: r.canary.backend.service, port: r.canary.backend.port, ...strategy, ...validation };
    if (weight <= 0) services.push(mainline);
    else if (weight >= total) services.push(canary);
    else services.push({ ...mainline, weight: total - weight }, { ...canary, weight });
  } else services.push(mainline);
  const route: Obj = { match, services, enableWebsockets: true };
  if (p.permitInsecure && host.tls) route.permitInsecure = true;
  if (rewrite !== undefined) route.prefixRewrite = rewrite;
  route.timeoutPolicy = { request: p.timeouts?.idle ?? defaultIdle ?? DEFAULT_TIMEOUTS.idle };
  return route;
}
