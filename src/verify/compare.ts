// Comparison of the two answers to one probe, and the findings that predicted a difference.
// Pure: observations in, verdicts out.
import type { Finding, FindingId } from '../model/findings.js';
import type { Probe, ProbeKind, Scheme } from './probes.js';

/** One controller's answer to one probe, reduced to what can be compared. */
export interface Observation {
  /** HTTP status; absent when no answer came (see error). */
  status?: number;
  /** `timeout`, `connection refused`, … when no answer came. */
  error?: string;
  /** Redirect Location, resolved against the probe URL. */
  location?: string;
  /** The response headers the user asked to compare (lower-case names), when present. */
  headers: Record<string, string>;
  /** Which backend answered: the --backend-header value, or `sha256:<12 hex>/<bytes>` of a 2xx GET body. */
  backend?: string;
  /** https only: whether the served certificate is valid for the host name. */
  certificate?: 'matches-host' | 'other-name';
}

export type Field = 'answer' | 'status' | 'location' | 'backend' | 'certificate' | `header:${string}`;

export interface Difference {
  field: Field;
  nginx: string;
  contour: string;
}

export type Verdict = 'same' | 'expected' | 'unexpected' | 'skipped' | 'not-run';

export interface ProbeResult {
  probe: Probe;
  verdict: Verdict;
  nginx?: Observation;
  contour?: Observation;
  differences: Difference[];
  /** Finding ids (with their message) that predicted the differences. */
  predictedBy: { id: FindingId; message: string }[];
}

const show = (v: string | number | undefined): string => (v === undefined ? '(none)' : String(v));

/** The fields in which two answers differ, in a fixed order. */
export function compareObservations(nginx: Observation, contour: Observation): Difference[] {
  if (nginx.error !== undefined || contour.error !== undefined) {
    const n = nginx.error ?? `status ${show(nginx.status)}`;
    const c = contour.error ?? `status ${show(contour.status)}`;
    return n === c ? [] : [{ field: 'answer', nginx: n, contour: c }];
  }
  const out: Difference[] = [];
  if (nginx.status !== contour.status) out.push({ field: 'status', nginx: show(nginx.status), contour: show(contour.status) });
  if (nginx.location !== contour.location) out.push({ field: 'location', nginx: show(nginx.location), contour: show(contour.location) });
  // A backend is only compared where both say who answered: error pages of the two proxies differ by design.
  if (nginx.backend !== undefined && contour.backend !== undefined && nginx.backend !== contour.backend) {
    out.push({ field: 'backend', nginx: nginx.backend, contour: contour.backend });
  } else if ((nginx.backend === undefined) !== (contour.backend === undefined) && nginx.status === contour.status) {
    out.push({ field: 'backend', nginx: show(nginx.backend), contour: show(contour.backend) });
  }
  if (nginx.certificate !== contour.certificate) out.push({ field: 'certificate', nginx: show(nginx.certificate), contour: show(contour.certificate) });
  const names = [...new Set([...Object.keys(nginx.headers), ...Object.keys(contour.headers)])].sort();
  for (const h of names) {
    if (nginx.headers[h] !== contour.headers[h]) out.push({ field: `header:${h}`, nginx: show(nginx.headers[h]), contour: show(contour.headers[h]) });
  }
  return out;
}

// Findings that say the output behaves the same, or that are about the run, never predict a difference.
const NOT_A_DIFFERENCE = new Set<FindingId>(['annotation.exact', 'tls.delegation', 'route.default-backend', 'class.skipped']);

/**
 * What a host-wide finding can explain: without this, a note like "HTTP→HTTPS redirects use
 * 301" would excuse a route that is missing on HTTPS too. Ids not listed explain any difference
 * on their host/Ingress and paths.
 */
const EXPLAINS: Partial<Record<FindingId, Scope>> = {
  'tls.redirect-code': { schemes: ['http'], fields: ['status', 'location'] },
  'route.string-prefix': { kinds: ['sibling'] },
  'route.trailing-slash-redirect': { kinds: ['trailing-slash'] },
  'route.exact-approximated': { kinds: ['trailing-slash', 'child', 'sibling'] },
  'route.regex-mode': { kinds: ['upper-case'] },
  'route.regex-order': { kinds: ['path', 'child', 'sibling', 'trailing-slash', 'upper-case'] },
};

type Scope = { schemes?: Scheme[]; kinds?: ProbeKind[]; fields?: Field[] };

