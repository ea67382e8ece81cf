// Splits the route table into Contour objects: a root per fqdn (and per alias)
// in the root namespace, children per namespace with delegated prefixes, and
// TLSCertificateDelegations for secrets that live outside the root namespace.
import type { Capabilities } from '../model/contour.js';
import { finding, findingAbout, type Finding } from '../model/findings.js';
import { sortedUnique, type Backend, type Route, type VirtualHost } from '../model/hosts.js';
import { sortStrings } from '../model/sort.js';
import { groupByPrefix, prefixesPossible, scopesNamespaces, type GroupOptions, type IncludeScope, type RouteGroup } from './delegation.js';
import { NameAllocator, pathSlug } from './names.js';

export type Layout = 'root-namespace' | 'app-namespace';

export interface PlanOptions {
  caps: Capabilities;
  rootNamespace: string;
  includeScope: IncludeScope;
  layout: Layout;
}

export interface ChildPlan {
  name: string;
  namespace: string;
  fqdn: string;
  /** Delegated prefix; `/` = no conditions. */
  prefix: string;
  routes: Route[];
  sources: string[];
}

export interface TcpChildPlan {
  name: string;
  namespace: string;
  backend: Backend;
  sources: string[];
}

export interface RootPlan {
  name: string;
  namespace: string;
  fqdn: string;
  host: VirtualHost;
  /** Routes placed in the root itself (those of the root's own namespace). */
  routes: Route[];
  children: ChildPlan[];
  tcpChild?: TcpChildPlan;
  /** `ns/name` or `name` reference to the TLS secret. */
  tlsSecret?: string;
  /** Set on the extra roots made for server-alias. */
  aliasOf?: string;
  /** from-to-www-redirect: this root only redirects to that host. */
  redirectTo?: string;
  /** `ns/name` or `name` of the CA secret for client certificates. */
  clientCaSecret?: string;
  sources: string[];
}

export interface DelegationPlan {
  namespace: string;
  secretName: string;
  targetNamespaces: string[];
}

export interface Plan {
  roots: RootPlan[];
  children: ChildPlan[];
  tcpChildren: TcpChildPlan[];
  delegations: DelegationPlan[];
  findings: Finding[];
}

export function plan(hosts: VirtualHost[], opts: PlanOptions): Plan {
  const httpproxy = opts.caps.target === 'httpproxy';
  // The two option sets of groupRoutes, made once instead of once per host.
  const groupOptions: GroupOptions = { scope: opts.includeScope, exactNeedsParent: httpproxy && opts.caps.has('exactPath'), regexMode: false };
  const ctx: PlanContext = {
    opts,
    hosts,
    httpproxy,
    groupOptions,
    regexGroupOptions: { ...groupOptions, regexMode: true },
    names: new NameAllocator(),
    out: { roots: [], children: [], tcpChildren: [], delegations: [], findings: [] },
    delegations: new Map(),
    byNamespace: newRouteSplit(),
    knownHosts: undefined,
  };
  // One function per host rather than one loop body: it is optimized as a whole once hot (a
  // loop this size would wait for on-stack replacement, and compile slower).
  for (let h = 0; h < hosts.length; h++) planHost(hosts[h]!, ctx);
  const out = ctx.out;
  out.delegations = [...ctx.delegations.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.secretName < b.secretName ? -1 : 1));
  return out;
}

/** What planning one host needs from the run. */
interface PlanContext {
  opts: PlanOptions;
  hosts: VirtualHost[];
  httpproxy: boolean;
  groupOptions: GroupOptions;
  regexGroupOptions: GroupOptions;
  names: NameAllocator;
  out: Plan;
  delegations: Map<string, DelegationPlan>;
  /** Reused host after host. */
  byNamespace: RouteSplit;
  /** Only from-to-www-redirect asks which hosts exist. */
  knownHosts: Set<string> | undefined;
}

