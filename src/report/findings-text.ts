// One line per finding on stderr: severity, object, annotation, message, [id].
import { subjectLabel, type Finding, type Severity } from '../model/findings.js';

export interface Style {
  color: boolean;
}

const COLORS: Record<Severity, string> = { error: '\u001b[31m', warn: '\u001b[33m', info: '\u001b[36m' };
const RESET = '\u001b[0m';

/** Severities padded to one width, made once (a fleet prints tens of thousands of lines). */
const PADDED: Record<Severity, string> = { error: 'error', warn: 'warn ', info: 'info ' };

export function formatFinding(f: Finding, style: Style): string {
  const sev = PADDED[f.severity];
  const parts = [style.color ? `${COLORS[f.severity]}${sev}${RESET}` : sev];
  const label = subjectLabel(f.subject);
  const host = f.subject.host;
  if (label) parts.push(host ? `${label} (${host})` : label);
  else if (host) parts.push(host);
  if (f.subject.annotation) parts.push(f.subject.annotation);
  return `${parts.join(' ')}: ${oneLine(f.message)} [${f.id}]`;
}

/** Findings never break the one-line contract, whatever a hostile value holds. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u0000-\u001f\u007f]+/g, ' ');
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (let i = 0; i < findings.length; i++) counts[findings[i]!.severity]++;
  return counts;
}
