// The report as human text (terminal) or Markdown (a migration ticket). Both show
// the same verdicts as the JSON form; only the layout differs.
import { subjectLabel, type Fidelity } from '../model/findings.js';
import { oneLine } from './findings-text.js';
import { FIDELITIES, type AnnotationLine, type IngressReport, type Report } from './report.js';

const STATUS_TEXT: Record<IngressReport['status'], string> = {
  converted: 'converted',
  approximate: 'approximate',
  partial: 'partial',
  'not-converted': 'not converted',
};

function verdictCounts(counts: Partial<Record<Fidelity, number>>): string {
  return FIDELITIES.filter((f) => counts[f])
    .map((f) => `${f} ${counts[f]}`)
    .join(', ');
}

function summaryLines(r: Report): string[] {
  const t = r.totals;
  const lines = [
    `Ingresses: ${t.ingressesRead} read, ${t.ingressesSelected} selected${t.notSelected ? ` (${t.notSelected} not selected)` : ''}`,
    `  converted ${t.fullyConverted} · approximate ${t.approximate} · partial ${t.partial} · not converted ${t.notConverted}`,
    `Annotation uses: ${FIDELITIES.map((f) => `${f} ${t.verdicts[f]}`).join(' · ')}`,
    `Findings: error ${t.findings.error} · warn ${t.findings.warn} · info ${t.findings.info}`,
  ];
  if (r.controller) lines.push(`ingress-nginx controller: ${r.controller.source}${r.controller.configMap ? `, ConfigMap ${r.controller.configMap}` : ', no ConfigMap'}`);
  const newer = Object.entries(t.newerContour);
  if (newer.length > 0) lines.push(`A newer Contour would convert more: ${newer.map(([v, n]) => `${v} (${n} use${n === 1 ? '' : 's'})`).join(', ')}`);
  return lines;
}

export function renderText(r: Report, showExact = false): string {
  const out: string[] = [`ingress2contour report: target ${r.target}, Contour ${r.contourVersion}`, '', ...summaryLines(r), ''];
  if (r.annotations.length > 0) {
    out.push('Annotations by frequency:');
    const width = r.annotations.reduce((w, a) => Math.max(w, a.annotation.length), -Infinity);
    for (const a of r.annotations) out.push(`  ${String(a.ingresses).padStart(5)}  ${a.annotation.padEnd(width)}  ${verdictCounts(a.verdicts)}`);
    out.push('');
  }
  for (const ing of r.ingresses) {
    const lines = ing.annotations.filter((a) => showExact || a.verdict !== 'exact' || a.severity !== 'info');
    if (lines.length === 0 && ing.findings.length === 0 && !showExact) continue;
    out.push(`Ingress ${ing.ingress}  [${STATUS_TEXT[ing.status]}]  ${ing.source}`);
    for (const a of lines) {
      out.push(`  ${a.verdict.padEnd(11)} ${shortName(a)}=${JSON.stringify(a.value)}: ${oneLine(a.message)}`);
      for (const why of a.reasons ?? []) out.push(`  ${''.padEnd(11)}   because: ${oneLine(why.message)} [${why.id}]`);
    }
    for (const f of ing.findings) out.push(`  ${f.severity.padEnd(11)} ${f.subject.host ? `${f.subject.host}: ` : ''}${oneLine(f.message)} [${f.id}]`);
    out.push('');
  }
  if (r.general.length > 0) {
    out.push('Other findings:');
    for (const f of r.general) out.push(`  ${f.severity.padEnd(11)} ${subjectLabel(f.subject) ? `${subjectLabel(f.subject)}: ` : ''}${oneLine(f.message)} [${f.id}]`);
    out.push('');
  }
  out.push(`content hash ${r.contentHash}`);
  return `${out.join('\n')}\n`;
}

/** nginx keys without their prefix; other tools' keys in full, so the owner stays visible. */
const shortName = (a: AnnotationLine): string => (a.foreign ? a.annotation : a.annotation.replace(/^.*\//, ''));

const md = (text: string): string => oneLine(text).replace(/\|/g, '\\|').replace(/</g, '&lt;');

export function renderMarkdown(r: Report): string {
  const out: string[] = [`# Migration report: ingress-nginx → Contour ${r.target === 'httpproxy' ? 'HTTPProxy' : 'IngressRoute'} (Contour ${r.contourVersion})`, ''];
  out.push(...summaryLines(r).map((l) => `- ${l.trim()}`), '');
  if (r.annotations.length > 0) {
    out.push('## Annotations', '', '| annotation | Ingresses | verdicts |', '|---|---:|---|');
    for (const a of r.annotations) out.push(`| \`${md(a.annotation)}\` | ${a.ingresses} | ${md(verdictCounts(a.verdicts))} |`);
    out.push('');
  }
  out.push('## Ingresses', '');
  for (const ing of r.ingresses) {
    out.push(`### ${md(ing.ingress)}: ${STATUS_TEXT[ing.status]}`, '', `Source: \`${md(ing.source)}\``, '');
    if (ing.annotations.length > 0) {
      out.push('| annotation | value | verdict | what changes |', '|---|---|---|---|');
      for (const a of ing.annotations) {
        const reasons = (a.reasons ?? []).map((why) => ` Because: ${why.message} (\`${why.id}\`)`).join('');
        out.push(`| \`${md(shortName(a))}\` | \`${md(a.value)}\` | ${a.verdict}${a.needsContour ? ` (Contour ${a.needsContour})` : ''} | ${md(a.message + reasons)} |`);
      }
      out.push('');
    }
    for (const f of ing.findings) out.push(`- **${f.severity}** ${f.subject.host ? `${md(f.subject.host)}: ` : ''}${md(f.message)} (\`${f.id}\`)`);
    if (ing.findings.length > 0) out.push('');
  }
  if (r.general.length > 0) {
    out.push('## Other findings', '');
    for (const f of r.general) out.push(`- **${f.severity}** ${subjectLabel(f.subject) ? `${md(subjectLabel(f.subject))}: ` : ''}${md(f.message)} (\`${f.id}\`)`);
    out.push('');
  }
  out.push(`<sub>content hash ${r.contentHash}</sub>`, '');
  return out.join('\n');
}
