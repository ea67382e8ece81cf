// What the wizard does with a cluster, through the commands themselves: diff and apply
// run in-process with the same arguments the wizard prints at the end, so the
// interactive path and the scripted one cannot drift apart.
import { finding } from '../model/findings.js';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { chooseTarget, servedResources } from '../cluster/api.js';
import { ClusterError, redact } from '../cluster/errors.js';
import type { KubeObject } from '../emit/objects.js';
import type { Target } from '../model/contour.js';
import { commandArgs, shellQuote, type WizardChoices } from '../wizard/command-line.js';
import type { ClusterAccess } from '../wizard/wizard.js';
import { ClusterCliError, openCluster, readSource } from './cluster-source.js';
import { CliError } from './exit-codes.js';
import type { Io } from './io.js';
import type { SharedFlags } from './options.js';

type Run = (argv: string[], io: Io) => Promise<number>;

function kubeconfigFiles(kubeconfig: string | undefined): string[] {
  if (kubeconfig) return [kubeconfig];
  const env = (process.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  return env.length > 0 ? env : [path.join(os.homedir(), '.kube', 'config')];
}

function baseFlags(kubeconfig: string | undefined, context: string): SharedFlags {
  return {
    ...(kubeconfig ? { kubeconfig } : {}),
    context,
    rootNamespace: 'projectcontour',
    includeScope: 'auto',
    layout: 'root-namespace',
    ingressClass: 'nginx',
    annotationPrefix: 'nginx.ingress.kubernetes.io',
    chunkSize: 500,
    requestTimeout: 30,
  };
}

/** An Io that hands every stderr line to `log` and collects stdout. */
function capture(log: (line: string) => void): Io & { out: string; lines: string[] } {
  const io = {
    out: '',
    lines: [] as string[],
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (l: string) => {
      io.lines.push(l);
      log(l);
    },
    stderrIsTty: false,
    stdoutIsTty: false,
    exitCode: 0,
  };
  return io;
}

export function wizardClusterAccess(kubeconfig: string | undefined, run: Run): ClusterAccess | undefined {
  const files = kubeconfigFiles(kubeconfig).filter((f) => existsSync(f));
  if (files.length === 0) return undefined;
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(files[0]!);
  } catch {
    return undefined;
  }
  const current = kc.getCurrentContext();
  const flags = (context: string): SharedFlags => baseFlags(kubeconfig, context);
  const args = (command: 'diff' | 'apply' | 'verify', context: string, choices: Omit<WizardChoices, 'source'>, extra: string[]): string[] =>
    commandArgs(command, { ...choices, source: { kind: 'cluster', context, ...(kubeconfig ? { kubeconfig } : {}) } }, extra);

  return {
    contexts: () => kc.getContexts().map((c) => ({ name: c.name, current: c.name === current })),
    async read(context) {
      try {
        const source = await readSource(
          { ...flags(context), allNamespaces: true },
          capture(() => {}),
        );
        return source.controllers ? { ...source.collected, controllers: source.controllers } : source.collected;
      } catch (err) {
        // Allowed in some namespaces only: read the context's namespace and say so.
        if (!(err instanceof ClusterCliError) || err.kind !== 'forbidden') throw err;
        const own = openCluster(flags(context));
        own.client.close();
        const read = await readSource(
          { ...flags(context), namespace: own.config.namespace },
          capture(() => {}),
        );
        read.collected.findings.push(
          finding('input.partial-read', 'warn', {}, { reason: `not allowed to list Ingresses in all namespaces (${redact(err.message)}); read namespace ${own.config.namespace} only` }),
        );
        return read.controllers ? { ...read.collected, controllers: read.controllers } : read.collected;
      }
    },
    async servedTarget(context): Promise<Target | undefined> {
      const { client } = openCluster(flags(context));
      try {
        return chooseTarget(await servedResources(client), undefined).target;
      } catch (err) {
        if (err instanceof ClusterError) return undefined;
        throw err;
      } finally {
        client.close();
      }
    },
    async namespaces(context): Promise<string[]> {
      const { client } = openCluster(flags(context));
      try {
        const items = await client.listAll('/api/v1/namespaces');
        return items
          .map((n) => (n.metadata as { name?: string } | undefined)?.name)
          .filter((n): n is string => Boolean(n))
          .sort();
      } catch {
        return [];
      } finally {
        client.close();
      }
    },
    async diff(context, choices) {
      const io = capture(() => {});
      const code = await run(args('diff', context, choices, ['--no-color', '-q']), io);
      const errors = io.lines.filter((l) => l.startsWith('error: ')).map((l) => l.slice('error: '.length));
      // A root namespace the wizard will create cannot be dry-run into; everything in it is new.
      const missing = errors.filter((e) => /does not exist \(--create-namespaces creates it\)$/.test(e));
      if (code > 1 && !(choices.createNamespaces && missing.length === errors.length && errors.length > 0)) {
        throw new CliError(errors.join('; ') || `diff failed (exit ${code})`, code);
      }
      const notes = missing.map((e) => `${e.replace(/ \(--create-namespaces creates it\)$/, '')}: it will be created, so this object is new`);
      return { text: [io.out.trimEnd(), ...notes].filter(Boolean).join('\n'), changes: code !== 0 };
    },
    async apply(context, choices, dryRun, log) {
      const io = capture(log);
      const code = await run(args('apply', context, choices, ['-q', '--dry-run', dryRun ? 'server' : 'none']), io);
      return { ok: code === 0 || code === 4, summary: [] };
    },
    async verify(context, choices, extra) {
      const io = capture(() => {});
      const code = await run(args('verify', context, choices, ['--no-color', ...extra]), io);
      return { code, report: [io.out.trimEnd(), ...io.lines.filter((l) => l.startsWith('error'))].filter(Boolean).join('\n') };
    },
    // kubectl delete naming every object applied: exactly what this run wrote, nothing else the tool manages.
    undoCommand: (context, objects) =>
      [...groupByNamespace(objects)]
        .map(([ns, list]) => ['kubectl', ...(kubeconfig ? ['--kubeconfig', kubeconfig] : []), '--context', context, 'delete', '-n', ns, ...list.map(resourceName)].map(shellQuote).join(' '))
        .join(' && '),
  };
}

function groupByNamespace(objects: KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  const sorted = [...objects].sort((a, b) => (a.metadata.namespace < b.metadata.namespace ? -1 : a.metadata.namespace > b.metadata.namespace ? 1 : 0));
  for (const o of sorted) {
    const list = out.get(o.metadata.namespace) ?? [];
    list.push(o);
    out.set(o.metadata.namespace, list);
  }
  return out;
}

/** kubectl's fully qualified name: `httpproxies.projectcontour.io/name`. */
export function resourceName(o: KubeObject): string {
  const kind = o.kind.toLowerCase();
  const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
  return `${plural}${group ? `.${group}` : ''}/${o.metadata.name}`;
}
