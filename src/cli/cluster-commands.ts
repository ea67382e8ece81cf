// `diff`, `apply` and `prune`: the converted objects against a live cluster.
import { Option, type Command } from 'commander';
import type { ConversionResult } from '../convert.js';
import type { KubeObject } from '../emit/objects.js';
import { chooseTarget, servedResources } from '../cluster/api.js';
import { ACTIONS, applyObjects, DEFAULT_CONCURRENCY, DEFAULT_PER_NAMESPACE, type ApplyReport, type DryRun, type PruneScope } from '../cluster/apply.js';
import { desiredFromObjects } from '../cluster/desired-adapter.js';
import { changed, diffObjects, formatDiff } from '../cluster/diff.js';
import { prefetchClusterWide, type LiveIndex } from '../cluster/live.js';
import { describe, type ResourceKind } from '../cluster/resources.js';
import { convertCollecting } from './heap.js';
import { readSource, readsCluster, openCluster, toCliError, useDiscoveredController, type ClusterSession, type Source } from './cluster-source.js';
import { printFindings, refuseUnreadable } from './convert-command.js';
import { CliError, EXIT, exitCodeFor } from './exit-codes.js';
import type { Io } from './io.js';
import { addSharedOptions, positiveInt, resolveConvertOptions, type SharedFlags } from './options.js';
import { applyContourConfiguration } from '../cluster/contour-config.js';
import { ClusterError } from '../cluster/errors.js';

interface ClusterCommandFlags extends SharedFlags {
  forceConflicts?: boolean;
  concurrency: number;
  perNamespace: number;
  quiet?: boolean;
  prune?: boolean;
}

interface ApplyFlags extends ClusterCommandFlags {
  dryRun: DryRun;
  createNamespaces?: boolean;
  all?: boolean;
  applyContourConfig?: boolean;
}

// Defaults from the measurement in docs/apply.md.
const concurrencyOption = (): Option => new Option('--concurrency <n>', 'namespaces written at once').argParser(positiveInt('--concurrency')).default(DEFAULT_CONCURRENCY);
const perNamespaceOption = (): Option => new Option('--per-namespace <n>', 'writes at once inside one namespace').argParser(positiveInt('--per-namespace')).default(DEFAULT_PER_NAMESPACE);
const dryRunOption = (): Option =>
  new Option('--dry-run [mode]', 'none: write; server: the apiserver checks everything, persists nothing; client: only compare with live objects')
    .choices(['none', 'client', 'server'])
    .preset('client')
    .default('none');

export function registerClusterCommands(program: Command, io: Io): void {
  addSharedOptions(
    program
      .command('diff')
      .description('show what apply would change: server-side dry-run against the live objects, unified diff (exit 0: none, 1: differences, >1: error)')
      .option('--force-conflicts', 'diff as if apply took over fields other managers own')
      .option('--prune', 'also show the objects apply --prune would delete')
      .addOption(concurrencyOption())
      .addOption(perNamespaceOption())
      .option('-q, --quiet', 'print only error findings'),
  ).action(async (flags: ClusterCommandFlags) => {
    io.exitCode = await runDiff(flags, io);
  });

  addSharedOptions(
    program
      .command('apply')
      .description('server-side apply the converted objects (field manager ingress2contour), namespace by namespace')
      .addOption(dryRunOption())
      .option('--force-conflicts', 'take over fields that another field manager owns')
      .addOption(concurrencyOption())
      .addOption(perNamespaceOption())
      .option('--create-namespaces', 'create target namespaces that do not exist')
      .option('--prune', 'also delete objects this tool created earlier that the input no longer produces')
      .option(
        '--apply-contour-config',
        "also server-side apply Contour's cluster-wide ContourConfiguration (--contour-config; changes Contour for every route it serves, read only with contour serve --contour-config-name)",
      )
      .option('-q, --quiet', 'print only error findings and the summary'),
  ).action(async (flags: ApplyFlags) => {
    io.exitCode = await runApply(flags, io, flags.prune ? 'apply+prune' : 'apply');
  });

  addSharedOptions(
    program
      .command('prune')
      .description('delete objects this tool created that the input no longer produces; --all: every object it created in -n/-A')
      .addOption(dryRunOption())
      .option('--all', 'delete every object labelled app.kubernetes.io/managed-by=ingress2contour in the namespace(s), whatever the input')
      .addOption(concurrencyOption())
      .addOption(perNamespaceOption())
      .option('-q, --quiet', 'print only error findings and the summary'),
  ).action(async (flags: ApplyFlags) => {
    io.exitCode = await runApply(flags, io, flags.all ? 'prune-all' : 'prune');
  });
}

interface Prepared {
  session: ClusterSession;
  served: ResourceKind[];
  /** With -A: the live Contour objects, listed while the input was read and converted. */
  prefetched?: Promise<LiveIndex | undefined>;
  source: Source;
  result: ConversionResult;
}

