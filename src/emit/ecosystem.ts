// What other tools need from the output: cert-manager Certificates (ingress-shim does not watch
// HTTPProxy or IngressRoute), and external-dns annotations on the root HTTPProxy of each host.
// Conflicts between Ingresses are settled like the tools settle them and named.
import type { EcosystemMapped } from '../map/ecosystem/index.js';
import type { CertificateIntent } from '../map/ecosystem/cert-manager.js';
import { HOSTNAME, type DnsIntent } from '../map/ecosystem/external-dns.js';
import type { Target } from '../model/contour.js';
import { finding, type Finding } from '../model/findings.js';
import { ingressKey, type Ingress } from '../model/ingress.js';
import { showValue } from '../map/values.js';
import { metadata, type KubeObject } from './objects.js';

export const CERTIFICATE_API = 'cert-manager.io/v1';

export interface EcosystemInput {
  ingress: Ingress;
  eco: EcosystemMapped;
  /** False when nginx refuses the Ingress: nothing of it is routed, so nothing goes to a root. */
  converted: boolean;
}

export interface EcosystemEmitOptions {
  target: Target;
  nginxClass: string;
  generator?: string;
}

/** Oldest first (creationTimestamp, then `ns/name`): the order both tools' "first one wins" follows in practice. */
const byAge = <T extends { creationTimestamp?: string; ingress: string }>(a: T, b: T): number =>
  (a.creationTimestamp ?? '\uffff') < (b.creationTimestamp ?? '\uffff')
    ? -1
    : (a.creationTimestamp ?? '\uffff') > (b.creationTimestamp ?? '\uffff')
      ? 1
      : a.ingress < b.ingress
        ? -1
        : a.ingress > b.ingress
          ? 1
          : 0;

/** Certificates and external-dns annotations; `objects` are the emitted routes (roots get annotated in place). */
export function emitEcosystem(items: EcosystemInput[], objects: KubeObject[], opts: EcosystemEmitOptions): { objects: KubeObject[]; findings: Finding[] } {
  const findings: Finding[] = [];
  for (const { ingress, eco } of items) {
    for (const n of eco.shim.notes) {
      const subject = { ingresses: [ingressKey(ingress)], ...(n.annotation ? { annotation: n.annotation } : {}) };
      findings.push(finding(n.kind === 'tls-skipped' ? 'certmanager.tls-skipped' : 'certmanager.no-certificate', n.severity, subject, n.data));
    }
  }
  const certificates = emitCertificates(
    items.flatMap((i) => i.eco.shim.certificates),
    opts,
    findings,
  );
  carryExternalDns(
    items.filter((i) => i.converted).flatMap((i) => (i.eco.dns ? [i.eco.dns] : [])),
    objects,
    opts,
    findings,
  );
  return { objects: certificates, findings };
}

