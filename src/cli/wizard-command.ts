// `wizard`: the interactive migration. Refuses to run without a terminal: scripts
// use convert / report / diff / apply, which the wizard prints at the end.
import type { Command } from 'commander';
import { Cancelled, inquirerAsk, isCancel } from '../wizard/ask.js';
import { runWizard, type ClusterAccess } from '../wizard/wizard.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Io } from './io.js';

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
      const { ask, dispose } = inquirerAsk();
      try {
        const cluster = clusterAccess?.(flags);
        await runWizard({ ask, print: (t) => io.stdout(`${t}\n`), width: process.stdout.columns || 80, ...(cluster ? { cluster } : {}) });
        io.exitCode = EXIT.ok;
      } catch (err) {
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
