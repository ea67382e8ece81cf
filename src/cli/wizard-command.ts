// `wizard`: the interactive migration. Refuses to run without a terminal: scripts
// use convert / report / diff / apply, which the wizard prints at the end.
import type { Command } from 'commander';
import { Cancelled, inquirerAsk, isCancel } from '../wizard/ask.js';
import { runWizard, type ClusterAccess } from '../wizard/wizard.js';
import { CliError, EXIT, exitCodeFor } from './exit-codes.js';
import type { Io } from './io.js';

/** A hint for the problems a person can fix before running the wizard again. */
export function whatToDo(message: string): string {
  if (/missing CRDs|does not serve/.test(message)) return "Install Contour's CRDs (or pick the API the cluster serves), then run the wizard again; nothing was applied.";
  if (/forbidden|403|not allowed/i.test(message)) return 'Your user lacks a permission named above: ask for it (kubectl auth can-i shows what you may do), or choose namespaces you may write; nothing more was applied.';
  if (/401|credentials|unauthorized/i.test(message)) return 'The cluster rejected the credentials of this context: log in again (or pick another context) and run the wizard again.';
  if (/unreachable|ECONNREFUSED|timed out|ENOTFOUND/i.test(message)) return 'The apiserver could not be reached: check the context and the network, then run the wizard again.';
  return 'Fix the problem above and run the wizard again; the summary above shows anything that was applied.';
}

/** Exit code after Esc / Ctrl-C (128 + SIGINT), as shells report an interrupted command. */
export const EXIT_CANCELLED = 130;

export interface WizardFlags {
  kubeconfig?: string;
  color?: boolean;
}

export function registerWizard(program: Command, io: Io, clusterAccess?: (flags: WizardFlags) => ClusterAccess | undefined): void {
  // clusterAccess is injected by main.ts, which owns `run` (the wizard calls the commands through it).
  program
    .command('wizard')
    .description('interactive migration: source, scope, target, findings, preview, apply or write')
    .option('--kubeconfig <file>', 'kubeconfig to offer contexts from (default: $KUBECONFIG or ~/.kube/config)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .action(async (flags: WizardFlags) => {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new CliError('wizard needs an interactive terminal; in scripts and CI use convert, report, diff and apply (see --help)', EXIT.usage);
      }
      if (flags.color === false) process.env.NO_COLOR = '1';
      const rows = (): number => process.stdout.rows || 24;
      const { ask, dispose } = inquirerAsk(rows);
      try {
        const cluster = clusterAccess?.(flags);
        const findings = await runWizard({ ask, print: (t) => io.stdout(`${t}\n`), width: process.stdout.columns || 80, rows, ...(cluster ? { cluster } : {}) });
        // Like convert: a lost access control has its own exit code; other findings were reviewed one by one.
        io.exitCode = exitCodeFor(findings) === EXIT.security ? EXIT.security : EXIT.ok;
      } catch (err) {
        if (err instanceof CliError) {
          // A cluster or input problem mid-flow: say what it was and what to do, not a crash.
          io.stderr(`wizard stopped: ${err.message}`);
          io.stderr(whatToDo(err.message));
          io.exitCode = err.code;
          return;
        }
        if (!isCancel(err)) throw err;
        const why = err instanceof Cancelled && err.message ? ` (${err.message})` : '';
        io.stderr(`wizard cancelled${why}: nothing was applied.`);
        io.exitCode = EXIT_CANCELLED;
      } finally {
        dispose();
        process.stdin.pause();
      }
    });
}
