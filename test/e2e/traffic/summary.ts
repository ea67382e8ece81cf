// Collects what every request and check of the traffic suite found, and prints the summary
// per annotation family at the end of the run.
export type Outcome = 'pass' | 'known' | 'bug' | 'bug-fixed' | 'fail';

export interface Result {
  scenario: string;
  family: string;
  name: string;
  outcome: Outcome;
  /** `object`: HTTPProxy status / IngressRoute dry-run; `traffic`: a request or a check. */
  kind: 'object' | 'traffic';
}

/** What the oracle taught about the hand-written expectations (not failures). */
export interface OracleNote {
  scenario: string;
  name: string;
  /**
   * `hand-written`: real nginx answered otherwise than the hand-written expectation;
   * `no-difference`: a named difference that real nginx does not show (ours = nginx);
   * `uncovered`: the oracle cannot answer this request (e.g. HTTP/2).
   */
  kind: 'hand-written' | 'no-difference' | 'uncovered';
  text: string;
}

const results: Result[] = [];
const notes: OracleNote[] = [];
let requests = 0;

export function recordNote(n: OracleNote): void {
  notes.push(n);
}

export function allNotes(): readonly OracleNote[] {
  return notes;
}

/** Counts every request sent to Envoy. */
export function countRequest(): void {
  requests++;
}

export function recordOutcome(r: Result): void {
  results.push(r);
}

export function allResults(): readonly Result[] {
  return results;
}

const COLUMNS: Array<[Outcome, string]> = [
  ['pass', 'same'],
  ['known', 'named difference'],
  ['bug', 'open defect'],
  ['bug-fixed', 'defect no longer seen'],
  ['fail', 'unnamed difference/failed'],
];

export interface SummaryVersions {
  contour: string;
  envoy: string;
  /** ingress-nginx release + nginx version when the oracle ran; absent: hand-written expectations. */
  oracle?: string;
}

export function summaryText(versions?: SummaryVersions, timings: Record<string, number> = {}): string {
  const objects = results.filter((r) => r.kind === 'object');
  const traffic = results.filter((r) => r.kind === 'traffic');
  const families = [...new Set(traffic.map((r) => r.family))];
  const count = (rs: Result[], o: Outcome): number => rs.filter((r) => r.outcome === o).length;
  const head = ['family', 'scenarios', ...COLUMNS.map(([, l]) => l)];
  const rows = families.map((f) => {
    const rs = traffic.filter((r) => r.family === f);
    return [f, String(new Set(rs.map((r) => r.scenario)).size), ...COLUMNS.map(([o]) => String(count(rs, o)))];
  });
  rows.push(['total', String(new Set(traffic.map((r) => r.scenario)).size), ...COLUMNS.map(([o]) => String(count(traffic, o)))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [
    `traffic summary${
      versions ? ` (Contour ${versions.contour}, Envoy ${versions.envoy}; expectations from ` + `${versions.oracle ? `real ingress-nginx ${versions.oracle}` : 'hand-written answers only'})` : ''
    }` + `${timings.setupMs !== undefined ? `, setup ${(timings.setupMs / 1000).toFixed(1)} s` : ''}`,
    `${traffic.length} request cases and checks, ${requests} requests sent; ` +
      `generated objects: ${count(objects, 'pass')} of ${objects.length} checks passed ` +
      '(every HTTPProxy valid, every IngressRoute output accepted by a server-side dry-run)',
    line(head),
    ...rows.map(line),
  ];
  const notable = results.filter((r) => r.outcome !== 'pass');
  // Known differences and bugs, with what differs, are listed here for the mapping owners.
  if (notable.length > 0) {
    out.push('', 'not as nginx:');
    for (const r of notable) out.push(`  ${r.outcome.padEnd(9)} ${r.scenario}: ${r.name}`);
  }
  const noteTitles: Record<OracleNote['kind'], string> = {
    'hand-written': 'real nginx disagrees with the hand-written expectation:',
    'no-difference': 'named differences real nginx does not show (ours answers as nginx):',
    uncovered: 'not covered by the oracle (hand-written expectation used):',
  };
  for (const kind of ['hand-written', 'no-difference', 'uncovered'] as const) {
    const ns = notes.filter((n) => n.kind === kind);
    if (ns.length === 0) continue;
    out.push('', `${noteTitles[kind]} ${ns.length}`);
    for (const n of ns) out.push(`  ${n.scenario}: ${n.name}: ${n.text}`);
  }
  return out.join('\n');
}

export function printSummary(versions?: SummaryVersions, timings: Record<string, number> = {}): void {
  process.stdout.write(`\n${summaryText(versions, timings)}\n\n`);
}
