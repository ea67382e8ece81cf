// The interactive migration: source → scope → target → what findings ask for →
// findings review → preview → action. It adds no conversion logic: every step calls
// the code the commands use, and the end shows the command lines that do the same
// without questions. Each question is a step (steps.ts), so "back" returns to the
// previous one with the answers kept.
import { toolVersion } from '../cli/version.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { convert, type ConversionResult, type ConvertOptions } from '../convert.js';
import type { KubeObject } from '../emit/objects.js';
import { serialize } from '../emit/serialize.js';
import { loadCatalogue } from '../map/catalogue.js';
import { loadControllerCatalogue } from '../map/controller-catalogue.js';
import { loadEcosystem } from '../map/ecosystem.js';
import { DEFAULT_ANNOTATION_PREFIX } from '../map/engine.js';
import { CURRENT_CONTOUR, LAST_INGRESSROUTE_CONTOUR, parseContourVersion, versionAtLeast, type Target } from '../model/contour.js';
import { pickController, type ControllerDiscovery } from '../cluster/controller.js';
import { subjectLabel, type Finding, type Severity } from '../model/findings.js';
import type { Ingress } from '../model/ingress.js';
import type { Layout } from '../plan/plan.js';
import { readInputs } from '../read/files.js';
import type { Collected } from '../read/normalize.js';
import { CLASS_ANNOTATION } from '../read/ingress-class.js';
import { renderMarkdown } from '../report/render.js';
import { buildReport, type IngressReport, type Report } from '../report/report.js';
import { CliError, EXIT } from '../cli/exit-codes.js';
import { namespaceFiles, writeFiles } from '../cli/output.js';
import { Cancelled, GoBack, type Ask, type Choice } from './ask.js';
import { commandLine, shellQuote, type WizardChoices } from './command-line.js';
import { runSteps, type Step, type StepResult } from './steps.js';
import { bySeverity, contentRows, pages, terminalRows } from './view.js';

/** What the wizard needs from a cluster; the cluster commands provide it. */
export interface ClusterAccess {
  contexts(): { name: string; current: boolean }[];
  /** Reads Ingresses (and what helps convert them) in all namespaces the user may list; throws when the cluster cannot be read. */
  read(context: string): Promise<Collected & { controllers?: ControllerDiscovery }>;
  /** The route kind the cluster serves, if any. */
  servedTarget(context: string): Promise<Target | undefined>;
  namespaces(context: string): Promise<string[]>;
  /** What `diff` prints for these choices, and whether anything changes. */
  diff(context: string, choices: Omit<WizardChoices, 'source'>): Promise<{ text: string; changes: boolean }>;
  /** Runs `apply` (or its server-side dry run) for these choices; its progress and per-namespace summary go to `log`. */
  apply(context: string, choices: Omit<WizardChoices, 'source'>, dryRun: boolean, log: (line: string) => void): Promise<{ ok: boolean }>;
  /** The command that deletes exactly these objects. */
  undoCommand(context: string, objects: KubeObject[]): string;
  /** Runs `verify` with these extra arguments (addresses); its report and its exit code. */
  verify(context: string, choices: Omit<WizardChoices, 'source'>, extra: string[]): Promise<{ code: number; report: string }>;
}

export interface WizardDeps {
  ask: Ask;
  print: (text: string) => void;
  width: number;
  /** The terminal's height now (it can change while the wizard runs). */
  rows: () => number;
  cluster?: ClusterAccess;
}

type Action = 'apply' | 'write' | 'both';

interface State {
  sourceKind: 'cluster' | 'files';
  context?: string;
  path: string;
  input?: Collected;
  /** The ingress-nginx controllers the cluster read found (none from files). */
  controllers?: ControllerDiscovery;
  servedTarget?: Target;
  clusterNamespaces: string[];
  /** "let me choose" at the scope question. */
  chooseNamespaces: boolean;
  choices: WizardChoices;
  /** Review decisions by Ingress (ns/name): kept so going back shows them again. */
  decisions: Map<string, 'accept' | 'skip'>;
  /** Findings questions already asked: asked again when going back, even if now resolved. */
  askedFor: Set<'auth' | 'scope' | 'tls'>;
  action: Action;
  outputDir: string;
}

