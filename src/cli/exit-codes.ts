// Exit codes, the same for every command (documented in the README).
export const EXIT = {
  /** Everything converted (warnings allowed); diff: no differences. */
  ok: 0,
  /** diff: differences found; report: --fail-on threshold reached. */
  findings: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** Input could not be read at all, or held no Ingress to convert; nothing written. */
  input: 3,
  /** Output written, but some objects, paths or annotations could not be converted (error findings). */
  partial: 4,
  /** The cluster could not be reached or refused the request. */
  cluster: 5,
  /** verify: the run stopped before every probe was answered (time limit, a controller unreachable). */
  incomplete: 6,
  /** A bug: please report it. */
  internal: 70,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}
