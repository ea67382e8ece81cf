// Rendering of a verify run: text like `diff` (one line per differing probe, grouped by host),
// JSON for machines, Markdown for tickets. Pure.
import { summarize, type Difference, type ProbeResult, type Summary } from './compare.js';

export interface RunInfo {
  nginx: string;
  contour: string;
  /** Set when the run stopped before every probe was sent. */
  stopped?: string;
}

export type VerifyFormat = 'text' | 'json' | 'markdown';

const diffText = (d: Difference): string => `${d.field} ${d.nginx} → ${d.contour}`;

function probeLabel(r: ProbeResult): string {
  const p = r.probe;
  const h = Object.entries(p.headers).map(([k, v]) => `${k}: ${v}`).join('; ');
  return `${p.scheme} ${p.method} ${p.path}${h ? ` [${h}]` : ''}`;
}

function byHost(results: readonly ProbeResult[]): Map<string, ProbeResult[]> {
  const m = new Map<string, ProbeResult[]>();
  for (const r of results) m.set(r.probe.host, [...(m.get(r.probe.host) ?? []), r]);
  return m;
}

export function summaryLine(s: Summary, info: RunInfo): string {
  const parts = [`${s.probes} probe(s)`, `${s.same} same`, `${s.expected} expected difference(s)`, `${s.unexpected} UNEXPECTED`];
  if (s.skipped > 0) parts.push(`${s.skipped} skipped (--skip-path)`);
  if (s.notRun > 0) parts.push(`${s.notRun} not run`);
  return `verify: ${parts.join(', ')}${info.stopped ? `; stopped: ${info.stopped}` : ''}`;
}

export function renderText(results: readonly ProbeResult[], info: RunInfo): string {
  const lines = [`--- nginx   ${info.nginx}`, `+++ contour ${info.contour}`];
  for (const [host, rs] of byHost(results)) {
    // Differences, then the probes the run never sent (so a partial run says what it did not check).
    const shown = rs.filter((r) => r.verdict === 'expected' || r.verdict === 'unexpected' || r.verdict === 'not-run');
    if (shown.length === 0) continue;
    lines.push(`@@ ${host} @@`);
    for (const r of shown) {
      if (r.verdict === 'not-run') {
        lines.push(`? ${probeLabel(r)}: not run`);
        continue;
      }
      const why = r.verdict === 'expected' ? `expected (${[...new Set(r.predictedBy.map((f) => f.id))].join(', ')})` : 'UNEXPECTED';
      lines.push(`${r.verdict === 'expected' ? '~' : '!'} ${probeLabel(r)}: ${r.differences.map(diffText).join('; ')}  ${why}`);
    }
  }
  lines.push(summaryLine(summarize(results), info));
  return `${lines.join('\n')}\n`;
}

export function renderJson(results: readonly ProbeResult[], info: RunInfo): string {
  const out = {
    nginx: info.nginx,
    contour: info.contour,
    ...(info.stopped ? { stopped: info.stopped } : {}),
    summary: summarize(results),
    probes: results.map((r) => ({
      key: r.probe.key,
      kind: r.probe.kind,
      host: r.probe.host,
      scheme: r.probe.scheme,
      method: r.probe.method,
      path: r.probe.path,
      headers: r.probe.headers,
      ingressPath: r.probe.ingressPath ?? null,
      ingresses: r.probe.ingresses,
      verdict: r.verdict,
      nginx: r.nginx ?? null,
      contour: r.contour ?? null,
      differences: r.differences,
      predictedBy: r.predictedBy,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(results: readonly ProbeResult[], info: RunInfo): string {
  const s = summarize(results);
  const lines = [`## ingress2contour verify`, '', `nginx: \`${info.nginx}\` · contour: \`${info.contour}\``, '', `**${summaryLine(s, info)}**`];
  for (const [host, rs] of byHost(results)) {
    const shown = rs.filter((r) => r.verdict === 'expected' || r.verdict === 'unexpected' || r.verdict === 'not-run');
    if (shown.length === 0) continue;
    lines.push('', `### ${host}`, '', '| probe | difference (nginx → contour) | verdict |', '|---|---|---|');
    for (const r of shown) {
      if (r.verdict === 'not-run') {
        lines.push(`| \`${cell(probeLabel(r))}\` | | not run |`);
        continue;
      }
      const why = r.verdict === 'expected' ? `expected: ${[...new Set(r.predictedBy.map((f) => `\`${f.id}\``))].join(', ')}` : '**UNEXPECTED**';
      lines.push(`| \`${cell(probeLabel(r))}\` | ${cell(r.differences.map(diffText).join('; '))} | ${why} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function render(results: readonly ProbeResult[], info: RunInfo, format: VerifyFormat): string {
  if (format === 'json') return renderJson(results, info);
  if (format === 'markdown') return renderMarkdown(results, info);
  return renderText(results, info);
}
