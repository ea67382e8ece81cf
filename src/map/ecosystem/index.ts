// Every annotation of a selected Ingress that is not under the nginx prefix gets a verdict here:
// cert-manager and external-dns keys from their families, housekeeping keys and everything else
// from the ecosystem catalogue (mappings/ecosystem), unknown keys as "not carried". The nginx keys
// stay with the engine.
import type { Target } from '../../model/contour.js';
import { finding, type Finding } from '../../model/findings.js';
import type { Ingress } from '../../model/ingress.js';
import { ingressKey } from '../../model/ingress.js';
import type { EcosystemCatalogue, EcosystemEntry } from '../ecosystem.js';
import type { AnnotationVerdict } from '../engine.js';
import { showValue } from '../values.js';
import { ingressShim, shimKey, TLS_ACME, UNTOUCHED, type IssuerRef, type KeyVerdict, type ShimResult } from './cert-manager.js';
import { EXTERNAL_DNS_PREFIX, externalDns, type DnsIntent } from './external-dns.js';

export interface EcosystemOptions {
  catalogue: EcosystemCatalogue;
  /** The nginx annotation prefix: keys under it are the engine's. */
  prefix: string;
  target: Target;
  /** The ingress-nginx class being converted. */
  nginxClass: string;
  defaultIssuer?: IssuerRef;
}

export interface EcosystemMapped {
  verdicts: AnnotationVerdict[];
  shim: ShimResult;
  dns?: DnsIntent;
}

export function mapEcosystem(ingress: Ingress, opts: EcosystemOptions): EcosystemMapped {
  // One pass over the keys: most Ingresses of a fleet carry nginx annotations only.
  const prefix = opts.prefix;
  let keys: string[] | undefined;
  let dnsKeys = false;
  let shimKeys = false;
  // Whether a key under the nginx prefix can be another tool's too (not with nginx's own prefix):
  // when not, the nginx keys, most of a fleet's, skip the other checks.
  const overlaps = prefixOverlaps(prefix);
  for (const key in ingress.annotations) {
    // `prefix/` without building that string for each Ingress.
    if (!(key.length > prefix.length && key.charCodeAt(prefix.length) === SLASH && key.startsWith(prefix))) (keys ??= []).push(key);
    else if (!overlaps) continue;
    if (!dnsKeys && key.startsWith(EXTERNAL_DNS_PREFIX)) dnsKeys = true;
    if (!shimKeys && shimKey(key)) shimKeys = true;
  }
  // Without its keys ingress-shim leaves the Ingress alone (one shared result).
  const shim = shimKeys ? ingressShim(ingress, { nginxClass: opts.nginxClass, ...(opts.defaultIssuer ? { defaultIssuer: opts.defaultIssuer } : {}) }) : UNTOUCHED;
  // Without its keys external-dns has neither verdicts nor an intent.
  const dns = dnsKeys ? externalDns(ingress, opts.target) : undefined;
  if (keys === undefined) {
    // Most of a fleet: nothing outside the nginx prefix. One shared, frozen result for them.
    if (shim === UNTOUCHED && !dns?.intent) return NOTHING_FOREIGN;
    const out: EcosystemMapped = { verdicts: NO_VERDICTS, shim };
    if (dns?.intent) out.dns = dns.intent;
    return out;
  }
  // Sized up front (the list is kept to the end; pushing grew it to 17 slots), and literals rather
  // than spreads, which put the later fields of each verdict in a separate property array.
  const verdicts = new Array<AnnotationVerdict>(keys.length);
  keys.sort();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = ingress.annotations[key] ?? '';
    const entry = opts.catalogue.lookup(key);
    if (!entry) {
      verdicts[i] = {
        key,
        annotation: key,
        value,
        fidelity: 'not-carried',
        severity: 'warn',
        message: 'not carried: neither ingress-nginx nor a tool this conversion knows reads it',
        findingId: 'annotation.foreign',
      };
      continue;
    }
    const v = shim.verdicts.get(key) ?? dns?.verdicts.get(key) ?? catalogueVerdict(entry, shim);
    // Every verdict source states fidelity, severity, message, findingId in this order.
    verdicts[i] = { key, annotation: key, value, tool: entry.tool, fidelity: v.fidelity, severity: v.severity, message: clip(v.message), findingId: v.findingId };
  }
  const out: EcosystemMapped = { verdicts, shim };
  if (dns?.intent) out.dns = dns.intent;
  return out;
}

const SLASH = 47;
/** The verdicts of an Ingress without annotations outside the nginx prefix (most of a fleet): one frozen list, kept by every such Ingress. */
/** Key prefixes of the tools mapEcosystem looks for (external-dns, ingress-shim's keys as shimKey reads them). */
const TOOL_KEYS = [EXTERNAL_DNS_PREFIX, 'cert-manager.io/', 'acme.cert-manager.io/', TLS_ACME];
const OVERLAPS = new Map<string, boolean>();