/** What a finding about an annotation can explain (by annotation name); others explain any difference on their Ingress. */
const EXPLAINS_ANNOTATION: Record<string, Scope> = {
  // "The canary Service joins the mainline route": a note on namespaces, never a routing difference.
  canary: { fields: [] },
  // Their approximations are the order of header vs cookie rules and sticky sessions: verify never
  // sends a header and a cookie together, so any canary difference it sees is not one of them.
  'canary-by-header': { fields: [] },
  'canary-by-header-value': { fields: [] },
  'canary-by-header-pattern': { kinds: ['canary-header'] },
  'canary-by-cookie': { fields: [] },
  'permanent-redirect': { fields: ['location'] },
  'temporal-redirect': { fields: ['location'] },
  'permanent-redirect-code': { fields: ['status'] },
  'temporal-redirect-code': { fields: ['status'] },
  'app-root': { kinds: ['app-root'] },
  'enable-cors': { kinds: ['cors-preflight'] },
  'cors-allow-origin': { kinds: ['cors-preflight'] },
  'cors-allow-methods': { kinds: ['cors-preflight'] },
  'cors-allow-headers': { kinds: ['cors-preflight'] },
  'cors-allow-credentials': { kinds: ['cors-preflight'] },
  'cors-max-age': { kinds: ['cors-preflight'] },
  'ssl-redirect': { schemes: ['http'] },
  'force-ssl-redirect': { schemes: ['http'] },
};

/** The Ingress paths a finding is about: its subject's path, or the paths a host-wide note collected. */
function findingPaths(f: Finding): readonly string[] {
  if (f.subject.path !== undefined) return [f.subject.path];
  const listed = f.data.paths;
  return Array.isArray(listed) ? listed : [];
}

/**
 * The findings of the conversion that predicted a difference on this probe. A finding applies
 * when its host is the probe's host (or, without a host, one of its Ingresses made the probe),
 * when it names paths, one of them is the Ingress path the probe came from, and when the
 * difference is one it can explain (see EXPLAINS). Findings about the whole run (no host, no
 * Ingress) predict nothing: they would excuse every difference.
 */
export function predictedBy(probe: Probe, findings: readonly Finding[], differences: readonly Difference[] = []): Finding[] {
  return findings.filter((f) => {
    if (NOT_A_DIFFERENCE.has(f.id)) return false;
    const { host, ingresses, annotation } = f.subject;
    const scope = annotation ? EXPLAINS_ANNOTATION[annotation.slice(annotation.lastIndexOf('/') + 1)] : EXPLAINS[f.id];
    if (scope?.schemes && !scope.schemes.includes(probe.scheme)) return false;
    if (scope?.kinds && !scope.kinds.includes(probe.kind)) return false;
    if (scope?.fields && differences.some((d) => !scope.fields!.includes(d.field))) return false;
    if (host !== undefined) {
      if (host !== probe.host && !(host.startsWith('*.') && probe.host.endsWith(host.slice(1)))) return false;
    } else if (!ingresses.some((i) => probe.ingresses.includes(i))) {
      return false;
    }
    const paths = findingPaths(f);
    if (paths.length === 0) return true;
    if (probe.ingressPath === undefined) return false;
    const trimmed = probe.ingressPath.replace(/\/+$/, '');
    return paths.includes(probe.ingressPath) || paths.includes(trimmed);
  });
}

/** The verdict of one probe from both observations and the conversion's findings. */
export function judge(probe: Probe, nginx: Observation, contour: Observation, findings: readonly Finding[]): ProbeResult {
  const differences = compareObservations(nginx, contour);
  if (differences.length === 0) return { probe, verdict: 'same', nginx, contour, differences, predictedBy: [] };
  const predicted = predictedBy(probe, findings, differences).map((f) => ({ id: f.id, message: f.message }));
  return { probe, verdict: predicted.length > 0 ? 'expected' : 'unexpected', nginx, contour, differences, predictedBy: predicted };
}

export interface Summary {
  probes: number;
  same: number;
  expected: number;
  unexpected: number;
  skipped: number;
  notRun: number;
}

export function summarize(results: readonly ProbeResult[]): Summary {
  const n = (v: Verdict): number => results.filter((r) => r.verdict === v).length;
  return { probes: results.length, same: n('same'), expected: n('expected'), unexpected: n('unexpected'), skipped: n('skipped'), notRun: n('not-run') };
}

/** Sides that answered no probe at all (every request failed), with the first error: a wrong address. */
export function unreachableSides(results: readonly ProbeResult[]): { side: 'nginx' | 'contour'; error: string }[] {
  const ran = results.filter((r) => r.nginx && r.contour);
  if (ran.length === 0) return [];
  const out: { side: 'nginx' | 'contour'; error: string }[] = [];
  for (const side of ['nginx', 'contour'] as const) {
    if (ran.every((r) => r[side]!.error !== undefined)) out.push({ side, error: ran[0]![side]!.error! });
  }
  return out;
}