/** Cluster, target, input, conversion: what diff and apply share. */
async function prepare(flags: ClusterCommandFlags, io: Io): Promise<Prepared> {
  const session = openCluster(flags);
  try {
    const served = await servedResources(session.client);
    const { target, reason } = chooseTarget(served, flags.target);
    if (!flags.target && !flags.quiet) io.stderr(`target: ${target} (${reason})`);
    const { options } = resolveConvertOptions({ ...flags, target });
    const prefetched = flags.allNamespaces && readsCluster(flags) ? prefetchClusterWide(session.client, served) : undefined;
    const source = await readSource(flags, io, session);
    // diff and apply never act on a partial read (--skip-invalid to accept one).
    refuseUnreadable(source.collected, flags, io, flags.color !== false && io.stderrIsTty);
    useDiscoveredController(options, source, io, flags.quiet);
    const result = convertCollecting(source.collected, options);
    printFindings([...source.collected.findings, ...result.findings], flags.quiet ? 'error' : 'warn', io, flags.color !== false && io.stderrIsTty);
    if (source.collected.ingresses.length === 0) {
      throw new CliError(source.collected.findings.length > 0 ? 'no Ingress could be read from the input; nothing written' : 'the input holds no Ingress; nothing written', EXIT.input);
    }
    return { session, served, source, result, ...(prefetched ? { prefetched } : {}) };
  } catch (err) {
    session.client.close();
    throw toCliError(err);
  }
}

async function runDiff(flags: ClusterCommandFlags, io: Io): Promise<number> {
  if (flags.prune && flags.selector) {
    throw new CliError('--prune cannot be combined with -l: objects made from Ingresses outside the selection would look stale; scope with -n or -A', EXIT.usage);
  }
  const { session, result, served, source, prefetched } = await prepare(flags, io);
  try {
    const entries = await diffObjects(session.client, desiredFromObjects(result.objects), {
      force: Boolean(flags.forceConflicts),
      concurrency: flags.concurrency,
      served,
      clusterWide: source.scope.all,
      ...(prefetched ? { prefetched } : {}),
      ...(flags.prune ? { prune: source.scope } : {}),
    });
    const color = flags.color !== false && Boolean(io.stdoutIsTty) && !process.env.NO_COLOR;
    io.stdout(formatDiff(entries, color));
    const errors = entries.filter((e) => e.error);
    for (const e of errors) io.stderr(`error: ${e.header}: ${e.error}`);
    const differing = entries.filter(changed);
    const fresh = differing.filter((e) => e.live === '').length;
    const pruned = differing.filter((e) => e.desired === '').length;
    io.stderr(
      `${differing.length} of ${entries.length} object(s) differ (${fresh} new, ${differing.length - fresh - pruned} changed${flags.prune ? `, ${pruned} pruned` : ''})${errors.length > 0 ? `; ${errors.length} could not be compared` : ''}`,
    );
    return errors.length > 0 ? EXIT.cluster : differing.length > 0 ? EXIT.findings : EXIT.ok;
  } catch (err) {
    throw toCliError(err);
  } finally {
    session.client.close();
  }
}

type Mode = 'apply' | 'apply+prune' | 'prune' | 'prune-all';

async function runApply(flags: ApplyFlags, io: Io, mode: Mode): Promise<number> {
  let session: ClusterSession;
  let served: ResourceKind[];
  let objects: KubeObject[] = [];
  let scope: PruneScope;
  let conversionExit: number = EXIT.ok;
  let clusterWide: boolean;
  let prefetched: Promise<LiveIndex | undefined> | undefined;
  if (mode === 'prune-all') {
    if (!flags.namespace && !flags.allNamespaces) throw new CliError('prune --all deletes everything this tool created: name the namespace(s) with -n NAMESPACE or -A', EXIT.usage);
    if (flags.filename?.length) throw new CliError('prune --all does not read input; drop -f', EXIT.usage);
    session = openCluster(flags);
    try {
      served = await servedResources(session.client);
    } catch (err) {
      session.client.close();
      throw toCliError(err);
    }
    scope = flags.allNamespaces ? { all: true } : { all: false, namespaces: new Set([flags.namespace!]) };
    clusterWide = scope.all;
  } else {
    if ((mode === 'apply+prune' || mode === 'prune') && flags.selector) {
      throw new CliError('--prune cannot be combined with -l: objects made from Ingresses outside the selection would look stale; scope with -n or -A', EXIT.usage);
    }
    if (flags.applyContourConfig) flags.emitContourConfig = true;
    const p = await prepare(flags, io);
    ({ session, served } = p);
    try {
      if (mode !== 'prune') await contourConfigStep(p.session, p.result, flags, io);
    } catch (err) {
      session.client.close();
      throw toCliError(err);
    }
    objects = p.result.objects;
    scope = p.source.scope;
    clusterWide = scope.all;
    prefetched = p.prefetched;
    conversionExit = exitCodeFor([...p.source.collected.findings, ...p.result.findings]);
  }
  const tty = io.progress;
  try {
    const report = await applyObjects(session.client, desiredFromObjects(objects), {
      dryRun: flags.dryRun,
      force: Boolean(flags.forceConflicts),
      concurrency: flags.concurrency,
      perNamespace: flags.perNamespace,
      clusterWide,
      ...(prefetched ? { prefetched } : {}),
      createNamespaces: Boolean(flags.createNamespaces),
      served,
      ...(mode === 'apply+prune' || mode === 'prune' ? { prune: scope } : {}),
      ...(mode === 'prune' ? { pruneOnly: true } : {}),
      ...(mode === 'prune-all' ? { pruneAll: true, prune: scope } : {}),
      onProgress: (p) => {
        const rate = `${Math.round(p.perSecond)} objects/s`;
        if (tty) tty(`${p.phase}: ${p.done}/${p.total} (${rate})`);
        else if (p.done === p.total) io.stderr(`${p.phase}: ${p.total} done (${rate})`);
      },
    });
    tty?.('');
    printReport(report, flags, io, mode);
    if (report.aborted || report.totals.failed > 0 || report.namespaces.some((n) => n.error)) return EXIT.cluster;
    return conversionExit;
  } catch (err) {
    tty?.('');
    throw toCliError(err);
  } finally {
    session.client.close();
  }
}

