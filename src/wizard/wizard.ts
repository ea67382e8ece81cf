// The interactive migration: source → scope → target → findings → preview → action.
// It adds no conversion logic: every step calls the code the commands use, and the
// end shows the command lines that do the same without questions.
import { subjectLabel } from '../model/findings.js';
import { existsSync } from 'node:fs';
import { convert, type ConversionResult, type ConvertOptions } from '../convert.js';
import { serialize } from '../emit/serialize.js';
import { loadCatalogue } from '../map/catalogue.js';
import { DEFAULT_ANNOTATION_PREFIX } from '../map/engine.js';
import { CURRENT_CONTOUR, LAST_INGRESSROUTE_CONTOUR, parseContourVersion, versionAtLeast, type Target } from '../model/contour.js';
import type { Ingress } from '../model/ingress.js';
import type { Layout } from '../plan/plan.js';
import { readInputs } from '../read/files.js';
import type { Collected } from '../read/normalize.js';
import { CLASS_ANNOTATION } from '../read/ingress-class.js';
import { renderMarkdown } from '../report/render.js';
import { buildReport, type IngressReport } from '../report/report.js';
import { namespaceFiles, writeFiles } from '../cli/output.js';
import type { Ask, Choice } from './ask.js';
import { Cancelled } from './ask.js';
import { commandLine, shellQuote, type WizardChoices } from './command-line.js';

/** What the wizard needs from a cluster; the cluster commands provide it. */
export interface ClusterAccess {
  contexts(): { name: string; current: boolean }[];
  /** Reads Ingresses (and what helps convert them) in all namespaces the user may list. */
  read(context: string): Promise<Collected>;
  /** The route kind the cluster serves, if any. */
  servedTarget(context: string): Promise<Target | undefined>;
  namespaces(context: string): Promise<string[]>;
  /** What `diff` prints for these choices, and whether anything changes. */
  diff(context: string, choices: Omit<WizardChoices, 'source'>): Promise<{ text: string; changes: boolean }>;
  /** Runs `apply` (or its server-side dry run) for these choices; its progress and per-namespace summary go to `log`. */
  apply(context: string, choices: Omit<WizardChoices, 'source'>, dryRun: boolean, log: (line: string) => void): Promise<{ ok: boolean }>;
  /** The command that removes what the tool applied in these namespaces. */
  undoCommand(context: string, namespaces: string[]): string;
}

export interface WizardDeps {
  ask: Ask;
  print: (text: string) => void;
  width: number;
  cluster?: ClusterAccess;
}

const PAGE = 40;

