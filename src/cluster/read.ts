// Reads Ingresses (and the Services and IngressClasses they need) from the apiserver into
// the same `Collected` shape the file reader produces: the listed objects go through
// collectDocument like parsed documents, so cluster and files convert identically.
import { collectDocument, emptyCollected, type Collected } from '../read/normalize.js';
import type { KubeClient, Obj } from './client.js';
import { ClusterError } from './errors.js';

export interface ClusterReadOptions {
  /** One namespace, or undefined with allNamespaces. */
  namespace?: string;
  allNamespaces: boolean;
  /** Label selector for the Ingresses (Services and IngressClasses are not filtered). */
  selector?: string;
  /** Page size of list requests (kubectl's --chunk-size). */
  chunkSize: number;
}

export interface ClusterRead {
  collected: Collected;
  /** Non-fatal gaps: a helper kind the user may not list. */
  warnings: string[];
}

export async function readCluster(client: KubeClient, opts: ClusterReadOptions): Promise<ClusterRead> {
  const ns = opts.allNamespaces ? undefined : opts.namespace;
  const scope = ns ? `/namespaces/${encodeURIComponent(ns)}` : '';
  const list = (path: string, labelSelector?: string): Promise<Obj[]> => client.listAll(path, { limit: opts.chunkSize, ...(labelSelector ? { labelSelector } : {}) });
  const warnings: string[] = [];
  const optional = async (what: string, consequence: string, p: Promise<Obj[]>): Promise<Obj[]> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof ClusterError && err.kind === 'forbidden') {
        warnings.push(`cannot list ${what} (${err.message}); ${consequence}`);
        return [];
      }
      throw err;
    }
  };
  const [ingresses, services, classes] = await Promise.all([
    list(`/apis/networking.k8s.io/v1${scope}/ingresses`, opts.selector),
    optional('services', 'named Service ports stay unresolved', list(`/api/v1${scope}/services`)),
    optional('ingressclasses', 'classes are chosen by name only, without the default IngressClass', list('/apis/networking.k8s.io/v1/ingressclasses')),
  ]);
  const collected = emptyCollected();
  const origin = { source: 'cluster' };
  const normalize = { defaultNamespace: ns ?? 'default' };
  // List items carry no apiVersion/kind: the list does.
  for (const item of ingresses) collectDocument({ ...item, apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, origin, normalize, collected);
  const used = new Set(collected.ingresses.map((i) => i.namespace));
  for (const item of services) {
    const meta = item.metadata as { namespace?: string } | undefined;
    if (meta?.namespace && used.has(meta.namespace)) collectDocument({ ...item, apiVersion: 'v1', kind: 'Service' }, origin, normalize, collected);
  }
  for (const item of classes) collectDocument({ ...item, apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' }, origin, normalize, collected);
  await readReferencedConfigMaps(client, collected, warnings);
  return { collected, warnings };
}

/** The ConfigMaps that `custom-headers` annotations name (`ns/name`, or `name` in the Ingress's namespace). */
async function readReferencedConfigMaps(client: KubeClient, collected: Collected, warnings: string[]): Promise<void> {
  const refs = new Set<string>();
  for (const ing of collected.ingresses) {
    for (const [key, value] of Object.entries(ing.annotations)) {
      if (!key.endsWith('/custom-headers')) continue;
      const ref = value.trim().includes('/') ? value.trim() : `${ing.namespace}/${value.trim()}`;
      if (/^[a-z0-9.-]+\/[a-z0-9.-]+$/.test(ref)) refs.add(ref);
    }
  }
  for (const ref of [...refs].sort()) {
    const [ns, name] = ref.split('/') as [string, string];
    try {
      const cm = await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`);
      collectDocument({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }, { source: 'cluster' }, { defaultNamespace: ns }, collected);
    } catch (err) {
      if (!(err instanceof ClusterError) || (err.kind !== 'forbidden' && err.kind !== 'not-found')) throw err;
      warnings.push(`cannot read ConfigMap ${ref} named by custom-headers (${err.kind}); those headers are reported as not converted`);
    }
  }
}