/**
 * Contour's configuration is applied only with --apply-contour-config, before the routes (with
 * --defaults cluster they rely on it). Without the flag, --defaults cluster says that apply left it out.
 */
async function contourConfigStep(session: ClusterSession, result: ConversionResult, flags: ApplyFlags, io: Io): Promise<void> {
  const cc = result.contourConfiguration;
  if (!flags.applyContourConfig) {
    if (cc && cc.carried.idle !== undefined) {
      io.stderr(
        "warning: --defaults cluster: the routes rely on Contour's ContourConfiguration (stream idle timeout), which apply writes only with --apply-contour-config; apply it yourself (convert --output-dir DIR writes it to DIR/contour.d/) or add the flag",
      );
    }
    return;
  }
  if (!cc?.object)
    throw new CliError('--apply-contour-config: this Contour version has no ContourConfiguration (1.21+); use the contour.yaml fragment of convert --output-dir with --config-path', EXIT.usage);
  const m = cc.object.metadata;
  const action = await applyContourConfiguration(session.client, cc.object, { dryRun: flags.dryRun, force: Boolean(flags.forceConflicts) }).catch((err: unknown) => {
    if (err instanceof ClusterError && err.status === 404)
      throw new CliError(
        `ContourConfiguration ${m.namespace}/${m.name}: the cluster does not serve contourconfigurations.projectcontour.io (install Contour's full CRDs), or namespace ${m.namespace} does not exist`,
        EXIT.cluster,
      );
    throw err;
  });
  const dry = flags.dryRun !== 'none' ? ` (dry run: ${flags.dryRun}; nothing was written)` : '';
  io.stderr(`ContourConfiguration ${m.namespace}/${m.name}: ${action}${dry}; Contour uses it only when started with --contour-config-name ${m.name}`);
}

function printReport(report: ApplyReport, flags: ApplyFlags, io: Io, mode: Mode): void {
  const header = ['namespace', ...ACTIONS];
  const rows = report.namespaces.map((n) => [n.namespace, ...ACTIONS.map((a) => String(n.counts[a]))]);
  rows.push(['total', ...ACTIONS.map((a) => String(report.totals[a]))]);
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  io.stderr(line(header));
  for (const r of rows) io.stderr(line(r));
  for (const n of report.namespaces) if (n.error) io.stderr(`error: ${n.error}`);
  const nsErrors = new Set(report.namespaces.map((n) => n.error).filter(Boolean));
  for (const o of report.outcomes) if (o.action === 'failed' && o.message && !nsErrors.has(o.message)) io.stderr(`error: ${describe(o.ref)}: ${o.message}`);
  if (report.pruneSkipped) io.stderr(`warning: ${report.pruneSkipped}`);
  const t = report.totals;
  const written = t.created + t.configured + t.unchanged;
  const dry = flags.dryRun !== 'none' ? ` (dry run: ${flags.dryRun}; nothing was written)` : '';
  const verb = mode.startsWith('prune') ? `pruned ${t.pruned}` : `applied ${written} of ${written + t.failed} object(s)${mode === 'apply+prune' ? `, pruned ${t.pruned}` : ''}`;
  if (report.aborted) {
    io.stderr(`error: ${report.aborted}`);
    io.stderr(`stopped: ${verb}; ${t.failed} not done. Objects written so far stay; re-run when the apiserver is back to converge${dry}`);
  } else if (t.failed > 0) {
    io.stderr(`${verb}; ${t.failed} failed (see above); the rest converged, re-run after fixing${dry}`);
  } else {
    io.stderr(`${verb}${dry}`);
  }
}