const AUTH_URL = `${DEFAULT_ANNOTATION_PREFIX}/auth-url`;
const EXTENSION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Resolves with the findings of what was written or applied (the exit code follows them, as for convert). */
export async function runWizard(deps: WizardDeps): Promise<Finding[]> {
  const { ask, print } = deps;
  const say = (text = ''): void => print(wrap(text, deps.width));
  say('ingress2contour wizard: migrate ingress-nginx Ingresses to Contour. ← (or "← back") returns to the previous question; Esc or Ctrl-C quits; nothing is applied before the last confirmation.');
  say();

  const contexts = deps.cluster?.contexts() ?? [];
  const state: State = {
    sourceKind: contexts.length === 0 ? 'files' : 'cluster',
    path: '.',
    clusterNamespaces: [],
    chooseNamespaces: false,
    choices: {
      source: { kind: 'files', paths: ['.'] },
      namespaces: 'all',
      ingressClass: 'nginx',
      includeClassless: false,
      target: 'httpproxy',
      contourVersion: CURRENT_CONTOUR,
      rootNamespace: 'projectcontour',
      layout: 'root-namespace',
      includeScope: 'auto',
      skipped: [],
    },
    decisions: new Map(),
    askedFor: new Set(),
    // On a cluster the first choice offered is to apply; with files, writing is the only one.
    action: 'apply',
    outputDir: 'ingress2contour-out',
  };
  const input = (): Collected => state.input!;

  // The conversion with the answers so far, run in-process; answers to findings
  // questions are re-evaluated through it. Cached per set of answers.
  const cache = new Map<string, { result: ConversionResult; report: Report }>();
  const evaluate = (overrides: Partial<WizardChoices> = {}): { result: ConversionResult; report: Report } => {
    const scope = new Set(inScope().map((i) => `${i.namespace}/${i.name}`));
    state.choices.skipped = [...state.decisions].filter(([i, d]) => d === 'skip' && scope.has(i)).map(([i]) => i);
    const choices = { ...state.choices, ...overrides };
    const key = JSON.stringify(choices);
    let hit = cache.get(key);
    if (!hit) {
      const options = toOptions(choices);
      // The configuration of the controller serving the chosen class, as the commands pick it.
      const picked = state.controllers ? pickController(state.controllers, options.ingressClass) : undefined;
      if (picked?.controller) options.controller = picked.controller;
      const result = convert(input(), options);
      const inputFindings = picked ? [...input().findings, ...picked.findings] : input().findings;
      hit = { result, report: buildReport(result, inputFindings, input().ingresses.length, options, DEFAULT_ANNOTATION_PREFIX) };
      cache.set(key, hit);
    }
    return hit;
  };
  const inScope = (): Ingress[] => {
    const ns = state.choices.namespaces;
    return input().ingresses.filter((i) => ns === 'all' || ns.includes(i.namespace));
  };
  const countFindings = (id: string, overrides: Partial<WizardChoices> = {}): number => evaluate(overrides).result.findings.filter((f) => f.id === id).length;

  /** After a source was read: what is there; `undefined` when there is something to migrate. */
  const afterRead = (s: State): StepResult => {
    cache.clear();
    s.decisions.clear();
    s.choices.namespaces = 'all';
    s.chooseNamespaces = false;
    for (const f of input().findings) say(`  ${f.severity}: ${subjectLabel(f.subject)} ${f.message}`);
    if (input().ingresses.length === 0) {
      say('No Ingress found there.');
      s.sourceKind = 'files';
      return { goto: 'path' };
    }
    const inventory = countInventory(input().ingresses);
    say(`Found ${input().ingresses.length} Ingress(es) in ${inventory.byNamespace.size} namespace(s):`);
    for (const [cls, n] of [...inventory.byClass].sort()) say(`  class ${cls}: ${n}`);
    // Where they are, busiest namespaces first, as many as leave room for the question.
    const room = Math.max(3, deps.rows() - inventory.byClass.size - 8);
    const busiest = [...inventory.byNamespaceClass].sort(([a, x], [b, y]) => total(y) - total(x) || (a < b ? -1 : 1));
    const shown = busiest.length > room ? room - 1 : busiest.length;
    for (const [ns, classes] of busiest.slice(0, shown)) say(`  ${ns}: ${describeClasses(classes)}`);
    if (busiest.length > shown) say(`  … and ${busiest.length - shown} more namespace(s)`);
    say();
    return 'asked';
  };

  /** Says what the chosen namespaces hold; false when none of it can be migrated. */
  const describeScope = (): boolean => {
    const classes = countBy(inScope(), ingressClassOf);
    say(`In scope: ${inScope().length} Ingress(es): ${describeClasses(classes)}.`);
    return inScope().length > 0;
  };

  const steps: Step<State>[] = [
    {
      id: 'source',
      async run(s) {
        if (contexts.length === 0) return 'skipped';
        s.sourceKind = await ask.select<'cluster' | 'files'>(
          'Where are the Ingresses?',
          [
            { name: 'In a cluster (kubeconfig context)', value: 'cluster' },
            { name: 'In files or a directory', value: 'files' },
          ],
          s.sourceKind,
        );
        return 'asked';
      },
    },
    {
      id: 'context',
      async run(s) {
        if (s.sourceKind !== 'cluster' || !deps.cluster) return 'skipped';
        const context = await ask.select(
          'Which context?',
          contexts.map((c) => ({ name: c.current ? `${c.name} (current)` : c.name, value: c.name })),
          s.context ?? contexts.find((c) => c.current)?.name,
        );
        s.context = context;
        say(`Reading Ingresses from context ${context}…`);
        try {
          const read = await deps.cluster.read(context);
          s.input = read;
          s.controllers = read.controllers;
        } catch (err) {
          // An unreachable or refusing cluster need not end the wizard: the manifests may be in Git.
          say(`Cannot read context ${context}: ${(err as Error).message}`);
          const next = await ask.select<'files' | 'context' | 'quit'>('Continue how?', [
            { name: 'with files or a directory instead', value: 'files' },
            { name: 'with another context', value: 'context' },
            { name: 'quit the wizard', value: 'quit' },
          ]);
          if (next === 'quit') throw new Cancelled(`context ${context} could not be read`);
          if (next === 'context') return { goto: 'context' };
          s.sourceKind = 'files';
          return 'asked';
        }
        s.choices.source = { kind: 'cluster', context };
        s.servedTarget = await deps.cluster.servedTarget(context);
        s.clusterNamespaces = await deps.cluster.namespaces(context);
        return afterRead(s);
      },
    },
    {
      id: 'path',
      async run(s) {
        if (s.sourceKind !== 'files') return 'skipped';
        s.path = await ask.input('Path to the Ingress manifests (file or directory):', s.path, (v) => (existsSync(v) ? true : `${v} does not exist`));
        s.choices.source = { kind: 'files', paths: [s.path] };
        s.servedTarget = undefined;
        s.clusterNamespaces = [];
        s.input = await readInputs([s.path], { recursive: true, defaultNamespace: 'default' });
        s.controllers = undefined;
        return afterRead(s);
      },
    },
    {
      id: 'scope',
      async run(s) {
        const count = countBy(input().ingresses, (i) => i.namespace).size;
        s.chooseNamespaces = await ask.select(
          'Which namespaces?',
          [
            { name: `all ${count} namespaces`, value: false },
            { name: 'let me choose', value: true },
          ],
          s.chooseNamespaces,
        );
        if (!s.chooseNamespaces) {
          s.choices.namespaces = 'all';
          describeScope();
        }
        return 'asked';
      },
    },
    {
      id: 'namespaces',
      async run(s) {
        if (!s.chooseNamespaces) return 'skipped';
        const byNamespace = countBy(input().ingresses, (i) => i.namespace);
        const chosen = s.choices.namespaces;
        const picked = await ask.checkbox(
          'Namespaces to migrate (space toggles, enter confirms):',
          [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ns, n]) => ({ name: `${ns} (${n})`, value: ns, checked: chosen === 'all' || chosen.includes(ns) })),
        );
        s.choices.namespaces = picked;
        return describeScope() ? 'asked' : { goto: 'namespaces' };
      },
    },
    {
      id: 'class',
      async run(s) {
        // Only the classes of the Ingresses in scope: a class with nothing there migrates nothing.
        const classes = countBy(
          inScope().filter((i) => ingressClassOf(i) !== '(none)'),
          ingressClassOf,
        );
        const names = [...classes.keys()].sort();
        if (names.length === 0 || (names.length === 1 && names[0] === 'nginx')) {
          s.choices.ingressClass = names[0] ?? 'nginx';
          return 'skipped';
        }
        s.choices.ingressClass = await ask.select(
          'Which ingress-nginx class?',
          names.map((c) => ({ name: `${c} (${classes.get(c)})`, value: c })),
          names.includes(s.choices.ingressClass) ? s.choices.ingressClass : names.includes('nginx') ? 'nginx' : undefined,
        );
        return 'asked';
      },
    },
    {
      id: 'classless',
      async run(s) {
        const classless = inScope().filter((i) => ingressClassOf(i) === '(none)').length;
        const withClass = inScope().length - classless;
        if (classless === 0) {
          s.choices.includeClassless = false;
          return 'skipped';
        }
        s.choices.includeClassless = await ask.confirm(
          `Also migrate the ${classless} Ingress(es) without a class (nginx serves them only with --watch-ingress-without-class)?`,
          s.choices.includeClassless,
        );
        if (withClass === 0 && !s.choices.includeClassless) {
          say('Then nothing in these namespaces is left to migrate: choose others.');
          return { goto: 'scope' };
        }
        return 'asked';
      },
    },
    {
      id: 'target',
      async run(s) {
        const served = s.sourceKind === 'cluster' ? s.servedTarget : undefined;
        s.choices.target = await ask.select<Target>(
          'Which Contour API?',
          [
            {
              name: `HTTPProxy (projectcontour.io/v1, Contour 1.0+)${served === 'httpproxy' ? ', served by this cluster' : ''}`,
              value: 'httpproxy',
              description: 'The current API: includes, exact and regex paths, redirects, CORS, IP filters, rate limits.',
            },
            {
              name: `IngressRoute (contour.heptio.com/v1beta1, Contour ≤ 1.5)${served === 'ingressroute' ? ', served by this cluster' : ''}`,
              value: 'ingressroute',
              description: 'The old API, removed in Contour 1.6: prefixes only, far fewer features.',
            },
          ],
          served ?? s.choices.target,
        );
        return 'asked';
      },
    },
    {
      id: 'version',
      async run(s) {
        const fallback = s.choices.target === 'httpproxy' ? CURRENT_CONTOUR : LAST_INGRESSROUTE_CONTOUR;
        const previous = validVersion(s.choices.contourVersion, s.choices.target) === true ? s.choices.contourVersion : fallback;
        s.choices.contourVersion = await ask.input('Contour version to emit for:', previous, (v) => validVersion(v, s.choices.target));
        return 'asked';
      },
    },
    {
      id: 'root-namespace',
      async run(s) {
        s.choices.rootNamespace = await chooseRootNamespace(ask, s.clusterNamespaces, s.choices.rootNamespace);
        return 'asked';
      },
    },
    {
      id: 'layout',
      async run(s) {
        s.choices.layout = await ask.select<Layout>(
          'Where do the roots go?',
          [
            { name: `all in ${s.choices.rootNamespace} (platform team owns hosts; teams own their paths)`, value: 'root-namespace' },
            { name: 'a host used by one namespace gets its root there', value: 'app-namespace' },
          ],
          s.choices.layout,
        );
        return 'asked';
      },
    },
    // What the findings ask for: each question shows the findings that ask it and, after
    // the answer, what the conversion gives now.
    {
      id: 'auth-extension',
      async run(s) {
        if (s.choices.target !== 'httpproxy') return 'skipped';
        const users = inScope().filter((i) => i.annotations[AUTH_URL] !== undefined);
        if (users.length === 0) return 'skipped';
        s.askedFor.add('auth');
        const names = users.map((i) => `${i.namespace}/${i.name}`);
        say();
        say(
          `${users.length} Ingress(es) use auth-url (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}). Contour authorizes through an ExtensionService speaking gRPC ext_authz (Contour's authserver, or an OAuth2 proxy behind one); without one, auth-url cannot be kept on their paths (the review below says what becomes of them).`,
        );
        const answer = await ask.input('ExtensionService for auth-url (namespace/name; empty leaves it an error):', s.choices.authExtension ?? '', (v) =>
          v.trim() === '' || EXTENSION_NAME.test(v.trim()) ? true : 'namespace/name of an ExtensionService',
        );
        const ext = answer.trim();
        if (ext) s.choices.authExtension = ext;
        else delete s.choices.authExtension;
        const verdicts = countBy(
          evaluate().report.ingresses.flatMap((i) => i.annotations.filter((a) => a.annotation === AUTH_URL)),
          (a) => `${a.verdict} (${a.severity})`,
        );
        say(`auth-url now: ${describeCounts(verdicts)}.`);
        return 'asked';
      },
    },
    {
      id: 'include-scope',
      async run(s) {
        if (s.choices.target !== 'httpproxy') return 'skipped';
        const withPrefix = countFindings('route.string-prefix', { includeScope: 'prefix' });
        if (withPrefix === 0 && !s.askedFor.has('scope')) return 'skipped';
        s.askedFor.add('scope');
        say();
        say(`${withPrefix} finding(s) where Contour's include prefix matches as a plain string, not by path segment as nginx does (/cart would also match /cartoon).`);
        s.choices.includeScope = await ask.select<'auto' | 'prefix' | 'none'>(
          'How should roots include their children?',
          [
            { name: "by path prefix only on hosts several namespaces share: ownership there, nginx's path semantics elsewhere", value: 'auto' },
            { name: 'by path prefix: each namespace may claim only its own paths', value: 'prefix' },
            { name: "without conditions: nginx's path semantics, ownership not enforced", value: 'none' },
          ],
          s.choices.includeScope,
        );
        say(`String-prefix differences now: ${countFindings('route.string-prefix')}.`);
        return 'asked';
      },
    },
    {
      id: 'tls-root',
      async run(s) {
        const delegations = countFindings('tls.delegation');
        if (delegations === 0 && !s.askedFor.has('tls')) return 'skipped';
        s.askedFor.add('tls');
        say();
        say(`${delegations} TLS secret(s) live outside the namespace of their root: each needs a TLSCertificateDelegation (emitted) that lets ${s.choices.rootNamespace} use it.`);
        const answer = await ask.select<'keep' | 'app-namespace' | 'other'>('Where should the roots be?', [
          { name: `keep them in ${s.choices.rootNamespace}${s.choices.layout === 'app-namespace' ? ' unless one namespace uses the host' : ''}`, value: 'keep' },
          ...(s.choices.layout === 'root-namespace' ? [{ name: 'a host used by one namespace gets its root there', value: 'app-namespace' as const }] : []),
          { name: 'another root namespace…', value: 'other' },
        ]);
        if (answer === 'app-namespace') s.choices.layout = 'app-namespace';
        if (answer === 'other') s.choices.rootNamespace = await ask.input('Namespace for the root objects:', s.choices.rootNamespace, validNamespace);
        say(`TLS delegations now: ${countFindings('tls.delegation')}.`);
        return 'asked';
      },
    },
    {
      id: 'create-namespace',
      async run(s) {
        if (s.sourceKind !== 'cluster' || s.clusterNamespaces.length === 0 || s.clusterNamespaces.includes(s.choices.rootNamespace)) {
          delete s.choices.createNamespaces;
          return 'skipped';
        }
        s.choices.createNamespaces = await ask.confirm(`Namespace ${s.choices.rootNamespace} does not exist. Create it when applying?`, s.choices.createNamespaces ?? true);
        return 'asked';
      },
    },
    {
      id: 'review',
      run: (s) => review(s),
    },
    {
      // Routes whose access control cannot be kept: the person decides for each Ingress,
      // explicitly, whether they stay closed (the default) or are published without it.
      id: 'access-control',
      async run(s) {
        const lost = lostControls(evaluate({ publishUnprotected: [] }).result);
        if (lost.length === 0) {
          delete s.choices.publishUnprotected;
          return 'skipped';
        }
        say();
        say(`${lost.length} Ingress(es) had an access control in nginx that the output cannot keep. By default their routes stay closed; publishing them opens them to anyone.`);
        const publish: string[] = [];
        for (const l of lost) {
          const closed = l.withheld ? `keep closed: host ${l.hosts.join(', ')} is left out of the output` : `keep closed: its ${l.routes} route(s) answer 403`;
          const choice = await ask.select<'deny' | 'publish'>(
            `Ingress ${l.ingress}: ${l.controls.join(', ')} cannot be kept (${l.reasons.join('; ')}).`,
            [
              { name: closed, value: 'deny' },
              { name: `publish WITHOUT ${l.controls.join(', ')}: anyone can reach ${l.routes} route(s)`, value: 'publish' },
            ],
            s.choices.publishUnprotected?.includes(l.ingress) ? 'publish' : 'deny',
          );
          if (choice === 'publish') publish.push(l.ingress);
        }
        if (publish.length > 0) s.choices.publishUnprotected = publish;
        else delete s.choices.publishUnprotected;
        say(publish.length > 0 ? `Published without their access control: ${publish.join(', ')} (the run ends with exit code 6).` : 'All of them stay closed.');
        return 'asked';
      },
    },
    {
      id: 'preview',
      async run(s) {
        const { result } = evaluate();
        if (result.objects.length === 0) {
          say('Nothing left to migrate: every Ingress in scope was left out.');
          return { goto: 'review' };
        }
        if (deps.rows() >= 30) say();
        let text: string;
        let heading: string;
        if (s.sourceKind === 'cluster' && deps.cluster && s.context) {
          heading = 'Preview: what apply would change in the cluster (server-side dry run):';
          const diff = await deps.cluster.diff(s.context, s.choices);
          text = diff.changes ? diff.text : 'No changes: the cluster already has these objects.';
        } else {
          heading = `Preview: ${result.objects.length} object(s):`;
          text = serialize(result.objects, 'yaml');
        }
        say(heading);
        await page(text.replace(/\n$/, '').split('\n'), wrap(heading, deps.width).split('\n').length);
        return 'asked';
      },
    },
    {
      id: 'action',
      async run(s) {
        if (s.sourceKind !== 'cluster') {
          s.action = 'write';
          return 'skipped';
        }
        s.action = await ask.select<Action>(
          'What should happen?',
          [
            { name: 'apply to the cluster', value: 'apply' },
            { name: 'apply and write the files', value: 'both' },
            { name: 'write the YAML and the Markdown report to a directory', value: 'write' },
          ],
          s.action,
        );
        return 'asked';
      },
    },
    {
      id: 'output-dir',
      async run(s) {
        if (s.action === 'apply') return 'skipped';
        const names = outputFiles().map(([n]) => n);
        // The wizard writes only new files: anything already there is someone else's.
        s.outputDir = await ask.input('Directory for the output:', s.outputDir, (dir) => {
          const taken = names.filter((n) => existsSync(path.join(dir, n)));
          return taken.length === 0 ? true : `${dir} already has ${taken.join(', ')}: choose another directory (the wizard never overwrites a file)`;
        });
        return 'asked';
      },
    },
    {
      id: 'confirm-apply',
      async run(s) {
        if (s.action === 'write' || !deps.cluster || !s.context) return 'skipped';
        const { result } = evaluate();
        const byNs = countBy(result.objects, (o) => o.metadata.namespace);
        say('Dry run against the cluster (nothing is written):');
        const dry = await deps.cluster.apply(s.context, s.choices, true, (l) => print(`  ${l}`));
        if (!dry.ok) say('The dry run reported failures (see above); they would fail for real too.');
        const what = [...byNs]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([ns, n]) => `${ns} (${n})`)
          .join(', ');
        const go = await ask.confirm(`Apply ${result.objects.length} object(s) to context ${s.context} in ${byNs.size} namespace(s): ${what}?`, false);
        if (!go) throw new Cancelled('not confirmed');
        return 'asked';
      },
    },
  ];

  const outputFiles = (): [string, string][] => {
    const { result, report } = evaluate();
    return [...namespaceFiles(result.objects, 'yaml'), ['MIGRATION.md', renderMarkdown(report)]];
  };

  /** Shows rows a page at a time, each page fitted to the terminal; ← returns a page. */
  async function page(lines: string[], headingRows: number): Promise<void> {
    // Three choices (show more, skip the rest, back); the heading stays on screen with the first page.
    const fitted = pages(
      lines.map((l) => terminalRows(l, deps.width)),
      contentRows(deps.rows(), 3, headingRows),
    );
    const canLeave = ask.canGoBack;
    let index = 0;
    try {
      while (index < fitted.length) {
        print(fitted[index]!.join('\n'));
        const left = fitted.slice(index + 1).reduce((n, p) => n + p.length, 0);
        if (left === 0) return;
        ask.canGoBack = canLeave || index > 0;
        try {
          const more = await ask.select<boolean>(`${left} more line(s).`, [
            { name: 'show more', value: true },
            { name: 'skip the rest of the preview', value: false },
          ]);
          if (!more) return;
          index += 1;
        } catch (err) {
          if (!(err instanceof GoBack) || index === 0) throw err;
          index -= 1;
        }
      }
    } finally {
      ask.canGoBack = canLeave;
    }
  }

  /** One Ingress at a time, worst first; its findings errors first, in pages that fit. */
  async function review(s: State): Promise<StepResult> {
    const { report } = evaluate({ skipped: [] });
    const t = evaluate().report.totals;
    say();
    say(
      `Report: ${t.ingressesSelected} Ingress(es) selected: ${t.fullyConverted} convert exactly, ${t.approximate} approximately, ${t.partial} partly, ${t.notConverted} not at all (findings: ${t.findings.error} error, ${t.findings.warn} warn).`,
    );
    const toReview = report.ingresses.filter((i) => i.status !== 'converted').sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || (a.ingress < b.ingress ? -1 : 1));
    if (toReview.length === 0) return 'skipped';
    const canLeave = ask.canGoBack;
    // Back from a later question: start at the last Ingress, not the first.
    let index = toReview.every((i) => s.decisions.has(i.ingress)) ? toReview.length - 1 : 0;
    let pageIndex = 0;
    try {
      while (index < toReview.length) {
        const ing = toReview[index]!;
        // One item per finding, as the rows it takes once wrapped.
        const items = bySeverity(reviewLines(ing)).map((l) =>
          wrap(`  ${l.severity} ${l.text}`, deps.width)
            .split('\n')
            .flatMap((r) => terminalRows(r, deps.width)),
        );
        const remaining = toReview.length - index - 1;
        const choices: Choice<'accept' | 'skip' | 'accept-all' | 'more'>[] = [
          { name: 'accept: migrate it with these differences', value: 'accept' },
          { name: 'skip: leave this Ingress out', value: 'skip' },
        ];
        if (remaining > 0) choices.push({ name: `accept this and the ${remaining} remaining`, value: 'accept-all' });
        const counts = countBy(reviewLines(ing), (l) => l.severity);
        const decided = s.decisions.get(ing.ingress);
        const heading = (of: string): string =>
          `[${index + 1}/${toReview.length}] ${ing.ingress}: ${ing.status}, ${counts.get('error') ?? 0} error, ${counts.get('warn') ?? 0} warn${of}${decided ? `, chose ${decided}` : ''}`;
        // Choices: the ones above, "show the next", "← back"; the heading's rows too.
        const headingRows = wrap(heading(' (99/99)'), deps.width).split('\n').length;
        const fitted = pages(items, contentRows(deps.rows(), choices.length + 2, headingRows + (deps.rows() >= 30 ? 1 : 0)));
        if (pageIndex < fitted.length - 1) choices.push({ name: `show the next finding(s) (page ${pageIndex + 2}/${fitted.length})`, value: 'more' });
        if (deps.rows() >= 30) say();
        say(heading(fitted.length > 1 ? ` (${pageIndex + 1}/${fitted.length})` : ''));
        print((fitted[pageIndex] ?? []).join('\n'));
        ask.canGoBack = canLeave || index > 0 || pageIndex > 0;
        let decision: 'accept' | 'skip' | 'accept-all' | 'more';
        try {
          decision = await ask.select('What now?', choices, decided);
        } catch (err) {
          if (!(err instanceof GoBack) || (index === 0 && pageIndex === 0)) throw err;
          if (pageIndex > 0) pageIndex -= 1;
          else index -= 1;
          continue;
        }
        if (decision === 'more') {
          pageIndex += 1;
          continue;
        }
        pageIndex = 0;
        if (decision === 'accept-all') {
          for (const rest of toReview.slice(index)) s.decisions.set(rest.ingress, 'accept');
          break;
        }
        s.decisions.set(ing.ingress, decision);
        index += 1;
      }
    } finally {
      ask.canGoBack = canLeave;
    }
    return 'asked';
  }

  /**
   * After an apply both controllers serve the hosts: send both the same requests and show how
   * they differ, before the person moves DNS. Addresses are asked for; empty finds them from
   * the controllers' Services.
   */
  async function offerVerify(context: string, choices: WizardChoices): Promise<{ summary: string; extra: string[] } | undefined> {
    if (!deps.cluster) return undefined;
    say();
    const go = await ask.confirm('Verify now: send the same requests to ingress-nginx and to Contour and compare the answers?', true);
    if (!go) return undefined;
    const address = (v: string): true | string => (v.trim() === '' || /^[^\s:]+:\d+(,\d+)?$/.test(v.trim()) ? true : 'host:port or host:port,https-port');
    const nginx = (await ask.input('ingress-nginx address (host:port[,https-port]; empty finds it from its Service):', '', address)).trim();
    const contour = (await ask.input('Contour (Envoy) address (host:port[,https-port]; empty finds it from its Service):', '', address)).trim();
    const extra = [...(nginx ? ['--nginx-address', nginx] : []), ...(contour ? ['--contour-address', contour] : [])];
    say('Verifying…');
    const { code, report } = await deps.cluster.verify(context, choices, extra);
    const lines = report.split('\n');
    // The differences that need a look, then the summary line.
    for (const l of lines.filter((x) => x.includes('UNEXPECTED') || x.startsWith('verify:') || x.startsWith('error'))) print(`  ${l}`);
    const summary = lines.find((x) => x.startsWith('verify:')) ?? `verify ended with exit code ${code}`;
    return { summary: code === 0 ? `${summary}: no unexpected difference.` : `${summary}: look at the UNEXPECTED lines before moving DNS.`, extra };
  }

  await runSteps(steps, state, ask);

  // Every question is answered: write, apply, and say exactly what was done.
  const s = state;
  const { result } = evaluate();
  const done: string[] = [];
  const commands: string[] = [];
  const undo: string[] = [];
  if (s.action === 'write' || s.action === 'both') {
    const dir = s.outputDir;
    const dirExisted = existsSync(dir);
    const files = outputFiles();
    // Checked again at the last moment: a file that appeared since the question is not ours either.
    const taken = files.map(([n]) => path.join(dir, n)).filter((f) => existsSync(f));
    if (taken.length > 0) throw new CliError(`${taken.join(', ')} appeared after the directory was chosen; the wizard never overwrites a file, so nothing was written or applied`, EXIT.input);
    const written = await writeFiles(dir, files);
    done.push(`Wrote ${files.length} file(s) to ${dir}: ${files.map(([n]) => n).join(', ')}`);
    commands.push(commandLine('convert', s.choices, ['--output-dir', dir]), `${commandLine('report', s.choices, ['-o', 'markdown'])} > ${shellQuote(`${dir}/MIGRATION.md`)}`);
    // Exactly the files written (and the directory when the wizard created it).
    undo.push(['rm', '--', ...written].map(shellQuote).join(' ') + (dirExisted ? '' : ` && rmdir ${shellQuote(dir)}`));
  }
  if ((s.action === 'apply' || s.action === 'both') && deps.cluster && s.context) {
    const byNs = countBy(result.objects, (o) => o.metadata.namespace);
    let applied: { ok: boolean };
    try {
      applied = await deps.cluster.apply(s.context, s.choices, false, (l) => print(`  ${l}`));
    } catch (err) {
      // The files are already written: their undo must not be lost with the error.
      if (undo.length > 0) {
        say('The files were written before the apply stopped; to remove them:');
        for (const u of undo) print(`  ${u}`);
      }
      throw err;
    }
    done.push(applied.ok ? `Applied to ${byNs.size} namespace(s).` : 'Applied with failures: see the summary above; a re-run converges.');
    commands.push(commandLine('apply', s.choices));
    undo.push(deps.cluster.undoCommand(s.context, result.objects));
    if (applied.ok) {
      const verified = await offerVerify(s.context, s.choices);
      if (verified) {
        done.push(verified.summary);
        commands.push(commandLine('verify', s.choices, verified.extra));
      }
    }
  } else {
    done.push('Nothing was applied.');
  }

  say();
  for (const line of done) say(line);
  if (s.action !== 'write') say(CUT_OVER);
  // Commands are printed unwrapped, so they can be copied as they are.
  say('The same without the wizard:');
  for (const c of commands) print(`  ${c}`);
  say(`To undo (removes exactly what this run ${s.action === 'write' ? 'wrote' : s.action === 'apply' ? 'applied' : 'wrote and applied'}; the source Ingresses were not touched):`);
  for (const u of undo) print(`  ${u}`);
  return result.findings;
}

