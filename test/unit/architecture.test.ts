// The module graph: no import cycle (type imports count), and no import from a later
// pipeline stage into an earlier one.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Pipeline order; folders of equal rank may not import each other either way unless listed here. */
const RANK: Record<string, number> = { model: 0, read: 1, map: 2, plan: 3, emit: 4, 'convert.ts': 5, cluster: 6, report: 6, verify: 6, wizard: 7, cli: 7 };
/** The wizard is a front end like the CLI and uses the CLI's writers; the CLI starts the wizard. */
const SAME_RANK_ALLOWED = new Set(['wizard→cli', 'cli→wizard']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const all = files('src');
const stage = (file: string): string => path.relative('src', file).split(path.sep)[0]!;
const imports = new Map(
  all.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => path.join(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    return [file, targets] as const;
  }),
);

describe('module graph', () => {
  it('reads the sources (not vacuous)', () => {
    expect(all.length).toBeGreaterThan(50);
    expect([...imports.values()].flat().length).toBeGreaterThan(100);
  });

  it('has no import from a later stage into an earlier one', () => {
    const bad: string[] = [];
    for (const [file, targets] of imports) {
      const from = stage(file);
      for (const t of targets) {
        const to = stage(t);
        if (from === to || SAME_RANK_ALLOWED.has(`${from}→${to}`)) continue;
        const rf = RANK[from];
        const rt = RANK[to];
        if (rf === undefined || rt === undefined) bad.push(`${file} → ${t} (unranked folder)`);
        else if (rt >= rf) bad.push(`${file} → ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'active' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'active') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'active');
      for (const t of imports.get(file) ?? []) visit(t, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of all) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
