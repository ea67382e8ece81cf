// CLI details a new user meets: letter case, -q/-v everywhere, formats that do not depend on
// pipes, hints when a run did less than meant, the one default-target rule, lazy loading.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import type { Io } from '../../src/cli/io.js';
import { buildProgram, COMMAND_NAMES } from '../../src/cli/main.js';
import { runCli } from '../support/run-cli.js';

const ing = (name: string, cls: string, annotations: Record<string, string> = {}): string =>
  yaml.dump({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'shop', annotations },
    spec: { ingressClassName: cls, rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  });
const ING = ing('web', 'nginx');
const kinds = (stdout: string): string[] => (yaml.loadAll(stdout) as { kind: string }[]).map((d) => d.kind);
const summaryLine = (stderr: string): string => stderr.split('\n').find((l) => l.startsWith('converted ')) ?? '';

describe('flags', () => {
  let program: Command;
  beforeAll(async () => {
    const quiet: Io = { stdout: () => {}, stderr: () => {}, stderrIsTty: false, exitCode: 0 };
    program = await buildProgram(quiet, 'all');
  }, 120_000);

  it('every command that reads Ingresses accepts -q and -v', () => {
    for (const name of ['convert', 'report', 'diff', 'apply', 'prune']) {
      const cmd = program.commands.find((c) => c.name() === name)!;
      const flags = cmd.options.map((o) => o.short);
      expect(flags, name).toEqual(expect.arrayContaining(['-q', '-v']));
    }
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['version', 'completion']));
  });

  it('enum flags take any letter case', async () => {
    const r = await runCli(['convert', '-f', '-', '--target', 'HTTPProxy', '-o', 'JSON', '--include-scope', 'Prefix'], ING);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { items: { kind: string }[] }).items.map((i) => i.kind)).toContain('HTTPProxy');
    expect((await runCli(['convert', '-f', '-', '--target', 'gateway'], ING)).code).toBe(2);
  });

  it('report accepts -q and -v', async () => {
    for (const flag of ['-q', '-v']) expect((await runCli(['report', '-f', '-', flag], ING)).code, flag).toBe(0);
  });
});

describe('the one default-target rule', () => {
  it('from files: IngressRoute, or HTTPProxy when --contour-version is 1.6 or newer; the summary names it and the other', async () => {
    const plain = await runCli(['convert', '-f', '-'], ING);
    expect(kinds(plain.stdout)).toContain('IngressRoute');
    expect(summaryLine(plain.stderr)).toMatch(/target IngressRoute .*1\.5.*--target httpproxy/);
    const newer = await runCli(['convert', '-f', '-', '--contour-version', '1.20'], ING);
    expect(newer.code).toBe(0);
    expect(kinds(newer.stdout)).toContain('HTTPProxy');
    expect(summaryLine(newer.stderr)).toMatch(/target HTTPProxy .*1\.0.*--target ingressroute/);
    expect(kinds((await runCli(['convert', '-f', '-', '--contour-version', '1.5'], ING)).stdout)).toContain('IngressRoute');
  });
});

describe('report', () => {
  it('prints text whether or not stdout is a terminal', async () => {
    const r = await runCli(['report', '-f', '-'], ING); // runCli's stdout is not a terminal
    expect(() => JSON.parse(r.stdout) as unknown).toThrow();
    expect(r.stdout).toMatch(/exact \d+/);
  });

  it('says why nothing could be read, as convert does', async () => {
    const broken = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: [unclosed\n';
    const report = await runCli(['report', '-f', '-'], broken);
    const convert = await runCli(['convert', '-f', '-'], broken);
    expect(report.code).toBe(3);
    expect(convert.code).toBe(3);
    const reason = (s: string): string | undefined => s.split('\n').find((l) => l.includes('[input.parse-error]'));
    expect(reason(report.stderr)).toBeDefined();
    expect(reason(report.stderr)).toBe(reason(convert.stderr));
  });
});

describe('hints', () => {
  it('-f dir without -R that finds nothing names the sub-directories', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'i2c-hint-'));
    mkdirSync(path.join(dir, 'shop'));
    writeFileSync(path.join(dir, 'shop', 'ing.yaml'), ING);
    const r = await runCli(['convert', '-f', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(path.join(dir, 'shop'));
    expect(r.stderr).toContain('-R');
    const recursive = await runCli(['convert', '-f', dir, '-R']);
    expect(recursive.code).toBe(0);
    expect(recursive.stderr).not.toContain('hint: without -R');
  });

  it('lists Ingresses of other nginx-looking classes without -v, and not other controllers', async () => {
    const input = [ING, ing('internal', 'nginx-internal'), ing('edge', 'traefik')].join('---\n');
    const r = await runCli(['convert', '-f', '-'], input);
    const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: '));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('"nginx-internal"');
    expect(notes[0]).toContain('shop/internal');
    expect(notes[0]).toContain('--ingress-class nginx-internal');
    expect((await runCli(['convert', '-f', '-', '-q'], input)).stderr).not.toContain('note: ');
  });

  it('snippet newlines print as \\n', async () => {
    const r = await runCli(['report', '-f', '-', '-o', 'json'], ing('snip', 'nginx', { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "A: b";\nreturn 418;' }));
    // In the JSON text: the quote escaped once by JSON, the newline shown as the two characters \n.
    expect(r.stdout).toContain('more_set_headers \\"A: b\\";\\\\nreturn 418;');
    expect(r.stdout).not.toContain(';?return');
  });
});

describe('version', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  it('is the package.json version, alone or as JSON', async () => {
    expect((await runCli(['version'])).stdout.trim()).toBe(pkg.version);
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
    const json = JSON.parse((await runCli(['version', '-o', 'json'])).stdout) as { version: string; node: string };
    expect(json.version).toBe(pkg.version);
    expect(json.node).toBe(process.version);
  });
});

describe('lazy loading', () => {
  // The static import graph from the entry point and the file commands: the Kubernetes
  // client, the prompts and the diff library must only be reachable through import().
  const HEAVY = ['@kubernetes/client-node', '@inquirer/prompts', 'diff'];
  function staticGraph(entry: string): Set<string> {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\b)[^'";]*?from\s+'([^']+)';/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
        else seen.add(spec);
      }
    };
    visit(path.resolve(entry));
    return seen;
  }

  it('--help, --version, convert and report load none of the heavy modules statically', () => {
    for (const entry of ['src/cli/main.ts', 'src/cli/convert-command.ts', 'src/cli/report-command.ts']) {
      const graph = staticGraph(entry);
      expect(graph.size, entry).toBeGreaterThan(3);
      for (const heavy of HEAVY) expect(graph.has(heavy), `${entry} reaches ${heavy}`).toBe(false);
    }
  });

  it('the cluster commands and the wizard do reach them (the walker sees imports)', () => {
    expect(staticGraph('src/cli/cluster-commands.ts').has('diff')).toBe(true);
    expect(staticGraph('src/cli/wizard-command.ts').has('@inquirer/prompts')).toBe(true);
    expect(readdirSync('src/cli').length).toBeGreaterThan(5);
  });
});