export async function runWizard(deps: WizardDeps): Promise<void> {
  const { ask, print } = deps;
  const say = (text = ''): void => print(wrap(text, deps.width));
  say('ingress2contour wizard: migrate ingress-nginx Ingresses to Contour. Esc or Ctrl-C quits; nothing is applied before the last confirmation.');
  say();

  // 1. Source
  const contexts = deps.cluster?.contexts() ?? [];
  const sourceKind =
    contexts.length === 0
      ? 'files'
      : await ask.select<'cluster' | 'files'>('Where are the Ingresses?', [
          { name: 'In a cluster (kubeconfig context)', value: 'cluster' },
          { name: 'In files or a directory', value: 'files' },
        ]);
  let input: Collected;
  let source: WizardChoices['source'];
  let servedTarget: Target | undefined;
  let clusterNamespaces: string[] = [];
  if (sourceKind === 'cluster' && deps.cluster) {
    const current = contexts.find((c) => c.current)?.name;
    const context = await ask.select(
      'Which context?',
      contexts.map((c) => ({ name: c.current ? `${c.name} (current)` : c.name, value: c.name })),
      current,
    );
    source = { kind: 'cluster', context };
    say(`Reading Ingresses from context ${context}…`);
    input = await deps.cluster.read(context);
    servedTarget = await deps.cluster.servedTarget(context);
    clusterNamespaces = await deps.cluster.namespaces(context);
  } else {
    const paths = await ask.input('Path to the Ingress manifests (file or directory):', '.', (v) => (existsSync(v) ? true : `${v} does not exist`));
    source = { kind: 'files', paths: [paths] };
    input = await readInputs([paths], { recursive: true, defaultNamespace: 'default' });
  }
  for (const f of input.findings) say(`  ${f.severity}: ${subjectLabel(f.subject)} ${f.message}`);
  if (input.ingresses.length === 0) {
    say('No Ingress found there; nothing to migrate.');
    return;
  }
  const inventory = countInventory(input.ingresses);
  say(`Found ${input.ingresses.length} Ingress(es) in ${inventory.byNamespace.size} namespace(s):`);
  for (const [cls, n] of [...inventory.byClass].sort()) say(`  class ${cls}: ${n}`);
  // Where they are, busiest namespaces first (the namespace question lists them all).
  const busiest = [...inventory.byNamespaceClass].sort(([a, x], [b, y]) => total(y) - total(x) || (a < b ? -1 : 1));
  for (const [ns, classes] of busiest.slice(0, 10)) say(`  ${ns}: ${[...classes].sort().map(([c, n]) => `${n} ${c}`).join(', ')}`);
  if (busiest.length > 10) say(`  … and ${busiest.length - 10} more namespace(s)`);
  say();

  // 2. Scope
  const namespaceChoices: Choice<string>[] = [...inventory.byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ns, n]) => ({ name: `${ns} (${n})`, value: ns, checked: true }));
  const allLabel = `all ${inventory.byNamespace.size} namespaces`;
  const scopeAll = await ask.select('Which namespaces?', [
    { name: allLabel, value: true },
    { name: 'let me choose', value: false },
  ]);
  const namespaces: string[] | 'all' = scopeAll ? 'all' : await ask.checkbox('Namespaces to migrate (space toggles, enter confirms):', namespaceChoices);
  const classes = [...inventory.byClass.keys()].filter((c) => c !== '(none)');
  const ingressClass = classes.length <= 1 ? (classes[0] ?? 'nginx') : await ask.select('Which ingress-nginx class?', classes.map((c) => ({ name: `${c} (${inventory.byClass.get(c)})`, value: c })), classes.includes('nginx') ? 'nginx' : undefined);
  const classless = inventory.byClass.get('(none)') ?? 0;
  const includeClassless = classless > 0 ? await ask.confirm(`Also migrate the ${classless} Ingress(es) without a class (nginx serves them only with --watch-ingress-without-class)?`, false) : false;

  // 3. Target
  const target = await ask.select<Target>(
    'Which Contour API?',
    [
      { name: `HTTPProxy (projectcontour.io/v1, Contour 1.0+)${servedTarget === 'httpproxy' ? ', served by this cluster' : ''}`, value: 'httpproxy', description: 'The current API: includes, exact and regex paths, redirects, CORS, IP filters, rate limits.' },
      { name: `IngressRoute (contour.heptio.com/v1beta1, Contour ≤ 1.5)${servedTarget === 'ingressroute' ? ', served by this cluster' : ''}`, value: 'ingressroute', description: 'The old API, removed in Contour 1.6: prefixes only, far fewer features.' },
    ],
    servedTarget ?? 'httpproxy',
  );
  const contourVersion = await ask.input('Contour version to emit for:', target === 'httpproxy' ? CURRENT_CONTOUR : LAST_INGRESSROUTE_CONTOUR, (v) => validVersion(v, target));
  const rootNamespace = await chooseRootNamespace(ask, clusterNamespaces);
  const layout = await ask.select<Layout>('Where do the roots go?', [
    { name: `all in ${rootNamespace} (platform team owns hosts; teams own their paths)`, value: 'root-namespace' },
    { name: 'a host used by one namespace gets its root there', value: 'app-namespace' },
  ]);

  const choices: WizardChoices = { source, namespaces, ingressClass, includeClassless, target, contourVersion, rootNamespace, layout, skipped: [] };
  if (source.kind === 'cluster' && clusterNamespaces.length > 0 && !clusterNamespaces.includes(rootNamespace)) {
    choices.createNamespaces = await ask.confirm(`Namespace ${rootNamespace} does not exist. Create it when applying?`, true);
  }
  const options = (): ConvertOptions => toOptions(choices);

  // 4. Findings
  let result = convert(input, options());
  let report = buildReport(result, input.findings, input.ingresses.length, options(), DEFAULT_ANNOTATION_PREFIX);
  const t = report.totals;
  say();
  say(`Report: ${t.ingressesSelected} Ingress(es) selected: ${t.fullyConverted} convert exactly, ${t.approximate} approximately, ${t.partial} partly, ${t.notConverted} not at all.`);
  say(`Annotation uses: exact ${t.verdicts.exact}, approximate ${t.verdicts.approximate}, unsupported ${t.verdicts.unsupported}, unknown ${t.verdicts.unknown}, invalid ${t.verdicts.invalid}.`);
  const toReview = report.ingresses.filter((i) => i.status !== 'converted');
  let acceptRest = false;
  for (const [index, ing] of toReview.entries()) {
    if (acceptRest) break;
    say();
    say(`[${index + 1}/${toReview.length}] Ingress ${ing.ingress}: ${ing.status}`);
    for (const line of reviewLines(ing)) say(`  ${line}`);
    const decision = await ask.select<'accept' | 'skip' | 'accept-all' | 'stop'>('What now?', [
      { name: 'accept: migrate it with these differences', value: 'accept' },
      { name: 'skip: leave this Ingress out', value: 'skip' },
      { name: `accept this and the ${toReview.length - index - 1} remaining`, value: 'accept-all' },
      { name: 'stop the wizard', value: 'stop' },
    ]);
    if (decision === 'stop') throw new Cancelled('stopped at the findings');
    if (decision === 'skip') choices.skipped.push(ing.ingress);
    if (decision === 'accept-all') acceptRest = true;
  }
  if (choices.skipped.length > 0) {
    result = convert(input, options());
    report = buildReport(result, input.findings, input.ingresses.length, options(), DEFAULT_ANNOTATION_PREFIX);
  }
  if (result.objects.length === 0) {
    say('Nothing left to migrate.');
    return;
  }

  // 5. Preview
  say();
  if (source.kind === 'cluster' && deps.cluster) {
    say('Preview: what apply would change in the cluster (server-side dry run):');
    const diff = await deps.cluster.diff(source.context, choices);
    await page(ask, print, diff.changes ? diff.text : 'No changes: the cluster already has these objects.');
  } else {
    say(`Preview: ${result.objects.length} object(s):`);
    await page(ask, print, serialize(result.objects, 'yaml'));
  }

  // 6. Action
  const actions: Choice<'apply' | 'write' | 'both'>[] = [{ name: 'write the YAML and the Markdown report to a directory', value: 'write' }];
  if (source.kind === 'cluster') actions.unshift({ name: 'apply to the cluster', value: 'apply' }, { name: 'apply and write the files', value: 'both' });
  const action = actions.length === 1 ? 'write' : await ask.select('What should happen?', actions);
  const done: string[] = [];
  const commands: string[] = [];
  let undo: string | undefined;
  if (action === 'write' || action === 'both') {
    const dir = await ask.input('Directory for the output:', 'ingress2contour-out');
    const files: [string, string][] = [...namespaceFiles(result.objects, 'yaml'), ['MIGRATION.md', renderMarkdown(report)]];
    const written = await writeFiles(dir, files);
    done.push(`Wrote ${written.length} file(s) to ${dir}: ${files.map(([n]) => n).join(', ')}`);
    commands.push(commandLine('convert', choices, ['--output-dir', dir]), `${commandLine('report', choices, ['-o', 'markdown'])} > ${shellQuote(`${dir}/MIGRATION.md`)}`);
  }
  if ((action === 'apply' || action === 'both') && source.kind === 'cluster' && deps.cluster) {
    const byNs = countByNamespace(result);
    say('Dry run against the cluster (nothing is written):');
    const dry = await deps.cluster.apply(source.context, choices, true, (l) => print(`  ${l}`));
    if (!dry.ok) say('The dry run reported failures (see above); they would fail for real too.');
    const what = [...byNs].map(([ns, n]) => `${ns} (${n})`).join(', ');
    const go = await ask.confirm(`Apply ${result.objects.length} object(s) to context ${source.context} in ${byNs.size} namespace(s): ${what}?`, false);
    if (!go) throw new Cancelled('not confirmed');
    const applied = await deps.cluster.apply(source.context, choices, false, (l) => print(`  ${l}`));
    done.push(applied.ok ? `Applied to ${byNs.size} namespace(s).` : 'Applied with failures: see the summary above; a re-run converges.');
    commands.push(commandLine('apply', choices));
    undo = deps.cluster.undoCommand(source.context, [...byNs.keys()]);
  } else if (source.kind === 'files') {
    done.push('Nothing was applied; to undo, delete the output directory.');
  }

  // 7. End
  say();
  for (const line of done) say(line);
  // Commands are printed unwrapped, so they can be copied as they are.
  say('The same without the wizard:');
  for (const c of commands) print(`  ${c}`);
  if (undo) {
    say('To undo (removes what was applied; the source Ingresses were not touched):');
    print(`  ${undo}`);
  }
}

