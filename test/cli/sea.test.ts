// The stand-alone executable (Node single executable application, `npm run build:sea`)
// is built and runs convert on the demo. Skipped, saying why, only where Node cannot build one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const tools = ['rolldown', 'postject'].filter((m) => !existsSync(path.join(ROOT, 'node_modules', m, 'package.json')));
const why =
  major < 20 || (major === 20 && minor < 12)
    ? `Node ${process.versions.node} cannot build single executable applications`
    : tools.length > 0
      ? `${tools.join(' and ')} not installed (npm ci)`
      : undefined;
if (why) console.warn(`stand-alone executable test skipped: ${why}`);

describe.skipIf(why !== undefined)('stand-alone executable', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'i2c-sea-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('builds and converts the demo without Node modules beside it', () => {
    expect(existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ missing: run npm run build').toBe(true);
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-sea.mjs'), out], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    const exe = build.stdout.trim().split('\n').pop()!;
    // Run from an empty directory with no NODE_PATH: everything must be inside the executable.
    const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
    const version = spawnSync(exe, ['--version'], { cwd: out, encoding: 'utf8', env });
    expect(version.status, version.stderr).toBe(0);
    const r = spawnSync(exe, ['convert', '-f', path.join(ROOT, 'fixtures', 'demo'), '--target', 'httpproxy'], { cwd: out, encoding: 'utf8', env });
    expect([0, 4, 6], r.stderr).toContain(r.status);
    const kinds = (yaml.loadAll(r.stdout) as { kind: string }[]).map((d) => d.kind);
    expect(kinds).toContain('HTTPProxy');
    expect(r.stderr).toMatch(/^converted \d+ of \d+ Ingress/m);
    expect(r.stderr).not.toMatch(/Warning|ExperimentalWarning/);
  }, 600_000);
});
