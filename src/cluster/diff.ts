// `diff`: what apply would change. The live objects come from one list per kind (as in
// apply); an object already what apply would leave (compare.ts) is unchanged without a
// request; any other is server-side applied with dryRun=All, so the diff shows what the
// apiserver would store (defaults, webhooks). Both sides without server bookkeeping, as
// YAML, in unified diff form. With prune, the managed objects apply --prune would delete
// appear as deletions.
import { structuredPatch } from 'diff';
import yaml from 'js-yaml';
import { explain, kindOf, pruneCandidates, type PruneScope } from './apply.js';
import type { KubeClient, Obj } from './client.js';
import { compareLive, FIELD_MANAGER } from './compare.js';
import type { DesiredObject } from './desired.js';
import { ClusterError, isOutage } from './errors.js';
import { listLive, type LiveIndex } from './live.js';
import { describe, liveRef, mapLimit, normalizeLive, refKey, refOf, resourcePath, type ResourceKind } from './resources.js';

export interface DiffEntry {
  /** `HTTPProxy projectcontour/shop.example.com` */
  header: string;
  /** YAML of the live object ('' when it does not exist yet, or is unchanged). */
  live: string;
  /** YAML of what apply would leave ('' when apply --prune would delete it, or it is unchanged). */
  desired: string;
  /** Already what apply would leave (compare.ts): nothing to show, so no YAML is rendered. */
  unchanged?: true;
  error?: string;
}

export interface DiffOptions {
  force: boolean;
  concurrency: number;
  served: ResourceKind[];
  /** List live objects cluster-wide (the input was read with -A). */
  clusterWide: boolean;
  /** Also show what apply --prune would delete in this scope. */
  prune?: PruneScope;
  /** The cluster-wide lists, started earlier (see prefetchClusterWide). */
  prefetched?: Promise<LiveIndex | undefined>;
}

export const toYaml = (o: Obj): string => yaml.dump(normalizeLive(o), { lineWidth: -1, noRefs: true });

export async function diffObjects(client: KubeClient, desired: DesiredObject[], opts: DiffOptions): Promise<DiffEntry[]> {
  for (const d of desired) kindOf(d.object, opts.served);
  const namespaces = [...new Set(desired.map((d) => d.object.metadata.namespace))].sort();
  const kinds = opts.clusterWide ? opts.served : [...new Set(desired.map((d) => kindOf(d.object, opts.served)))];
  const live = await listLive(client, { kinds, namespaces, clusterWide: opts.clusterWide, concurrency: opts.concurrency * 2, ...(opts.prefetched ? { prefetched: opts.prefetched } : {}) });
  const entries = await mapLimit(desired, opts.concurrency * 4, async ({ object: obj }): Promise<DiffEntry> => {
    const ref = refOf(obj);
    const header = describe(ref);
    const failed = live.failed.get(ref.namespace);
    if (failed) return { header, live: '', desired: '', error: failed.message };
    const current = live.objects.get(refKey(ref));
    if (current && compareLive(current, obj).state === 'equal') return { header, live: '', desired: '', unchanged: true };
    try {
      const result = await client.request<Obj>('PATCH', resourcePath(kindOf(obj, opts.served), ref.namespace, ref.name), {
        query: { fieldManager: FIELD_MANAGER, dryRun: 'All', force: opts.force ? 'true' : undefined },
        body: obj,
        contentType: 'application/apply-patch+yaml',
      });
      return { header, live: current ? toYaml(current) : '', desired: toYaml(result) };
    } catch (err) {
      if (!(err instanceof ClusterError)) throw err;
      if (isOutage(err) || err.kind === 'unauthorized') throw err;
      return { header, live: '', desired: '', error: explain(err, current && { live: current, desired: obj }) };
    }
  });
  if (opts.prune) {
    const stale = await pruneCandidates(client, desired, { served: opts.served, prune: opts.prune }, live);
    for (const o of stale.sort((a, b) => (describe(liveRef(a)) < describe(liveRef(b)) ? -1 : 1))) {
      entries.push({ header: describe(liveRef(o)), live: toYaml(o), desired: '' });
    }
  }
  return entries;
}

export const changed = (e: DiffEntry): boolean => !e.error && !e.unchanged && e.live !== e.desired;

const paint = (on: boolean, code: string, text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Unified diff text for the entries that differ; new objects appear in full. */
export function formatDiff(entries: DiffEntry[], color: boolean): string {
  let out = '';
  for (const e of entries) {
    if (!changed(e)) continue;
    const isNew = e.live === '';
    const isPruned = e.desired === '';
    out += `${paint(color, '1', `${e.header}${isNew ? ' (new)' : isPruned ? ' (pruned)' : ''}`)}\n`;
    out += `${paint(color, '1', isNew ? '--- /dev/null' : `--- live/${e.header.replace(' ', '/')}`)}\n`;
    out += `${paint(color, '1', isPruned ? '+++ /dev/null' : `+++ ingress2contour/${e.header.replace(' ', '/')}`)}\n`;
    const patch = structuredPatch('live', 'desired', e.live, e.desired, '', '', { context: 3 });
    for (const h of patch.hunks) {
      // An empty range starts at the line before it, as in GNU diff (and jsdiff's formatPatch).
      const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
      const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
      out += `${paint(color, '36', `@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`)}\n`;
      for (const line of h.lines) {
        if (line.startsWith('\\')) continue; // "\ No newline at end of file": both sides end with one
        out += `${line.startsWith('+') ? paint(color, '32', line) : line.startsWith('-') ? paint(color, '31', line) : line}\n`;
      }
    }
  }
  return out;
}
