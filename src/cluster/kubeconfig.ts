// Loads the kubeconfig the way kubectl does (--kubeconfig, else $KUBECONFIG, else
// ~/.kube/config, else in-cluster), selects the context, and registers every credential
// for redaction. client-node's own loadFromDefault() silently falls back to
// http://localhost:8080 when nothing is found; this never does.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, redact, registerSecret } from './errors.js';

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

export interface LoadedConfig {
  kc: KubeConfig;
  context: string;
  /** The context's namespace, `default` when it names none. */
  namespace: string;
  server: string;
  /** Where it came from, for messages (a path, or `in-cluster`). */
  source: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(flags: ClusterFlags, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const kc = new KubeConfig();
  let source: string;
  const files = flags.kubeconfig ? [flags.kubeconfig] : (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (flags.kubeconfig && !existsSync(flags.kubeconfig)) {
    throw new ClusterError('config', `--kubeconfig ${flags.kubeconfig}: no such file`);
  }
  const present = files.filter((f) => existsSync(f));
  if (present.length > 0) {
    present.forEach((file, i) => {
      const one = i === 0 ? kc : new KubeConfig();
      loadFile(one, file);
      if (i > 0) kc.mergeConfig(one, true);
    });
    source = present.join(path.delimiter);
  } else if (files.length > 0) {
    throw new ClusterError('config', `KUBECONFIG=${files.join(path.delimiter)}: no such file`);
  } else {
    const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
    if (existsSync(home)) {
      loadFile(kc, home);
      source = home;
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      kc.loadFromCluster();
      source = 'in-cluster';
    } else {
      throw new ClusterError('config', `no kubeconfig: KUBECONFIG is not set and ${home} does not exist (give --kubeconfig, or -f to read files)`);
    }
  }
  for (const u of kc.getUsers()) {
    registerSecret(u.token);
    registerSecret(u.password);
    registerSecret(u.keyData);
    for (const v of Object.values((u.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {})) if (typeof v === 'string') registerSecret(v);
  }

  const contextName = flags.context ?? kc.getCurrentContext();
  if (!contextName) throw new ClusterError('config', `kubeconfig ${source} has no current-context; give --context (one of: ${names(kc)})`);
  const context = kc.getContextObject(contextName);
  if (!context) throw new ClusterError('config', `context "${contextName}" not found in kubeconfig ${source} (it has: ${names(kc)})`);
  kc.setCurrentContext(contextName);
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) throw new ClusterError('config', `context "${contextName}" names cluster "${context.cluster}", which kubeconfig ${source} does not define`);
  if (context.user && !kc.getUser(context.user)) throw new ClusterError('config', `context "${contextName}" names user "${context.user}", which kubeconfig ${source} does not define`);
  return { kc, context: contextName, namespace: context.namespace || 'default', server: stripUserinfo(cluster.server), source };
}

function loadFile(kc: KubeConfig, file: string): void {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    const e = err as Error & { name?: string; mark?: { line?: number }; code?: string };
    // js-yaml messages quote the offending lines, which may hold a token: never pass them on.
    if (e.name === 'YAMLException') throw new ClusterError('config', `kubeconfig ${file} is not valid YAML${e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : ''}`);
    if (e.code) throw new ClusterError('config', `kubeconfig ${file}: cannot read (${e.code})`);
    throw new ClusterError('config', `kubeconfig ${file}: ${redact(String(e.message).split('\n')[0] ?? '')}`);
  }
}

function names(kc: KubeConfig): string {
  return (
    kc
      .getContexts()
      .map((c) => c.name)
      .join(', ') || 'no contexts'
  );
}

export function stripUserinfo(server: string): string {
  try {
    const u = new URL(server);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return server;
  }
}
