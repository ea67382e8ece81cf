// Installing like the ecosystem does: the packed tarball installs globally without install
// scripts, answers as `kubectl ingress2contour`, and its completion scripts complete.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string>; bin: Record<string, string> };
const which = (cmd: string): string | undefined => {
  const r = spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
// Each spawns the installed CLI (a new node process, several for completion): slow on a busy machine.
const SLOW = 120_000;
const out = (r: SpawnSyncReturns<string>): string => `${r.stdout}\n${r.stderr}`;

describe('package', () => {
  it('has no install-time scripts and builds dist/ when packed', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(pkg.scripts.prepack).toContain('build');
    expect(Object.keys(pkg.bin).sort()).toEqual(['ingress2contour', 'kubectl-ingress2contour', 'kubectl_complete-ingress2contour']);
  });
});

describe('npm pack + global install', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'i2c-install-'));
  const prefix = path.join(work, 'prefix');
  const bin = path.join(prefix, 'bin');
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' };
  let install: SpawnSyncReturns<string>;

  beforeAll(() => {
    // npm test builds dist/ first; packing without scripts keeps this test from rebuilding it under other tests.
    expect(existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ missing: run npm run build').toBe(true);
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, out(pack)).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/cli/main.js');
    expect(files.some((f) => f.startsWith('mappings/'))).toBe(true);
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map'))).toBe(false);
    // From the npm cache that npm ci filled: no registry round trip when it is warm.
    install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed!.filename)], { encoding: 'utf8', env });
  }, 600_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'installs without running or warning about install scripts',
    () => {
      expect(install.status, out(install)).toBe(0);
      expect(out(install)).not.toMatch(/prepare|install script/i);
    },
    SLOW,
  );

  it(
    'answers as ingress2contour and as a kubectl plugin',
    () => {
      const direct = spawnSync(path.join(bin, 'ingress2contour'), ['version'], { encoding: 'utf8', env });
      expect(direct.status, out(direct)).toBe(0);
      expect(direct.stdout.trim()).toBe(pkg.version);
      const kubectl = which('kubectl');
      // kubectl finds plugins as kubectl-<name> on PATH; without kubectl, run that executable as it would.
      const plugin = kubectl
        ? spawnSync(kubectl, ['ingress2contour', 'version', '-o', 'json'], { encoding: 'utf8', env })
        : spawnSync(path.join(bin, 'kubectl-ingress2contour'), ['version', '-o', 'json'], { encoding: 'utf8', env });
      if (!kubectl) console.warn('kubectl not on PATH: ran kubectl-ingress2contour directly');
      expect(plugin.status, out(plugin)).toBe(0);
      expect((JSON.parse(plugin.stdout) as { version: string }).version).toBe(pkg.version);
    },
    SLOW,
  );

  it(
    'converts the demo shipped in the package',
    () => {
      const r = spawnSync(path.join(bin, 'ingress2contour'), ['convert', '-f', path.join(prefix, 'lib', 'node_modules', 'ingress2contour', 'fixtures', 'demo'), '--target', 'httpproxy'], {
        encoding: 'utf8',
        env,
      });
      expect([0, 4, 6]).toContain(r.status);
      expect(r.stdout).toContain('kind: HTTPProxy');
    },
    SLOW,
  );

  it(
    'bash completion completes commands, flags and flag values',
    () => {
      const script = spawnSync(path.join(bin, 'ingress2contour'), ['completion', 'bash'], { encoding: 'utf8', env });
      expect(script.status, out(script)).toBe(0);
      const file = path.join(work, 'completion.bash');
      writeFileSync(file, script.stdout);
      const complete = (words: string[]): string[] => {
        const r = spawnSync(
          'bash',
          ['-c', `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _ingress2contour; printf '%s\\n' "\${COMPREPLY[@]}"`],
          { encoding: 'utf8' },
        );
        expect(r.status, out(r)).toBe(0);
        return r.stdout.split('\n').filter(Boolean);
      };
      expect(complete(['ingress2contour', 'co'])).toEqual(expect.arrayContaining(['convert', 'completion']));
      expect(complete(['ingress2contour', 'convert', '--tar'])).toEqual(['--target']);
      expect(complete(['ingress2contour', 'convert', '--target', ''])).toEqual(['ingressroute', 'httpproxy']);
      expect(complete(['ingress2contour', 'report', '-o', 'm'])).toEqual(['markdown']);
    },
    SLOW,
  );

  it(
    'zsh and fish scripts are valid for their shells (checked where the shell is installed)',
    () => {
      for (const shell of ['zsh', 'fish'] as const) {
        const script = spawnSync(path.join(bin, 'ingress2contour'), ['completion', shell], { encoding: 'utf8', env });
        expect(script.status, out(script)).toBe(0);
        expect(script.stdout).toMatch(shell === 'zsh' ? /'--target\[/ : /-l target /);
        expect(script.stdout).toContain('httpproxy');
        const exe = which(shell);
        if (!exe) {
          console.warn(`${shell} not installed: its completion script was not syntax-checked`);
          continue;
        }
        const file = path.join(work, `completion.${shell}`);
        writeFileSync(file, script.stdout);
        const check = spawnSync(exe, ['-n', file], { encoding: 'utf8' });
        expect(check.status, out(check)).toBe(0);
      }
    },
    SLOW,
  );
});
