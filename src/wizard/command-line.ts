// The non-interactive command that does what the wizard did, so a person can
// script it next time. Pure: choices in, one shell line out.
import type { Layout } from '../plan/plan.js';
import type { Target } from '../model/contour.js';

export interface WizardChoices {
  source: { kind: 'files'; paths: string[] } | { kind: 'cluster'; context: string; kubeconfig?: string };
  namespaces: string[] | 'all';
  ingressClass: string;
  includeClassless: boolean;
  target: Target;
  contourVersion: string;
  rootNamespace: string;
  layout: Layout;
  /** How includes are scoped (a finding about string prefixes asks). */
  includeScope: 'auto' | 'prefix' | 'none';
  /** ExtensionService (namespace/name) that takes over from auth-url. */
  authExtension?: string;
  /** Ingresses the person chose to leave out (ns/name). */
  skipped: string[];
  /** Ingresses (ns/name) whose routes the person chose to publish although an access control cannot be kept. */
  publishUnprotected?: string[];
  /** apply: create the root namespace when it does not exist. */
  createNamespaces?: boolean;
}

const SAFE = /^[A-Za-z0-9_./:=@%+-]+$/;

export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export type WizardCommand = 'convert' | 'report' | 'diff' | 'apply' | 'verify';

export function commandLine(command: WizardCommand, c: WizardChoices, extra: string[] = []): string {
  return ['ingress2contour', ...commandArgs(command, c, extra)].map(shellQuote).join(' ');
}

/** The arguments (without the program name) of the command that matches the choices. */
export function commandArgs(command: WizardCommand, c: WizardChoices, extra: string[] = []): string[] {
  const args: string[] = [command];
  if (c.source.kind === 'files') for (const p of c.source.paths) args.push('-f', p, '-R');
  else {
    if (c.source.kubeconfig) args.push('--kubeconfig', c.source.kubeconfig);
    args.push('--context', c.source.context);
  }
  if (c.source.kind === 'cluster') {
    // One namespace reads just that namespace (RBAC may allow no more); several read all and keep those.
    if (c.namespaces !== 'all' && c.namespaces.length === 1) args.push('-n', c.namespaces[0]!);
    else args.push('-A');
  }
  if (c.namespaces !== 'all' && !(c.source.kind === 'cluster' && c.namespaces.length === 1)) for (const ns of c.namespaces) args.push('--only-namespace', ns);
  args.push('--target', c.target, '--contour-version', c.contourVersion, '--root-namespace', c.rootNamespace);
  if (c.layout !== 'root-namespace') args.push('--layout', c.layout);
  // `auto` is the CLI's default: any other scope must be on the command line.
  if (c.includeScope !== 'auto') args.push('--include-scope', c.includeScope);
  if (c.authExtension) args.push('--auth-extension', c.authExtension);
  for (const i of c.publishUnprotected ?? []) args.push('--publish-unprotected', i);
  if (c.ingressClass !== 'nginx') args.push('--ingress-class', c.ingressClass);
  if (c.includeClassless) args.push('--include-classless');
  for (const s of c.skipped) args.push('--skip-ingress', s);
  if (command === 'apply' && c.createNamespaces) args.push('--create-namespaces');
  args.push(...extra);
  return args;
}
