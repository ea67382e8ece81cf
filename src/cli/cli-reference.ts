// docs/cli.md: every command's --help, rendered at a fixed width so the file is the same
// on every machine. scripts/gen-cli-doc.mjs writes it; test/cli/cli-doc.test.ts keeps it true.
import type { Command } from 'commander';

const WIDTH = 100;

function help(cmd: Command): string {
  // outputHelp() also prints the Examples (addHelpText), which helpInformation() leaves out.
  const out: string[] = [];
  cmd.configureHelp({ helpWidth: WIDTH });
  cmd.configureOutput({ writeOut: (s) => out.push(s), writeErr: () => {}, getOutHelpWidth: () => WIDTH });
  cmd.outputHelp();
  return out
    .join('')
    .replace(/[ \t]+$/gm, '')
    .trimEnd();
}

export function cliReference(program: Command): string {
  const parts = [
    '# CLI reference',
    '',
    '<!-- Generated from `--help` by `node scripts/gen-cli-doc.mjs`; test/cli/cli-doc.test.ts fails when it is out of date. -->',
    '',
    'Every command also runs as `kubectl ingress2contour <command>` once the package is installed.',
    'Choices of enum flags (`--target`, `-o`, `--layout`, …) are case-insensitive.',
    '',
    '## ingress2contour',
    '',
    '```text',
    help(program),
    '```',
  ];
  for (const cmd of program.commands.filter((c) => !c.name().startsWith('__'))) parts.push('', `## ingress2contour ${cmd.name()}`, '', '```text', help(cmd), '```');
  return `${parts.join('\n')}\n`;
}
