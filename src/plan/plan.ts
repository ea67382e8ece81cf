// Splits the route table into Contour objects: a root per fqdn (and per alias)
// in the root namespace, children per namespace with delegated prefixes, and
// TLSCertificateDelegations for secrets that live outside the root namespace.
import type { Capabilities } from '../model/contour.js';
import { finding, findingAbout, type Finding } from '../model/findings.js';
import { sortStrings, sortedUnique, type Backend, type Route, type VirtualHost } from '../model/hosts.js';
import { groupRoutes, prefixTradeoffs, scopesByPrefix, type GroupOptions, type IncludeScope, type RouteGroup } from './delegation.js';
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
  const names = new NameAllocator();
  const out: Plan = { roots: [], children: [], tcpChildren: [], delegations: [], findings: [] };
  const delegations = new Map<string, DelegationPlan>();
  const httpproxy = opts.caps.target === 'httpproxy';
  // The two option sets of groupRoutes, made once instead of once per host.
  const groupOptions: GroupOptions = { scope: opts.includeScope, exactNeedsParent: httpproxy && opts.caps.has('exactPath'), regexMode: false };
  const regexGroupOptions: GroupOptions = { ...groupOptions, regexMode: true };
  // Only from-to-www-redirect asks which hosts exist.
  let knownHosts: Set<string> | undefined;

  for (const host of hosts) {
    let rootNamespace = opts.rootNamespace;
    if (opts.layout === 'app-namespace') {
      const namespaces = new Set(host.routes.map((r) => r.namespace));
      if (namespaces.size === 1 && (!host.tls || namespaces.has(host.tls.secretNamespace))) rootNamespace = [...namespaces][0]!;
    }
    const root: RootPlan = {
      name: names.allocate(rootNamespace, host.fqdn, `root ${host.fqdn}`),
      namespace: rootNamespace,
      fqdn: host.fqdn,
      host,
      routes: [],
      children: [],
      sources: host.sources,
    };

    if (host.tls) {
      const { secretNamespace, secretName } = host.tls;
      if (secretNamespace === rootNamespace) {
        root.tlsSecret = secretName;
        out.findings.push(finding('tls.redirect-code', 'warn', { ingresses: [host.tls.source], host: host.fqdn }));
      } else {
        // One `ns/name` string for the reference and the finding; the two findings share one subject.
        const secret = `${secretNamespace}/${secretName}`;
        root.tlsSecret = secret;
        addDelegation(delegations, secretNamespace, secretName, rootNamespace);
        const delegation = finding('tls.delegation', 'info', { ingresses: [host.tls.source], host: host.fqdn }, { secret, rootNamespace, secretNamespace });
        out.findings.push(delegation, findingAbout(delegation, 'tls.redirect-code', 'warn'));
      }
    }

    const byNamespace = new Map<string, Route[]>();
    for (const r of host.routes) {
      if (r.namespace === rootNamespace || r.implicit) root.routes.push(r);
      else {
        const list = byNamespace.get(r.namespace);
        if (list) list.push(r);
        else byNamespace.set(r.namespace, [r]);
      }
    }
    const groups = groupRoutes(byNamespace, httpproxy && host.regexMode ? regexGroupOptions : groupOptions);
    if (scopesByPrefix(byNamespace, opts.includeScope)) {
      const finding = sharedHostFinding(host, groups, httpproxy);
      if (finding) out.findings.push(finding);
    }
    // groupRoutes returns a namespace's groups next to each other: its neighbours tell whether it has several.
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      const several = (i > 0 && groups[i - 1]!.namespace === g.namespace) || (i + 1 < groups.length && groups[i + 1]!.namespace === g.namespace);
      const base = several ? `${host.fqdn}-${pathSlug(g.prefix)}` : host.fqdn;
      const child: ChildPlan = {
        name: names.allocate(g.namespace, base, `child ${host.fqdn} ${g.prefix}`),
        namespace: g.namespace,
        fqdn: host.fqdn,
        prefix: g.prefix,
        routes: g.routes,
        sources: sourcesOf(g.routes),
      };
      root.children.push(child);
      out.children.push(child);
    }

    if (host.policy.sslPassthrough) planPassthrough(root, host, names, out);
    const ca = host.policy.clientValidation?.caSecret;
    if (ca) root.clientCaSecret = secretRef(ca, rootNamespace, delegations);
    for (const r of host.routes) {
      const v = r.policy.upstreamValidation;
      if (v?.caSecret.includes('/')) secretRef(v.caSecret, r.namespace, delegations);
    }

    out.roots.push(root);
    // No empty list per host without aliases (most).
    const aliases = host.policy.aliases;
    if (aliases) for (const alias of aliases) out.roots.push({ ...root, name: names.allocate(rootNamespace, alias, `root ${alias}`), fqdn: alias, aliasOf: host.fqdn });
    if (host.policy.fromToWww) {
      const counterpart = host.fqdn.startsWith('www.') ? host.fqdn.slice(4) : `www.${host.fqdn}`;
      knownHosts ??= new Set(hosts.map((h) => h.fqdn));
      if (knownHosts.has(counterpart) || host.policy.aliases?.includes(counterpart)) {
        out.findings.push(
          finding(
            'annotation.ignored',
            'info',
            { ingresses: host.sources, host: host.fqdn, annotation: 'from-to-www-redirect' },
            { counterpart, message: `${counterpart} is a host of its own: nginx does not redirect it, and neither does the output` },
          ),
        );
      } else {
        const redirect: RootPlan = { ...root, name: names.allocate(rootNamespace, counterpart, `root ${counterpart}`), fqdn: counterpart, routes: [], children: [], redirectTo: host.fqdn };
        delete redirect.tcpChild;
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
    }
  }
  out.delegations = [...delegations.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.secretName < b.secretName ? -1 : 1));
  return out;
}

