import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadYaml, parseDocuments } from './documents.js';

describe('parseDocuments', () => {
  it('splits multi-document YAML and keeps document indexes and start lines', () => {
    const text = ['a: 1', '---', '# comment only', '---', 'b: 2', '...', '---', 'c: [1,', '---', 'd: 4'].join('\n');
    const { documents, findings } = parseDocuments(text, 'f.yaml');
    expect(documents.map((d) => [d.value, d.index, d.line])).toEqual([
      [{ a: 1 }, 0, 1],
      [{ b: 2 }, 1, 5],
      [{ d: 4 }, 3, 10],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'input.parse-error', subject: { source: 'f.yaml' }, data: { file: 'f.yaml', document: 3 } });
    expect(findings[0]?.message).toMatch(/^document 3 \(line (8|9)\)/);
  });

  it('keeps --- inside an indented block scalar', () => {
    const { documents } = parseDocuments('a: |\n  x\n  ---\n  y\n', 'f.yaml');
    expect(documents[0]?.value).toEqual({ a: 'x\n---\ny\n' });
  });

  it('reads JSON, including a List', () => {
    const { documents } = parseDocuments('{"kind":"List","items":[{"a":1}]}', 'f.json');
    expect(documents[0]?.value).toEqual({ kind: 'List', items: [{ a: 1 }] });
  });

  it('reports broken YAML with a line number and never throws', () => {
    const { documents, findings } = parseDocuments('a: [\n  b: }\n', 'bad.yaml');
    expect(documents).toEqual([]);
    expect(findings[0]?.message).toMatch(/line \d+/);
  });

  it('reads YAML as Kubernetes does: an unquoted timestamp stays a string, merge keys merge', () => {
    const { documents } = parseDocuments('t: 2024-01-01T00:00:00Z\nb: &x {c: 1}\nd:\n  <<: *x\n  e: 2\n', 'f.yaml');
    expect(documents[0]?.value).toEqual({ t: '2024-01-01T00:00:00Z', b: { c: 1 }, d: { c: 1, e: 2 } });
  });

  it('streams documents with their numbers and lines, splitting on indexOf (CRLF too)', () => {
    const text = 'a: 1\r\n---\r\nb: 2\r\n--- {c: 3}\r\n';
    expect(parseDocuments(text, 'f.yaml').documents.map((d) => [d.value, d.index, d.line])).toEqual([
      [{ a: 1 }, 0, 1],
      [{ b: 2 }, 1, 3],
      [{ c: 3 }, 2, 4],
    ]);
  });

  it('reads each document as js-yaml does when others in the file hold tabs, CR, other scripts or control characters', () => {
    const docs = ['a: 1\nb: x y\n', 'a:\tx\n', 'a: é\n', 'a: 1\r\nb: 2\n', 'a: "\u0001"\n', 'a: "\\u00e9"\nn: 8080\nm: 080\n'];
    const text = docs.join('---\n');
    const { documents, findings } = parseDocuments(text, 'f.yaml');
    const expected = docs.flatMap((d) => {
      try {
        return [yaml.load(d, { json: true, schema: yaml.CORE_SCHEMA })];
      } catch {
        return [];
      }
    });
    expect(documents.map((d) => d.value)).toEqual(expected);
    expect(documents.length + findings.length).toBe(docs.length);
  });

  it('reads an ASCII text in place exactly as document by document (separators, markers, directives, inline content)', () => {
    const lines = [
      '---',
      '--- # c',
      '---  ',
      '...',
      '--- {a: 1}',
      '--- a: 1',
      '----',
      '---x',
      '....',
      '%YAML 1.2',
      '  %x',
      '# c',
      '',
      '   ',
      'a: 1',
      'c:',
      '  d: 2',
      '  - e',
      '- f',
      '-',
      'g: |',
      '  lit',
      'h: |-',
      'i: "q"',
      'k: [1, 2]',
      'm: 08',
      'n: 8080',
      'q: a: b',
      'r: "open',
      'a: 2',
      '- - x',
    ];
    let seed = 5;
    const next = (n: number): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    for (let i = 0; i < 3000; i++) {
      const picked = Array.from({ length: 1 + next(12) }, () => lines[next(lines.length)] ?? '');
      const text = picked.join('\n') + (next(2) ? '\n' : '');
      // A final comment line that is not ASCII sends the same documents through the splitting path.
      const fast = parseDocuments(text, 'f.yaml');
      const split = parseDocuments(`${text}${text.endsWith('\n') ? '' : '\n'}# é`, 'f.yaml');
      expect(fast.documents, text).toEqual(split.documents);
      // (An error at the end of the text may be placed on the added line: documents only.)
      expect(
        fast.findings.map((f) => f.data.document),
        text,
      ).toEqual(split.findings.map((f) => f.data.document));
    }
  });

  it('treats an empty text as no documents', () => {
    expect(parseDocuments('', 'e.yaml')).toEqual({ documents: [], findings: [] });
    expect(parseDocuments('---\n---\n', 'e.yaml')).toEqual({ documents: [], findings: [] });
  });

  it('does not expand YAML aliases into huge values (billion laughs stays bounded)', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]'].join('\n');
    const { documents } = parseDocuments(bomb, 'bomb.yaml');
    // js-yaml shares aliased nodes instead of copying them: the parse is cheap.
    expect(documents).toHaveLength(1);
  });
});

describe('loadYaml', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []));

  it('reads every shipped mapping file exactly as js-yaml does', () => {
    const all = files('mappings');
    expect(all.length).toBeGreaterThan(15);
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      expect(JSON.stringify(loadYaml(text)), file).toBe(JSON.stringify(yaml.load(text)));
    }
  });

  it('leaves to js-yaml what the default schema reads its own way', () => {
    expect(loadYaml('a: 2001-12-14\n')).toEqual({ a: new Date('2001-12-14') });
    for (const text of ['2001-12-14: a\n', 'a:\n  - 2001-12-14 21:59:43.10 -5\n', 'a: [x, 2001-12-14]\n', 'a: [2001-12-14t21:59:43.10-05:00]\n', 'a:   2001-1-2T1:00:00Z\n'])
      expect(JSON.stringify(loadYaml(text)), text).toBe(JSON.stringify(yaml.load(text)));
    expect(loadYaml('a: RSA 2048-8192\n')).toEqual({ a: 'RSA 2048-8192' });
    expect(() => loadYaml('a: 1\na: 2\n')).toThrow(/duplicated mapping key/);
    expect(loadYaml('a: [x, "y"]\nb: |-\n  z\n')).toEqual({ a: ['x', 'y'], b: 'z' });
    expect(loadYaml('')).toBeUndefined();
  });
});