function planHost(host: VirtualHost, ctx: PlanContext): void {
  const { opts, names, out, byNamespace } = ctx;
  const rootNamespace = opts.layout === 'app-namespace' ? appRootNamespace(host, opts.rootNamespace) : opts.rootNamespace;
  // Every field in the literal, in one order: roots keep one shape (a field added later costs
  // a property store per root), and the alias and redirect copies share it.
  const root: RootPlan = {
    name: names.allocate(rootNamespace, host.fqdn, `root ${host.fqdn}`),
    namespace: rootNamespace,
    fqdn: host.fqdn,
    host,
    routes: splitByNamespace(host.routes, rootNamespace, byNamespace),
    children: NO_CHILDREN,
    tcpChild: undefined,
    tlsSecret: undefined,
    aliasOf: undefined,
    redirectTo: undefined,
    clientCaSecret: undefined,
    sources: host.sources,
  };
  if (host.tls) root.tlsSecret = tlsSecret(host, host.tls, rootNamespace, ctx);

  const { namespaces, lists } = byNamespace;
  const options = ctx.httpproxy && host.regexMode ? ctx.regexGroupOptions : ctx.groupOptions;
  if (scopesNamespaces(namespaces.length, opts.includeScope) && prefixesPossible(lists, options)) {
    const groups = groupByPrefix(namespaces, lists, options);
    const shared = sharedHostFinding(host, groups, ctx.httpproxy);
    if (shared) out.findings.push(shared);
    root.children = prefixChildren(host, groups, names, out.children);
  } else if (namespaces.length > 0) root.children = wholeChildren(host, byNamespace, names, out.children);

  if (host.policy.sslPassthrough) planPassthrough(root, host, names, out);
  const ca = host.policy.clientValidation?.caSecret;
  if (ca) root.clientCaSecret = secretRef(ca, rootNamespace, ctx.delegations);
  for (let i = 0; i < host.routes.length; i++) {
    const r = host.routes[i]!;
    const v = r.policy.upstreamValidation;
    if (v?.caSecret.includes('/')) secretRef(v.caSecret, r.namespace, ctx.delegations);
  }

  out.roots.push(root);
  if (host.policy.aliases || host.policy.fromToWww) extraRoots(root, host, ctx);
}

/** The root's TLS secret reference, its delegation when the secret lives elsewhere, and the findings about it. */
function tlsSecret(host: VirtualHost, tls: NonNullable<VirtualHost['tls']>, rootNamespace: string, ctx: PlanContext): string {
  const { secretNamespace, secretName } = tls;
  if (secretNamespace === rootNamespace) {
    ctx.out.findings.push(finding('tls.redirect-code', 'warn', { ingresses: [tls.source], host: host.fqdn }));
    return secretName;
  }
  // One `ns/name` string for the reference, the delegation's key and the finding; the two findings share one subject.
  const secret = `${secretNamespace}/${secretName}`;
  addDelegation(ctx.delegations, secret, secretNamespace, secretName, rootNamespace);
  const delegation = finding('tls.delegation', 'info', { ingresses: [tls.source], host: host.fqdn }, { secret, rootNamespace, secretNamespace });
  ctx.out.findings.push(delegation, findingAbout(delegation, 'tls.redirect-code', 'warn'));
  return secret;
}

/** The roots of server-alias names and the from-to-www-redirect counterpart (few hosts: out of planHost's line). */
function extraRoots(root: RootPlan, host: VirtualHost, ctx: PlanContext): void {
  const { names, out } = ctx;
  const rootNamespace = root.namespace;
  const aliases = host.policy.aliases;
  if (aliases) for (const alias of aliases) out.roots.push({ ...root, name: names.allocate(rootNamespace, alias, `root ${alias}`), fqdn: alias, aliasOf: host.fqdn });
  if (!host.policy.fromToWww) return;
  const counterpart = host.fqdn.startsWith('www.') ? host.fqdn.slice(4) : `www.${host.fqdn}`;
  ctx.knownHosts ??= new Set(ctx.hosts.map((h) => h.fqdn));
  if (ctx.knownHosts.has(counterpart) || aliases?.includes(counterpart)) {
    out.findings.push(
      finding(
        'annotation.ignored',
        'info',
        { ingresses: host.sources, host: host.fqdn, annotation: 'from-to-www-redirect' },
        { counterpart, message: `${counterpart} is a host of its own: nginx does not redirect it, and neither does the output` },
      ),
    );
    return;
  }
  const redirect: RootPlan = {
    ...root,
    name: names.allocate(rootNamespace, counterpart, `root ${counterpart}`),
    fqdn: counterpart,
    routes: [],
    children: [],
    tcpChild: undefined,
    redirectTo: host.fqdn,
  };
  out.roots.push(redirect);
  if (root.tlsSecret) {
    out.findings.push(
      finding(
        'annotation.approximate',
        'warn',
        { ingresses: host.sources, host: host.fqdn, annotation: 'from-to-www-redirect' },
        { counterpart, message: `the redirect root for ${counterpart} uses the certificate of ${host.fqdn}, which must also cover ${counterpart}` },
      ),
    );
  }
}