/** The Ingresses (`ns/name`) of these routes and of their canaries, sorted, each once. */
function sourcesOf(routes: Route[]): string[] {
  // Sized up front: a list grown by push keeps room for 17 strings, and every child keeps its list.
  let n = routes.length;
  for (const r of routes) if (r.canary) n++;
  const list = new Array<string>(n);
  let i = 0;
  for (const r of routes) {
    list[i++] = r.source.ingress;
    if (r.canary) list[i++] = r.canary.source.ingress;
  }
  return sortedUnique(list);
}

/**
 * A host whose namespaces are included under prefixes: which namespace owns which prefix, and
 * (HTTPProxy) the paths that became string prefixes for it. IngressRoute matches every prefix as
 * a string anyway, so there the prefixes cost nothing.
 */
function sharedHostFinding(host: VirtualHost, groups: RouteGroup[], httpproxy: boolean): Finding | undefined {
  const scoped = groups.filter((g) => g.prefix !== '/');
  if (scoped.length === 0) return undefined;
  const owners = scoped.map((g) => `${g.namespace} ${g.prefix}`).join(', ');
  // Sorted, each once (sortedUnique: no Set and no spread per shared host).
  const traded = httpproxy ? sortedUnique(prefixTradeoffs(groups).map((r) => r.match.path)) : [];
  const namespaces = sortedUnique(groups.map((g) => g.namespace));
  const sourceList: string[] = [];
  for (const g of scoped) for (const r of g.routes) sourceList.push(r.source.ingress);
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

/** A secret reference as seen from `from`: plain name in its own namespace, else `ns/name` plus a delegation. */
function secretRef(ref: string, from: string, delegations: Map<string, DelegationPlan>): string {
  const [ns, name] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [from, ref];
  if (ns === from) return name;
  addDelegation(delegations, ns, name, from);
  return `${ns}/${name}`;
}

function addDelegation(map: Map<string, DelegationPlan>, namespace: string, secretName: string, target: string): void {
  const key = `${namespace}/${secretName}`;
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
