import type { Finding } from '../model/findings.js';
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
  /**
   * Output written, but an access control nginx enforced (authentication, client certificates,
   * allow/deny lists, WAF) could not be kept: its routes were denied in place or their host left
   * out, or they were published without it because --publish-unprotected named them.
   */
  security: 6,
  /** verify: the run stopped before every probe was answered (time limit, a controller unreachable). */
  incomplete: 7,
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

/** Exit code of a written conversion: a lost access control outranks every other difference. */
export function exitCodeFor(findings: readonly Finding[]): number {
  if (findings.some((f) => f.id.startsWith('security.'))) return EXIT.security;
  return findings.some((f) => f.severity === 'error') ? EXIT.partial : EXIT.ok;
}
