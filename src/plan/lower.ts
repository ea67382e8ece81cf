// Lowering: where the nginx route table meets what the chosen Contour target can keep.
// This pass owns the safety policy: a route whose access control (authentication,
// client certificates, allow/deny lists, WAF) cannot be kept is never published open.
// It becomes a deny route in its place, or, on a target that cannot answer a fixed
// status, its host is left out; `--publish-unprotected` is the explicit opt-out.
import type { CatalogueEntry } from '../map/catalogue.js';
import type { AnnotationVerdict, MappedIngress } from '../map/engine.js';
import { parseGoBool } from '../map/values.js';
import type { Capabilities } from '../model/contour.js';
import { finding, type Finding } from '../model/findings.js';
import { UNCONVERTIBLE, type Route, type VirtualHost } from '../model/hosts.js';
import { ingressKey } from '../model/ingress.js';

export interface LowerOptions {
  caps: Capabilities;
  /** The annotation prefix, for full keys in findings. */
  prefix: string;
  entryOf: (key: string) => CatalogueEntry | undefined;
  /** Ingresses (`ns/name`) whose lost access controls the user accepts; `*` accepts all. */
  publishUnprotected: ReadonlySet<string>;
}

export interface Lowered {
  hosts: VirtualHost[];
  findings: Finding[];
}

/** An access control nginx enforced that the output cannot keep. */
interface LostControl {
  control: string;
  /** Short key of the annotation that set it (or of the controller setting, when `setting`). */
  key: string;
  reason: string;
  /** Set by the controller's configuration, not by an annotation: findings name no annotation. */
  setting?: boolean;
}

const DENY_STATUS = 403;
const NO_LOST: readonly LostControl[] = Object.freeze([]);

export function lower(hosts: VirtualHost[], mapped: MappedIngress[], opts: LowerOptions): Lowered {
  const findings: Finding[] = [];
  const lostByIngress = new Map<string, LostControl[]>();
  // Indexed loops: they run once per call, mostly before optimization, where a for-of allocates per item.
  for (let mi = 0; mi < mapped.length; mi++) {
    const m = mapped[mi]!;
    const verdicts = m.verdicts;
    for (let vi = 0; vi < verdicts.length; vi++) {
      const v = verdicts[vi]!;
      const lost = lostControl(v, opts.entryOf(v.key));
      if (lost) addLost(lostByIngress, ingressKey(m.ingress), lost);
    }
    const lostSettings = m.lostSettings;
    if (lostSettings)
      for (let li = 0; li < lostSettings.length; li++)
        addLost(lostByIngress, ingressKey(m.ingress), { control: lostSettings[li]!.control, key: lostSettings[li]!.setting, reason: lostSettings[li]!.reason, setting: true });
  }

  const run: LowerRun = { opts, findings, lostByIngress, canDeny: opts.caps.has('directResponse') };
  const out: VirtualHost[] = [];
  // One call per host: a function called per host is optimized alone (a loop body only on stack replacement, whole-function-sized).
  for (let hi = 0; hi < hosts.length; hi++) {
    const host = lowerHost(hosts[hi]!, run);
    if (host) out.push(host);
  }
  return { hosts: out, findings };
}

/** What lowering every host shares. */
interface LowerRun {
  opts: LowerOptions;
  findings: Finding[];
  /** The access controls each Ingress (`ns/name`) lost. */
  lostByIngress: Map<string, LostControl[]>;
  /** Whether the target can answer a fixed status (a deny route). */
  canDeny: boolean;
}

function addLost(lostByIngress: Map<string, LostControl[]>, ingress: string, lost: LostControl): void {
  const list = lostByIngress.get(ingress) ?? [];
  if (!list.some((l) => l.key === lost.key)) list.push(lost);
  lostByIngress.set(ingress, list);
}