/** Whether some `prefix/…` key could start with a tool's key prefix (or be kubernetes.io/tls-acme). */
function prefixOverlaps(prefix: string): boolean {
  let overlaps = OVERLAPS.get(prefix);
  if (overlaps === undefined) {
    const own = `${prefix}/`;
    overlaps = TOOL_KEYS.some((tool) => tool.startsWith(own) || own.startsWith(tool));
    if (OVERLAPS.size < 16) OVERLAPS.set(prefix, overlaps);
  }
  return overlaps;
}

const NO_VERDICTS: AnnotationVerdict[] = [];
Object.freeze(NO_VERDICTS);
/** The result for an Ingress without annotations outside the nginx prefix (frozen: a caller's write fails loudly). */
const NOTHING_FOREIGN: EcosystemMapped = Object.freeze({ verdicts: NO_VERDICTS, shim: UNTOUCHED });

function catalogueVerdict(entry: EcosystemEntry, shim: ShimResult): KeyVerdict | Pick<AnnotationVerdict, 'fidelity' | 'severity' | 'message' | 'findingId'> {
  switch (entry.output) {
    case 'certificate':
      if (!shim.active) return { fidelity: 'exact', severity: 'info', message: 'ingress-shim ignores it: the Ingress names no issuer; nothing to carry', findingId: 'annotation.ignored' };
      if (shim.certificates.length === 0) {
        return {
          fidelity: 'exact',
          severity: 'info',
          message: 'ingress-shim keeps no Certificate for this Ingress (see its other findings), so no Certificate carries it',
          findingId: 'annotation.ignored',
        };
      }
      return { fidelity: 'exact', severity: 'info', message: entry.message, findingId: 'annotation.exact' };
    case 'root-annotation':
    case 'read':
      return { fidelity: 'exact', severity: 'info', message: entry.message, findingId: 'annotation.exact' };
    case 'ignored':
      return { fidelity: 'exact', severity: 'info', message: entry.message, findingId: 'annotation.ignored' };
    case 'not-carried':
      return {
        fidelity: 'not-carried',
        severity: entry.severity,
        message: `not carried: ${entry.message}`,
        findingId: entry.severity === 'info' ? 'annotation.bookkeeping' : 'annotation.not-carried',
      };
  }
}

/**
 * The findings of an Ingress's ecosystem verdicts: one per key that needs attention, plus one
 * list per Ingress for housekeeping keys (info) and one for keys no known tool reads (warn).
 */
export function ecosystemFindings(ingress: Ingress, verdicts: AnnotationVerdict[], key: string = ingressKey(ingress)): Finding[] {
  if (verdicts.length === 0) return [];
  const ingresses = [key];
  const out: Finding[] = [];
  const bookkeeping = verdicts.filter((v) => v.findingId === 'annotation.bookkeeping');
  const foreign = verdicts.filter((v) => v.findingId === 'annotation.foreign');
  if (bookkeeping.length > 0) {
    const tools = [...new Set(bookkeeping.map((v) => v.tool ?? '?'))].sort();
    out.push(finding('annotation.bookkeeping', 'info', { ingresses }, { count: bookkeeping.length, tools, keys: bookkeeping.map((v) => v.key) }, 'not-carried'));
  }
  if (foreign.length > 0) out.push(finding('annotation.foreign', 'warn', { ingresses }, { count: foreign.length, keys: foreign.map((v) => v.key) }, 'not-carried'));
  for (const v of verdicts) {
    if (v.findingId === 'annotation.bookkeeping' || v.findingId === 'annotation.foreign') continue;
    if (v.fidelity === 'exact' && v.findingId === 'annotation.exact') continue;
    const data: Record<string, string> = { message: v.message, value: showValue(v.value) };
    out.push(finding(v.findingId, v.severity, { ingresses, annotation: v.annotation ?? v.key }, data, v.fidelity));
  }
  return out;
}

/** An Ingress nginx refuses: nothing of it is routed, so nothing goes to a root either (Certificates still do). */
export function notConverted(verdicts: AnnotationVerdict[]): AnnotationVerdict[] {
  return verdicts.map((v) =>
    v.tool === 'external-dns' && v.fidelity !== 'not-carried'
      ? { ...v, fidelity: 'unsupported', severity: 'warn', message: 'not carried: nginx refuses this Ingress, so none of its hosts gets a root from it', findingId: 'annotation.unsupported' }
      : v,
  );
}

/** Messages quote values: whatever a value holds, a message stays one bounded line. */
function clip(message: string): string {
  const line = message.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return line.length > 600 ? `${line.slice(0, 600)}…` : line;
}
