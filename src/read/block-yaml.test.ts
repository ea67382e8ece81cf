// parseBlockYaml must return exactly what js-yaml returns (core schema + merge keys, json mode),
// or hand the document back: checked on fixed cases, on every golden and fixture input, on both
// benchmark generators' output, and on seeded random documents and random mutations of them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { dumpYaml } from '../emit/serialize.js';
import { isKnownWord, KNOWN_WORDS, NOT_BLOCK_YAML, parseBlockYaml } from './block-yaml.js';

const MERGE = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE] });
const jsYaml = (text: string): unknown => yaml.load(text, { json: true, schema: SCHEMA });
const IMPLICIT = (SCHEMA as unknown as { compiledImplicit: yaml.Type[] }).compiledImplicit;
const resolve = (plain: string): unknown => {
  for (const type of IMPLICIT) if (type.resolve(plain)) return type.construct(plain) as unknown;
  return plain;
};

/** Fast-path documents seen; throws on the first disagreement with js-yaml. */
function agree(text: string): boolean {
  const fast = parseBlockYaml(text, resolve);
  if (fast === NOT_BLOCK_YAML) return false;
  let slow: unknown;
  try {
    slow = jsYaml(text);
  } catch (err) {
    throw new Error(`js-yaml refuses what the block reader accepted:\n${text}\n${String(err)}`);
  }
  // Deep equality and the same key order.
  if (!isDeepStrictEqual(fast, slow) || JSON.stringify(fast) !== JSON.stringify(slow)) {
    throw new Error(`different values for:\n${text}\nblock: ${JSON.stringify(fast)}\njs-yaml: ${JSON.stringify(slow)}`);
  }
  return true;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'a',
  'Z',
  'x-y',
  '/',
  '.',
  '0',
  '1',
  '08',
  '0x1F',
  '0o7',
  '1e3',
  '-',
  '+',
  '_',
  ' ',
  '  ',
  ':',
  ': ',
  '#',
  ' #',
  '"',
  "'",
  "''",
  '\\',
  '\\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  '~',
  '!',
  '&',
  '*',
  '|',
  '>',
  '%',
  '@',
  '`',
  '?',
  '<<',
  'null',
  'True',
  'no',
  '.inf',
  '-.5',
  'é',
  '😀',
  '\t',
  '\n',
  '\r',
];

function randomString(r: () => number): string {
  const n = Math.floor(r() * 5);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)] ?? '';
  return s;
}

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.45) {
    const k = r();
    if (k < 0.7) return randomString(r);
    if (k < 0.8) return Math.floor(r() * 100000) - 50;
    if (k < 0.85) return r() < 0.5;
    if (k < 0.9) return null;
    return r() * 10;
  }
  if (pick < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) o[r() < 0.6 ? (['apiVersion', 'kind', 'metadata', 'spec', 'paths', 'host'][Math.floor(r() * 6)] ?? 'k') : randomString(r)] = randomValue(r, depth + 1);
  return o;
}

/** kubectl's style: sequences not indented under their key. */
const kubectlStyle = (text: string): string => text.replace(/^( *)( {2})- /gm, '$1- ');

function mutate(text: string, r: () => number): string {
  const at = Math.floor(r() * (text.length + 1));
  const op = r();
  if (op < 0.4) return text.slice(0, at) + (PIECES[Math.floor(r() * PIECES.length)] ?? '') + text.slice(at);
  if (op < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 3));
  // Re-indent one line.
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return r() < 0.5 ? `${text.slice(0, lineStart)} ${text.slice(lineStart)}` : text.slice(0, lineStart) + text.slice(lineStart).replace(/^ /, '');
}

function inputFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...inputFiles(full));
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

const documentsOf = (text: string): string[] => text.split(/^---[ \t]*$/m).filter((d) => d.trim() !== '');

