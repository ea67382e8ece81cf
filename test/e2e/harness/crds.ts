// Installs the Contour CRDs the CLI targets: projectcontour.io (current) and contour.heptio.com (legacy).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { readVersions, repoRoot } from './cluster.js';
import { kubectlOk, type KubectlOptions } from './kubectl.js';

const execFileAsync = promisify(execFile);

type Obj = Record<string, unknown>;

export interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string } & Obj;
  spec: {
    group: string;
    names: { plural: string } & Obj;
    versions: Array<{ name: string; served: boolean } & Obj>;
  } & Obj;
}

export const CURRENT_CRDS = ['httpproxies.projectcontour.io', 'tlscertificatedelegations.projectcontour.io', 'extensionservices.projectcontour.io'];
export const LEGACY_CRDS = ['ingressroutes.contour.heptio.com', 'tlscertificatedelegations.contour.heptio.com'];

/**
 * Mechanical apiextensions v1beta1 → v1 rewrite (see shared/crds/README.md): schema, printer
 * columns and subresources move into each version; v1 objects pass through unchanged.
 */
export function toV1(doc: Obj): Crd {
  if (doc.apiVersion !== 'apiextensions.k8s.io/v1beta1') return doc as unknown as Crd;
  const {
    validation,
    additionalPrinterColumns,
    subresources,
    version,
    preserveUnknownFields: _drop,
    ...spec
  } = doc.spec as Obj & {
    validation?: { openAPIV3Schema: Obj };
    additionalPrinterColumns?: Array<Obj & { JSONPath?: string }>;
    subresources?: Obj;
    version?: string;
    versions?: Array<Obj & { name: string }>;
  };
  // preserveUnknownFields is dropped: v1 only allows false, the default.
  const columns = additionalPrinterColumns?.map(({ JSONPath, ...c }) => ({ ...c, jsonPath: JSONPath }));
  const versions = (spec.versions ?? [{ name: version as string, served: true, storage: true }]).map((v) => ({
    ...v,
    ...(v.schema || !validation ? {} : { schema: { openAPIV3Schema: validation.openAPIV3Schema } }),
    ...(v.additionalPrinterColumns || !columns ? {} : { additionalPrinterColumns: columns }),
    ...(v.subresources || !subresources || Object.keys(subresources).length === 0 ? {} : { subresources }),
  }));
  const { creationTimestamp: _ts, ...metadata } = doc.metadata as Obj;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: metadata as Crd['metadata'],
    spec: { ...spec, versions } as Crd['spec'],
  };
}

function pick(manifest: string, names: string[], origin: string): Crd[] {
  const docs = (yaml.loadAll(manifest) as Array<Obj | null>).filter((d): d is Obj => !!d);
  return names.map((name) => {
    const doc = docs.find((d) => d.kind === 'CustomResourceDefinition' && (d.metadata as Obj | undefined)?.name === name);
    if (!doc) throw new Error(`CRD ${name} not found in ${origin}`);
    return toV1(doc);
  });
}