/** What is left after apply and verify (the migration playbook's last steps). */
const CUT_OVER = 'Next: move certificates and DNS to Contour, cut over, watch both for a while, then remove the Ingresses and ingress-nginx (prune rolls the Contour objects back).';

const STATUS_RANK: Record<IngressReport['status'], number> = { 'not-converted': 0, partial: 1, approximate: 2, converted: 3 };

interface Inventory {
  byNamespace: Map<string, number>;
  byClass: Map<string, number>;
  byNamespaceClass: Map<string, Map<string, number>>;
}

function ingressClassOf(ing: Ingress): string {
  return ing.ingressClassName ?? ing.annotations[CLASS_ANNOTATION] ?? '(none)';
}

function countInventory(ingresses: Ingress[]): Inventory {
  const inv: Inventory = { byNamespace: countBy(ingresses, (i) => i.namespace), byClass: countBy(ingresses, ingressClassOf), byNamespaceClass: new Map() };
  for (const ing of ingresses) {
    const perNs = inv.byNamespaceClass.get(ing.namespace) ?? new Map<string, number>();
    perNs.set(ingressClassOf(ing), (perNs.get(ingressClassOf(ing)) ?? 0) + 1);
    inv.byNamespaceClass.set(ing.namespace, perNs);
  }
  return inv;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

function describeClasses(classes: Map<string, number>): string {
  return [...classes]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([c, n]) => `${n} ${c}`)
    .join(', ');
}

