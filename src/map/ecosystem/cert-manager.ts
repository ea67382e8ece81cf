// cert-manager's ingress-shim, reproduced for one Ingress: which Certificates it keeps (one per
// spec.tls entry, named after the secret, in the Ingress's namespace), with the fields its
// annotations set, and every value that ingress-shim or cert-manager's webhook would refuse.
// Source of the rules: cert-manager v1.21 pkg/controller/certificate-shim (sync.go, helper.go)
// and internal/apis/certmanager/validation/certificate.go.
import { isIP } from 'node:net';
import type { Severity } from '../../model/findings.js';
import type { Ingress } from '../../model/ingress.js';
import { ingressKey } from '../../model/ingress.js';
import { parseGoBool } from '../values.js';
import { parseCsvRecord, parseGoDuration, parseGoIntBits } from './go-values.js';

export const ISSUER = 'cert-manager.io/issuer';
export const CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
export const ISSUER_KIND = 'cert-manager.io/issuer-kind';
export const ISSUER_GROUP = 'cert-manager.io/issuer-group';
export const TLS_ACME = 'kubernetes.io/tls-acme';
export const HTTP01_CLASS = 'acme.cert-manager.io/http01-ingress-class';
export const HTTP01_CLASS_NAME = 'acme.cert-manager.io/http01-ingress-ingressclassname';
export const HTTP01_EDIT_IN_PLACE = 'acme.cert-manager.io/http01-edit-in-place';
/** The Certificate annotations ingress-shim writes for the two class annotations. */
const OVERRIDE: Record<string, string> = {
  [HTTP01_CLASS]: 'acme.cert-manager.io/http01-override-ingress-class',
  [HTTP01_CLASS_NAME]: 'acme.cert-manager.io/http01-override-ingress-ingressclassname',
};

export const DEFAULT_USAGES = ['digital signature', 'key encipherment'];
const USAGES = new Set([
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
]);
const SUBJECT_KEYS: [string, string][] = [
  ['cert-manager.io/subject-organizations', 'organizations'],
  ['cert-manager.io/subject-organizationalunits', 'organizationalUnits'],
  ['cert-manager.io/subject-countries', 'countries'],
  ['cert-manager.io/subject-provinces', 'provinces'],
  ['cert-manager.io/subject-localities', 'localities'],
  ['cert-manager.io/subject-postalcodes', 'postalCodes'],
  ['cert-manager.io/subject-streetaddresses', 'streetAddresses'],
];
const HOUR_NS = 3600e9;
const MIN_RENEW_NS = 300e9;
const DEFAULT_DURATION_NS = 90 * 24 * HOUR_NS;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const EMAIL = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+$/;

export interface IssuerRef {
  name: string;
  kind?: string;
  group?: string;
}

export interface CertificateIntent {
  namespace: string;
  /** The Certificate's name: ingress-shim names it after the secret. */
  secretName: string;
  /** `ns/name` of the Ingress it comes from. */
  ingress: string;
  creationTimestamp?: string;
  hosts: string[];
  /** `Kind name` (and group) of the issuer, for messages. */
  issuer: string;
  /** The class the solver of this Certificate is pointed at (an http01 override), if any. */
  solverClass?: string;
  annotations: Record<string, string>;
  spec: Record<string, unknown>;
}

/** A verdict on one cert-manager annotation, for the report. */
export interface KeyVerdict {
  fidelity: 'exact' | 'approximate' | 'unsupported' | 'invalid';
  severity: Severity;
  message: string;
  findingId: 'annotation.exact' | 'annotation.approximate' | 'annotation.unsupported' | 'annotation.invalid-value' | 'annotation.ignored' | 'certmanager.default-issuer' | 'certmanager.http01-nginx';
}

/** Something about the Ingress as a whole (no Certificate, a skipped TLS entry, a solver on nginx). */
export interface ShimNote {
  kind: 'no-certificate' | 'tls-skipped';
  severity: Severity;
  annotation?: string;
  data: Record<string, string | string[]>;
}

export interface ShimResult {
  /** Whether ingress-shim acts on this Ingress at all. */
  active: boolean;
  certificates: CertificateIntent[];
  /** Verdicts by full key, for the keys the shim reads; keys not here get the catalogue's. */
  verdicts: Map<string, KeyVerdict>;
  notes: ShimNote[];
}

export interface ShimOptions {
  /** The ingress-nginx class being converted: an HTTP-01 solver bound to it stops working. */
  nginxClass: string;
  /** cert-manager's default issuer (controller flags), when known. */
  defaultIssuer?: IssuerRef;
}

