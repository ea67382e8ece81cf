// Writing Contour's cluster-wide configuration: one server-side apply of the ContourConfiguration,
// only when the user asked for it (apply --apply-contour-config). It is never part of the route
// objects, so diff, apply and prune of routes never touch it.
import type { KubeObject } from '../emit/objects.js';
import type { KubeClient } from './client.js';
import { FIELD_MANAGER } from './compare.js';
import { ClusterError } from './errors.js';

export type ContourConfigAction = 'created' | 'configured' | 'unchanged' | 'skipped';

const path = (o: KubeObject): string => `/apis/projectcontour.io/v1alpha1/namespaces/${encodeURIComponent(o.metadata.namespace)}/contourconfigurations/${encodeURIComponent(o.metadata.name)}`;

/**
 * Server-side applies the ContourConfiguration (field manager ingress2contour): the fields it sets
 * become ours, the others an existing object holds (ports, xDS TLS, classes) stay as they are.
 * dry-run client: nothing is sent. Throws ClusterError (a missing CRD is a 404).
 */
export async function applyContourConfiguration(client: KubeClient, obj: KubeObject, opts: { dryRun: 'none' | 'client' | 'server'; force: boolean }): Promise<ContourConfigAction> {
  if (opts.dryRun === 'client') return 'skipped';
  let before: string | undefined;
  try {
    const live = await client.request<{ metadata?: { resourceVersion?: string } }>('GET', path(obj));
    before = live.metadata?.resourceVersion;
  } catch (err) {
    // Not there yet (or the CRD is missing: the PATCH then says so).
    if (!(err instanceof ClusterError && err.status === 404)) throw err;
  }
  const result = await client.request<{ metadata?: { resourceVersion?: string } }>('PATCH', path(obj), {
    query: { fieldManager: FIELD_MANAGER, force: opts.force ? 'true' : undefined, dryRun: opts.dryRun === 'server' ? 'All' : undefined },
    body: obj,
    contentType: 'application/apply-patch+yaml',
  });
  if (before === undefined) return 'created';
  return result.metadata?.resourceVersion === before ? 'unchanged' : 'configured';
}
