// The CLI's edges, injectable so tests can run commands in-process.
export interface Io {
  stdout(text: string): void;
  stderr(line: string): void;
  readStdin?: () => Promise<string>;
  stderrIsTty: boolean;
  /** Whether stdout is a terminal (report picks text there, JSON otherwise). */
  stdoutIsTty?: boolean;
  /** Rewrites the progress line on a terminal (no newline; '' clears it); absent: no progress line. */
  progress?: (text: string) => void;
  exitCode: number;
}

/** Exit status when the reader of stdout went away (`convert | head`): 128 + SIGPIPE, as shells report it. */
export const EXIT_BROKEN_PIPE = 141;

export function processIo(): Io {
  // A closed pipe is the reader's choice, not an error: end quietly instead of an EPIPE stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    throw err;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (line) => process.stderr.write(`${line}\n`),
    stderrIsTty: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(`\r\x1b[2K${text}`) } : {}),
    exitCode: 0,
  };
}
