// `report`: the migration report (text, Markdown or JSON) and a CI gate (--fail-on).
import { Option, type Command } from 'commander';
import { severityAtLeast, type Severity } from '../model/findings.js';
import { renderMarkdown, renderText } from '../report/render.js';
import { buildReport } from '../report/report.js';
import { convertCollecting } from './heap.js';
import { readSource, servedTarget, useDiscoveredController } from './cluster-source.js';
import { refuseUnreadable } from './convert-command.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { addSharedOptions, resolveConvertOptions, type SharedFlags } from './options.js';

interface ReportFlags extends SharedFlags {
  output?: 'text' | 'markdown' | 'json';
  failOn?: Severity;
  all?: boolean;
}

export function registerReport(program: Command, io: Io): void {
  addSharedOptions(
    program
      .command('report')
      .description('per-Ingress and per-annotation verdicts: exact / approximate / unsupported / unknown / invalid')
      .addOption(new Option('-o, --output <format>', 'text (default), markdown or json').choices(['text', 'markdown', 'json']))
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding of this severity or worse exists').choices(['warn', 'error']))
      .option('--all', 'text: also list annotations that convert exactly'),
  ).action(async (flags: ReportFlags) => {
    io.exitCode = await runReport(flags, io);
  });
}

async function runReport(flags: ReportFlags, io: Io): Promise<number> {
  const served = await servedTarget(flags);
  const { options } = resolveConvertOptions(served.target ? { ...flags, target: served.target } : flags);
  const source = await readSource(flags, io);
  const input = source.collected;
  useDiscoveredController(options, source, io, flags.quiet);
  refuseUnreadable(input, flags, io, flags.color !== false && io.stderrIsTty);
  if (input.ingresses.length === 0) throw new CliError(input.findings.length > 0 ? 'no Ingress could be read from the input' : 'the input holds no Ingress', EXIT.input);
  const result = convertCollecting(input, options);
  const report = buildReport(result, input.findings, input.ingresses.length, options, options.annotationPrefix);
  // Never switch on whether stdout is a pipe: `report | less` and `report > f` show what the terminal shows.
  const format = flags.output ?? 'text';
  io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'markdown' ? renderMarkdown(report) : renderText(report, Boolean(flags.all)));
  if (flags.failOn) {
    const threshold = flags.failOn;
    const hit = [...input.findings, ...result.findings].some((f) => severityAtLeast(f.severity, threshold));
    if (hit) {
      io.stderr(`report: findings at or above ${threshold} (--fail-on ${threshold})`);
      return EXIT.findings;
    }
  }
  return EXIT.ok;
}
