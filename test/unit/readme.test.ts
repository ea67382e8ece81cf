// The README stays true: every finding id is documented and used, every exit code is listed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FINDING_IDS } from '../../src/model/findings.js';

const readme = readFileSync('README.md', 'utf8');

function sources(dir: string): string {
  return readdirSync(dir)
    .map((f) => path.join(dir, f))
    .map((f) => (statSync(f).isDirectory() ? sources(f) : f.endsWith('.ts') && !f.endsWith('.test.ts') ? readFileSync(f, 'utf8') : ''))
    .join('\n');
}

describe('README', () => {
  // The catalogue of ids itself does not count as a use.
  const src = sources('src').replace(/export const FINDING_META = \{[\s\S]*?\} as const satisfies/, '');
  for (const id of Object.keys(FINDING_IDS)) {
    it(`documents and uses finding ${id}`, () => {
      expect(readme).toContain(`\`${id}\``);
      expect(src).toContain(`'${id}'`);
    });
  }
  it('lists every exit code', () => {
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
  it('shows the two commands', () => {
    expect(readme).toContain('npx ingress2contour convert -f fixtures/demo');
    expect(readme).toContain('npm test');
  });
});
