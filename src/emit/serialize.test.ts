import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from './objects.js';
import { dumpYaml, serialize, serializeChunks } from './serialize.js';

const OPTIONS = { lineWidth: -1, noRefs: true, quotingType: '"' } as const;

describe('dumpYaml', () => {
  it('writes exactly what js-yaml dump writes, scalars of every kind included', () => {
    const strings = [
      'plain',
      '/api/v1',
      'a,b',
      'a,',
      ',a',
      'a_b',
      'ab_',
      'true',
      'False',
      'null',
      '~',
      '',
      ' lead',
      'trail ',
      '123',
      '0x1F',
      '1e3',
      '.inf',
      '2024-01-01',
      'a: b',
      'a #b',
      '#x',
      '- x',
      '*x',
      '&x',
      '!x',
      '%x',
      '@x',
      '`x',
      '{x}',
      '[x]',
      "it's",
      'say "hi"',
      'é',
      '\t',
      'multi\nline',
      'x'.repeat(1500),
      'a,'.repeat(800) + 'b',
      '/a'.repeat(700),
      `a ${'b'.repeat(1200)}`,
      'y',
      'yes',
      'no',
      'on',
      '<<',
      '=',
      '?',
      ':',
      'a:b',
      'back\\slash',
      // Values starting with `/` (regex conditions): plain unless a `#` follows a space, a space a `:`, or it ends in one.
      '/(?i:api/v1).*$$',
      '/?(?s:.*)(?i:^/a|/b)(?s:.*)',
      '/a #b',
      '/a#b',
      '/a: b',
      '/a:b',
      '/a:',
      '/a ',
      '/a b',
      '/é',
      '/a\tb',
      '/#',
      '/:',
      '/ ',
      '/"x\'',
      '/{a,b}[c]',
    ];
    const values: unknown[] = [
      ...strings,
      0,
      -1,
      1.5,
      -0,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      false,
      null,
      [],
      {},
      [[1, 2], [], [[3]]],
      { a: [{ b: [] }, { c: {} }] },
      [[{ a: 1, b: [2, { c: 3, d: [[4, { e: 5 }]] }] }]],
      [{ a: 'x', b: { c: ['y'] } }, 'z'],
    ];
    for (const v of values) {
      expect(dumpYaml({ k: v })).toBe(yaml.dump({ k: v }, OPTIONS));
      expect(dumpYaml([v])).toBe(yaml.dump([v], OPTIONS));
    }
    for (const s of strings) expect(dumpYaml({ [s]: 1 })).toBe(yaml.dump({ [s]: 1 }, OPTIONS));
    // Every `/` + three characters of those that decide plain or quoted.
    const chars = ['a', ' ', ':', '#', '-', '?', '\t'];
    for (const a of chars) for (const b of chars) for (const c of chars) expect(dumpYaml({ k: `/${a}${b}${c}` })).toBe(yaml.dump({ k: `/${a}${b}${c}` }, OPTIONS));
    // Documents that are sequences, and the same keys at several depths and after `- `.
    const nested = { a: [{ a: [{ a: { a: 1 } }, 2] }], b: [[{ a: [], b: {} }]] };
    for (const doc of [nested, [nested, nested], [[nested]]]) expect(dumpYaml(doc)).toBe(yaml.dump(doc, OPTIONS));
    // Empty collections, frozen ones included, under keys, as items and after `- - `; objects js-yaml writes itself.
    class Custom {
      x = 1;
    }
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    const empties: unknown[] = [
      Object.freeze({}),
      Object.freeze([]),
      [{}],
      [[{}]],
      [[]],
      [[], {}],
      { a: {}, b: [], c: { d: {} } },
      Object.freeze({ a: Object.freeze({}) }),
      [Object.freeze({})],
      new Custom(),
      [new Custom()],
      bare,
      [bare],
      new Date(0),
    ];
    for (const v of empties) for (const doc of [{ k: v }, [v], { a: [v, v] }]) expect(dumpYaml(doc)).toBe(yaml.dump(doc, OPTIONS));
    // Deeper than the cached leads (12 levels), mappings and sequence items.
    let deep: unknown = { a: 1, b: [{ c: 2, d: [3] }] };
    for (let i = 0; i < 12; i++) deep = i % 2 === 0 ? { k: 'v', l: [{ m: deep }] } : { k: deep, n: [[deep]] };
    expect(dumpYaml(deep)).toBe(yaml.dump(deep, OPTIONS));
    // A frozen object is written once per depth and reused: at several depths, and as a sequence item.
    const shared = Object.freeze({ count: 2, on: Object.freeze(['a', 'b']) });
    const reuse = { a: shared, b: { c: shared, d: [shared, { e: shared }] }, f: shared.on, g: [shared.on] };
    for (let i = 0; i < 2; i++) expect(dumpYaml(reuse)).toBe(yaml.dump(reuse, OPTIONS));
  });

  it('serializeChunks pieces add up to serialize, YAML and JSON, empty or not', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'A', metadata: { name: 'a', namespace: 'n', labels: {} }, spec: { list: [1, { x: 'y\nz' }] } },
      { apiVersion: 'v1', kind: 'B', metadata: { name: 'b', namespace: 'n', labels: { l: 'v' } }, spec: {} },
    ] as KubeObject[];
    for (const format of ['yaml', 'json'] as const) {
      for (const list of [objects, [], objects.slice(1)]) {
        let text = '';
        let pieces = 0;
        serializeChunks(list, format, (t) => ((text += t), pieces++), 8);
        expect(text).toBe(serialize(list, format));
        if (list.length > 1) expect(pieces).toBeGreaterThan(1);
      }
    }
  });
});
