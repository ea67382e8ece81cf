// Where the Ingresses come from: files (-f) or the cluster of the kubeconfig context.
// Cluster failures become one line and exit code 5; no credential ever reaches a message.
import { chooseTarget, servedResources } from '../cluster/api.js';
import { KubeClient } from '../cluster/client.js';
import { ClusterError, redact, type ClusterErrorKind } from '../cluster/errors.js';
import { loadKubeConfig, type LoadedConfig } from '../cluster/kubeconfig.js';
import { readCluster } from '../cluster/read.js';
import { InputError, readInputs } from '../read/files.js';
import type { Target } from '../model/contour.js';
import type { Collected } from '../read/normalize.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import type { SharedFlags } from './options.js';

export interface ClusterSession {
  client: KubeClient;
  config: LoadedConfig;
}

/** The namespaces the input covers: what prune may consider its own. */
export type ReadScope = { all: true } | { all: false; namespaces: Set<string> };

export interface Source {
  collected: Collected;
  scope: ReadScope;
  fromCluster: boolean;
}

/** A cluster failure on its way out of the CLI: exit code 5, and the kind it had in src/cluster. */
export class ClusterCliError extends CliError {
  constructor(
    message: string,
    readonly kind: ClusterErrorKind,
  ) {
    super(message, EXIT.cluster);
  }
}

export function toCliError(err: unknown): unknown {
  if (err instanceof ClusterError) return new ClusterCliError(redact(err.message), err.kind);
  return err;
}

export function openCluster(flags: SharedFlags): ClusterSession {
  try {
    const config = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    return { config, client: new KubeClient(config, { timeoutMs: flags.requestTimeout * 1000 }) };
  } catch (err) {
    throw toCliError(err);
  }
}

export const readsCluster = (flags: SharedFlags): boolean => (!flags.filename || flags.filename.length === 0) && (!flags.kustomization || flags.kustomization.length === 0);

export async function readSource(flags: SharedFlags, io: Io, session?: ClusterSession): Promise<Source> {
  if (!readsCluster(flags)) {
    if (flags.allNamespaces || flags.selector) throw new CliError('-A and -l select what is read from a cluster; they cannot be combined with -f', EXIT.usage);
    try {
      const collected = await readInputs(flags.filename ?? [], { recursive: Boolean(flags.recursive), defaultNamespace: flags.namespace ?? 'default', readStdin: io.readStdin, ...(flags.kustomization ? { kustomizations: flags.kustomization } : {}) });
      return { collected, scope: { all: false, namespaces: new Set(collected.ingresses.map((i) => i.namespace)) }, fromCluster: false };
    } catch (err) {
      if (err instanceof InputError) throw new CliError(err.message, EXIT.input);
      throw err;
    }
  }
  if (flags.recursive) throw new CliError('-R only applies to directories given with -f', EXIT.usage);
  if (flags.allNamespaces && flags.namespace) throw new CliError('give either -n NAMESPACE or -A, not both', EXIT.usage);
  const own = session ?? openCluster(flags);
  try {
    const namespace = flags.allNamespaces ? undefined : flags.namespace ?? own.config.namespace;
    const read = await readCluster(own.client, {
      allNamespaces: Boolean(flags.allNamespaces),
      chunkSize: flags.chunkSize,
      ...(namespace ? { namespace } : {}),
      ...(flags.selector ? { selector: flags.selector } : {}),
    });
    for (const w of read.warnings) io.stderr(`warning: ${w}`);
    return { collected: read.collected, scope: namespace ? { all: false, namespaces: new Set([namespace]) } : { all: true }, fromCluster: true };
  } catch (err) {
    throw toCliError(err);
  } finally {
    if (!session) own.client.close();
  }
}

/**
 * convert and report on a cluster: without --target, emit what the cluster serves (like diff
 * and apply). Reading needs no CRD, so a cluster serving neither falls back to the default.
 */
export async function servedTarget(flags: SharedFlags): Promise<{ target?: Target; note?: string }> {
  if (flags.target || !readsCluster(flags)) return flags.target ? { target: flags.target } : {};
  const { client } = openCluster(flags);
  try {
    const { target, reason } = chooseTarget(await servedResources(client), undefined);
    return { target, note: `target: ${target} (${reason})` };
  } catch (err) {
    if (err instanceof ClusterError && (err.kind === 'config' || err.kind === 'crd-missing')) return {};
    throw toCliError(err);
  } finally {
    client.close();
  }
}
