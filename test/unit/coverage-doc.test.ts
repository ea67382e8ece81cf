// The coverage table in docs/annotations.md is generated from mappings/*.yaml by
// scripts/gen-coverage.mjs; this fails when someone edits mappings/ without
// regenerating it. The generator is run as a user runs it (plain node).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/map/catalogue.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'gen-coverage.mjs');
const DOC = path.join(ROOT, 'docs', 'annotations.md');

function gen(...args: string[]): { status: number | null; out: string; stdout: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

function tempReadme(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gen-coverage-')), 'README.md');
  writeFileSync(file, content);
  return file;
}

describe('docs/annotations.md coverage table', () => {
  it('is up to date with mappings/ (run `node scripts/gen-coverage.mjs --write` when this fails)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const hasMarkers = doc.includes('<!-- coverage:start -->') && doc.includes('<!-- coverage:end -->');
    expect(hasMarkers, 'docs/annotations.md has no <!-- coverage:start --> / <!-- coverage:end --> markers: add them, then run `node scripts/gen-coverage.mjs --write`').toBe(true);
    const r = gen('--check');
    expect(r.status, `${r.out}\n(run \`node scripts/gen-coverage.mjs --write\` to regenerate the table)`).toBe(0);
  });
});

describe('catalogue advice', () => {
  it('every error-severity message says what to do next', () => {
    const silent = loadCatalogue()
      .entries()
      .flatMap((e) => (['ingressroute', 'httpproxy'] as const).filter((t) => e[t].severity === 'error' && !/\bNext, /.test(e[t].message)).map((t) => `${e.key} (${t})`));
    expect(silent, 'add "Next, <what to do>" to these messages').toEqual([]);
  });
});

describe('gen-coverage.mjs', () => {
  const catalogue = loadCatalogue();
  const entries = catalogue.entries();
  const printed = gen();

  it('prints one table row per catalogue entry, grouped under each family title', () => {
    expect(printed.status, printed.out).toBe(0);
    const rows = printed.stdout.split('\n').filter((l) => /^\| `/.test(l));
    expect(rows.length).toBe(entries.length);
    const rowKeys = rows.map((l) => /^\| `([^`]+)`/.exec(l)?.[1]);
    const missing = entries.map((e) => e.key).filter((k) => !rowKeys.includes(k));
    expect(missing, `entries without a row: ${missing.join(', ')}`).toEqual([]);
    for (const fam of catalogue.families) expect(printed.stdout, `no sub-heading for ${fam.file}`).toContain(`### ${fam.title}`);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length, `a row has the wrong number of cells (unescaped |?): ${row}`).toBe(6);
  });

  it('summarises the counts per target', () => {
    const count = (t: 'ingressroute' | 'httpproxy', f: string): number => entries.filter((e) => e[t].fidelity === f).length;
    const expected = (t: 'ingressroute' | 'httpproxy'): string => `${count(t, 'exact')} exact, ${count(t, 'approximate')} approximate, ${count(t, 'unsupported')} unsupported`;
    expect(printed.stdout).toContain(`${entries.length} annotation keys`);
    expect(printed.stdout).toContain(`IngressRoute: ${expected('ingressroute')}.`);
    expect(printed.stdout).toContain(`HTTPProxy: ${expected('httpproxy')}.`);
  });

  it('is deterministic', () => {
    expect(gen().stdout).toBe(printed.stdout);
  });

  it('writes between the markers, keeps the rest, and then checks clean', () => {
    const before = '# Title\n\nintro\n\n<!-- coverage:start -->\nstale\n<!-- coverage:end -->\n\n## After\n';
    const file = tempReadme(before);
    expect(gen('--check', '--readme', file).status).toBe(1);
    const w = gen('--write', '--readme', file);
    expect(w.status, w.out).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith('# Title\n\nintro\n\n<!-- coverage:start -->\n')).toBe(true);
    expect(after.endsWith('\n<!-- coverage:end -->\n\n## After\n')).toBe(true);
    expect(after).not.toContain('stale');
    expect(after).toContain(printed.stdout.trimEnd());
    const c = gen('--check', '--readme', file);
    expect(c.status, c.out).toBe(0);
    expect(gen('--write', '--readme', file).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it('says where the table differs', () => {
    const file = tempReadme('x\n<!-- coverage:start -->\n<!-- coverage:end -->\n');
    gen('--write', '--readme', file);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\| `canary` \|[^\n]*/, '| `canary` | edited by hand |'));
    const r = gen('--check', '--readme', file);
    expect(r.status).toBe(1);
    expect(r.out).toContain('out of date');
    expect(r.out).toContain('edited by hand');
  });

  it('tells how to fix a README without markers', () => {
    const file = tempReadme('# no markers here\n');
    for (const mode of ['--check', '--write']) {
      const r = gen(mode, '--readme', file);
      expect(r.status).toBe(1);
      expect(r.out).toContain('node scripts/gen-coverage.mjs --write');
    }
    expect(readFileSync(file, 'utf8')).toBe('# no markers here\n');
  });
});
