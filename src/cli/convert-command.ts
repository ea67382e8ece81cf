// `convert`: Ingress files → Contour objects on stdout (or a tree per namespace),
// findings on stderr, one line each.
import { Option, type Command } from 'commander';
import type { ConversionResult } from '../convert.js';
import { serializeChunks, type OutputFormat } from '../emit/serialize.js';
import { subjectLabel, type Finding } from '../model/findings.js';
import type { Collected } from '../read/normalize.js';
import { countBySeverity, formatFinding } from '../report/findings-text.js';
import { readSource, servedTarget, useDiscoveredController } from './cluster-source.js';
import { CliError, EXIT, exitCodeFor } from './exit-codes.js';
import { convertCollecting } from './heap.js';
import { otherNginxClassHints } from './hints.js';
import { CONTOUR_CONFIG_DIR, contourConfigFiles, kustomizeFiles, namespaceTree, writeOutputTree } from './output.js';
import { addSharedOptions, resolveConvertOptions, targetSummary, type SharedFlags } from './options.js';
import type { Io } from './io.js';

interface ConvertFlags extends SharedFlags {
  output: OutputFormat;
  outputDir?: string;
  verbose?: boolean;
  quiet?: boolean;
  force?: boolean;
  kustomize?: boolean;
}

export function registerConvert(program: Command, io: Io): void {
  addSharedOptions(
    program
      .command('convert')
      .description('convert Ingresses to Contour IngressRoute/HTTPProxy objects')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
      .option('--output-dir <dir>', 'write one file per namespace into this directory instead of stdout')
      .option('--force', '--output-dir: write even into a directory holding files this tool did not write (they are left in place)')
      .option('--kustomize', '--output-dir: write a Kustomize tree (a directory per namespace, one file per object, a kustomization.yaml in each)')
      .option('-v, --verbose', 'also print info findings')
      .option('-q, --quiet', 'print only errors and the summary'),
  ).action(async (flags: ConvertFlags) => {
    io.exitCode = await runConvert(flags, io);
  });
}

async function runConvert(flags: ConvertFlags, io: Io): Promise<number> {
  if (flags.kustomize && !flags.outputDir) throw new CliError('--kustomize writes a directory tree: give --output-dir DIR too', EXIT.usage);
  if (flags.kustomize && flags.output === 'json') throw new CliError('--kustomize writes YAML files; drop -o json', EXIT.usage);
  if (flags.force && !flags.outputDir) throw new CliError('--force only applies to --output-dir', EXIT.usage);
  const served = await servedTarget(flags);
  const { options } = resolveConvertOptions(served.target ? { ...flags, target: served.target } : flags);
  const source = await readSource(flags, io);
  const input = source.collected;
  // Said after the read: a failing read stays one line.
  if (served.note) io.stderr(served.note);
  useDiscoveredController(options, source, io, flags.quiet);
  const color = flags.color !== false && io.stderrIsTty;
  const unreadable = refuseUnreadable(input, flags, io, color);
  const result = convertCollecting(input, options);
  const findings = input.findings.concat(result.findings);
  const minimum = flags.quiet ? 'error' : flags.verbose ? 'info' : 'warn';
  printFindings(findings, minimum, io, color);
  if (!flags.quiet && !flags.verbose) for (const hint of otherNginxClassHints(result.skipped, options.ingressClass)) io.stderr(hint);
  if (unreadable.length > 0) io.stderr(skippedNotice(unreadable));
  if (input.ingresses.length === 0) {
    io.stderr(input.findings.length > 0 ? 'error: no Ingress could be read from the input; nothing written' : 'error: the input holds no Ingress; nothing written');
    return EXIT.input;
  }
  const cc = result.contourConfiguration;
  if (flags.outputDir) {
    const files = flags.kustomize ? kustomizeFiles(result.objects) : namespaceTree(result.objects, flags.output);
    if (cc) files.push(...contourConfigFiles(cc, flags.output));
    const { written, removed, foreign } = await writeOutputTree(flags.outputDir, files, { force: Boolean(flags.force) });
    io.stderr(`wrote ${written.length} file(s) to ${flags.outputDir}`);
    if (removed.length > 0) io.stderr(`removed ${removed.length} file(s) a previous run wrote that this run no longer produces: ${listed(removed)}`);
    if (foreign.length > 0) io.stderr(`left ${foreign.length} file(s) this tool did not write in place (--force): ${listed(foreign)}`);
  } else serializeChunks(cc?.object ? [cc.object, ...result.objects] : result.objects, flags.output, (text) => io.stdout(text));
  io.stderr(`${summary(input, result, findings)}; ${targetSummary(options.target)}`);
  if (cc) io.stderr(contourConfigLine(cc, options.defaults === 'cluster', flags.outputDir));
  const security = securityLine(findings);
  if (security) io.stderr(security);
  return exitCodeFor(findings);
}

