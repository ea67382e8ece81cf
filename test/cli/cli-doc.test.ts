// docs/cli.md is the CLI's own --help; every command's help has examples and grouped flags.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliReference } from '../../src/cli/cli-reference.js';
import type { Io } from '../../src/cli/io.js';
import { buildProgram, COMMAND_NAMES } from '../../src/cli/main.js';

const quiet: Io = { stdout: () => {}, stderr: () => {}, stderrIsTty: false, exitCode: 0 };

describe('CLI reference', () => {
  let program: Command;
  // Loads every command (the Kubernetes client and prompts included): slow on a busy machine.
  beforeAll(async () => {
    program = await buildProgram(quiet, 'all');
  }, 120_000);

  it('docs/cli.md matches --help (regenerate: npm run build && node scripts/gen-cli-doc.mjs)', () => {
    expect(readFileSync('docs/cli.md', 'utf8')).toBe(cliReference(program));
  });

  it('every command has 2–3 examples; converting commands group their flags', () => {
    const doc = cliReference(program);
    for (const name of COMMAND_NAMES) {
      const section = doc.split(`## ingress2contour ${name}\n`)[1]?.split('\n## ')[0] ?? '';
      const examples =
        section
          .split('Examples:\n')[1]
          ?.split('\n```')[0]
          ?.split('\n')
          .filter((l) => l.startsWith('  ')) ?? [];
      expect(examples.length, `${name} examples`).toBeGreaterThanOrEqual(2);
      expect(examples.length, `${name} examples`).toBeLessThanOrEqual(3);
      if (['convert', 'report', 'diff', 'apply', 'prune'].includes(name)) {
        const headings = [...section.matchAll(/^(\w+) options:$/gm)].map((m) => m[1]);
        expect(headings, name).toEqual(['Input', 'Cluster', 'Conversion', 'Output']);
      }
    }
  });
});