/** The children of a root without any (hosts served from the root namespace alone); nothing adds to it. */
const NO_CHILDREN: ChildPlan[] = [];

/** app-namespace layout: the namespace of a host's routes when it has one (and its TLS secret lives there), else the root namespace. */
function appRootNamespace(host: VirtualHost, rootNamespace: string): string {
  const routes = host.routes;
  if (routes.length === 0) return rootNamespace;
  const only = routes[0]!.namespace;
  for (let i = 1; i < routes.length; i++) if (routes[i]!.namespace !== only) return rootNamespace;
  return !host.tls || host.tls.secretNamespace === only ? only : rootNamespace;
}

/**
 * A host's routes by child namespace: `namespaces` in the order of their first route, `lists[i]`
 * the routes of `namespaces[i]` (new lists at their final size: children keep them). The scratch
 * arrays are reused host after host, only read up to `size` (no length set: each is a runtime call).
 */
interface RouteSplit {
  namespaces: string[];
  lists: Route[][];
  /** Scratch: the namespaces found so far. */
  seen: string[];
  /** Scratch, per namespace: its number of routes, then where its next route goes. */
  counts: number[];
  /** Scratch, per route of the host: its namespace's index, -1 for the root's own. */
  slots: number[];
  /** How many of `seen` and `counts` are this host's. */
  size: number;
}

const newRouteSplit = (): RouteSplit => ({ namespaces: [], lists: [], seen: [], counts: [], slots: [], size: 0 });

/** Hosts with more routes than this find their routes' namespaces through a Map (a handful of hosts). */
const SCANNED_ROUTES = 32;

/** Fills `split` with the routes of other namespaces and returns the root's own (its namespace's, and the implicit `/`). */
function splitByNamespace(routes: Route[], rootNamespace: string, split: RouteSplit): Route[] {
  split.size = 0;
  const own = assignSlots(routes, rootNamespace, split, routes.length > SCANNED_ROUTES ? new Map<string, number>() : undefined);
  const { seen, counts, slots, size } = split;
  const namespaces = new Array<string>(size);
  const lists = new Array<Route[]>(size);
  for (let k = 0; k < size; k++) {
    namespaces[k] = seen[k]!;
    lists[k] = new Array<Route>(counts[k]!);
    counts[k] = 0;
  }
  const ownRoutes: Route[] = own === 0 ? [] : new Array<Route>(own);
  let at = 0;
  for (let i = 0; i < routes.length; i++) {
    const k = slots[i]!;
    if (k < 0) ownRoutes[at++] = routes[i]!;
    else lists[k]![counts[k]!++] = routes[i]!;
  }
  split.namespaces = namespaces;
  split.lists = lists;
  return ownRoutes;
}

/**
 * The slot of each route and the count of each namespace; returns the root's own count. Namespaces
 * are found by scanning the few seen so far (most hosts), through `index` on hosts with many routes.
 */