function emitCertificates(intents: CertificateIntent[], opts: EcosystemEmitOptions, findings: Finding[]): KubeObject[] {
  const bySecret = new Map<string, CertificateIntent[]>();
  for (const c of intents) {
    const k = `${c.namespace}/${c.secretName}`;
    const list = bySecret.get(k);
    if (list) list.push(c);
    else bySecret.set(k, [c]);
  }
  const out: KubeObject[] = [];
  const byIssuer = new Map<string, { certificates: string[]; ingresses: Set<string> }>();
  const targetKind = opts.target === 'httpproxy' ? 'HTTPProxy' : 'IngressRoute';
  for (const [secret, list] of [...bySecret.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...list].sort(byAge);
    const winner = sorted[0]!;
    const fields = new Set<string>();
    for (const other of sorted.slice(1)) {
      for (const f of new Set([...Object.keys(winner.spec), ...Object.keys(other.spec)])) {
        if (JSON.stringify(winner.spec[f]) !== JSON.stringify(other.spec[f])) fields.add(f === 'issuerRef' ? 'issuers' : f);
      }
      if (JSON.stringify(winner.annotations) !== JSON.stringify(other.annotations)) fields.add('solver settings');
    }
    const sources = [...new Set(sorted.map((c) => c.ingress))].sort();
    if (fields.size > 0) {
      findings.push(finding('certmanager.conflict', 'warn', { ingresses: sources }, { secret, ingresses: sources, fields: [...fields].sort(), winner: winner.ingress, winnerIssuer: winner.issuer }));
    }
    const meta = metadata(winner.secretName, winner.namespace, sources, { classAsAnnotation: false, generator: opts.generator });
    if (Object.keys(winner.annotations).length > 0) meta.annotations = { ...winner.annotations, ...meta.annotations };
    out.push({ apiVersion: CERTIFICATE_API, kind: 'Certificate', metadata: meta, spec: winner.spec });
    findings.push(finding('certmanager.certificate', 'info', { ingresses: sources }, { certificate: secret, hosts: winner.hosts, issuer: winner.issuer, target: targetKind }));
    // Without an override to another class, the Issuer's own solver answers the challenges.
    if (!winner.solverClass) {
      const issuerKey = winner.issuer.startsWith('Issuer ') ? `Issuer ${winner.namespace}/${winner.issuer.slice('Issuer '.length)}` : winner.issuer;
      const entry = byIssuer.get(issuerKey) ?? { certificates: [], ingresses: new Set<string>() };
      entry.certificates.push(secret);
      for (const s of sources) entry.ingresses.add(s);
      byIssuer.set(issuerKey, entry);
    }
  }
  for (const [issuer, e] of [...byIssuer.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    findings.push(finding('certmanager.http01-solver', 'warn', { ingresses: [...e.ingresses] }, { issuer, certificates: e.certificates, nginxClass: opts.nginxClass }));
  }
  return out;
}

function carryExternalDns(intents: DnsIntent[], objects: KubeObject[], opts: EcosystemEmitOptions, findings: Finding[]): void {
  if (intents.length === 0) return;
  const hosts = [...new Set(intents.flatMap((i) => i.hosts))].sort();
  const all = [...new Set(intents.map((i) => i.ingress))].sort();
  if (opts.target !== 'httpproxy') {
    findings.push(finding('externaldns.no-source', 'warn', { ingresses: all }, { hosts }));
    return;
  }
  const roots = new Map<string, KubeObject>();
  for (const o of objects) {
    const vh = o.spec.virtualhost as { fqdn?: unknown } | undefined;
    if (o.kind === 'HTTPProxy' && typeof vh?.fqdn === 'string') roots.set(vh.fqdn, o);
  }
  // Indexed by host: a fleet has tens of thousands of Ingresses, so no scan of all intents per host.
  const byHost = new Map<string, DnsIntent[]>();
  for (const i of intents) {
    for (const h of i.hosts) {
      const list = byHost.get(h);
      if (list) list.push(i);
      else byHost.set(h, [i]);
    }
  }
  const carried: string[] = [];
  for (const host of hosts) {
    const list = [...(byHost.get(host) ?? [])].sort(byAge);
    const ingresses = [...new Set(list.map((i) => i.ingress))].sort();
    const root = roots.get(host);
    if (!root) {
      findings.push(finding('externaldns.no-root', 'warn', { ingresses, host }, { host }));
      continue;
    }
    const merged: Record<string, string> = {};
    const keys = [...new Set(list.flatMap((i) => Object.keys(i.annotations)))].sort();
    for (const key of keys) {
      const having = list.filter((i) => i.annotations[key] !== undefined);
      const winner = having[0]!;
      const value = winner.annotations[key]!;
      merged[key] = value;
      const values = [...new Set(having.map((i) => i.annotations[key]!))];
      if (values.length > 1) {
        findings.push(
          finding(
            'externaldns.conflict',
            'warn',
            { ingresses: having.map((i) => i.ingress), host, annotation: key },
            { annotation: key, host, values: having.map((i) => `${i.ingress}: ${showValue(i.annotations[key] ?? '')}`), value: showValue(value), winner: winner.ingress },
          ),
        );
      }
    }
    root.metadata.annotations = { ...(root.metadata.annotations ?? {}), ...merged };
    carried.push(host);
  }
  if (carried.length > 0) {
    // The hostname annotation may name hosts beyond the rules': they are carried as is, and said here.
    const known = new Set(hosts);
    const extra = [
      ...new Set(
        intents.flatMap((i) =>
          (i.annotations[HOSTNAME] ?? '')
            .split(',')
            .map((h) => h.trim())
            .filter((h) => h !== '' && !known.has(h.replace(/\.$/, '').toLowerCase())),
        ),
      ),
    ].sort();
    findings.push(
      finding(
        'externaldns.source',
        'warn',
        { ingresses: all },
        { hosts: carried, extraHostnames: extra, extra: extra.length > 0 ? `, and for the names their ${HOSTNAME} annotations add (${extra.join(', ')})` : '' },
      ),
    );
  }
}
