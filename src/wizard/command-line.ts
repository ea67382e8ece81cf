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
  /** Ingresses the person chose to leave out (ns/name). */
  skipped: string[];
}

const SAFE = /^[A-Za-z0-9_./:=@%+-]+$/;

export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(command: 'convert' | 'report' | 'diff' | 'apply', c: WizardChoices, extra: string[] = []): string {
  const args = ['ingress2contour', command];
  if (c.source.kind === 'files') for (const p of c.source.paths) args.push('-f', p, '-R');
  else {
    if (c.source.kubeconfig) args.push('--kubeconfig', c.source.kubeconfig);
    args.push('--context', c.source.context);
  }
  if (c.namespaces === 'all') {
    if (c.source.kind === 'cluster') args.push('-A');
  } else for (const ns of c.namespaces) args.push(c.source.kind === 'cluster' ? '-n' : '--only-namespace', ns);
  args.push('--target', c.target, '--contour-version', c.contourVersion, '--root-namespace', c.rootNamespace);
  if (c.layout !== 'root-namespace') args.push('--layout', c.layout);
  if (c.ingressClass !== 'nginx') args.push('--ingress-class', c.ingressClass);
  if (c.includeClassless) args.push('--include-classless');
  for (const s of c.skipped) args.push('--skip-ingress', s);
  args.push(...extra);
  return args.map(shellQuote).join(' ');
}