function assignSlots(routes: Route[], rootNamespace: string, split: RouteSplit, index: Map<string, number> | undefined): number {
  const { seen, counts, slots } = split;
  let own = 0;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (r.namespace === rootNamespace || r.implicit) {
      slots[i] = -1;
      own++;
      continue;
    }
    let k: number | undefined;
    if (index) k = index.get(r.namespace);
    else {
      k = 0;
      while (k < split.size && seen[k] !== r.namespace) k++;
      if (k === split.size) k = undefined;
    }
    if (k === undefined) {
      k = split.size++;
      index?.set(r.namespace, k);
      seen[k] = r.namespace;
      counts[k] = 0;
    }
    counts[k]!++;
    slots[i] = k;
  }
  return own;
}

/** One child per namespace, at `/` (hosts not scoped by prefix). */
function wholeChildren(host: VirtualHost, split: RouteSplit, names: NameAllocator, all: ChildPlan[]): ChildPlan[] {
  const { namespaces, lists } = split;
  const children = new Array<ChildPlan>(namespaces.length);
  for (let k = 0; k < namespaces.length; k++) {
    const child = newChild(names, namespaces[k]!, host.fqdn, host, '/', lists[k]!);
    children[k] = child;
    all.push(child);
  }
  return children;
}

/** A child per group (groupByPrefix: a namespace's groups are next to each other, its neighbours tell whether it has several). */
function prefixChildren(host: VirtualHost, groups: RouteGroup[], names: NameAllocator, all: ChildPlan[]): ChildPlan[] {
  const children = new Array<ChildPlan>(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const several = (i > 0 && groups[i - 1]!.namespace === g.namespace) || (i + 1 < groups.length && groups[i + 1]!.namespace === g.namespace);
    const child = newChild(names, g.namespace, several ? `${host.fqdn}-${pathSlug(g.prefix)}` : host.fqdn, host, g.prefix, g.routes);
    children[i] = child;
    all.push(child);
  }
  return children;
}

/** A named child (one place that makes them: one shape, one allocation site). */
function newChild(names: NameAllocator, namespace: string, base: string, host: VirtualHost, prefix: string, routes: Route[]): ChildPlan {
  return { name: names.allocateChild(namespace, base, host.fqdn, prefix), namespace, fqdn: host.fqdn, prefix, routes, sources: sourcesOf(routes) };
}

/** The Ingresses (`ns/name`) of these routes and of their canaries, sorted, each once. */
function sourcesOf(routes: Route[]): string[] {
  // Most children hold one route without a canary: nothing to sort (sortedUnique sets the length).
  if (routes.length === 1 && !routes[0]!.canary) return [routes[0]!.source.ingress];
  // Sized up front: a list grown by push keeps room for 17 strings, and every child keeps its list.
  let n = routes.length;
  for (let i = 0; i < routes.length; i++) if (routes[i]!.canary) n++;
  const list = new Array<string>(n);
  let at = 0;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    list[at++] = r.source.ingress;
    if (r.canary) list[at++] = r.canary.source.ingress;
  }
  return sortedUnique(list);
}

/**
 * A host whose namespaces are included under prefixes: which namespace owns which prefix, and
 * (HTTPProxy) the paths that became string prefixes for it. IngressRoute matches every prefix as
 * a string anyway, so there the prefixes cost nothing. `groups` are sorted by namespace and prefix.
 */