function describeCounts(counts: Map<string, number>): string {
  return (
    [...counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'none'
  );
}

function reviewLines(ing: IngressReport): { severity: Severity; text: string }[] {
  const lines: { severity: Severity; text: string }[] = [];
  for (const a of ing.annotations) {
    if (a.verdict === 'exact' && a.severity === 'info') continue;
    lines.push({ severity: a.severity, text: `${a.annotation.replace(/^.*\//, '')}: ${a.message}` });
  }
  for (const f of ing.findings) if (f.severity !== 'info') lines.push({ severity: f.severity, text: f.message });
  return lines;
}

async function chooseRootNamespace(ask: Ask, existing: string[], current: string): Promise<string> {
  const suggestions = ['projectcontour', ...existing.filter((n) => n !== 'projectcontour')].slice(0, 15);
  if (existing.length > 0) {
    for (;;) {
      const picked = await ask.select<string>(
        'Namespace for the root objects:',
        [...suggestions.map((n) => ({ name: existing.includes(n) ? n : `${n} (does not exist yet)`, value: n })), { name: 'another namespace…', value: '' }],
        suggestions.includes(current) ? current : '',
      );
      if (picked) return picked;
      const canLeave = ask.canGoBack;
      ask.canGoBack = true;
      try {
        return await ask.input('Namespace for the root objects:', current, validNamespace);
      } catch (err) {
        // ← on the name returns to the list.
        if (!(err instanceof GoBack)) throw err;
      } finally {
        ask.canGoBack = canLeave;
      }
    }
  }
  return ask.input('Namespace for the root objects:', current, validNamespace);
}

function validNamespace(v: string): true | string {
  return NAMESPACE_NAME.test(v) && v.length <= 63 ? true : 'not a valid namespace name';
}

function validVersion(v: string, target: Target): true | string {
  const parsed = parseContourVersion(v);
  if (!parsed) return 'a version like 1.33';
  if (target === 'ingressroute' && versionAtLeast(parsed, '1.6')) return 'IngressRoute exists only up to Contour 1.5';
  if (target === 'httpproxy' && !versionAtLeast(parsed, '1.0')) return 'HTTPProxy needs Contour 1.0 or newer';
  return true;
}

interface LostControls {
  ingress: string;
  controls: string[];
  reasons: string[];
  hosts: string[];
  routes: number;
  withheld: boolean;
}

/** The Ingresses whose access controls the conversion could not keep, from its security findings. */
function lostControls(result: ConversionResult): LostControls[] {
  const byIngress = new Map<string, LostControls>();
  for (const f of result.findings) {
    if (f.id !== 'security.route-denied' && f.id !== 'security.host-withheld') continue;
    const ingress = f.subject.ingresses[0] ?? '';
    const l = byIngress.get(ingress) ?? { ingress, controls: [], reasons: [], hosts: [], routes: 0, withheld: false };
    const add = (list: string[], v: unknown): void => {
      if (typeof v === 'string' && !list.includes(v)) list.push(v);
    };
    add(l.controls, f.data.control);
    add(l.reasons, f.data.reason);
    if (!l.hosts.includes(f.subject.host ?? '')) {
      l.hosts.push(f.subject.host ?? '');
      l.routes += typeof f.data.routes === 'number' ? f.data.routes : 0;
    }
    if (f.id === 'security.host-withheld') l.withheld = true;
    byIngress.set(ingress, l);
  }
  return [...byIngress.values()].sort((a, b) => (a.ingress < b.ingress ? -1 : 1));
}

function toOptions(c: WizardChoices): ConvertOptions {
  const options: ConvertOptions = {
    generator: `ingress2contour ${toolVersion()}`,
    target: c.target,
    contourVersion: parseContourVersion(c.contourVersion)!,
    rootNamespace: c.rootNamespace,
    includeScope: c.includeScope,
    layout: c.layout,
    ingressClass: c.ingressClass,
    includeClassless: c.includeClassless,
    annotationPrefix: DEFAULT_ANNOTATION_PREFIX,
    catalogue: loadCatalogue(),
    ecosystem: loadEcosystem(),
    controllerCatalogue: loadControllerCatalogue(),
    skipIngresses: c.skipped,
  };
  if (c.namespaces !== 'all') options.onlyNamespaces = c.namespaces;
  if (c.authExtension) {
    const [namespace, name] = c.authExtension.split('/') as [string, string];
    options.authExtension = { namespace, name };
  }
  if (c.publishUnprotected && c.publishUnprotected.length > 0) options.publishUnprotected = c.publishUnprotected;
  return options;
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
