// Server-side apply of the converted objects, namespace by namespace, and pruning of what
// the tool created earlier but the input no longer produces.
//
// Order: every namespace is checked first (exists, the user may create and patch there: one
// SelfSubjectRulesReview), the live objects are listed (one list per kind, cluster-wide with
// -A), then objects are written in three phases: TLSCertificateDelegations, children, roots,
// each phase over the namespaces with bounded concurrency. An object whose live counterpart
// already is what apply would leave (compare.ts) is `unchanged` without a request. A root is
// only written when every object it depends on exists (written now or already live), so no
// root ever points at nothing. Pruning deletes in the reverse order.
import { MANAGED_BY, MANAGED_BY_LABEL, SOURCES_ANNOTATION } from '../emit/objects.js';
import { createNamespace, listNamespaces, missingVerbs, namespaceState } from './api.js';
import type { KubeClient, Obj } from './client.js';
import { compareLive, conflictingOwners, FIELD_MANAGER, type Comparison } from './compare.js';
import type { DesiredObject } from './desired.js';
import { ClusterError, isOutage } from './errors.js';
import { listLive, type LiveIndex } from './live.js';
import {
  crdName,
  describe,
  liveRef,
  mapLimit,
  normalizeLive,
  phaseOf,
  refKey,
  refOf,
  resourceOf,
  resourcePath,
  writeBatches,
  type ObjectRef,
  type ResourceKind,
} from './resources.js';

export { FIELD_MANAGER };
export type DryRun = 'none' | 'client' | 'server';
export type Action = 'created' | 'configured' | 'unchanged' | 'pruned' | 'failed';
export const ACTIONS: Action[] = ['created', 'configured', 'unchanged', 'pruned', 'failed'];

/** The namespaces the input covers: prune only removes objects made from Ingresses there. */
export type PruneScope = { all: true } | { all: false; namespaces: Set<string> };

export interface ApplyOptions {
  dryRun: DryRun;
  force: boolean;
  /** Namespaces written at once. */
  concurrency: number;
  /** Writes at once inside one namespace. */
  perNamespace?: number;
  createNamespaces: boolean;
  /** Resources the cluster serves (discovery). */
  served: ResourceKind[];
  /** List live objects with one request per kind over all namespaces (the input was read with -A). */
  clusterWide?: boolean;
  /** Those cluster-wide lists, started earlier (see prefetchClusterWide). */
  prefetched?: Promise<LiveIndex | undefined>;
  /** Also delete managed objects the input no longer produces. */
  prune?: PruneScope;
  /** Skip writing: only prune (the `prune` command). */
  pruneOnly?: boolean;
  /** Delete every managed object in the scope, whatever the input (`prune --all`). */
  pruneAll?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  phase: string;
  done: number;
  total: number;
  /** Objects per second in this phase so far. */
  perSecond: number;
}

export interface Outcome {
  ref: ObjectRef;
  action: Action;
  message?: string;
}

export interface NamespaceReport {
  namespace: string;
  counts: Record<Action, number>;
  /** Why the namespace was skipped (missing, forbidden); its objects count as failed. */
  error?: string;
}

export interface ApplyReport {
  namespaces: NamespaceReport[];
  outcomes: Outcome[];
  totals: Record<Action, number>;
  /** Set when the apiserver stopped answering: the rest was not attempted. */
  aborted?: string;
  /** Why pruning did not run although asked for. */
  pruneSkipped?: string;
}

