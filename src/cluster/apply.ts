// Server-side apply of the converted objects, namespace by namespace, and pruning of what
// the tool created earlier but the input no longer produces.
//
// Order: every namespace is checked first (exists, the user may create and patch there, the
// live objects are listed), then objects are written in three phases: TLSCertificateDelegations,
// children, roots, each phase over the namespaces with bounded concurrency. A root is only
// written when every child it references exists (written now or already live), so no root
// ever points at nothing. Pruning deletes in the reverse order.
import { MANAGED_BY, MANAGED_BY_LABEL, SOURCES_ANNOTATION, type KubeObject } from '../emit/objects.js';
import { createNamespace, missingVerbs, namespaceState } from './api.js';
import type { KubeClient, Obj } from './client.js';
import { ClusterError } from './errors.js';
import {
  contains,
  crdName,
  dependencyRefs,
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

export const FIELD_MANAGER = 'ingress2contour';
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
  createNamespaces: boolean;
  /** Resources the cluster serves (discovery). */
  served: ResourceKind[];
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
const inNamespaceConcurrency = 4;

interface NsState {
  error?: string;
  /** A namespace a dry run would have created: everything in it would be created too. */
  wouldCreate?: boolean;
  /** Live objects of the desired kinds, by refKey. */
  live: Map<string, Obj>;
}

export async function applyObjects(client: KubeClient, objects: KubeObject[], opts: ApplyOptions): Promise<ApplyReport> {
  const writes = opts.pruneOnly || opts.pruneAll ? [] : objects;
  const kindOf = (o: { apiVersion: string; kind: string }): ResourceKind => {
    const r = resourceOf(o.apiVersion, o.kind);
    if (!r || !opts.served.includes(r)) throw new ClusterError('config', `missing CRD: the cluster does not serve ${r ? crdName(r) : `${o.kind} ${o.apiVersion}`}; nothing was written`);
    return r;
  };
  for (const o of writes) kindOf(o);

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

  // 1. Preflight, before anything is written.
  const writeNamespaces = [...new Set(writes.map((o) => o.metadata.namespace))].sort();
  const states = new Map<string, NsState>();
  await mapLimit(writeNamespaces, opts.concurrency * 2, async (ns) => {
    const kinds = [...new Set(writes.filter((o) => o.metadata.namespace === ns).map(kindOf))];
    states.set(ns, await preflight(client, ns, kinds, opts));
  });
  for (const [ns, st] of states) if (st.error) report(ns).error = st.error;

  // 2. Writes, phase by phase.
  const failedRefs = new Set<string>();
  const existing = new Set<string>();
  for (const st of states.values()) for (const k of st.live.keys()) existing.add(k);
  const run = { aborted: undefined as string | undefined };
  const delegations = writes.filter((o) => o.kind === 'TLSCertificateDelegation');
  const phases = writeBatches(writes);
  const phaseNames = ['TLSCertificateDelegations', 'children', 'roots'];
  for (const phase of phases) {
    const total = phase.reduce((n, b) => n + b.objects.length, 0);
    const name = phaseNames[phaseOf(phase[0]!.objects[0]!)]!;
    let done = 0;
    opts.onProgress?.({ phase: name, done, total });
    await mapLimit(phase, opts.concurrency, async (batch) => {
      const st = states.get(batch.namespace)!;
      await mapLimit(batch.objects, inNamespaceConcurrency, async (obj) => {
        const ref = refOf(obj);
        const outcome = await writeOne(client, obj, ref, st, { ...opts, failedRefs, existing, run, delegations });
        if (outcome.action === 'failed') failedRefs.add(refKey(ref));
        else existing.add(refKey(ref));
        if (outcome.abort) run.aborted ??= outcome.abort;
        record({ ref, action: outcome.action, ...(outcome.message ? { message: outcome.message } : {}) });
        opts.onProgress?.({ phase: name, done: ++done, total });
      });
    });
  }

  // 3. Prune.
  let pruneSkipped: string | undefined;
  let aborted = run.aborted;
  if ((opts.prune || opts.pruneAll) && !aborted) {
    const failed = outcomes.filter((o) => o.action === 'failed').length;
    if (failed > 0) pruneSkipped = `${failed} object(s) failed to apply, so nothing was pruned (a live root may still reference what prune would delete); fix the failures and re-run`;
    else aborted = await prune(client, objects, opts, record, report);
  }

  const totals = emptyCounts();
  for (const r of reports.values()) for (const a of ACTIONS) totals[a] += r.counts[a];
  const result: ApplyReport = { namespaces: [...reports.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : 1)), outcomes, totals };
  if (aborted) result.aborted = aborted;
  if (pruneSkipped) result.pruneSkipped = pruneSkipped;
  return result;
}