interface Inventory {
  byNamespace: Map<string, number>;
  byClass: Map<string, number>;
  byNamespaceClass: Map<string, Map<string, number>>;
}

function countInventory(ingresses: Ingress[]): Inventory {
  const inv: Inventory = { byNamespace: new Map(), byClass: new Map(), byNamespaceClass: new Map() };
  for (const ing of ingresses) {
    inv.byNamespace.set(ing.namespace, (inv.byNamespace.get(ing.namespace) ?? 0) + 1);
    const cls = ing.ingressClassName ?? ing.annotations[CLASS_ANNOTATION] ?? '(none)';
    inv.byClass.set(cls, (inv.byClass.get(cls) ?? 0) + 1);
    const perNs = inv.byNamespaceClass.get(ing.namespace) ?? new Map<string, number>();
    perNs.set(cls, (perNs.get(cls) ?? 0) + 1);
    inv.byNamespaceClass.set(ing.namespace, perNs);
  }
  return inv;
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

function countByNamespace(result: ConversionResult): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of result.objects) out.set(o.metadata.namespace, (out.get(o.metadata.namespace) ?? 0) + 1);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function reviewLines(ing: IngressReport): string[] {
  const lines: string[] = [];
  for (const a of ing.annotations) {
    if (a.verdict === 'exact' && a.severity === 'info') continue;
    lines.push(`${a.severity} ${a.annotation.replace(/^.*\//, '')}: ${a.message}`);
  }
  for (const f of ing.findings) if (f.severity !== 'info') lines.push(`${f.severity} ${f.message}`);
  return lines;
}