const emptyCounts = (): Record<Action, number> => ({ created: 0, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
/** Namespaces written at once, and writes at once inside one namespace (measured: docs/apply.md). */
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_PER_NAMESPACE = 4;

interface NsState {
  error?: string;
  /** A namespace a dry run would have created: everything in it would be created too. */
  wouldCreate?: boolean;
}

/** Checks that the kinds are served; the error names the missing CRD. */
export function kindOf(o: { apiVersion: string; kind: string }, served: ResourceKind[]): ResourceKind {
  const r = resourceOf(o.apiVersion, o.kind);
  if (!r || !served.includes(r)) throw new ClusterError('crd-missing', `missing CRD: the cluster does not serve ${r ? crdName(r) : `${o.kind} ${o.apiVersion}`}; nothing was written`);
  return r;
}

export async function applyObjects(client: KubeClient, desired: DesiredObject[], opts: ApplyOptions): Promise<ApplyReport> {
  const writes = opts.pruneOnly || opts.pruneAll ? [] : desired;
  for (const d of writes) kindOf(d.object, opts.served);
  const perNamespace = opts.perNamespace ?? DEFAULT_PER_NAMESPACE;

  const outcomes: Outcome[] = [];
  const reports = new Map<string, NamespaceReport>();
  const report = (ns: string): NamespaceReport => {
    let r = reports.get(ns);
    if (!r) reports.set(ns, (r = { namespace: ns, counts: emptyCounts() }));
    return r;
  };
  const record = (o: Outcome): void => {
    outcomes.push(o);
    report(o.ref.namespace).counts[o.action]++;
  };

  // 1. Preflight, before anything is written: namespaces and live objects (at once), then
  // access, asked only where something is to be written.
  const writeNamespaces = [...new Set(writes.map((d) => d.object.metadata.namespace))].sort();
  const states = new Map<string, NsState>();
  // Listing every served kind cluster-wide also gives prune its candidates without another list.
  const listKinds = opts.clusterWide ? opts.served : [...new Set(writes.map((d) => kindOf(d.object, opts.served)))];
  const [, live] = await Promise.all([
    (async () => {
      const known = writeNamespaces.length > 1 ? await listNamespaces(client) : undefined;
      await mapLimit(writeNamespaces, opts.concurrency * 2, async (ns) => states.set(ns, await ensureNamespace(client, ns, known, opts)));
    })(),
    writes.length === 0
      ? Promise.resolve<LiveIndex>({ objects: new Map(), failed: new Map(), clusterWide: false, kinds: [] })
      : listLive(client, { kinds: listKinds, namespaces: writeNamespaces, clusterWide: Boolean(opts.clusterWide), concurrency: opts.concurrency * 2, ...(opts.prefetched ? { prefetched: opts.prefetched } : {}) }),
  ]);
  const toWrite = new Map<string, Set<ResourceKind>>();
  const comparisons = new Map<DesiredObject, Comparison>();
  for (const d of writes) {
    const ns = d.object.metadata.namespace;
    const comparison = compareLive(live.objects.get(refKey(refOf(d.object))), d.object);
    comparisons.set(d, comparison);
    if (comparison.state === 'equal') continue;
    toWrite.set(ns, (toWrite.get(ns) ?? new Set()).add(kindOf(d.object, opts.served)));
  }
  await mapLimit([...toWrite.keys()], opts.concurrency * 2, async (ns) => {
    const st = states.get(ns)!;
    if (st.error || st.wouldCreate) return;
    const error = await accessError(client, ns, [...toWrite.get(ns)!]);
    if (error) states.set(ns, { error });
  });
  // A namespace the user may not list: the access error above says more, if there is one.
  for (const [ns, err] of live.failed) if (!states.get(ns)?.error) states.set(ns, { error: `namespace "${ns}" skipped: ${err.message}` });
  for (const [ns, st] of states) if (st.error) report(ns).error = st.error;

  // 2. Writes, phase by phase.
  const failedRefs = new Set<string>();
  const existing = new Set<string>(live.objects.keys());
  const run = { aborted: undefined as string | undefined };
  const phaseNames = ['TLSCertificateDelegations', 'children', 'roots'];
  for (const phase of writeBatches(writes)) {
    const total = phase.reduce((n, b) => n + b.objects.length, 0);
    const name = phaseNames[phaseOfBatch(phase[0]!.objects[0]!)]!;
    const started = performance.now();
    let done = 0;
    const progress = (): void => opts.onProgress?.({ phase: name, done, total, perSecond: done / Math.max((performance.now() - started) / 1000, 0.001) });
    progress();
    // A phase spanning fewer namespaces than --concurrency (the roots, often all in one
    // namespace) gives each the writes the idle namespace slots would have had.
    const ctx: WriteContext = { ...opts, failedRefs, existing, run, live };
    const inNamespace = Math.max(perNamespace, Math.floor((opts.concurrency * perNamespace) / phase.length));
    await mapLimit(phase, opts.concurrency, async (batch) => {
      const st = states.get(batch.namespace)!;
      await mapLimit(batch.objects, inNamespace, async (d) => {
        const ref = refOf(d.object);
        const outcome = await writeOne(client, d, ref, st, comparisons.get(d)!, ctx);
        if (outcome.action === 'failed') failedRefs.add(refKey(ref));
        else existing.add(refKey(ref));
        if (outcome.abort) run.aborted ??= outcome.abort;
        record({ ref, action: outcome.action, ...(outcome.message ? { message: outcome.message } : {}) });
        done++;
        progress();
      });
    });
  }

  // 3. Prune.
  let pruneSkipped: string | undefined;
  let aborted = run.aborted;
  if ((opts.prune || opts.pruneAll) && !aborted) {
    const failed = outcomes.filter((o) => o.action === 'failed').length;
    if (failed > 0) pruneSkipped = `${failed} object(s) failed to apply, so nothing was pruned (a live root may still reference what prune would delete); fix the failures and re-run`;
    else aborted = await prune(client, desired, opts, record, report, live);
  }

  const totals = emptyCounts();
  for (const r of reports.values()) for (const a of ACTIONS) totals[a] += r.counts[a];
  const result: ApplyReport = { namespaces: [...reports.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : 1)), outcomes, totals };
  if (aborted) result.aborted = aborted;
  if (pruneSkipped) result.pruneSkipped = pruneSkipped;
  return result;
}

const phaseOfBatch = (d: DesiredObject): number => (d.role === 'delegation' ? 0 : d.role === 'root' ? 2 : 1);

/** Exists, or created with --create-namespaces (a dry run only pretends). */
async function ensureNamespace(client: KubeClient, ns: string, known: Set<string> | undefined, opts: ApplyOptions): Promise<NsState> {
  try {
    const state = known ? (known.has(ns) ? 'exists' : 'missing') : await namespaceState(client, ns);
    if (state === 'missing') {
      if (!opts.createNamespaces) return { error: `namespace "${ns}" does not exist (--create-namespaces creates it)` };
      if (opts.dryRun !== 'client') await createNamespace(client, ns, opts.dryRun === 'server');
      // A namespace created in a dry run holds nothing, and dry-run writes into it would fail.
      if (opts.dryRun !== 'none') return { wouldCreate: true };
    }
    return {};
  } catch (err) {
    if (err instanceof ClusterError && (err.kind === 'forbidden' || err.kind === 'not-found')) return { error: `namespace "${ns}" skipped: ${err.message}` };
    throw err;
  }
}

/** Why the user may not write `kinds` in `ns`, if so (one rules review). */
async function accessError(client: KubeClient, ns: string, kinds: ResourceKind[]): Promise<string | undefined> {
  try {
    const missing = await missingVerbs(client, ['create', 'patch'], kinds, ns);
    return missing.length > 0 ? `namespace "${ns}" skipped: the user of context "${client.context}" may not ${missing.join(', ')} there` : undefined;
  } catch (err) {
    if (err instanceof ClusterError && (err.kind === 'forbidden' || err.kind === 'not-found')) return `namespace "${ns}" skipped: ${err.message}`;
    throw err;
  }
}

interface WriteContext extends ApplyOptions {
  failedRefs: Set<string>;
  existing: Set<string>;
  run: { aborted: string | undefined };
  live: LiveIndex;
}

async function writeOne(client: KubeClient, d: DesiredObject, ref: ObjectRef, st: NsState, comparison: Comparison, ctx: WriteContext): Promise<{ action: Action; message?: string; abort?: string }> {
  if (st.error) return { action: 'failed', message: st.error };
  if (ctx.run.aborted) return { action: 'failed', message: 'not attempted: the apiserver stopped answering' };
  const missingDep = d.dependsOn.find((k) => !ctx.existing.has(k));
  if (missingDep) {
    const why = ctx.failedRefs.has(missingDep) ? 'could not be applied' : 'does not exist';
    return { action: 'failed', message: `not applied: it references ${describeKey(missingDep)}, which ${why}` };
  }
  if (st.wouldCreate) return { action: 'created' };
  const obj = d.object;
  const live = ctx.live.objects.get(refKey(ref));
  // Already what apply would leave: no request (compare.ts says why this is safe).
  if (comparison.state === 'equal') return { action: 'unchanged' };
  if (ctx.dryRun === 'client') return { action: live ? 'configured' : 'created' };
  const r = resourceOf(obj.apiVersion, obj.kind)!;
  try {
    const result = await client.request<Obj>('PATCH', resourcePath(r, ref.namespace, ref.name), {
      query: { fieldManager: FIELD_MANAGER, force: ctx.force ? 'true' : undefined, dryRun: ctx.dryRun === 'server' ? 'All' : undefined },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
    if (!live) return { action: 'created' };
    if (metaOf(live).resourceVersion === metaOf(result).resourceVersion) return { action: 'unchanged' };
    // A new resourceVersion with the same content: only the managed fields moved (e.g. the
    // tool took back a field another manager had set to the same value).
    return { action: JSON.stringify(normalizeLive(live)) === JSON.stringify(normalizeLive(result)) ? 'unchanged' : 'configured' };
  } catch (err) {
    if (!(err instanceof ClusterError)) throw err;
    return { action: 'failed', message: explain(err, live && { live, desired: obj }), ...(isOutage(err) ? { abort: err.message } : {}) };
  }
}

/** `HTTPProxy a/b` from a refKey. */
function describeKey(key: string): string {
  const [apiVersion = '', kind = '', namespace = '', name = ''] = key.split('|');
  return describe({ apiVersion, kind, namespace, name });
}

const metaOf = (o: Obj): { resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> } =>
  (o.metadata ?? {}) as { resourceVersion?: string };

/**
 * One line for a failed write. Conflicts name the other field managers and the fields, read
 * from the live object's managedFields; a missing namespace becomes advice.
 */
export function explain(err: ClusterError, against?: { live: Obj; desired: DesiredObject['object'] }): string {
  if (err.kind === 'conflict' && (against || err.causes.length > 0)) {
    const owners = against ? conflictingOwners(against.live, against.desired) : [];
    const parts = owners.length > 0
      ? owners.map((o) => `field manager "${o.manager}" owns ${o.fields.join(', ')}`)
      : [`another field manager owns ${err.causes.map((c) => c.field ?? '?').join(', ')}`];
    return `conflict: ${parts.join('; ')} (--force-conflicts takes them over)`;
  }
  if (err.kind === 'not-found' && err.details.kind === 'namespaces' && err.details.name) return `namespace "${err.details.name}" does not exist (--create-namespaces creates it)`;
  return err.message;
}

/** Managed objects of the served kinds in `namespaces` (all: cluster-wide). */
async function listManaged(client: KubeClient, served: ResourceKind[], namespaces: string[] | 'all'): Promise<Obj[]> {
  const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
  const out: Obj[] = [];
  for (const r of served) {
    const lists = namespaces === 'all' ? [resourcePath(r)] : namespaces.map((ns) => resourcePath(r, ns));
    for (const path of lists) {
      for (const o of await client.listAll(path, { labelSelector: selector })) out.push({ ...o, apiVersion: r.apiVersion, kind: r.kind });
    }
  }
  return out;
}

/** An object belongs to the input's scope when it lives there or every Ingress it came from does. */
export function inScope(o: Obj, scope: PruneScope): boolean {
  if (scope.all) return true;
  const ref = liveRef(o);
  if (scope.namespaces.has(ref.namespace)) return true;
  const sources = metaOf(o).annotations?.[SOURCES_ANNOTATION];
  if (!sources) return false;
  return sources.split(',').every((s) => scope.namespaces.has(s.split('/')[0] ?? ''));
}

/**
 * Managed objects in the scope that the input no longer produces (all managed objects in the
 * scope with pruneAll). Reuses the cluster-wide lists apply made when they cover every served kind.
 */
export async function pruneCandidates(
  client: KubeClient,
  desired: DesiredObject[],
  opts: { served: ResourceKind[]; prune?: PruneScope; pruneAll?: boolean },
  live?: LiveIndex,
): Promise<Obj[]> {
  const scope: PruneScope = opts.prune ?? { all: true };
  const want = new Set(desired.map((d) => refKey(refOf(d.object))));
  const managed = (o: Obj): boolean => (metaOf(o).labels ?? {})[MANAGED_BY_LABEL] === MANAGED_BY;
  const listed = live?.clusterWide && opts.served.every((r) => live.kinds.includes(r))
    ? [...live.objects.values()].filter(managed)
    : await listManaged(client, opts.served, scope.all ? 'all' : [...new Set([...scope.namespaces, ...desired.map((d) => d.object.metadata.namespace)])].sort());
  return listed.filter((o) => (opts.pruneAll || !want.has(refKey(liveRef(o)))) && inScope(o, scope));
}

/** Deletes stale (or, with pruneAll, all) managed objects; returns an abort message if the apiserver went away. */
async function prune(
  client: KubeClient,
  desired: DesiredObject[],
  opts: ApplyOptions,
  record: (o: Outcome) => void,
  report: (ns: string) => NamespaceReport,
  live: LiveIndex,
): Promise<string | undefined> {
  let candidates: Obj[];
  try {
    candidates = await pruneCandidates(client, desired, opts, live);
  } catch (err) {
    if (err instanceof ClusterError && isOutage(err)) return err.message;
    throw err;
  }
  const blocked = new Map<string, string | undefined>();
  for (const ns of new Set(candidates.map((o) => liveRef(o).namespace))) {
    const kinds = [...new Set(candidates.filter((o) => liveRef(o).namespace === ns).map((o) => resourceOf(liveRef(o).apiVersion, liveRef(o).kind)!))];
    const missing = await missingVerbs(client, ['delete'], kinds, ns);
    if (missing.length > 0) {
      const error = `namespace "${ns}": nothing pruned: the user of context "${client.context}" may not ${missing.join(', ')} there`;
      blocked.set(ns, error);
      report(ns).error ??= error;
    }
  }
  // Roots first, then children, then delegations: nothing left references what is gone.
  const byPhase = [2, 1, 0].map((p) => candidates.filter((o) => phaseOf(o as { kind: string; spec?: unknown }) === p));
  let aborted: string | undefined;
  for (const list of byPhase) {
    await mapLimit(list, opts.concurrency * (opts.perNamespace ?? DEFAULT_PER_NAMESPACE), async (o) => {
      const ref = liveRef(o);
      const block = blocked.get(ref.namespace);
      if (block) return record({ ref, action: 'failed', message: block });
      if (aborted) return record({ ref, action: 'failed', message: 'not pruned: the apiserver stopped answering' });
      if (opts.dryRun === 'client') return record({ ref, action: 'pruned' });
      try {
        const r = resourceOf(ref.apiVersion, ref.kind)!;
        await client.request('DELETE', resourcePath(r, ref.namespace, ref.name), { query: { dryRun: opts.dryRun === 'server' ? 'All' : undefined } });
        record({ ref, action: 'pruned' });
      } catch (err) {
        if (!(err instanceof ClusterError)) throw err;
        if (err.kind === 'not-found') return record({ ref, action: 'pruned' });
        if (isOutage(err)) aborted ??= err.message;
        record({ ref, action: 'failed', message: `not pruned: ${explain(err)}` });
      }
    });
  }
  return aborted;
}
