import { describe, expect, it } from 'vitest';
import { parseDocuments } from './documents.js';

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