/** Whether ingress-shim reads the key (it acts on, or states a verdict for, these only). */
export const shimKey = (k: string): boolean => k.startsWith('cert-manager.io/') || k.startsWith('acme.cert-manager.io/') || k === TLS_ACME;

const NO_CERTIFICATES: CertificateIntent[] = [];
const NO_NOTES: ShimNote[] = [];
Object.freeze(NO_CERTIFICATES);
Object.freeze(NO_NOTES);
/**
 * The result for an Ingress without any key ingress-shim reads (most of a fleet): one shared
 * object, which its readers only read (its lists are frozen), instead of a Map, two lists and a
 * message per Ingress, all kept until the ecosystem objects are emitted.
 */
export const UNTOUCHED: ShimResult = Object.freeze({ active: false, certificates: NO_CERTIFICATES, verdicts: new Map<string, KeyVerdict>(), notes: NO_NOTES });

export function ingressShim(ingress: Ingress, opts: ShimOptions): ShimResult {
  const a = ingress.annotations;
  let untouched = true;
  for (const k in a) {
    if (shimKey(k)) {
      untouched = false;
      break;
    }
  }
  if (untouched) return UNTOUCHED;
  const has = (k: string): boolean => Object.hasOwn(a, k);
  const verdicts = new Map<string, KeyVerdict>();
  const notes: ShimNote[] = [];
  const result: ShimResult = { active: false, certificates: [], verdicts, notes };
  const acme = has(TLS_ACME) && parseGoBool(a[TLS_ACME]!) === true && a[TLS_ACME]!.trim() === a[TLS_ACME];
  const active = has(ISSUER) || has(CLUSTER_ISSUER) || acme;
  if (!active) {
    const why = has(TLS_ACME) ? `${TLS_ACME} is not "true" and no issuer is named` : `the Ingress names no issuer (${ISSUER} or ${CLUSTER_ISSUER})`;
    for (const k of Object.keys(a)) {
      if (shimKey(k)) {
        verdicts.set(k, { fidelity: 'exact', severity: 'info', message: `ingress-shim ignores it: ${why}; nothing to carry`, findingId: 'annotation.ignored' });
      }
    }
    return result;
  }
  result.active = true;
  const invalid = (k: string, why: string): void => {
    verdicts.set(k, {
      fidelity: 'invalid',
      severity: 'warn',
      message: `cert-manager refuses it (${why}): ingress-shim keeps no Certificate for this Ingress, and none is emitted`,
      findingId: 'annotation.invalid-value',
    });
  };

  // The issuer (issuerForIngressLike).
  let issuer: IssuerRef | undefined;
  const errors: string[] = [];
  let name = opts.defaultIssuer?.name ?? '';
  let kind = opts.defaultIssuer?.kind ?? '';
  let group = opts.defaultIssuer?.group ?? '';
  if (has(ISSUER)) {
    name = a[ISSUER]!;
    kind = 'Issuer';
  }
  if (has(CLUSTER_ISSUER)) {
    name = a[CLUSTER_ISSUER]!;
    kind = 'ClusterIssuer';
  }
  if (has(ISSUER_KIND)) kind = a[ISSUER_KIND]!;
  if (has(ISSUER_GROUP)) group = a[ISSUER_GROUP]!;
  if (has(ISSUER) && has(CLUSTER_ISSUER)) {
    invalid(CLUSTER_ISSUER, `both ${ISSUER} and ${CLUSTER_ISSUER} are set`);
    errors.push('two issuers');
  }
  if (has(CLUSTER_ISSUER) && has(ISSUER_GROUP)) {
    invalid(ISSUER_GROUP, `${CLUSTER_ISSUER} and ${ISSUER_GROUP} may not both be set`);
    errors.push('group with cluster-issuer');
  }
  if (has(CLUSTER_ISSUER) && has(ISSUER_KIND)) {
    invalid(ISSUER_KIND, `${CLUSTER_ISSUER} and ${ISSUER_KIND} may not both be set`);
    errors.push('kind with cluster-issuer');
  }
  if (name === '') {
    if (has(ISSUER) || has(CLUSTER_ISSUER)) {
      invalid(has(CLUSTER_ISSUER) ? CLUSTER_ISSUER : ISSUER, 'the issuer name is empty');
      errors.push('empty issuer');
    } else {
      verdicts.set(TLS_ACME, {
        fidelity: 'unsupported',
        severity: 'warn',
        message: `asks for cert-manager's default issuer (flags --default-issuer-name, --default-issuer-kind, --default-issuer-group of the cert-manager controller), which the conversion cannot see: no Certificate for ${tlsSecrets(ingress).join(', ') || 'its TLS entries'}; pass --cert-manager-default-issuer Kind/name (e.g. ClusterIssuer/letsencrypt), or name the issuer on the Ingress`,
        findingId: 'certmanager.default-issuer',
      });
      errors.push('default issuer unknown');
    }
  } else if ((group === '' || group === 'cert-manager.io') && kind !== '' && kind !== 'Issuer' && kind !== 'ClusterIssuer') {
    invalid(ISSUER_KIND, `kind ${JSON.stringify(kind)} must be Issuer or ClusterIssuer unless ${ISSUER_GROUP} names an external issuer's group`);
    errors.push('kind');
  } else {
    issuer = { name, ...(kind ? { kind } : {}), ...(group ? { group } : {}) };
    if (has(TLS_ACME)) {
      const why = has(ISSUER) || has(CLUSTER_ISSUER) ? 'the issuer named by the Ingress wins over the default issuer' : 'issued by the default issuer given to the conversion';
      verdicts.set(TLS_ACME, { fidelity: 'exact', severity: 'info', message: `${why}; carried as the Certificates' issuerRef`, findingId: 'annotation.exact' });
    }
  }

  // The fields the annotations set (translateAnnotations), then what the webhook checks.
  const spec: Record<string, unknown> = {};
  const fail = (k: string, why: string): void => {
    invalid(k, why);
    errors.push(k);
  };
  if (has('cert-manager.io/common-name')) {
    const cn = a['cert-manager.io/common-name']!;
    if (cn.length > 64) fail('cert-manager.io/common-name', `a common name is at most 64 characters, this one has ${cn.length}`);
    else if (cn !== '') spec.commonName = cn;
  }
  const altNames = a['cert-manager.io/alt-names'];
  const extraDns = altNames ? altNames.split(',') : [];
  const ipSans = a['cert-manager.io/ip-sans'];
  const extraIps = ipSans ? ipSans.split(',') : [];
  const badIp = extraIps.find((ip) => isIP(ip) === 0);
  if (badIp !== undefined) fail('cert-manager.io/ip-sans', `${JSON.stringify(badIp)} is not an IP address`);
  if (has('cert-manager.io/email-sans')) {
    const emails = a['cert-manager.io/email-sans']!.split(',');
    const bad = emails.find((e) => !EMAIL.test(e));
    if (bad !== undefined) fail('cert-manager.io/email-sans', `${JSON.stringify(bad)} is not a bare e-mail address`);
    else spec.emailAddresses = emails;
  }
  const subject: Record<string, unknown> = {};
  for (const [k, field] of SUBJECT_KEYS) {
    if (!has(k)) continue;
    const parsed = parseCsvRecord(a[k]!);
    if (typeof parsed === 'string') fail(k, parsed);
    else subject[field] = parsed;
  }
  if (has('cert-manager.io/subject-serialnumber')) subject.serialNumber = a['cert-manager.io/subject-serialnumber'];
  if (Object.keys(subject).length > 0) spec.subject = subject;
  let durationNs = DEFAULT_DURATION_NS;
  if (has('cert-manager.io/duration')) {
    const d = parseGoDuration(a['cert-manager.io/duration']!);
    if (typeof d === 'string') fail('cert-manager.io/duration', d);
    else if (d < HOUR_NS) fail('cert-manager.io/duration', 'certificate duration must be at least 1h');
    else {
      durationNs = d;
      spec.duration = a['cert-manager.io/duration'];
    }
  }
  if (has('cert-manager.io/renew-before')) {
    const d = parseGoDuration(a['cert-manager.io/renew-before']!);
    if (typeof d === 'string') fail('cert-manager.io/renew-before', d);
    else if (d < MIN_RENEW_NS) fail('cert-manager.io/renew-before', 'renewBefore must be at least 5m');
    else if (d >= durationNs) fail('cert-manager.io/renew-before', 'renewBefore must be shorter than the duration');
    else spec.renewBefore = a['cert-manager.io/renew-before'];
  }
  if (has('cert-manager.io/renew-before-percentage')) {
    const k = 'cert-manager.io/renew-before-percentage';
    const p = parseGoIntBits(a[k]!, 32);
    if (typeof p === 'string') fail(k, p);
    else if (has('cert-manager.io/renew-before')) fail(k, 'renewBefore and renewBeforePercentage are mutually exclusive');
    else {
      const renew = (durationNs * (100 - p)) / 100;
      if (renew < MIN_RENEW_NS || renew >= durationNs) fail(k, 'it must leave a renewBefore between 5m and the duration');
      else spec.renewBeforePercentage = p;
    }
  }
  let usages = DEFAULT_USAGES;
  if (has('cert-manager.io/usages')) {
    const list = a['cert-manager.io/usages']!.split(',').map((u) => u.trim());
    const bad = list.find((u) => !USAGES.has(u));
    if (bad !== undefined) fail('cert-manager.io/usages', `invalid key usage name ${JSON.stringify(bad)}`);
    else usages = list;
  }
  spec.usages = usages;
  if (has('cert-manager.io/revision-history-limit')) {
    const k = 'cert-manager.io/revision-history-limit';
    const n = parseGoIntBits(a[k]!, 32);
    if (typeof n === 'string') fail(k, n);
    else if (n < 1) fail(k, 'revision history limit must be a positive number');
    else spec.revisionHistoryLimit = n;
  }
  const privateKey: Record<string, unknown> = {};
  if (has('cert-manager.io/private-key-algorithm')) {
    const v = a['cert-manager.io/private-key-algorithm']!;
    if (v !== 'RSA' && v !== 'ECDSA' && v !== 'Ed25519') fail('cert-manager.io/private-key-algorithm', `invalid private key algorithm ${JSON.stringify(v)} (RSA, ECDSA or Ed25519)`);
    else privateKey.algorithm = v;
  }
  if (has('cert-manager.io/private-key-encoding')) {
    const v = a['cert-manager.io/private-key-encoding']!;
    if (v !== 'PKCS1' && v !== 'PKCS8') fail('cert-manager.io/private-key-encoding', `invalid private key encoding ${JSON.stringify(v)} (PKCS1 or PKCS8)`);
    else privateKey.encoding = v;
  }
  if (has('cert-manager.io/private-key-size')) {
    const k = 'cert-manager.io/private-key-size';
    const n = parseGoIntBits(a[k]!, 64);
    const algorithm = typeof privateKey.algorithm === 'string' ? privateKey.algorithm : 'RSA';
    if (typeof n === 'string') fail(k, n);
    else if (algorithm === 'RSA' && (n < 2048 || n > 8192)) fail(k, 'invalid private key size for RSA (2048 to 8192)');
    else if (algorithm === 'ECDSA' && n !== 256 && n !== 384 && n !== 521) fail(k, 'invalid private key size for ECDSA (256, 384 or 521)');
    else if (n > 0) privateKey.size = n;
  }
  if (has('cert-manager.io/private-key-rotation-policy')) {
    const v = a['cert-manager.io/private-key-rotation-policy']!;
    if (v !== 'Never' && v !== 'Always') fail('cert-manager.io/private-key-rotation-policy', `invalid private key rotation policy ${JSON.stringify(v)} (Never or Always)`);
    else privateKey.rotationPolicy = v;
  }
  if (Object.keys(privateKey).length > 0) spec.privateKey = privateKey;
  if (has('cert-manager.io/secret-template')) {
    const parsed = secretTemplate(a['cert-manager.io/secret-template']!);
    if (typeof parsed === 'string') fail('cert-manager.io/secret-template', parsed);
    else if (parsed) spec.secretTemplate = parsed;
  }

  // The HTTP-01 solver: where ingress-shim points it, and whether that is the nginx class.
  const annotations: Record<string, string> = {};
  let solverClass: string | undefined;
  for (const k of [HTTP01_CLASS, HTTP01_CLASS_NAME]) {
    const v = a[k];
    if (v === undefined || v === '') continue;
    if (v === opts.nginxClass) {
      verdicts.set(k, {
        fidelity: 'unsupported',
        severity: 'warn',
        message: `not carried: it sends cert-manager's HTTP-01 challenges to the ingress-nginx class "${v}", which nothing serves after the migration; the Issuer's own solver settings apply instead, and they must send challenges to Contour`,
        findingId: 'certmanager.http01-nginx',
      });
    } else {
      annotations[OVERRIDE[k]!] = v;
      solverClass = v;
    }
  }
  if (a[HTTP01_EDIT_IN_PLACE] === 'true') {
    verdicts.set(HTTP01_EDIT_IN_PLACE, {
      fidelity: 'unsupported',
      severity: 'warn',
      message:
        "not carried: cert-manager's HTTP-01 solver added its challenge path to this Ingress for ingress-nginx to serve; after the migration nothing serves that Ingress, so the Issuer's own solver settings apply instead, and they must send challenges to Contour",
      findingId: 'certmanager.http01-nginx',
    });
  } else if (has(HTTP01_EDIT_IN_PLACE)) {
    verdicts.set(HTTP01_EDIT_IN_PLACE, { fidelity: 'exact', severity: 'info', message: 'ingress-shim acts on "true" only; ignored, as by ingress-shim', findingId: 'annotation.ignored' });
  }

  // One TLS entry per Certificate (validateIngressLike, buildCertificates).
  const names = ingress.tls.map((t) => t.secretName ?? '');
  const duplicate = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    notes.push({ kind: 'no-certificate', severity: 'warn', data: { reason: `secret ${duplicate} appears in two spec.tls entries, which ingress-shim refuses` } });
    errors.push('duplicate secret');
  }
  if (errors.length > 0 || !issuer) return result;
  if (ingress.tls.length === 0) notes.push({ kind: 'no-certificate', severity: 'info', data: { reason: 'the Ingress has no spec.tls entry' } });
  ingress.tls.forEach((t, i) => {
    if (!t.secretName || t.hosts.length === 0) {
      notes.push({ kind: 'tls-skipped', severity: 'info', data: { entry: `spec.tls[${i}]`, reason: t.secretName ? 'it has no hosts' : 'it has no secretName' } });
      return;
    }
    if (!DNS_SUBDOMAIN.test(t.secretName) || t.secretName.length > 253) {
      notes.push({ kind: 'no-certificate', severity: 'warn', data: { reason: `secret name ${JSON.stringify(t.secretName)} of spec.tls[${i}] is not a valid object name` } });
      return;
    }
    const seen = new Set<string>();
    const dnsNames: string[] = [];
    const ips: string[] = [];
    for (const h of t.hosts) {
      if (seen.has(h)) continue;
      seen.add(h);
      (isIP(h) === 0 ? dnsNames : ips).push(h);
    }
    const certSpec: Record<string, unknown> = { secretName: t.secretName, issuerRef: { ...issuer } };
    if (spec.commonName !== undefined) certSpec.commonName = spec.commonName;
    const allDns = [...dnsNames, ...extraDns];
    const allIps = [...ips, ...extraIps];
    if (allDns.length > 0) certSpec.dnsNames = allDns;
    if (allIps.length > 0) certSpec.ipAddresses = allIps;
    for (const [k, v] of Object.entries(spec)) if (k !== 'commonName') certSpec[k] = v;
    const intent: CertificateIntent = {
      namespace: ingress.namespace,
      secretName: t.secretName,
      ingress: ingressKey(ingress),
      hosts: [...dnsNames, ...ips],
      issuer: `${issuer.kind ?? 'Issuer'}${issuer.group ? `.${issuer.group}` : ''} ${issuer.name}`,
      annotations: { ...annotations },
      spec: certSpec,
    };
    if (solverClass) intent.solverClass = solverClass;
    if (ingress.creationTimestamp) intent.creationTimestamp = ingress.creationTimestamp;
    result.certificates.push(intent);
  });
  return result;
}

