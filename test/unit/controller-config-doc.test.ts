// docs/controller-config.md is generated from mappings/controller/*.yaml by
// scripts/gen-controller-doc.mjs; this fails when someone edits the catalogue without regenerating it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadControllerCatalogue } from '../../src/map/controller-catalogue.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'gen-controller-doc.mjs');

describe('docs/controller-config.md', () => {
  it('is up to date with mappings/controller (run `npm run docs` when this fails)', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('has one row per flag and ConfigMap key', () => {
    const out = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' }).stdout;
    const rows = out.split('\n').filter((l) => /^\| `/.test(l) && !/^\| `(applied|contour-config|unsupported|no-effect)`/.test(l));
    const c = loadControllerCatalogue();
    expect(rows).toHaveLength(c.configMapEntries().length + c.flagEntries().length);
    for (const e of c.flagEntries()) expect(out).toContain(`| \`--${e.key}\` |`);
    for (const e of c.configMapEntries()) expect(out).toContain(`| \`${e.key}\` |`);
  });
});
