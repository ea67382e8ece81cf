// The README stays a true first page: its quick start runs, every exit code is listed,
// its links resolve, it stays short; docs/findings.md documents every finding id in use.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FINDING_IDS } from '../../src/model/findings.js';
import { runCli } from '../support/run-cli.js';

const readme = readFileSync('README.md', 'utf8');
const findingsDoc = readFileSync('docs/findings.md', 'utf8');

function sources(dir: string): string {
  return readdirSync(dir)
    .map((f) => path.join(dir, f))
    .map((f) => (statSync(f).isDirectory() ? sources(f) : f.endsWith('.ts') && !f.endsWith('.test.ts') ? readFileSync(f, 'utf8') : ''))
    .join('\n');
}

describe('docs/findings.md', () => {
  // The catalogue of ids itself does not count as a use.
  const src = sources('src').replace(/export const FINDING_META = \{[\s\S]*?\} as const satisfies/, '');
  for (const id of Object.keys(FINDING_IDS)) {
    it(`documents and uses finding ${id}`, () => {
      expect(findingsDoc).toContain(`\`${id}\``);
      expect(src).toContain(`'${id}'`);
    });
  }
});

describe('README', () => {
  it('lists every exit code', () => {
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
    expect(readme).toMatch(/^\| 6 \|/m);
  });

  it('stays a first page (under 12 KB) with the sections a new user looks for', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(12 * 1024);
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    for (const h of ['Install', 'Quick start (30 seconds)', 'What it does not do', 'Migration playbook', 'Exit codes']) expect(headings).toContain(h);
    expect(readme).toContain('kubectl ingress2contour');
    expect(readme).toContain('ingress2gateway');
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) expect(existsSync(l), l).toBe(true);
  });

  it('quick start: the two commands convert the demo and report on it', async () => {
    const quick = readme.split('## Quick start')[1]!.split('\n## ')[0]!;
    const commands = [...quick.matchAll(/^npx ingress2contour (.+?)(?: >.*)?$/gm)].map((m) => m[1]!.split(/\s+/));
    expect(commands.map((c) => c[0])).toEqual(['convert', 'report']);
    const [convert, report] = await Promise.all(commands.map((args) => runCli(args)));
    expect([0, 4, 6]).toContain(convert!.code);
    expect(convert!.stdout).toMatch(/^kind: HTTPProxy$/m);
    expect(report!.code).toBe(0);
    expect(report!.stdout).toMatch(/exact \d+/);
  }, 60_000);
});