describe('parseBlockYaml', () => {
  it('reads the block YAML that tools write', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata:',
      '  name: web',
      '  annotations:',
      '    nginx.ingress.kubernetes.io/proxy-body-size: 8m',
      "    a: 'it''s'",
      '    b: "x\\ty"',
      '    "quoted key": "1"',
      '    c: 2024-01-01T00:00:00Z',
      '    # a comment',
      'spec:',
      '  rules:',
      '  - host: a.example.com',
      '    http:',
      '      paths:',
      '        - path: /',
      '          backend: {}',
      '  tls: []',
      '  n: 0x10',
      '  e:',
      '  t: true',
      '  ...: x',
      '  ---: .inf',
      '  ~: -1_000',
    ].join('\n');
    expect(agree(text)).toBe(true);
    expect(parseBlockYaml(text, resolve)).toMatchObject({ metadata: { annotations: { a: "it's", b: 'x\ty', 'quoted key': '1' } }, spec: { n: 16, e: null, t: true } });
  });

  it('reads literal block scalars as mapping values', () => {
    const text = [
      'metadata:',
      '  annotations:',
      '    nginx.ingress.kubernetes.io/configuration-snippet: |-',
      '      more_set_headers "X-Frame-Options: DENY";',
      '        # indented more: kept, with its spaces   ',
      '      - not a sequence: nor a key',
      '    clip: |',
      '     x',
      '# a comment less indented ends it',
      '    after: 1',
      'spec:',
      '  - a: |',
      '      in a sequence item',
      '    b: 2',
      '  - c: |-',
      '     last',
    ].join('\n');
    expect(agree(text)).toBe(true);
    expect(parseBlockYaml(text, resolve)).toMatchObject({
      metadata: {
        annotations: {
          'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X-Frame-Options: DENY";\n  # indented more: kept, with its spaces   \n- not a sequence: nor a key',
          clip: 'x\n',
          after: 1,
        },
      },
      spec: [{ a: 'in a sequence item\n', b: 2 }, { c: 'last' }],
    });
    expect(agree(`${text}\n`)).toBe(true);
  });

  it('reads the words it knows as js-yaml does, as keys and as values', () => {
    for (const word of KNOWN_WORDS) {
      expect(isKnownWord(word), word).toBe(true);
      expect(agree(`${word}: ${word}\n${word}x: x${word}\nl:\n  - ${word}\n`), word).toBe(true);
      expect(parseBlockYaml(`${word}: ${word}`, resolve)).toEqual({ [word]: word });
      // Same length, first, second and last characters (the same slot), one character different.
      if (word.length > 3) {
        const near = `${word.slice(0, 2)}${word.charCodeAt(2) === 81 ? 'R' : 'Q'}${word.slice(3)}`;
        expect(agree(`${near}: ${near}\nl:\n  - ${near}\n`), near).toBe(true);
        expect(parseBlockYaml(`${near}: ${near}`, resolve)).toEqual({ [near]: near });
      }
    }
  });

  it('finds the colon that ends a key after colons inside it', () => {
    for (const text of ['a:b: c', 'a:b:c:', 'a:b:\n  c: d', 'x::y: z', 'url:http://x: 1', 'p:8080:  v', 'l:\n  - a:b: c\n    d:e:', 'l:\n  - a:b\n  - c:d: e\n  - f:\n  - g:h:\n  -\n  - x'])
      expect(agree(text), text).toBe(true);
    expect(parseBlockYaml('a:b: c\nx::y:', resolve)).toEqual({ 'a:b': 'c', 'x::y': null });
    for (const text of ['a:b', 'a:b\nc: d', 'a:b c', 'a: b\nc:d']) expect(parseBlockYaml(text, resolve), text).toBe(NOT_BLOCK_YAML);
  });

  it('reads one-line flow sequences of simple items', () => {
    const text = ['a: [x, y_1, a.b/c-d]', "b: ['on', 'off', '']", 'c: ["1.0", "a, b", \'x "y"\']', 'd: [1, 0x1F, true, null, Yes, 1e3, 08]', 'e:', '  - [k, "v"]', 'f: [x]'].join('\n');
    expect(agree(text)).toBe(true);
    expect(parseBlockYaml(text, resolve)).toEqual({
      a: ['x', 'y_1', 'a.b/c-d'],
      b: ['on', 'off', ''],
      c: ['1.0', 'a, b', 'x "y"'],
      d: [1, 31, true, null, 'Yes', 1000, 8],
      e: [['k', 'v']],
      f: ['x'],
    });
    for (const text of [
      'a: [x,y]',
      'a: [ x]',
      'a: [x ]',
      'a: [x, ]',
      'a: [, x]',
      'a: [-1]',
      'a: [.5]',
      'a: [x y]',
      'a: [a:b]',
      "a: ['it''s']",
      'a: ["\\n"]',
      'a: [[x]]',
      'a: [x]]',
      'a: [{x: 1}]',
      'a: [x, y\n  z]',
    ]) {
      expect(parseBlockYaml(text, resolve), text).toBe(NOT_BLOCK_YAML);
    }
  });

  it('hands anything else to js-yaml', () => {
    expect(IMPLICIT.length).toBe(5);
    for (const text of [
      'a: >\n  x\n',
      'a: |+\n  x\n',
      'a: |2\n   x\n',
      'a: |\n  x\n\n  y\n',
      'a: |\nb: 1\n',
      '- |\n  x\n',
      // js-yaml continues a sequence after an empty item with a less indented item.
      'a:\n  b:\n    - \n  - x\n',
      'a: {b: 1}',
      'a: [b, {c: 1}]',
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'a: b # c',
      'a: b\n  c',
      'a:\n\tb: 1',
      'a: 1\r\n',
      '<<: {}',
      '- a',
      'a: "x',
      'a:b',
      'a: - b',
      '? a\n: b',
      'a: "\\e"',
    ]) {
      expect(parseBlockYaml(text, resolve), text).toBe(NOT_BLOCK_YAML);
    }
  });

  it('agrees with js-yaml on every golden and fixture input', () => {
    let fast = 0;
    for (const file of [...inputFiles('test/golden'), ...inputFiles('fixtures')]) for (const doc of documentsOf(readFileSync(file, 'utf8'))) if (agree(doc)) fast++;
    expect(fast).toBeGreaterThan(50);
  });

  it('agrees with js-yaml on both benchmark generators', async () => {
    // @ts-expect-error: plain .mjs without types
    const { generateRealistic } = (await import('../../test/bench/generate-realistic.mjs')) as { generateRealistic: (n: number) => unknown[] };
    // @ts-expect-error: plain .mjs without types
    const { generate } = (await import('../../test/bench/generate.mjs')) as { generate: (n: number, ns: number) => unknown[] };
    let fast = 0;
    for (const doc of [...generateRealistic(400), ...generate(200, 20)]) {
      const text = dumpYaml(doc);
      if (agree(text)) fast++;
      if (agree(kubectlStyle(text))) fast++;
    }
    expect(fast).toBeGreaterThan(600);
  });

  it('agrees with js-yaml on random documents and random mutations of them', () => {
    // BLOCK_YAML_FUZZ=iterations,seed runs a longer search.
    const [iterations = 3000, seed = 13] = (process.env.BLOCK_YAML_FUZZ ?? '').split(',').filter(Boolean).map(Number);
    const r = rng(seed);
    let fast = 0;
    for (let i = 0; i < iterations; i++) {
      const value = { kind: 'Ingress', metadata: randomValue(r, 1), spec: randomValue(r, 0) };
      for (const text of [yaml.dump(value, { lineWidth: -1 }), kubectlStyle(yaml.dump(value, { lineWidth: -1, quotingType: '"' })), dumpYaml(value)]) {
        if (agree(text)) fast++;
        let mutated = text;
        for (let m = 0; m < 3; m++) {
          mutated = mutate(mutated, r);
          if (agree(mutated)) fast++;
        }
      }
    }
    expect(fast).toBeGreaterThan(iterations * 1.5);
  });
});
