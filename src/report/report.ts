// The migration report: per Ingress and per annotation, the verdict and what it
// means for traffic, plus totals. Pure: built from a conversion result.
import { createHash } from 'node:crypto';
import type { ConversionResult, ConvertOptions } from '../convert.js';
import { formatVersion } from '../model/contour.js';
import type { ControllerConfig } from '../model/controller.js';
import { indexByAnnotation, type Fidelity, type Finding, type Severity } from '../model/findings.js';
import { ingressKey } from '../model/ingress.js';
import { originLabel } from '../read/normalize.js';
import { showValue } from '../map/values.js';
import { verdictAnnotation } from '../map/engine.js';

export const REPORT_SCHEMA_VERSION = 2;
export const FIDELITIES: Fidelity[] = ['exact', 'approximate', 'unsupported', 'unknown', 'invalid', 'not-carried'];

export interface AnnotationLine {
  annotation: string;
  /** The value as written, shortened to 200 characters and stripped of control characters. */
  value: string;
  verdict: Fidelity;
  severity: Severity;
  findingId: string;
  message: string;
  needsContour?: string;
  /** Later-stage findings that downgraded this verdict (id and message), so the reason is always shown with it. */
  reasons?: { id: string; message: string }[];
  /** For an annotation outside the nginx prefix: the tool that owns it (ecosystem catalogue), or absent when no known tool does. */
  tool?: string;
  /** True for an annotation outside the nginx prefix (the line shows its full key). */
  foreign?: boolean;
}

export interface IngressReport {
  ingress: string;
  source: string;
  /** The worst verdict of its annotations and findings. */
  status: 'converted' | 'approximate' | 'partial' | 'not-converted';
  annotations: AnnotationLine[];
  /** Findings about this Ingress from the later stages (paths, TLS, canary, safety…). */
  findings: Finding[];
}

export interface AnnotationFrequency {
  annotation: string;
  ingresses: number;
  verdicts: Partial<Record<Fidelity, number>>;
}

export interface Report {
  schemaVersion: number;
  tool: 'ingress2contour';
  target: string;
  contourVersion: string;
  /** The ingress-nginx controller whose flags and ConfigMap the conversion used; absent: none was read (nginx's defaults). */
  controller?: { source: string; ingressClasses: string[]; configMap?: string };
  /** sha256 of the report without this field: equal inputs and options give equal hashes. */
  contentHash: string;
  totals: {
    ingressesRead: number;
    ingressesSelected: number;
    notSelected: number;
    fullyConverted: number;
    approximate: number;
    partial: number;
    notConverted: number;
    verdicts: Record<Fidelity, number>;
    findings: Record<Severity, number>;
    /** Access controls that could not be kept: routes denied in place, hosts left out, routes published on request. */
    security: { routesDenied: number; hostsWithheld: number; routesPublishedUnprotected: number };
    /** Contour versions that would convert more, with how many annotation uses each would unlock. */
    newerContour: Record<string, number>;
  };
  annotations: AnnotationFrequency[];
  ingresses: IngressReport[];
  /** Findings about the input or a host rather than one Ingress. */
  general: Finding[];
}

const RANK = { converted: 0, approximate: 1, partial: 2, 'not-converted': 3 } as const;

