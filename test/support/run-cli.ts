// Runs the CLI in-process with captured output (the same code path as the binary).
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], stdin?: string): Promise<CliResult> {
  let stdout = '';
  const errLines: string[] = [];
  const io: Io = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (l) => {
      errLines.push(l);
    },
    stderrIsTty: false,
    exitCode: 0,
  };
  if (stdin !== undefined) io.readStdin = async () => stdin;
  const code = await run(args, io);
  return { code, stdout, stderr: errLines.join('\n') };
}
