// Where the Ingresses come from: files (-f) or the cluster of the kubeconfig context.
// Cluster failures become one line and exit code 5; no credential ever reaches a message.
import { chooseTarget, servedResources } from '../cluster/api.js';
import { KubeClient } from '../cluster/client.js';
import { describeController, discoverControllers, pickController, type ControllerDiscovery } from '../cluster/controller.js';
import { ClusterError, redact, type ClusterErrorKind } from '../cluster/errors.js';
import type { LoadedConfig } from '../cluster/kubeconfig.js';
import { readCluster } from '../cluster/read.js';
import { InputError, readInputs } from '../read/files.js';
import type { ConvertOptions } from '../convert.js';
import type { Target } from '../model/contour.js';
import type { Collected } from '../read/normalize.js';
import { CliError, EXIT } from './exit-codes.js';
import { subdirectoryHint } from './hints.js';
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
  /** From a cluster with Ingresses, unless --no-controller-discovery: the ingress-nginx controllers found and what could not be read. */
  controllers?: ControllerDiscovery;
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

// The kubeconfig reader pulls in @kubernetes/client-node (~1 s to load): loaded only by
// commands that talk to a cluster, so `convert -f` and `--help` start fast.
let kubeconfigModule: typeof import('../cluster/kubeconfig.js') | undefined;

export async function loadClusterSupport(): Promise<void> {
  kubeconfigModule ??= await import('../cluster/kubeconfig.js');
}

/** Needs loadClusterSupport() first (main.ts does it for diff, apply, prune and wizard). */
export function openCluster(flags: SharedFlags): ClusterSession {
  if (!kubeconfigModule) throw new Error('openCluster before loadClusterSupport');
  try {
    const config = kubeconfigModule.loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
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
      const collected = await readInputs(flags.filename ?? [], {
        recursive: Boolean(flags.recursive),
        defaultNamespace: flags.namespace ?? 'default',
        readStdin: io.readStdin,
        ...(flags.kustomization ? { kustomizations: flags.kustomization } : {}),
      });
      if (collected.ingresses.length === 0) {
        const hint = await subdirectoryHint(flags.filename ?? [], Boolean(flags.recursive));
        if (hint) io.stderr(hint);
      }
      return { collected, scope: { all: false, namespaces: new Set(collected.ingresses.map((i) => i.namespace)) }, fromCluster: false };
    } catch (err) {
      if (err instanceof InputError) throw new CliError(err.message, EXIT.input);
      throw err;
    }
  }
  if (flags.recursive) throw new CliError('-R only applies to directories given with -f', EXIT.usage);
  if (flags.allNamespaces && flags.namespace) throw new CliError('give either -n NAMESPACE or -A, not both', EXIT.usage);
  await loadClusterSupport();
  const own = session ?? openCluster(flags);
  try {
    const namespace = flags.allNamespaces ? undefined : (flags.namespace ?? own.config.namespace);
    const read = await readCluster(own.client, {
      allNamespaces: Boolean(flags.allNamespaces),
      chunkSize: flags.chunkSize,
      ...(namespace ? { namespace } : {}),
      ...(flags.selector ? { selector: flags.selector } : {}),
    });
    for (const w of read.warnings) io.stderr(`warning: ${w}`);
    const scope: ReadScope = namespace ? { all: false, namespaces: new Set([namespace]) } : { all: true };
    // Only worth its requests when there is something to convert.
    if (flags.controllerDiscovery === false || read.collected.ingresses.length === 0 || givesController(flags)) return { collected: read.collected, scope, fromCluster: true };
    const controllers = await discoverControllers(own.client, { chunkSize: flags.chunkSize });
    return { collected: read.collected, scope, fromCluster: true, controllers };
  } catch (err) {
    throw toCliError(err);
  } finally {
    if (!session) own.client.close();
  }
}

/**
 * The configuration of the controller that serves the converted class, from what the cluster
 * read found: set as options.controller unless one is given already (--nginx-configmap /
 * --nginx-args win over discovery). Its warnings join the input's findings, so stderr and every
 * report show them; the controller used is named on stderr unless `quiet`.
 */
export function useDiscoveredController(options: ConvertOptions, source: Source, io: Io, quiet = false): void {
  if (!source.controllers || options.controller) return;
  const picked = pickController(source.controllers, options.ingressClass);
  for (const f of picked.findings) source.collected.findings.push(f);
  if (!picked.controller) return;
  options.controller = picked.controller;
  if (!quiet) io.stderr(`controller: class ${options.ingressClass}: ${describeController(picked.controller)}`);
}

/**
 * convert and report on a cluster: without --target, emit what the cluster serves (like diff
 * and apply). Reading needs no CRD, so a cluster serving neither falls back to the default.
 */
export async function servedTarget(flags: SharedFlags): Promise<{ target?: Target; note?: string }> {
  if (flags.target || !readsCluster(flags)) return flags.target ? { target: flags.target } : {};
  await loadClusterSupport();
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

/** --nginx-configmap / --nginx-args describe the controller: they win over discovery, which is then not needed. */
const givesController = (flags: SharedFlags): boolean => flags.nginxConfigmap !== undefined || flags.nginxArgs !== undefined || (flags.nginxArg?.length ?? 0) > 0;