async function contourModuleCrds(version: string): Promise<string> {
  let out: string;
  try {
    // Run outside the repository so no go.mod is consulted.
    ({ stdout: out } = await execFileAsync('go', ['mod', 'download', '-json', `github.com/projectcontour/contour@${version}`], { cwd: os.tmpdir(), maxBuffer: 16 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { stdout?: string; message: string };
    throw new Error(`go mod download github.com/projectcontour/contour@${version} failed: ${e.stdout || e.message}`);
  }
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download gave no Dir for contour@${version}: ${out}`);
  return path.join(dir, 'examples/contour/01-crds.yaml');
}

export interface CrdSource {
  origin: 'shared' | 'module' | 'mixed';
  crds: Crd[];
}

/** One upstream manifest: the shared copy when present, else the Contour module's own file. */
async function readManifest(sharedFile: string, version: string): Promise<{ origin: 'shared' | 'module'; text: string }> {
  if (process.env.INGRESS2CONTOUR_CRD_SOURCE !== 'module' && existsSync(sharedFile)) {
    return { origin: 'shared', text: readFileSync(sharedFile, 'utf8') };
  }
  try {
    return { origin: 'module', text: readFileSync(await contourModuleCrds(version), 'utf8') };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n(no shared copy at ${sharedFile} either)`);
  }
}

/**
 * Reads the CRDs from <repo>/../shared/crds when present, else from the Contour Go module.
 * INGRESS2CONTOUR_CRD_SOURCE=module forces the module path.
 */
export async function loadCrds(): Promise<CrdSource> {
  const v = readVersions();
  const shared = path.resolve(repoRoot, '..', 'shared', 'crds');
  const [current, legacy] = await Promise.all([
    readManifest(path.join(shared, `contour-${v.CONTOUR_VERSION}.yaml`), v.CONTOUR_VERSION),
    readManifest(path.join(shared, `contour-${v.CONTOUR_LEGACY_VERSION}-ingressroute.yaml`), v.CONTOUR_LEGACY_VERSION),
  ]);
  return {
    origin: current.origin === legacy.origin ? current.origin : 'mixed',
    crds: [...pick(current.text, CURRENT_CRDS, `contour ${v.CONTOUR_VERSION} (${current.origin})`), ...pick(legacy.text, LEGACY_CRDS, `contour ${v.CONTOUR_LEGACY_VERSION} (${legacy.origin})`)],
  };
}

export interface InstallOptions {
  /** kubectl discovery cache; a temp dir (removed afterwards) when not given. */
  cacheDir?: string;
  /** Install only these CRDs (by name), e.g. LEGACY_CRDS for a cluster without HTTPProxy. */
  only?: string[];
  timeoutMs?: number;
}

/** Server-side applies the five CRDs and waits until they are Established and discoverable. */
export async function installCrds(kubeconfig: string, opts: InstallOptions = {}): Promise<CrdSource> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const source = await loadCrds();
  const cacheDir = opts.cacheDir ?? mkdtempSync(path.join(os.tmpdir(), 'i2c-kubectl-cache-'));
  try {
    const crds = opts.only ? source.crds.filter((c) => opts.only!.includes(c.metadata.name)) : source.crds;
    await applyAndWait(crds, { kubeconfig, cacheDir, timeoutMs });
  } finally {
    if (!opts.cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
  return source;
}

async function applyAndWait(crds: Crd[], k: KubectlOptions & { timeoutMs: number }): Promise<void> {
  const { timeoutMs } = k;
  const list = { apiVersion: 'v1', kind: 'List', items: crds };
  // Server-side: client-side apply's last-applied annotation nears the size limit on httpproxies.
  await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=ingress2contour-e2e', '-f', '-'], { ...k, input: JSON.stringify(list) });
  await kubectlOk(['wait', '--for=condition=Established', `--timeout=${Math.round(timeoutMs / 1000)}s`, ...crds.map((c) => `crd/${c.metadata.name}`)], k);

  // Established precedes discovery; a client that looks the kind up too early gets "no matches".
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (const ver of crd.spec.versions.filter((x) => x.served)) {
      for (;;) {
        const raw = await kubectlOk(['get', '--raw', `/apis/${crd.spec.group}/${ver.name}`], k).catch(() => '{}');
        const resources = (JSON.parse(raw) as { resources?: Array<{ name: string }> }).resources ?? [];
        if (resources.some((r) => r.name === crd.spec.names.plural)) break;
        if (Date.now() > deadline) throw new Error(`${crd.metadata.name} ${ver.name} not discoverable after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

export const CONTOUR_CONFIGURATION_CRD = 'contourconfigurations.projectcontour.io';

/**
 * Installs ContourConfiguration from the Contour Go module's full manifest (the shared copy holds
 * only three CRDs); the module lives in Go's module cache, outside the repository.
 */
export async function installContourConfigurationCrd(kubeconfig: string, opts: { cacheDir: string; timeoutMs?: number }): Promise<Crd> {
  const v = readVersions();
  const [crd] = pick(readFileSync(await contourModuleCrds(v.CONTOUR_VERSION), 'utf8'), [CONTOUR_CONFIGURATION_CRD], `contour ${v.CONTOUR_VERSION} (module)`);
  await applyAndWait([crd!], { kubeconfig, cacheDir: opts.cacheDir, timeoutMs: opts.timeoutMs ?? 60_000 });
  return crd!;
}
