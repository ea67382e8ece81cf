// Discovery, access reviews and namespace checks: what apply asks before it writes.
import type { Target } from '../model/contour.js';
import type { KubeClient } from './client.js';
import { ClusterError } from './errors.js';
import { crdName, RESOURCES, TARGET_ROUTE_KIND, type ResourceKind } from './resources.js';

/** The Contour resources the cluster serves (discovery of both API groups). */
export async function servedResources(client: KubeClient): Promise<ResourceKind[]> {
  const versions = [...new Set(RESOURCES.map((r) => `${r.group}/${r.version}`))];
  const served = await Promise.all(
    versions.map(async (gv) => {
      try {
        const doc = await client.request<{ resources?: { name: string }[] }>('GET', `/apis/${gv}`);
        return { gv, names: new Set((doc.resources ?? []).map((r) => r.name)) };
      } catch (err) {
        if (err instanceof ClusterError && err.kind === 'not-found') return { gv, names: new Set<string>() };
        throw err;
      }
    }),
  );
  return RESOURCES.filter((r) => served.find((s) => s.gv === `${r.group}/${r.version}`)?.names.has(r.resource));
}

/** --target when given (checked against what is served), else what the cluster serves. */
export function chooseTarget(served: ResourceKind[], wanted: Target | undefined): { target: Target; reason: string } {
  const has = (t: Target): boolean => served.includes(TARGET_ROUTE_KIND[t]);
  if (wanted) {
    if (!has(wanted)) {
      const other: Target = wanted === 'httpproxy' ? 'ingressroute' : 'httpproxy';
      const hint = has(other) ? `; it serves ${crdName(TARGET_ROUTE_KIND[other])} (--target ${other})` : '; install Contour\'s CRDs first';
      throw new ClusterError('crd-missing', `the cluster does not serve ${crdName(TARGET_ROUTE_KIND[wanted])} (CRD missing)${hint}`);
    }
    return { target: wanted, reason: '--target' };
  }
  if (has('httpproxy')) return { target: 'httpproxy', reason: `the cluster serves ${crdName(TARGET_ROUTE_KIND.httpproxy)}` };
  if (has('ingressroute')) return { target: 'ingressroute', reason: `the cluster serves ${crdName(TARGET_ROUTE_KIND.ingressroute)} but not ${crdName(TARGET_ROUTE_KIND.httpproxy)}` };
  throw new ClusterError('crd-missing', `missing CRDs: the cluster serves neither ${crdName(TARGET_ROUTE_KIND.httpproxy)} nor ${crdName(TARGET_ROUTE_KIND.ingressroute)}; install Contour's CRDs first`);
}

/** SelfSubjectAccessReview: may the current user do `verb` on `r` in `namespace`? */
export async function canI(client: KubeClient, verb: string, r: ResourceKind, namespace: string): Promise<boolean> {
  const review = await client.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb, group: r.group, resource: r.resource } } },
  });
  return review.status?.allowed === true;
}

interface ResourceRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** A rule grants `verb` on every object of `r` (rules limited to some names grant nothing here). */
export function ruleAllows(rule: ResourceRule, verb: string, r: ResourceKind): boolean {
  const has = (list: string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);
  return has(rule.verbs, verb) && has(rule.apiGroups, r.group) && has(rule.resources, r.resource) && (rule.resourceNames ?? []).length === 0;
}

/**
 * The verbs of `verbs` the user lacks on any of `resources` in `namespace`, as
 * `patch httpproxies.projectcontour.io`. One SelfSubjectRulesReview answers all of them; only
 * when the review is incomplete (an authorizer that cannot list rules, e.g. a webhook) are the
 * verbs it does not grant asked again one by one (SelfSubjectAccessReview).
 */
export async function missingVerbs(client: KubeClient, verbs: string[], resources: ResourceKind[], namespace: string): Promise<string[]> {
  const checks = resources.flatMap((r) => verbs.map((verb) => ({ verb, r })));
  let rules: ResourceRule[] = [];
  let incomplete = true;
  try {
    const review = await client.request<{ status?: { resourceRules?: ResourceRule[]; incomplete?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
    });
    rules = review.status?.resourceRules ?? [];
    incomplete = review.status?.incomplete === true;
  } catch (err) {
    if (!(err instanceof ClusterError) || (err.kind !== 'forbidden' && err.kind !== 'not-found')) throw err;
  }
  const denied = checks.filter(({ verb, r }) => !rules.some((rule) => ruleAllows(rule, verb, r)));
  const allowedAfterAll = incomplete ? await Promise.all(denied.map(({ verb, r }) => canI(client, verb, r, namespace))) : [];
  const stillDenied = denied.filter((_, i) => !allowedAfterAll[i]);
  return stillDenied.map(({ verb, r }) => `${verb} ${crdName(r)}`);
}

/** 'exists', 'missing', or 'unknown' when the user may not read namespaces. */
export async function namespaceState(client: KubeClient, namespace: string): Promise<'exists' | 'missing' | 'unknown'> {
  try {
    await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}`);
    return 'exists';
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'not-found') return 'missing';
    if (err instanceof ClusterError && err.kind === 'forbidden') return 'unknown';
    throw err;
  }
}

export async function createNamespace(client: KubeClient, namespace: string, dryRun: boolean): Promise<void> {
  await client.request('POST', '/api/v1/namespaces', {
    query: dryRun ? { dryRun: 'All' } : {},
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
  });
}

/** Names of all namespaces, or undefined when the user may not list them. */
export async function listNamespaces(client: KubeClient): Promise<Set<string> | undefined> {
  try {
    const items = await client.listAll('/api/v1/namespaces');
    return new Set(items.map((o) => String((o.metadata as { name?: unknown } | undefined)?.name ?? '')));
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'forbidden') return undefined;
    throw err;
  }
}