function tlsSecrets(ingress: Ingress): string[] {
  return ingress.tls.flatMap((t) => (t.secretName ? [t.secretName] : []));
}

/** cert-manager.io/secret-template: JSON {annotations, labels}; unknown fields refused. */
function secretTemplate(text: string): Record<string, Record<string, string>> | undefined | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return `error parsing secret template JSON: ${(err as Error).message}`;
  }
  if (raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'error parsing secret template JSON: not an object';
  const out: Record<string, Record<string, string>> = {};
  for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
    // Go's JSON decoder matches field names case-insensitively.
    const name = field.toLowerCase();
    if (name !== 'annotations' && name !== 'labels') return `error parsing secret template JSON: unknown field ${JSON.stringify(field)}`;
    if (value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      return `error parsing secret template JSON: ${field} must map strings to strings`;
    }
    const map = value as Record<string, string>;
    for (const [k, v] of Object.entries(map)) {
      if (!QUALIFIED_NAME.test(k)) return `secretTemplate ${name} key ${JSON.stringify(k)} is not a valid key`;
      // ingress-shim refuses every cert-manager.io/ key here (its webhook would allow one: allow-direct-injection).
      if (name === 'annotations' && k.startsWith('cert-manager.io/')) {
        return `secretTemplate must not have cert-manager.io/ annotations: ${JSON.stringify(k)}`;
      }
      if (name === 'labels' && (v.length > 63 || !LABEL_VALUE.test(v))) return `secretTemplate label ${JSON.stringify(k)} has an invalid value`;
    }
    if (Object.keys(map).length > 0) out[name] = { ...(out[name] ?? {}), ...map };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