async function chooseRootNamespace(ask: Ask, existing: string[]): Promise<string> {
  const suggestions = ['projectcontour', ...existing.filter((n) => n !== 'projectcontour')].slice(0, 15);
  if (existing.length > 0) {
    const picked = await ask.select<string>(
      'Namespace for the root objects:',
      [...suggestions.map((n) => ({ name: existing.includes(n) ? n : `${n} (does not exist yet)`, value: n })), { name: 'another namespace…', value: '' }],
      'projectcontour',
    );
    if (picked) return picked;
  }
  return ask.input('Namespace for the root objects:', 'projectcontour', (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 63 ? true : 'not a valid namespace name'));
}

function validVersion(v: string, target: Target): true | string {
  const parsed = parseContourVersion(v);
  if (!parsed) return 'a version like 1.33';
  if (target === 'ingressroute' && versionAtLeast(parsed, '1.6')) return 'IngressRoute exists only up to Contour 1.5';
  if (target === 'httpproxy' && !versionAtLeast(parsed, '1.0')) return 'HTTPProxy needs Contour 1.0 or newer';
  return true;
}

function toOptions(c: WizardChoices): ConvertOptions {
  const options: ConvertOptions = {
    target: c.target,
    contourVersion: parseContourVersion(c.contourVersion)!,
    rootNamespace: c.rootNamespace,
    includeScope: 'prefix',
    layout: c.layout,
    ingressClass: c.ingressClass,
    includeClassless: c.includeClassless,
    annotationPrefix: DEFAULT_ANNOTATION_PREFIX,
    catalogue: loadCatalogue(),
    skipIngresses: c.skipped,
  };
  if (c.namespaces !== 'all') options.onlyNamespaces = c.namespaces;
  return options;
}

/** Shows long text a page at a time. */
async function page(ask: Ask, show: (t: string) => void, text: string): Promise<void> {
  const lines = text.replace(/\n$/, '').split('\n');
  for (let start = 0; start < lines.length; start += PAGE) {
    show(lines.slice(start, start + PAGE).join('\n'));
    const left = lines.length - start - PAGE;
    if (left <= 0) break;
    const more = await ask.select<boolean>(`${left} more line(s).`, [
      { name: 'show more', value: true },
      { name: 'skip the rest of the preview', value: false },
    ]);
    if (!more) break;
  }
}

/** Word-wraps prose to the terminal width (previews are printed as they are). */
export function wrap(text: string, width: number): string {
  if (width < 20) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      const words = line.trim().split(/\s+/);
      const out: string[] = [];
      let current = indent;
      for (const w of words) {
        if (current.trim() !== '' && current.length + 1 + w.length > width) {
          out.push(current);
          current = `${indent}  ${w}`;
        } else current = current.trim() === '' ? `${indent}${w}` : `${current} ${w}`;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