/** Where Contour's configuration went and what reads it: one line. */
function contourConfigLine(cc: NonNullable<ConversionResult['contourConfiguration']>, cluster: boolean, outputDir: string | undefined): string {
  const rely = cluster && cc.carried.idle !== undefined ? 'the routes rely on it; ' : '';
  const dir = outputDir ? `${outputDir}/${CONTOUR_CONFIG_DIR}/ (not applied by kubectl apply -f ${outputDir})` : undefined;
  if (!cc.object) {
    return dir
      ? `contour configuration: contour.yaml fragment (this Contour version has no ContourConfiguration) in ${dir}; ${rely}Contour reads it with --config-path`
      : `contour configuration: this Contour version has no ContourConfiguration; its contour.yaml fragment is written only with --output-dir`;
  }
  const m = cc.object.metadata;
  return `contour configuration: ContourConfiguration ${m.namespace}/${m.name} in ${dir ?? 'stdout, first document'}; ${rely}Contour reads it only when started with --contour-config-name ${m.name} (or give ${CONTOUR_CONFIG_DIR}/contour.yaml to --config-path)`;
}

/** The summary line for access controls that could not be kept (undefined when none). */
export function securityLine(findings: Finding[]): string | undefined {
  let denied = 0;
  let published = 0;
  const withheld = new Set<string>();
  const ingresses = new Set<string>();
  // Indexed loops over the run's findings (every one of a fleet's): an iterator allocated a result object per step.
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    // The three ids compared as they are (nearly always the same string object), no startsWith call per finding.
    const id = f.id;
    if (id === 'security.route-denied') denied += routesOf(f);
    else if (id === 'security.published-unprotected') published += routesOf(f);
    else if (id === 'security.host-withheld') withheld.add(f.subject.host ?? '');
    else continue;
    for (const ingress of f.subject.ingresses) ingresses.add(ingress);
  }
  if (denied + published + withheld.size === 0) return undefined;
  const parts: string[] = [];
  if (denied > 0) parts.push(`${denied} route(s) answer 403 instead`);
  if (withheld.size > 0) parts.push(`${withheld.size} host(s) left out`);
  if (published > 0) parts.push(`${published} route(s) PUBLISHED WITHOUT PROTECTION (--publish-unprotected)`);
  return `security: access controls of ${ingresses.size} Ingress(es) cannot be kept: ${parts.join(', ')} (exit code ${EXIT.security})`;
}

const routesOf = (f: Finding): number => (typeof f.data.routes === 'number' ? f.data.routes : 0);

/** Findings of documents the reader could not turn into objects. */
const UNREADABLE = new Set(['input.parse-error', 'input.not-an-object', 'input.unsupported-version', 'input.invalid-object']);

export function unreadableFindings(input: Collected): Finding[] {
  return input.findings.filter((f) => f.severity === 'error' && UNREADABLE.has(f.id));
}

/**
 * All or nothing: a document that could not be read may be an Ingress that owned a host+path,
 * so converting the rest could route differently from nginx. Without --skip-invalid the run
 * stops here, each document named (file, document number, line), exit 3, nothing written.
 */
export function refuseUnreadable(input: Collected, flags: SharedFlags, io: Io, color: boolean): Finding[] {
  const unreadable = unreadableFindings(input);
  if (unreadable.length === 0 || flags.skipInvalid) return unreadable;
  for (const f of unreadable) io.stderr(formatFinding(f, { color }));
  throw new CliError(`${unreadable.length} document(s) could not be read; nothing converted or written (fix them, or add --skip-invalid to convert the rest)`, EXIT.input);
}

function skippedNotice(unreadable: Finding[]): string {
  const what = unreadable.map((f) => f.subject.source ?? subjectLabel(f.subject) ?? f.id);
  return `warning: --skip-invalid: left out ${unreadable.length} document(s) that could not be read (${listed(what)}); if one was an Ingress that claimed a host+path, which Ingress wins there may differ from nginx`;
}

function listed(names: string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, and ${names.length - max} more`;
}

export function printFindings(findings: Finding[], minimum: 'info' | 'warn' | 'error', io: Io, color: boolean): void {
  const style = { color };
  // Severities compared as they are, not ranked through a lookup per finding (every one of a fleet's).
  const warnings = minimum !== 'error';
  const infos = minimum === 'info';
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const severity = f.severity;
    if (severity === 'error' || (severity === 'warn' ? warnings : infos)) io.stderr(formatFinding(f, style));
  }
}

function summary(input: Collected, result: ConversionResult, findings: Finding[]): string {
  const c = countBySeverity(findings);
  const skippedKinds = [...input.skippedKinds.values()].reduce((a, b) => a + b, 0);
  const kinds = new Map<string, number>();
  // An indexed loop over every object of a fleet (an iterator allocated a result object per step),
  // counting runs of one kind (objects come sorted by kind) instead of two map lookups per object.
  const objects = result.objects;
  let kind: string | undefined;
  let run = 0;
  for (let i = 0; i < objects.length; i++) {
    const k = objects[i]!.kind;
    if (k === kind) {
      run++;
      continue;
    }
    if (kind !== undefined) kinds.set(kind, (kinds.get(kind) ?? 0) + run);
    kind = k;
    run = 1;
  }
  if (kind !== undefined) kinds.set(kind, (kinds.get(kind) ?? 0) + run);
  const made = [...kinds.entries()].map(([k, n]) => `${n} ${k}`).join(', ') || 'no objects';
  const parts = [`converted ${result.mapped.length} of ${input.ingresses.length} Ingress(es) into ${made}`];
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} not selected`);
  if (skippedKinds > 0) parts.push(`${skippedKinds} other document(s) ignored`);
  parts.push(`findings: ${c.error} error, ${c.warn} warn, ${c.info} info`);
  return parts.join('; ');
}
