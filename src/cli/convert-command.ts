// `convert`: Ingress files → Contour objects on stdout (or a tree per namespace),
// findings on stderr, one line each.
import { Option, type Command } from 'commander';
import { convert, type ConversionResult } from '../convert.js';
import { serialize, type OutputFormat } from '../emit/serialize.js';
import type { Finding } from '../model/findings.js';
import type { Collected } from '../read/normalize.js';
import { countBySeverity, formatFinding } from '../report/findings-text.js';
import { readSource, servedTarget } from './cluster-source.js';
import { EXIT } from './exit-codes.js';
import { namespaceFiles, writeFiles } from './output.js';
import { otherNginxClassHints } from './hints.js';
import { addSharedOptions, resolveConvertOptions, targetSummary, type SharedFlags } from './options.js';
import type { Io } from './io.js';

interface ConvertFlags extends SharedFlags {
  output: OutputFormat;
  outputDir?: string;
  verbose?: boolean;
  quiet?: boolean;
}

export function registerConvert(program: Command, io: Io): void {
  addSharedOptions(
    program
      .command('convert')
      .description('convert Ingresses to Contour IngressRoute/HTTPProxy objects')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
      .option('--output-dir <dir>', 'write one file per namespace into this directory instead of stdout')
      .option('-v, --verbose', 'also print info findings')
      .option('-q, --quiet', 'print only errors and the summary'),
  ).action(async (flags: ConvertFlags) => {
    io.exitCode = await runConvert(flags, io);
  });
}

/** Ingresses from -f files, or from the cluster of the kubeconfig context when no -f is given. */
export async function readForCommand(flags: SharedFlags, io: Io): Promise<Collected> {
  return (await readSource(flags, io)).collected;
}

async function runConvert(flags: ConvertFlags, io: Io): Promise<number> {
  const served = await servedTarget(flags);
  const { options } = resolveConvertOptions(served.target ? { ...flags, target: served.target } : flags);
  const input = await readForCommand(flags, io);
  // Said after the read: a failing read stays one line.
  if (served.note) io.stderr(served.note);
  const result = convert(input, options);
  const findings = [...input.findings, ...result.findings];
  const minimum = flags.quiet ? 'error' : flags.verbose ? 'info' : 'warn';
  printFindings(findings, minimum, io, flags.color !== false && io.stderrIsTty);
  if (!flags.quiet && !flags.verbose) for (const hint of otherNginxClassHints(result.skipped, options.ingressClass)) io.stderr(hint);
  if (input.ingresses.length === 0) {
    io.stderr(input.findings.length > 0 ? 'error: no Ingress could be read from the input; nothing written' : 'error: the input holds no Ingress; nothing written');
    return EXIT.input;
  }
  if (flags.outputDir) {
    const written = await writeFiles(flags.outputDir, namespaceFiles(result.objects, flags.output));
    io.stderr(`wrote ${written.length} file(s) to ${flags.outputDir}`);
  }
  else io.stdout(serialize(result.objects, flags.output));
  io.stderr(`${summary(input, result, findings)}; ${targetSummary(options.target)}`);
  return findings.some((f) => f.severity === 'error') ? EXIT.partial : EXIT.ok;
}

export function printFindings(findings: Finding[], minimum: 'info' | 'warn' | 'error', io: Io, color: boolean): void {
  const rank = { info: 0, warn: 1, error: 2 } as const;
  for (const f of findings) if (rank[f.severity] >= rank[minimum]) io.stderr(formatFinding(f, { color }));
}

function summary(input: Collected, result: ConversionResult, findings: Finding[]): string {
  const c = countBySeverity(findings);
  const skippedKinds = [...input.skippedKinds.values()].reduce((a, b) => a + b, 0);
  const kinds = new Map<string, number>();
  for (const o of result.objects) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  const made = [...kinds.entries()].map(([k, n]) => `${n} ${k}`).join(', ') || 'no objects';
  const parts = [`converted ${result.mapped.length} of ${input.ingresses.length} Ingress(es) into ${made}`];
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} not selected`);
  if (skippedKinds > 0) parts.push(`${skippedKinds} other document(s) ignored`);
  parts.push(`findings: ${c.error} error, ${c.warn} warn, ${c.info} info`);
  return parts.join('; ');
}
