import { describe, expect, it } from 'vitest';
import { finding, indexByAnnotation, sortFindings, withData, withSubject, type Finding } from './findings.js';

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

  it('orders large groups and groups that come back after other Ingresses', () => {
    const findings: Finding[] = [];
    for (let n = 0; n < 120; n++) {
      const ingress = n % 50 < 40 ? 'a/big' : `a/${n % 3}`;
      findings.push(finding('annotation.invalid-value', 'warn', { ingresses: [ingress], annotation: `k${(n * 7) % 13}` }, { value: String(n % 5), message: String(n % 4) }));
    }
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

describe('finding messages', () => {
  const f = finding('route.duplicate-path', 'warn', { ingresses: ['a/b'], host: 'h' }, { where: 'w', owner: 'o' }, 'approximate');

  it('read, spread, clone and serialize like a plain field, in the plain key order', () => {
    const plain = { id: f.id, severity: f.severity, subject: f.subject, data: f.data, message: 'w is already claimed by o; nginx ignores this one, and so does the output', fidelity: 'approximate' };
    expect(f.message).toBe(plain.message);
    expect({ ...f }).toEqual(plain);
    expect(Object.keys({ ...f })).toEqual(Object.keys(plain));
    expect(structuredClone(f)).toEqual(plain);
    expect(JSON.stringify(f)).toBe(JSON.stringify(plain));
  });

  it('follows copies with other data or subject, and takes a message set on purpose', () => {
    expect(withData(f, { owner: 'p' }).message).toBe('w is already claimed by p; nginx ignores this one, and so does the output');
    expect(withSubject(f, { ingresses: ['c/d'] }).message).toBe(f.message);
    const g = finding('annotation.unknown', 'warn', { ingresses: ['a/b'] });
    g.message = 'custom';
    expect(JSON.stringify(g)).toBe('{"id":"annotation.unknown","severity":"warn","subject":{"ingresses":["a/b"]},"data":{},"message":"custom"}');
    expect(withSubject(g, { ingresses: [] }).message).toBe('custom');
  });
});

describe('one-field template messages', () => {
  const f = finding('annotation.approximate', 'warn', { ingresses: ['a/b'], annotation: 'x/k' }, { message: 'close enough', value: '"v"' }, 'approximate');

  it('read, spread, serialize and copy like the lazy ones', () => {
    const plain = { id: f.id, severity: f.severity, subject: f.subject, data: f.data, message: 'close enough', fidelity: 'approximate' };
    expect(f.message).toBe('close enough');
    expect(Object.keys({ ...f })).toEqual(Object.keys(plain));
    expect(JSON.stringify(f)).toBe(JSON.stringify(plain));
    expect(withSubject(f, { ingresses: ['c/d'] }).message).toBe('close enough');
    expect(withData(f, { message: 'other' }).message).toBe('other');
  });

  it('take a message set on purpose', () => {
    const g = finding('annotation.approximate', 'warn', { ingresses: ['a/b'] }, { message: 'close enough' });
    g.message = 'custom';
    expect(g.message).toBe('custom');
    expect(withSubject(g, { ingresses: [] }).message).toBe('custom');
  });
});

describe('indexByAnnotation', () => {
  const a = finding('route.string-prefix', 'warn', { ingresses: ['ns/a', 'ns/b'], annotation: 'x/rewrite-target' }, { target: 'Contour', paths: ['/p'] });
  const b = finding('annotation.ignored', 'info', { ingresses: ['ns/a'], annotation: 'x/rewrite-target' });
  const none = finding('route.string-prefix', 'warn', { ingresses: ['ns/a'] }, { target: 'Contour', paths: ['/q'] });

  it('lists the findings of each annotation and Ingress in their order, each Ingress of a subject once', () => {
    const index = indexByAnnotation([a, b, none, withSubject(a, { ...a.subject, ingresses: ['ns/b', 'ns/b'] })]);
    expect([...index.keys()].sort()).toEqual(['x/rewrite-target ns/a', 'x/rewrite-target ns/b']);
    expect(index.get('x/rewrite-target ns/a')).toEqual([a, b]);
    expect(index.get('x/rewrite-target ns/b')).toHaveLength(2);
  });

  it('leaves out what keep refuses', () => {
    const index = indexByAnnotation([a, b], (f) => f.severity !== 'info');
    expect(index.get('x/rewrite-target ns/a')).toEqual([a]);
  });
});
