import { describe, expect, it } from 'vitest';
import { finding, sortFindings, type Finding } from './findings.js';

/** The order sortFindings promises, compared field by field (the reference for its joined keys). */
function reference(findings: Finding[]): Finding[] {
  const fields = (f: Finding): string[] => [f.subject.source ?? '', f.subject.ingresses.join(','), f.subject.host ?? '', f.subject.annotation ?? '', f.id, f.message];
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const x = fields(a.f);
      const y = fields(b.f);
      for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return (x[j] as string) < (y[j] as string) ? -1 : 1;
      return a.i - b.i;
    })
    .map((e) => e.f);
}

describe('sortFindings', () => {
  it('orders by source, Ingresses, host, annotation, id, message; stable for equal ones', () => {
    const pieces = ['', 'a', 'a/b', 'ab', 'a b', 'b', 'a\u0001'];
    const findings: Finding[] = [];
    let n = 0;
    for (const ingress of pieces)
      for (const host of pieces.slice(0, 4))
        for (const annotation of pieces.slice(0, 4)) {
          const subject = { ingresses: ingress ? [ingress] : [], host, annotation, ...(n % 3 === 0 ? { source: pieces[n % pieces.length] ?? '' } : {}) };
          findings.push(finding(n % 2 ? 'annotation.unknown' : 'annotation.invalid-value', 'warn', subject, { value: String(n % 5), message: String(n % 7) }));
          n++;
        }
    findings.reverse();
    expect(sortFindings(findings)).toEqual(reference(findings));
    expect(sortFindings(findings).map((f) => findings.indexOf(f))).toEqual(reference(findings).map((f) => findings.indexOf(f)));
  });

  it('keeps field-by-field order when a field holds NUL', () => {
    const findings = ['x\u0000z', 'x', 'x\u0000', 'y'].flatMap((annotation) => [
      finding('annotation.unknown', 'warn', { ingresses: ['a/b'], annotation }),
      finding('annotation.unknown', 'warn', { ingresses: ['a/a'], annotation }),
    ]);
    expect(sortFindings(findings)).toEqual(reference(findings));
  });
});
