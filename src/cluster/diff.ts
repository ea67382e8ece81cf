// `diff`: what apply would change. Each desired object is server-side applied with
// dryRun=All; the answer is compared with the live object, both without server
// bookkeeping, as YAML, in unified diff form.
import { structuredPatch } from 'diff';
import yaml from 'js-yaml';
import type { KubeObject } from '../emit/objects.js';
import { FIELD_MANAGER, explain } from './apply.js';
import type { KubeClient, Obj } from './client.js';
import { ClusterError } from './errors.js';
import { describe, mapLimit, normalizeLive, refOf, resourceOf, resourcePath } from './resources.js';

export interface DiffEntry {
  /** `HTTPProxy projectcontour/shop.example.com` */
  header: string;
  /** YAML of the live object ('' when it does not exist yet). */
  live: string;
  /** YAML of what apply would leave. */
  desired: string;
  error?: string;
}

export const toYaml = (o: Obj): string => yaml.dump(normalizeLive(o), { lineWidth: -1, noRefs: true });

export async function diffObjects(client: KubeClient, objects: KubeObject[], opts: { force: boolean; concurrency: number }): Promise<DiffEntry[]> {
  return mapLimit(objects, opts.concurrency * 4, async (obj): Promise<DiffEntry> => {
    const ref = refOf(obj);
    const header = describe(ref);
    const r = resourceOf(obj.apiVersion, obj.kind);
    if (!r) return { header, live: '', desired: '', error: `${obj.kind} ${obj.apiVersion} is not a kind this tool writes` };
    const path = resourcePath(r, ref.namespace, ref.name);
    try {
      const live = await client.request<Obj>('GET', path).catch((err: unknown) => {
        if (err instanceof ClusterError && err.kind === 'not-found') return undefined;
        throw err;
      });
      const result = await client.request<Obj>('PATCH', path, {
        query: { fieldManager: FIELD_MANAGER, dryRun: 'All', force: opts.force ? 'true' : undefined },
        body: obj,
        contentType: 'application/apply-patch+yaml',
      });
      return { header, live: live ? toYaml(live) : '', desired: toYaml(result) };
    } catch (err) {
      if (!(err instanceof ClusterError)) throw err;
      if (err.kind === 'unreachable' || err.kind === 'unauthorized') throw err;
      return { header, live: '', desired: '', error: explain(err) };
    }
  });
}

export const changed = (e: DiffEntry): boolean => !e.error && e.live !== e.desired;

const paint = (on: boolean, code: string, text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Unified diff text for the entries that differ; new objects appear in full. */
export function formatDiff(entries: DiffEntry[], color: boolean): string {
  let out = '';
  for (const e of entries) {
    if (!changed(e)) continue;
    const isNew = e.live === '';
    out += `${paint(color, '1', `${e.header}${isNew ? ' (new)' : ''}`)}\n`;
    out += `${paint(color, '1', isNew ? '--- /dev/null' : `--- live/${e.header.replace(' ', '/')}`)}\n`;
    out += `${paint(color, '1', `+++ ingress2contour/${e.header.replace(' ', '/')}`)}\n`;
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