/** A host as the target keeps it, or undefined (reported) when it is left out. */
function lowerHost(original: VirtualHost, run: LowerRun): VirtualHost | undefined {
  const { opts, findings, lostByIngress, canDeny } = run;
  // The policy is copied only when a setting is taken off it: most hosts keep theirs, shared.
  const host: VirtualHost = { ...original };
  // Controls of the whole host (nginx: server level) that need TLS on the virtual host in Contour.
  // Made on the first: most hosts lose nothing.
  let hostLost: readonly LostControl[] = NO_LOST;
  const tlsSecret = host.tls !== undefined && !host.policy.sslPassthrough;
  if (host.policy.authorization && !tlsSecret) {
    host.policy = { ...original.policy };
    delete host.policy.authorization;
    const reason = 'Contour authorizes only TLS virtual hosts and this host has no TLS';
    for (const ingress of new Set(host.routes.filter((r) => r.policy.authRequired).map((r) => r.source.ingress))) {
      addLost(lostByIngress, ingress, { control: 'external authentication', key: 'auth-url', reason });
      findings.push(
        finding('annotation.unsupported', 'error', { ingresses: [ingress], host: host.fqdn, annotation: `${opts.prefix}/auth-url` }, { message: `not converted on ${host.fqdn}: ${reason}` }),
      );
    }
  }
  if (host.policy.clientValidation && !host.policy.sslPassthrough && !host.tls) {
    if (host.policy === original.policy) host.policy = { ...original.policy };
    delete host.policy.clientValidation;
    const reason = 'client certificates need TLS with a secret on the host, and it has none';
    const owner = host.policySources.clientValidation;
    hostLost = [{ control: 'client certificate authentication', key: 'auth-tls-secret', reason }];
    if (owner)
      findings.push(
        finding('annotation.unsupported', 'error', { ingresses: [owner], host: host.fqdn, annotation: `${opts.prefix}/auth-tls-secret` }, { message: `not converted on ${host.fqdn}: ${reason}` }),
      );
  }

  // Made when a route lost a control; the route list is copied only when one of them changes.
  let denied: Map<string, { lost: LostControl[]; routes: number; published: boolean }> | undefined;
  if (lostByIngress.size > 0 || hostLost.length > 0) {
    const routes = host.routes;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i]!;
      const own = lostByIngress.get(r.source.ingress);
      // Most routes lost nothing: no list is built for them.
      if ((own === undefined && hostLost.length === 0) || r.policy.deny) continue;
      const lost = [...(own ?? []), ...hostLost];
      if (lost.length === 0) continue;
      const published = opts.publishUnprotected.has('*') || opts.publishUnprotected.has(r.source.ingress);
      denied ??= new Map();
      const entry = denied.get(r.source.ingress) ?? { lost, routes: 0, published };
      entry.routes++;
      denied.set(r.source.ingress, entry);
      if (published) continue;
      const { canary: _canary, ...rest } = r;
      if (host.routes === original.routes) host.routes = routes.slice();
      host.routes[i] = { ...rest, policy: { ...r.policy, deny: { statusCode: DENY_STATUS, reason: lost.map((l) => l.control).join(', ') } } };
    }
  }

  for (let i = 0; i < host.routes.length; i++) {
    const r = host.routes[i]!;
    // nginx's default location redirected unrouted plain-HTTP paths of a TLS host to HTTPS; without a
    // fixed-status route to hang Contour's redirect on, they answer 404 instead.
    if (r.implicit && r.policy.deny && !canDeny && host.tls && !host.policy.sslPassthrough) {
      findings.push(
        finding(
          'route.implicit-root',
          'warn',
          { ingresses: [r.source.ingress], host: host.fqdn, path: '/' },
          { host: host.fqdn, target: opts.caps.target === 'httpproxy' ? 'this Contour version' : 'IngressRoute' },
        ),
      );
    }
    if (r.policy.deny?.reason !== UNCONVERTIBLE) continue;
    const outcome = canDeny ? `it answers ${r.policy.deny.statusCode} in place, so its requests never reach another route` : 'it is left out (the target cannot answer a fixed status)';
    findings.push(
      finding(
        'route.unconvertible-path',
        'error',
        { ingresses: [r.source.ingress], host: host.fqdn, path: r.originalPath },
        { where: `spec.rules[${r.source.rule}].http.paths[${r.source.path}] (${host.fqdn}${r.originalPath})`, reason: UNCONVERTIBLE, outcome },
      ),
    );
  }
  const withheld = !canDeny && denied !== undefined && [...denied.values()].some((d) => !d.published);
  if (denied)
    for (const [ingress, d] of denied) {
      for (const l of d.lost) {
        const subject = l.setting ? { ingresses: [ingress], host: host.fqdn } : { ingresses: [ingress], host: host.fqdn, annotation: `${opts.prefix}/${l.key}` };
        const data = { control: l.control, reason: l.reason, routes: d.routes, ingress, host: host.fqdn, target: opts.caps.target === 'httpproxy' ? 'this Contour version' : 'IngressRoute' };
        if (d.published) findings.push(finding('security.published-unprotected', 'error', subject, data));
        else findings.push(finding(withheld ? 'security.host-withheld' : 'security.route-denied', 'error', subject, data));
      }
    }
  if (withheld) return undefined;
  if (!canDeny && !fallThroughSafe(host)) {
    findings.push(
      finding(
        'route.empty-host',
        'error',
        { ingresses: host.sources, host: host.fqdn },
        {
          reason: `${host.fqdn} has paths nginx answered with a fixed status (503) that ${opts.caps.target === 'httpproxy' ? 'this Contour version' : 'IngressRoute'} cannot express, and their requests would reach another route; the host is left out`,
        },
      ),
    );
    return undefined;
  }
  return host;
}

function lostControl(v: AnnotationVerdict, entry: CatalogueEntry | undefined): LostControl | undefined {
  if (!entry?.accessControl) return undefined;
  // An invalid value: nginx either ignored the control too (nothing lost) or denied the path (kept as a deny route).
  if (v.fidelity !== 'unsupported') return undefined;
  if (entry.valueType === 'bool' && parseGoBool(v.value) !== true) return undefined;
  if (v.value.trim() === '') return undefined;
  const reason =
    v.findingId === 'annotation.version' && v.needsContour ? `needs Contour ${v.needsContour} or newer` : v.findingId === 'annotation.snippet' ? 'a snippet' : 'the target cannot express it';
  return { control: entry.accessControl, key: v.key, reason };
}

/**
 * Without a fixed-status route, a deny route can only be left out. That is safe only when no
 * other route of the host could take its requests (then they get 404, never another backend).
 */
function fallThroughSafe(host: VirtualHost): boolean {
  const live = host.routes.filter((r) => !r.policy.deny);
  return host.routes.filter((r) => r.policy.deny).every((d) => !live.some((o) => couldCatch(o, d)));
}

/** Only a shorter prefix (or a regex) takes requests nginx gave the denied path; exact and longer paths won in nginx too. */
function couldCatch(other: Route, denied: Route): boolean {
  if (other.match.kind === 'regex') return true;
  if (other.match.kind === 'exact') return false;
  return other.match.path === '/' || literalHead(denied).startsWith(other.match.path.replace(/\/+$/, ''));
}

/** The literal part a path starts with (all of it, unless it is a regex). */
function literalHead(r: Route): string {
  if (r.match.kind !== 'regex') return r.match.path;
  const m = /^[^\\^$.|?*+()[\]{}]*/.exec(r.match.path);
  return m?.[0] ?? '';
}
