// `convert`: Ingress files → Contour objects on stdout (or a tree per namespace),
// findings on stderr, one line each.
import { Option, type Command } from 'commander';
import { convert, type ConversionResult } from '../convert.js';
import { serialize, type OutputFormat } from '../emit/serialize.js';
import type { Finding } from '../model/findings.js';
import type { Collected } from '../read/normalize.js';
import { countBySeverity, formatFinding } from '../report/findings-text.js';
import { readSource, servedTarget } from './cluster-source.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { namespaceFiles, writeFiles } from './output.js';
import { addSharedOptions, resolveConvertOptions, TARGET_HINT, type SharedFlags } from './options.js';
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
  const { options, defaultedTarget } = resolveConvertOptions(served.target ? { ...flags, target: served.target } : flags);
  const input = await readForCommand(flags, io);
  // Said after the read: a failing read stays one line.
  if (served.note) io.stderr(served.note);
  if (defaultedTarget) io.stderr(TARGET_HINT);
  const result = convert(input, options);
  const findings = [...input.findings, ...result.findings];
  const minimum = flags.quiet ? 'error' : flags.verbose ? 'info' : 'warn';
  printFindings(findings, minimum, io, flags.color !== false && io.stderrIsTty);
  if (input.ingresses.length === 0) {
    io.stderr(input.findings.length > 0 ? 'error: no Ingress could be read from the input; nothing written' : 'error: the input holds no Ingress; nothing written');
    return EXIT.input;
  }
  if (flags.outputDir) {
    const written = await writeFiles(flags.outputDir, namespaceFiles(result.objects, flags.output));
    io.stderr(`wrote ${written.length} file(s) to ${flags.outputDir}`);
  }
  else io.stdout(serialize(result.objects, flags.output));
  io.stderr(summary(input, result, findings));
  const security = securityLine(findings);
  if (security) io.stderr(security);
  return exitCodeFor(findings);
}

/** The summary line for access controls that could not be kept (undefined when none). */
export function securityLine(findings: Finding[]): string | undefined {
  let denied = 0;
  let published = 0;
  const withheld = new Set<string>();
  const ingresses = new Set<string>();
  for (const f of findings) {
    const routes = typeof f.data.routes === 'number' ? f.data.routes : 0;
    if (f.id === 'security.route-denied') denied += routes;
    else if (f.id === 'security.published-unprotected') published += routes;
    else if (f.id === 'security.host-withheld') withheld.add(f.subject.host ?? '');
    else continue;
    for (const i of f.subject.ingresses) ingresses.add(i);
  }
  if (denied + published + withheld.size === 0) return undefined;
  const parts: string[] = [];
  if (denied > 0) parts.push(`${denied} route(s) answer 403 instead`);
  if (withheld.size > 0) parts.push(`${withheld.size} host(s) left out`);
  if (published > 0) parts.push(`${published} route(s) PUBLISHED WITHOUT PROTECTION (--publish-unprotected)`);
  return `security: access controls of ${ingresses.size} Ingress(es) cannot be kept: ${parts.join(', ')} (exit code ${EXIT.security})`;
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
