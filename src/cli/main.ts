// Entry point: commander program, one-line errors, documented exit codes.
// Commands are loaded on demand: `--help`, `--version` and `convert -f` never load the
// Kubernetes client, the prompts or the diff library (issue 9: start-up time).
import { Command, CommanderError } from 'commander';
import { ClusterError, redact } from '../cluster/errors.js';
import { CliError, EXIT } from './exit-codes.js';
import { addExamples } from './help-examples.js';
import { processIo, type Io } from './io.js';
import { tuneJit } from './jit.js';
import { toolVersion } from './version.js';

interface CommandEntry {
  names: string[];
  /** One line for the top-level help, shown without loading the command. */
  summary: Record<string, string>;
  register(program: Command, io: Io): Promise<void>;
}

const COMMANDS: CommandEntry[] = [
  {
    names: ['convert'],
    summary: { convert: 'convert Ingresses to Contour IngressRoute/HTTPProxy objects' },
    register: async (program, io) => (await import('./convert-command.js')).registerConvert(program, io),
  },
  {
    names: ['report'],
    summary: { report: 'per-Ingress and per-annotation verdicts, a CI gate with --fail-on' },
    register: async (program, io) => (await import('./report-command.js')).registerReport(program, io),
  },
  {
    names: ['diff', 'apply', 'prune'],
    summary: {
      diff: 'show what apply would change against the live cluster',
      apply: 'server-side apply the converted objects, namespace by namespace',
      prune: 'delete objects this tool created that the input no longer produces',
    },
    register: async (program, io) => {
      await (await import('./cluster-source.js')).loadClusterSupport();
      (await import('./cluster-commands.js')).registerClusterCommands(program, io);
    },
  },
  {
    names: ['wizard'],
    summary: { wizard: 'interactive migration: source, scope, target, findings, preview, apply or write' },
    register: async (program, io) => {
      await (await import('./cluster-source.js')).loadClusterSupport();
      const [{ registerWizard }, { wizardClusterAccess }] = await Promise.all([import('./wizard-command.js'), import('./wizard-cluster.js')]);
      registerWizard(program, io, (flags) => wizardClusterAccess(flags.kubeconfig, run));
    },
  },
  {
    names: ['verify'],
    summary: { verify: 'send the same requests to ingress-nginx and to Contour and report every difference' },
    register: async (program, io) => {
      await (await import('./cluster-source.js')).loadClusterSupport();
      (await import('./verify-command.js')).registerVerify(program, io);
    },
  },
  {
    names: ['version'],
    summary: { version: 'print the version (-o json for the version, Node and platform)' },
    register: async (program, io) => (await import('./version-command.js')).registerVersion(program, io),
  },
  {
    names: ['completion', '__complete'],
    summary: { completion: 'print a shell completion script (bash, zsh or fish)' },
    register: async (program, io) => (await import('./completion-command.js')).registerCompletion(program, io, () => buildProgram({ ...io, stdout: () => {}, stderr: () => {} }, 'all')),
  },
];

/** The commands a user types (the hidden `__complete` left out). */
export const COMMAND_NAMES: readonly string[] = COMMANDS.flatMap((c) => c.names).filter((n) => !n.startsWith('__'));

/** The command word of argv: the first argument that is not a flag. */
function commandWord(argv: string[]): string | undefined {
  const first = argv.find((a) => !a.startsWith('-'));
  return first === 'help' ? argv[argv.indexOf('help') + 1] : first;
}

/**
 * The program with every command registered for real (`all`), or only the one argv names,
 * the others as help-only stubs. `completion` and the CLI reference test use `all`.
 */
export async function buildProgram(io: Io, argv: string[] | 'all' = 'all'): Promise<Command> {
  const program = new Command('ingress2contour')
    .description('Migrate ingress-nginx Ingresses to Contour IngressRoute / HTTPProxy')
    .version(toolVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s.replace(/\n$/, '')) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  ingress2contour convert -f fixtures/demo --target httpproxy > contour.yaml
  ingress2contour report -f fixtures/demo -o markdown > migration.md
  kubectl ingress2contour diff -A          # as a kubectl plugin, against the current context

Exit codes: 0 ok, 1 differences/--fail-on, 2 usage, 3 input, 4 partial, 5 cluster, 6 access control not kept, 7 verify incomplete.
Documentation: README.md and docs/ in the package.`,
    );
  const word = argv === 'all' ? undefined : commandWord(argv);
  for (const entry of COMMANDS) {
    if (argv === 'all' || (word !== undefined && entry.names.includes(word))) {
      await entry.register(program, io);
      for (const cmd of program.commands) if (entry.names.includes(cmd.name())) addExamples(cmd);
      continue;
    }
    for (const name of entry.names) if (entry.summary[name]) program.command(name).description(entry.summary[name]);
  }
  return program;
}

export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  tuneJit();
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0 through the same path.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof ClusterError) {
      io.stderr(`error: ${redact(err.message)}`);
      return EXIT.cluster;
    }
    if (err instanceof CliError) {
      io.stderr(`error: ${err.message}`);
      return err.code;
    }
    const message = redact(err instanceof Error ? err.message : String(err));
    io.stderr(`internal error: ${message.split('\n')[0]} (please report it; set INGRESS2CONTOUR_DEBUG=1 for details)`);
    if (process.env.INGRESS2CONTOUR_DEBUG && err instanceof Error) io.stderr(redact(err.stack ?? ''));
    return EXIT.internal;
  }
}
