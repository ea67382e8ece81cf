// The Contour kinds this tool writes, where they live in the API, and the pure helpers
// the cluster commands share: object keys, normalization for diffs, write order.
import type { KubeObject } from '../emit/objects.js';
import type { Target } from '../model/contour.js';
import { phaseOfRole, type DesiredObject } from './desired.js';

export interface ResourceKind {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, as in RBAC rules and URLs. */
  resource: string;
}

export const RESOURCES: ResourceKind[] = [
  { apiVersion: 'projectcontour.io/v1', group: 'projectcontour.io', version: 'v1', kind: 'HTTPProxy', resource: 'httpproxies' },
  { apiVersion: 'projectcontour.io/v1', group: 'projectcontour.io', version: 'v1', kind: 'TLSCertificateDelegation', resource: 'tlscertificatedelegations' },
  { apiVersion: 'contour.heptio.com/v1beta1', group: 'contour.heptio.com', version: 'v1beta1', kind: 'IngressRoute', resource: 'ingressroutes' },
  { apiVersion: 'contour.heptio.com/v1beta1', group: 'contour.heptio.com', version: 'v1beta1', kind: 'TLSCertificateDelegation', resource: 'tlscertificatedelegations' },
  // Emitted for Ingresses that cert-manager's ingress-shim served (src/emit/ecosystem.ts).
  { apiVersion: 'cert-manager.io/v1', group: 'cert-manager.io', version: 'v1', kind: 'Certificate', resource: 'certificates' },
];

export const TARGET_ROUTE_KIND: Record<Target, ResourceKind> = {
  httpproxy: RESOURCES[0]!,
  ingressroute: RESOURCES[2]!,
};

export function resourceOf(apiVersion: string, kind: string): ResourceKind | undefined {
  return RESOURCES.find((r) => r.apiVersion === apiVersion && r.kind === kind);
}

/** `httpproxies.projectcontour.io`: the name of the CRD and of the resource in messages. */
export const crdName = (r: ResourceKind): string => `${r.resource}.${r.group}`;

export function resourcePath(r: ResourceKind, namespace?: string, name?: string): string {
  let p = `/apis/${r.group}/${r.version}`;
  if (namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  return p;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export const refKey = (r: ObjectRef): string => `${r.apiVersion}|${r.kind}|${r.namespace}|${r.name}`;
export const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
/** `HTTPProxy projectcontour/shop.example.com`: the header of diffs and error lines. */
export const describe = (r: ObjectRef): string => `${r.kind} ${r.namespace}/${r.name}`;

export function liveRef(o: Obj): ObjectRef {
  const meta = isObj(o.metadata) ? o.metadata : {};
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { apiVersion: text(o.apiVersion), kind: text(o.kind), namespace: text(meta.namespace), name: text(meta.name) };
}

const STRIPPED_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

/** What a diff compares: the object without server bookkeeping (status, resourceVersion, managedFields, …). */
export function normalizeLive(o: Obj): Obj {
  const { status: _status, ...rest } = o;
  const out: Obj = { ...rest };
  if (isObj(o.metadata)) {
    const meta: Obj = { ...o.metadata };
    for (const k of STRIPPED_METADATA) delete meta[k];
    // kubectl's client-side apply bookkeeping is noise too.
    if (isObj(meta.annotations)) {
      const { 'kubectl.kubernetes.io/last-applied-configuration': _last, ...ann } = meta.annotations;
      if (Object.keys(ann).length > 0) meta.annotations = ann;
      else delete meta.annotations;
    }
    out.metadata = meta;
  }
  return sortKeys(out) as Obj;
}

/** Deep copy with map keys sorted, so two objects serialize alike whatever the key order. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/**
 * True when every field of `desired` is present with the same value in `live` (lists compared
 * whole): what server-side apply would leave untouched. Used by --dry-run=client, which asks
 * the server nothing.
 */
export function contains(live: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(live) && live.length === desired.length && desired.every((d, i) => contains(live[i], d));
  }
  if (isObj(desired)) {
    return isObj(live) && Object.entries(desired).every(([k, d]) => contains(live[k], d));
  }
  return live === desired;
}

/** Phase of a live object (prune reads no DesiredObject): 0 delegations, 1 children, 2 roots. */
export function phaseOf(o: { kind: string; spec?: unknown }): 0 | 1 | 2 {
  if (o.kind === 'TLSCertificateDelegation') return 0;
  const spec = isObj(o.spec) ? o.spec : {};
  return spec.virtualhost ? 2 : 1;
}

export interface NamespaceBatch<T> {
  namespace: string;
  objects: T[];
}

/**
 * Batches for writing: one list per phase (delegations, children, roots), each split by
 * namespace in name order. A phase starts when the previous one is done everywhere, so no
 * root is written before the children it references.
 */
export function writeBatches(objects: DesiredObject[]): NamespaceBatch<DesiredObject>[][] {
  const phases = [new Map<string, DesiredObject[]>(), new Map<string, DesiredObject[]>(), new Map<string, DesiredObject[]>()];
  for (const d of objects) {
    const byNs = phases[phaseOfRole(d.role)]!;
    const list = byNs.get(d.object.metadata.namespace) ?? [];
    list.push(d);
    byNs.set(d.object.metadata.namespace, list);
  }
  return phases
    .map((byNs) =>
      [...byNs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([namespace, list]) => ({
          namespace,
          objects: [...list].sort((a, b) => (a.object.metadata.name < b.object.metadata.name ? -1 : a.object.metadata.name > b.object.metadata.name ? 1 : 0)),
        })),
    )
    .filter((phase) => phase.length > 0);
}

/** Runs `fn` over `items` with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
