// What is live: one paginated list per kind, cluster-wide when the scope is every namespace,
// else per namespace. apply, diff and prune compare against this instead of asking per object.
import type { KubeClient, Obj } from './client.js';
import { ClusterError } from './errors.js';
import { liveRef, mapLimit, refKey, resourcePath, type ResourceKind } from './resources.js';

export interface LiveIndex {
  /** Live objects by refKey, with apiVersion and kind set (list items carry neither). */
  objects: Map<string, Obj>;
  /** Namespaces whose objects could not be listed (forbidden), with the error. */
  failed: Map<string, ClusterError>;
  /** Listed cluster-wide: `objects` holds every namespace. */
  clusterWide: boolean;
  kinds: ResourceKind[];
}

export interface ListScope {
  kinds: ResourceKind[];
  namespaces: string[];
  /** Try one list per kind over all namespaces (falls back to per-namespace lists when forbidden). */
  clusterWide: boolean;
  concurrency: number;
}

/**
 * Every object of `kinds` in all namespaces, or undefined when the user may not list them
 * cluster-wide (or anything else failed: the caller lists again and reports it). Started while
 * the input is read and converted, so an unchanged run costs little more than the reading.
 */
export async function prefetchClusterWide(client: KubeClient, kinds: ResourceKind[]): Promise<LiveIndex | undefined> {
  try {
    const index = await listLive(client, { kinds, namespaces: [], clusterWide: true, concurrency: 1 });
    return index.clusterWide ? index : undefined;
  } catch {
    return undefined;
  }
}

export async function listLive(client: KubeClient, scope: ListScope & { prefetched?: Promise<LiveIndex | undefined> }): Promise<LiveIndex> {
  if (scope.clusterWide && scope.prefetched) {
    const ready = await scope.prefetched;
    if (ready && scope.kinds.every((r) => ready.kinds.includes(r))) return ready;
  }
  const index: LiveIndex = { objects: new Map(), failed: new Map(), clusterWide: false, kinds: scope.kinds };
  const add = (r: ResourceKind, items: Obj[]): void => {
    for (const o of items) {
      const typed = { ...o, apiVersion: r.apiVersion, kind: r.kind };
      index.objects.set(refKey(liveRef(typed)), typed);
    }
  };
  if (scope.clusterWide) {
    try {
      const lists = await Promise.all(scope.kinds.map(async (r) => ({ r, items: await client.listAll(resourcePath(r)) })));
      for (const { r, items } of lists) add(r, items);
      index.clusterWide = true;
      return index;
    } catch (err) {
      if (!(err instanceof ClusterError) || err.kind !== 'forbidden') throw err;
    }
  }
  await mapLimit(scope.namespaces, scope.concurrency, async (ns) => {
    try {
      for (const r of scope.kinds) add(r, await client.listAll(resourcePath(r, ns)));
    } catch (err) {
      if (err instanceof ClusterError && (err.kind === 'forbidden' || err.kind === 'not-found')) index.failed.set(ns, err);
      else throw err;
    }
  });
  return index;
}