function sharedHostFinding(host: VirtualHost, groups: RouteGroup[], httpproxy: boolean): Finding | undefined {
  // Counted first: every list below is made at its size (the finding keeps them).
  let scoped = 0;
  let scopedRoutes = 0;
  let tradedCount = 0;
  let namespaceCount = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i === 0 || groups[i - 1]!.namespace !== g.namespace) namespaceCount++;
    if (g.prefix === '/') continue;
    scoped++;
    scopedRoutes += g.routes.length;
    if (httpproxy) tradedCount += tradedRoutes(g);
  }
  if (scoped === 0) return undefined;
  const ownerList = new Array<string>(scoped);
  const tradedList = new Array<string>(tradedCount);
  const sourceList = new Array<string>(scopedRoutes);
  // Groups are sorted by namespace: each namespace once, in order, is the sorted unique list.
  const namespaces = new Array<string>(namespaceCount);
  let o = 0;
  let t = 0;
  let s = 0;
  let n = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i === 0 || groups[i - 1]!.namespace !== g.namespace) namespaces[n++] = g.namespace;
    if (g.prefix === '/') continue;
    ownerList[o++] = `${g.namespace} ${g.prefix}`;
    for (let j = 0; j < g.routes.length; j++) {
      const r = g.routes[j]!;
      sourceList[s++] = r.source.ingress;
      if (httpproxy && r.match.kind === 'segment' && r.match.path === g.prefix) tradedList[t++] = r.match.path;
    }
  }
  const owners = ownerList.join(', ');
  const traded = tradedCount === 0 ? tradedList : sortedUnique(tradedList);
  const sources = sortedUnique(sourceList);
  const base =
    namespaces.length > 1
      ? `host ${host.fqdn} is shared by namespaces ${namespaces.join(', ')}: each is included only under its prefix (${owners}), so no namespace can take another's paths`
      : `host ${host.fqdn} is served by namespace ${namespaces[0]} only and included under its prefix (${owners}), as --include-scope prefix asks`;
  return finding(
    'route.shared-host-prefix',
    traded.length > 0 ? 'warn' : 'info',
    { ingresses: sources, host: host.fqdn },
    {
      namespaces,
      owners,
      paths: traded,
      message:
        traded.length > 0
          ? `${base}; a path equal to its prefix is matched by Contour as a plain string, so it also answers longer names (/foo also answers /foobar; nginx: /foo and /foo/… only): ${traded.join(', ')} (${namespaces.length > 1 ? "--include-scope none keeps nginx's semantics without ownership" : "--include-scope auto keeps nginx's semantics here"})`
          : `${base}; every path keeps nginx's segment semantics`,
    },
  );
}

/** How many routes of a scoped group are traded (prefixTradeoffs). */
function tradedRoutes(g: RouteGroup): number {
  let n = 0;
  for (let j = 0; j < g.routes.length; j++) {
    const r = g.routes[j]!;
    if (r.match.kind === 'segment' && r.match.path === g.prefix) n++;
  }
  return n;
}

/** A secret reference as seen from `from`: plain name in its own namespace, else `ns/name` plus a delegation. */
function secretRef(ref: string, from: string, delegations: Map<string, DelegationPlan>): string {
  const [ns, name] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [from, ref];
  if (ns === from) return name;
  const key = `${ns}/${name}`;
  addDelegation(delegations, key, ns, name, from);
  return key;
}

/** `key` is `namespace/secretName`. */
function addDelegation(map: Map<string, DelegationPlan>, key: string, namespace: string, secretName: string, target: string): void {
  const d = map.get(key);
  // Most secrets are delegated to one namespace: a one-item list, no copy and no sort.
  if (!d) map.set(key, { namespace, secretName, targetNamespaces: [target] });
  else if (!d.targetNamespaces.includes(target)) d.targetNamespaces = sortStrings([...d.targetNamespaces, target]);
}

/** ssl-passthrough: nginx hands the TLS stream to the backend of the host's `/` path. */
function planPassthrough(root: RootPlan, host: VirtualHost, names: NameAllocator, out: Plan): void {
  const slash = host.routes.find((r) => r.originalPath === '/' && r.match.kind !== 'exact' && !r.implicit);
  if (!slash) {
    out.findings.push(
      finding(
        'route.empty-host',
        'error',
        { ingresses: host.sources, host: host.fqdn },
        { reason: `ssl-passthrough on ${host.fqdn} needs a / path (nginx passes TLS to its backend); none exists, so passthrough is not converted` },
      ),
    );
    return;
  }
  root.tlsSecret = undefined;
  const tcp: TcpChildPlan = {
    name: names.allocate(slash.namespace, `${host.fqdn}-tls-passthrough`, `tcp ${host.fqdn}`),
    namespace: slash.namespace,
    backend: slash.backend,
    sources: [slash.source.ingress],
  };
  root.tcpChild = tcp;
  out.tcpChildren.push(tcp);
}
