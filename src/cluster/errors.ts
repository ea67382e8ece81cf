// Cluster failures as one-line messages with a kind the commands act on.
// Messages are built from the apiserver's Status message or the socket error code,
// never from request options, so no credential can end up in them; redact() is the
// belt and braces for anything else.

export type ClusterErrorKind =
  | 'config' // kubeconfig missing or unusable, unknown context
  | 'unreachable' // connection refused/reset, DNS, TLS
  | 'timeout' // no answer within the request timeout
  | 'crd-missing' // the cluster does not serve a Contour kind the output needs
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409 (field manager conflict on apply, or already exists)
  | 'invalid' // 422 / 400
  | 'gone' // 410 (expired continue token)
  | 'server'; // 5xx and anything else

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The object a Status names (`details` of a 404 or 409). */
export interface StatusDetails {
  name?: string;
  group?: string;
  /** Plural resource, e.g. `namespaces`. */
  kind?: string;
}

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly status?: number,
    readonly causes: StatusCause[] = [],
    readonly details: StatusDetails = {},
  ) {
    super(message);
  }
}

/** The apiserver is gone or too slow: the rest of a run is not attempted. */
export const isOutage = (err: ClusterError): boolean => err.kind === 'unreachable' || err.kind === 'timeout';

const secrets = new Set<string>();

/** Registers strings (tokens, passwords, key material) that must never be printed. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Replaces every registered secret in `text`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('<redacted>');
  // Bearer tokens and basic auth that were not registered (e.g. minted by an exec plugin).
  return out.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 <redacted>');
}
