// e2e helpers: the CLI in-process against the harness, with every byte written to the
// real stdout/stderr captured too (so a credential printed by a library would be caught).
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { inject } from 'vitest';
import { runCli, type CliResult } from '../../support/run-cli.js';
import { kubectl, kubectlOk, type KubectlOptions } from '../harness/kubectl.js';

export const kubeconfig = inject('kubeconfig');
export const harness = inject('harness');
export const k: KubectlOptions = { kubeconfig, cacheDir: harness.kubectlCacheDir, context: harness.contexts.admin };

export interface Run extends CliResult {
  /** Anything written straight to process.stdout/stderr during the run (should be nothing). */
  leaked: string;
}

/** Runs `ingress2contour <args>` in-process against the harness kubeconfig (admin unless --context is given). */
export async function cli(args: string[], opts: { kubeconfig?: string; stdin?: string } = {}): Promise<Run> {
  const full = args.includes('--kubeconfig') ? args : [...args, '--kubeconfig', opts.kubeconfig ?? kubeconfig];
  let leaked = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown): boolean => {
    leaked += String(chunk);
    return true;
  };
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const r = await runCli(full, opts.stdin);
    return { ...r, leaked };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

export function tmpDir(prefix = 'i2c-e2e-t-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

type Obj = Record<string, unknown>;

/** A copy of the harness kubeconfig changed by `edit` (for broken credentials and servers). */
export function editedKubeconfig(edit: (cfg: Obj & { users: Obj[]; clusters: Obj[]; contexts: Obj[] }) => void, file = kubeconfig): string {
  const cfg = yaml.load(readFileSync(file, 'utf8')) as Obj & { users: Obj[]; clusters: Obj[]; contexts: Obj[] };
  edit(cfg);
  const out = path.join(tmpDir(), 'kubeconfig');
  writeFileSync(out, yaml.dump(cfg), { mode: 0o600 });
  return out;
}

/** Every secret-looking value in a kubeconfig: tokens, passwords, key data. */
export function credentialsOf(file = kubeconfig): string[] {
  const cfg = yaml.load(readFileSync(file, 'utf8')) as { users: { user: Obj }[] };
  return cfg.users.flatMap((u) => ['token', 'password', 'client-key-data'].map((f) => u.user[f]).filter((v): v is string => typeof v === 'string'));
}

export function expectNoCredentials(r: Run, secrets: string[]): void {
  for (const s of secrets) {
    for (const text of [r.stdout, r.stderr, r.leaked]) {
      if (text.includes(s) || text.includes(s.slice(0, 16))) throw new Error(`a credential appeared in the output:\n${r.stderr}`);
    }
  }
}

/** Namespaces team-a/team-b and the reader's Role in team-a (test/e2e/fixtures/rbac.yaml). */
export async function ensureRbac(): Promise<void> {
  await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', path.join(import.meta.dirname, '..', 'fixtures', 'rbac.yaml')], k);
}

export async function ensureNamespaces(names: string[]): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: names.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) };
  await kubectlOk(['apply', '--server-side', '--field-manager=e2e', '-f', '-'], { ...k, input: JSON.stringify(list) });
}

/** Objects of a resource in a namespace (or all with ns = '-A'), as parsed JSON. */
export async function getObjects(resource: string, ns: string, selector?: string): Promise<Obj[]> {
  const args = ['get', resource, ns === '-A' ? '-A' : `-n=${ns}`, '-o', 'json', '--show-managed-fields', ...(selector ? ['-l', selector] : [])];
  return (JSON.parse(await kubectlOk(args, k)) as { items: Obj[] }).items;
}

export { kubectl, kubectlOk };

export interface IngressSpec {
  namespace: string;
  name: string;
  host: string;
  path?: string;
  service?: string;
  labels?: Record<string, string>;
}

/** A YAML stream of nginx Ingresses (Prefix paths, numbered ports). */
export function ingressYaml(specs: IngressSpec[]): string {
  return specs
    .map((s) =>
      yaml.dump({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: s.name, namespace: s.namespace, ...(s.labels ? { labels: s.labels } : {}) },
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: s.host, http: { paths: [{ path: s.path ?? '/', pathType: 'Prefix', backend: { service: { name: s.service ?? s.name, port: { number: 80 } } } }] } }],
        },
      }),
    )
    .join('---\n');
}

/** `namespace: n` lines of the apply summary table, as counts. */
export interface SummaryRow {
  created: number;
  configured: number;
  unchanged: number;
  pruned: number;
  failed: number;
}

export function summaryRow(stderr: string, namespace: string): SummaryRow | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(`${namespace} `));
  if (!line) return undefined;
  const [, created, configured, unchanged, pruned, failed] = line.trim().split(/\s+/).map(Number);
  return { created: created!, configured: configured!, unchanged: unchanged!, pruned: pruned!, failed: failed! };
}