export function buildReport(result: ConversionResult, inputFindings: Finding[], totalIngresses: number, opts: ConvertOptions, prefix: string): Report {
  const byIngress = new Map<string, IngressReport>();
  const verdictTotals = Object.fromEntries(FIDELITIES.map((f) => [f, 0])) as Record<Fidelity, number>;
  const frequency = new Map<string, AnnotationFrequency>();
  const newerContour: Record<string, number> = {};

  const stageFindings = [...inputFindings, ...result.findings.filter((f) => !result.verdictFindings.has(f))];
  const byAnnotation = indexByAnnotation(stageFindings);
  for (const m of result.mapped) {
    const key = ingressKey(m.ingress);
    const annotations = [...m.verdicts, ...(m.ecosystem ?? [])].map((v): AnnotationLine => {
      verdictTotals[v.fidelity]++;
      const name = verdictAnnotation(v, prefix);
      const freq = frequency.get(name) ?? { annotation: name, ingresses: 0, verdicts: {} };
      freq.ingresses++;
      freq.verdicts[v.fidelity] = (freq.verdicts[v.fidelity] ?? 0) + 1;
      frequency.set(name, freq);
      if (v.needsContour) newerContour[v.needsContour] = (newerContour[v.needsContour] ?? 0) + 1;
      const line: AnnotationLine = { annotation: name, value: cleanValue(v.value), verdict: v.fidelity, severity: v.severity, findingId: v.findingId, message: v.message };
      if (v.needsContour) line.needsContour = v.needsContour;
      if (v.annotation) line.foreign = true;
      if (v.tool) line.tool = v.tool;
      if (v.causes) {
        const causes = v.causes;
        line.reasons = (byAnnotation.get(`${name} ${key}`) ?? []).filter((f) => causes.includes(f.id)).map((f) => ({ id: f.id, message: f.message }));
      }
      return line;
    });
    byIngress.set(key, { ingress: key, source: originLabel(m.ingress.origin), status: 'converted', annotations, findings: [] });
  }

  const general: Finding[] = [];
  for (const f of stageFindings) {
    const owners = f.subject.ingresses.filter((o) => byIngress.has(o));
    if (owners.length === 0) general.push(f);
    for (const o of owners) byIngress.get(o)?.findings.push(f);
  }

  const refused = new Set(result.mapped.filter((m) => m.skipReason).map((m) => ingressKey(m.ingress)));
  for (const r of byIngress.values()) r.status = statusOf(r, refused.has(r.ingress));
  const ingresses = [...byIngress.values()].sort((a, b) => (a.ingress < b.ingress ? -1 : a.ingress > b.ingress ? 1 : 0));
  const count = (s: IngressReport['status']): number => ingresses.filter((i) => i.status === s).length;
  const findings = { error: 0, warn: 0, info: 0 };
  for (const f of [...inputFindings, ...result.findings]) findings[f.severity]++;

  const body: Omit<Report, 'contentHash'> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'ingress2contour',
    target: opts.target,
    contourVersion: formatVersion(opts.contourVersion),
    ...(opts.controller ? { controller: controllerLine(opts.controller) } : {}),
    totals: {
      ingressesRead: totalIngresses,
      ingressesSelected: result.mapped.length,
      notSelected: result.skipped.length,
      fullyConverted: count('converted'),
      approximate: count('approximate'),
      partial: count('partial'),
      notConverted: count('not-converted'),
      verdicts: verdictTotals,
      findings,
      security: securityTotals(result.findings),
      newerContour: Object.fromEntries(Object.entries(newerContour).sort(([a], [b]) => compareVersions(a, b))),
    },
    annotations: [...frequency.values()].sort((a, b) => b.ingresses - a.ingresses || (a.annotation < b.annotation ? -1 : 1)),
    ingresses,
    general,
  };
  return { ...body, contentHash: `sha256:${jsonHash(body)}` };
}

/**
 * sha256 of JSON.stringify(body), fed to the hash field by field and array item by array item:
 * the same bytes without one string of the whole report (hundreds of MB for a large fleet).
 */
function jsonHash(body: object): string {
  const hash = createHash('sha256');
  let sep = '{';
  for (const [key, value] of Object.entries(body)) {
    const json = Array.isArray(value) ? undefined : (JSON.stringify(value) as string | undefined);
    if (!Array.isArray(value) && json === undefined) continue;
    hash.update(`${sep}${JSON.stringify(key)}:`);
    sep = ',';
    if (json !== undefined) {
      hash.update(json);
      continue;
    }
    hash.update('[');
    (value as unknown[]).forEach((item, i) => hash.update(`${i === 0 ? '' : ','}${(JSON.stringify(item) as string | undefined) ?? 'null'}`));
    hash.update(']');
  }
  hash.update(sep === '{' ? '{}' : '}');
  return hash.digest('hex');
}

function controllerLine(c: ControllerConfig): NonNullable<Report['controller']> {
  return { source: c.source, ingressClasses: c.ingressClasses, ...(c.configMapSource ? { configMap: c.configMapSource } : {}) };
}

function statusOf(r: IngressReport, skipped: boolean): IngressReport['status'] {
  if (skipped) return 'not-converted';
  let status: IngressReport['status'] = 'converted';
  const worse = (s: IngressReport['status']): void => {
    if (RANK[s] > RANK[status]) status = s;
  };
  for (const a of r.annotations) {
    if (a.severity === 'error') worse('partial');
    else if (a.verdict !== 'exact' && a.severity === 'warn') worse('approximate');
  }
  for (const f of r.findings) {
    if (f.severity === 'error') worse('partial');
    else if (f.severity === 'warn') worse('approximate');
  }
  return status;
}

function securityTotals(findings: Finding[]): Report['totals']['security'] {
  const totals = { routesDenied: 0, hostsWithheld: 0, routesPublishedUnprotected: 0 };
  const hosts = new Set<string>();
  for (const f of findings) {
    const routes = typeof f.data.routes === 'number' ? f.data.routes : 0;
    if (f.id === 'security.route-denied') totals.routesDenied += routes;
    else if (f.id === 'security.published-unprotected') totals.routesPublishedUnprotected += routes;
    else if (f.id === 'security.host-withheld') hosts.add(f.subject.host ?? '');
  }
  totals.hostsWithheld = hosts.size;
  return totals;
}

function cleanValue(value: string): string {
  return JSON.parse(showValue(value, 200)) as string;
}

function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}
