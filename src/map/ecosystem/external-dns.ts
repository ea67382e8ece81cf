// external-dns, for one Ingress: which of its annotations go to the root HTTPProxy of each host
// (the contour-httpproxy source reads fqdn, hostname, target, ttl, controller, set-identifier and
// the provider-specific keys from HTTPProxy), and where the HTTPProxy source behaves otherwise
// than the ingress source did (external-dns v0.20 source/ingress.go, source/contour_httpproxy.go).
import type { Target } from '../../model/contour.js';
import type { Ingress } from '../../model/ingress.js';
import { ingressKey } from '../../model/ingress.js';
import type { KeyVerdict } from './cert-manager.js';

export const EXTERNAL_DNS_PREFIX = 'external-dns.alpha.kubernetes.io/';
export const HOSTNAME = `${EXTERNAL_DNS_PREFIX}hostname`;
export const HOSTNAME_SOURCE = `${EXTERNAL_DNS_PREFIX}ingress-hostname-source`;

export interface DnsIntent {
  ingress: string;
  creationTimestamp?: string;
  /** The rules' hosts: the roots the annotations go to. */
  hosts: string[];
  /** Keys and values for the roots, as written. */
  annotations: Record<string, string>;
}

export interface DnsResult {
  intent?: DnsIntent;
  verdicts: Map<string, KeyVerdict>;
}

export function externalDns(ingress: Ingress, target: Target): DnsResult {
  const verdicts = new Map<string, KeyVerdict>();
  const keys = Object.keys(ingress.annotations)
    .filter((k) => k.startsWith(EXTERNAL_DNS_PREFIX))
    .sort();
  if (keys.length === 0) return { verdicts };
  const hosts = [...new Set(ingress.rules.flatMap((r) => (r.host ? [r.host] : [])))].sort();
  if (target === 'ingressroute') {
    for (const k of keys) {
      verdicts.set(k, {
        fidelity: 'unsupported',
        severity: 'warn',
        message: 'not carried: external-dns has no IngressRoute source (it reads Contour objects only through contour-httpproxy), so DNS records will not follow the IngressRoutes',
        findingId: 'annotation.unsupported',
      });
    }
    // The intent still names the hosts, for the one finding that says their records will not follow.
    if (hosts.length === 0) return { verdicts };
    const intent: DnsIntent = { ingress: ingressKey(ingress), hosts, annotations: {} };
    if (ingress.creationTimestamp) intent.creationTimestamp = ingress.creationTimestamp;
    return { intent, verdicts };
  }
  const source = ingress.annotations[HOSTNAME_SOURCE]?.toLowerCase();
  const annotations: Record<string, string> = {};
  for (const k of keys) {
    const value = ingress.annotations[k]!;
    if (k === HOSTNAME_SOURCE) {
      if (source === 'annotation-only') {
        verdicts.set(k, {
          fidelity: 'approximate',
          severity: 'warn',
          message: `not carried: the Ingress registered only the hosts of ${HOSTNAME}; the contour-httpproxy source also registers each root's fqdn, so ${hosts.join(', ') || 'the rules’ hosts'} get DNS records too`,
          findingId: 'annotation.approximate',
        });
      } else if (source === 'defined-hosts-only') {
        verdicts.set(k, {
          fidelity: 'exact',
          severity: 'info',
          message: `not carried: the contour-httpproxy source does not read it; ${HOSTNAME} is left out instead, as this value did`,
          findingId: 'annotation.exact',
        });
      } else {
        verdicts.set(k, { fidelity: 'exact', severity: 'info', message: 'external-dns ignores this value; not carried', findingId: 'annotation.ignored' });
      }
      continue;
    }
    if (hosts.length === 0) {
      verdicts.set(k, {
        fidelity: 'unsupported',
        severity: 'warn',
        message: 'not carried: the Ingress has no rule with a host, so there is no root HTTPProxy to carry it to',
        findingId: 'annotation.unsupported',
      });
      continue;
    }
    if (k === HOSTNAME && source === 'defined-hosts-only') {
      verdicts.set(k, {
        fidelity: 'exact',
        severity: 'info',
        message: `external-dns ignored it (${HOSTNAME_SOURCE}: defined-hosts-only); not carried, since the contour-httpproxy source would register it`,
        findingId: 'annotation.ignored',
      });
      continue;
    }
    annotations[k] = value;
    let message = `carried as is to the root HTTPProxy of ${hosts.join(', ')} (external-dns reads it there with its contour-httpproxy source)`;
    if (k === HOSTNAME) {
      const extra = value
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== '' && !hosts.includes(h.replace(/\.$/, '').toLowerCase()));
      if (extra.length > 0)
        message += `; it names ${extra.join(', ')} beyond the rules' hosts: ${hosts.length > 1 ? 'each of those roots registers them' : 'that root registers them'} too, pointing at Contour`;
    }
    verdicts.set(k, { fidelity: 'exact', severity: 'info', message, findingId: 'annotation.exact' });
  }
  if (Object.keys(annotations).length === 0) return { verdicts };
  const intent: DnsIntent = { ingress: ingressKey(ingress), hosts, annotations };
  if (ingress.creationTimestamp) intent.creationTimestamp = ingress.creationTimestamp;
  return { intent, verdicts };
}
