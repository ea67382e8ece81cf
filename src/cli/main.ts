// Entry point: commander program, one-line errors, documented exit codes.
import { Command, CommanderError } from 'commander';
import { ClusterError, redact } from '../cluster/errors.js';
import { registerClusterCommands } from './cluster-commands.js';
import { registerConvert } from './convert-command.js';
import { registerReport } from './report-command.js';
import { registerVerify } from './verify-command.js';
import { wizardClusterAccess } from './wizard-cluster.js';
import { registerWizard } from './wizard-command.js';
import { CliError, EXIT } from './exit-codes.js';
import { processIo, type Io } from './io.js';

export const VERSION = '0.1.0';

export function buildProgram(io: Io): Command {
  const program = new Command('ingress2contour')
    .description('Migrate ingress-nginx Ingresses to Contour IngressRoute / HTTPProxy')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s.replace(/\n$/, '')) })
    .showHelpAfterError('(add --help for usage)');
  registerConvert(program, io);
  registerReport(program, io);
  registerWizard(program, io, (flags) => wizardClusterAccess(flags.kubeconfig, run));
  registerClusterCommands(program, io);
  registerVerify(program, io);
  return program;
}

export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
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