async function preflight(client: KubeClient, ns: string, kinds: ResourceKind[], opts: ApplyOptions): Promise<NsState> {
  const live = new Map<string, Obj>();
  try {
    const state = await namespaceState(client, ns);
    if (state === 'missing') {
      if (!opts.createNamespaces) return { live, error: `namespace "${ns}" does not exist (--create-namespaces creates it)` };
      if (opts.dryRun !== 'client') await createNamespace(client, ns, opts.dryRun === 'server');
      // A namespace created in a dry run holds nothing, and dry-run writes into it would fail.
      if (opts.dryRun !== 'none') return { live, wouldCreate: true };
    }
    const missing = await missingVerbs(client, ['create', 'patch'], kinds, ns);
    if (missing.length > 0) return { live, error: `namespace "${ns}" skipped: the user of context "${client.context}" may not ${missing.join(', ')} there` };
    for (const r of kinds) for (const o of await client.listAll(resourcePath(r, ns))) live.set(refKey({ ...liveRef(o), apiVersion: r.apiVersion, kind: r.kind }), o);
    return { live };
  } catch (err) {
    if (err instanceof ClusterError && (err.kind === 'forbidden' || err.kind === 'not-found')) return { live, error: `namespace "${ns}" skipped: ${err.message}` };
    throw err;
  }
}

interface WriteContext extends ApplyOptions {
  failedRefs: Set<string>;
  existing: Set<string>;
  run: { aborted: string | undefined };
  delegations: KubeObject[];
}

async function writeOne(client: KubeClient, obj: KubeObject, ref: ObjectRef, st: NsState, ctx: WriteContext): Promise<{ action: Action; message?: string; abort?: string }> {
  if (st.error) return { action: 'failed', message: st.error };
  if (ctx.run.aborted) return { action: 'failed', message: 'not attempted: the apiserver stopped answering' };
  const missingChild = dependencyRefs(obj, ctx.delegations).find((c) => !ctx.existing.has(refKey(c)));
  if (missingChild) {
    const why = ctx.failedRefs.has(refKey(missingChild)) ? 'could not be applied' : 'does not exist';
    return { action: 'failed', message: `not applied: it references ${describe(missingChild)}, which ${why}` };
  }
  const live = st.live.get(refKey(ref));
  if (st.wouldCreate) return { action: 'created' };
  if (ctx.dryRun === 'client') return { action: !live ? 'created' : contains(live, obj) ? 'unchanged' : 'configured' };
  const r = resourceOf(obj.apiVersion, obj.kind)!;
  try {
    const result = await client.request<Obj>('PATCH', resourcePath(r, ref.namespace, ref.name), {
      query: { fieldManager: FIELD_MANAGER, force: ctx.force ? 'true' : undefined, dryRun: ctx.dryRun === 'server' ? 'All' : undefined },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
    if (!live) return { action: 'created' };
    if (metaOf(live).resourceVersion === metaOf(result).resourceVersion) return { action: 'unchanged' };
    // A new resourceVersion with the same content: the first write after a create stores the
    // status defaults of the Contour CRDs (status is stripped from the comparison).
    return { action: JSON.stringify(normalizeLive(live)) === JSON.stringify(normalizeLive(result)) ? 'unchanged' : 'configured' };
  } catch (err) {
    if (!(err instanceof ClusterError)) throw err;
    return { action: 'failed', message: explain(err), ...(err.kind === 'unreachable' ? { abort: err.message } : {}) };
  }
}

const metaOf = (o: Obj): { resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> } =>
  (o.metadata ?? {}) as { resourceVersion?: string };

/** One line for a failed write: conflicts name the field manager and the fields. */
export function explain(err: ClusterError): string {
  if (err.kind === 'conflict' && err.causes.length > 0) {
    const byManager = new Map<string, string[]>();
    for (const c of err.causes) {
      const manager = /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1] ?? 'another field manager';
      byManager.set(manager, [...(byManager.get(manager) ?? []), c.field ?? '?']);
    }
    const parts = [...byManager.entries()].map(([m, fields]) => `field manager "${m}" owns ${fields.join(', ')}`);
    return `conflict: ${parts.join('; ')} (--force-conflicts takes them over)`;
  }
  const ns = /^namespaces "([^"]+)" not found$/.exec(err.message);
  if (ns) return `namespace "${ns[1]}" does not exist (--create-namespaces creates it)`;
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

/** Deletes stale (or, with pruneAll, all) managed objects; returns an abort message if the apiserver went away. */
async function prune(
  client: KubeClient,
  desired: KubeObject[],
  opts: ApplyOptions,
  record: (o: Outcome) => void,
  report: (ns: string) => NamespaceReport,
): Promise<string | undefined> {
  const scope: PruneScope = opts.prune ?? { all: true };
  const namespaces = scope.all ? 'all' : [...new Set([...scope.namespaces, ...desired.map((o) => o.metadata.namespace)])].sort();
  const want = new Set(desired.map((o) => refKey(refOf(o))));
  let candidates: Obj[];
  try {
    candidates = (await listManaged(client, opts.served, namespaces)).filter((o) => (opts.pruneAll || !want.has(refKey(liveRef(o)))) && inScope(o, scope));
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'unreachable') return err.message;
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
    await mapLimit(list, opts.concurrency * inNamespaceConcurrency, async (o) => {
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
        if (err.kind === 'unreachable') aborted ??= err.message;
        record({ ref, action: 'failed', message: `not pruned: ${explain(err)}` });
      }
    });
  }
  return aborted;
}
