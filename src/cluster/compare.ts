// Is a live object already what server-side apply of the desired object would leave? Decided
// from the list the tool made anyway, so an unchanged object costs no request.
//
// Equal means both:
//  1. the fields the ingress2contour field manager owns (its Apply entry in managedFields) are
//     exactly the fields of the desired object: no field is missing (removed or taken over by
//     another manager) and none is extra (one we set earlier and no longer want, which apply
//     would remove);
//  2. every desired value is the live value (lists compared whole: the Contour CRDs' lists are
//     atomic).
// Anything this cannot read (another fieldsV1 shape, a null value) counts as different, so
// the price of doubt is one write, never a skipped one.
import type { KubeObject } from '../emit/objects.js';
import type { Obj } from './client.js';
import { contains } from './resources.js';

export const FIELD_MANAGER = 'ingress2contour';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

export type Comparison = { state: 'absent' } | { state: 'equal' } | { state: 'differs'; why: 'not-managed' | 'api-version' | 'fields' | 'values' };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Path segments joined with a character no key holds. */
const SEP = '\u0000';

export function managedFieldsOf(live: Obj): ManagedFieldsEntry[] {
  const meta = isObj(live.metadata) ? live.metadata : {};
  return Array.isArray(meta.managedFields) ? meta.managedFields.filter(isObj) : [];
}

/** The leaf paths of a FieldsV1 set; undefined for a shape this does not read (list keys, values, indices). */
export function managedLeafPaths(fieldsV1: unknown): Set<string> | undefined {
  const out = new Set<string>();
  const walk = (node: unknown, prefix: string[]): boolean => {
    if (!isObj(node)) return false;
    const keys = Object.keys(node).filter((k) => k !== '.');
    if (keys.length === 0) {
      out.add(prefix.join(SEP));
      return true;
    }
    return keys.every((k) => k.startsWith('f:') && walk(node[k], [...prefix, k.slice(2)]));
  };
  return walk(fieldsV1, []) ? out : undefined;
}

/**
 * The leaf paths apply would own for `desired`: maps are walked, lists and scalars are leaves.
 * apiVersion, kind, metadata.name and metadata.namespace identify the object and are not tracked.
 */
export function appliedLeafPaths(desired: KubeObject): Set<string> | undefined {
  const out = new Set<string>();
  const walk = (v: unknown, prefix: string[]): boolean => {
    if (v === null || v === undefined) return false;
    if (isObj(v) && Object.keys(v).length > 0) return Object.entries(v).every(([k, child]) => walk(child, [...prefix, k]));
    out.add(prefix.join(SEP));
    return true;
  };
  const { name: _name, namespace: _namespace, ...meta } = desired.metadata;
  const ok = walk(meta, ['metadata']) && walk(desired.spec, ['spec']);
  return ok ? out : undefined;
}

/** The Apply entry of our field manager on the main resource. */
function ownEntry(live: Obj): ManagedFieldsEntry | undefined {
  return managedFieldsOf(live).find((m) => m.manager === FIELD_MANAGER && m.operation === 'Apply' && !m.subresource);
}

export function compareLive(live: Obj | undefined, desired: KubeObject): Comparison {
  if (!live) return { state: 'absent' };
  const entry = ownEntry(live);
  if (!entry || entry.fieldsType !== 'FieldsV1') return { state: 'differs', why: 'not-managed' };
  if (entry.apiVersion !== desired.apiVersion) return { state: 'differs', why: 'api-version' };
  // The same decision as comparing the sets managedLeafPaths(fieldsV1) and appliedLeafPaths(desired), in one
  // walk of both trees without building the path sets (an unchanged run compares every object).
  const { name: _name, namespace: _namespace, ...meta } = desired.metadata;
  if (!ownsExactly(entry.fieldsV1, { metadata: meta, spec: desired.spec })) return { state: 'differs', why: 'fields' };
  for (const k in desired) {
    if (k !== 'apiVersion' && k !== 'kind' && !holds(live[k], (desired as unknown as Obj)[k])) return { state: 'differs', why: 'values' };
  }
  return { state: 'equal' };
}

/**
 * Does the FieldsV1 node hold exactly the leaf paths of `value` (maps walked; lists, scalars and
 * empty maps are leaves)? False for anything managedLeafPaths cannot read (list keys, values).
 */
export function ownsExactly(node: unknown, value: unknown): boolean {
  if (!isObj(node) || value === null || value === undefined) return false;
  if (isObj(value) && hasKeys(value)) {
    let owned = 0;
    for (const k in node) {
      if (k === '.') continue;
      if (!k.startsWith('f:')) return false;
      owned++;
    }
    let wanted = 0;
    for (const k in value) {
      wanted++;
      if (!ownsExactly(node[`f:${k}`], value[k])) return false;
    }
    return owned === wanted;
  }
  for (const k in node) if (k !== '.') return false;
  return true;
}

function hasKeys(o: Obj): boolean {
  for (const _ in o) return true;
  return false;
}

/** contains() of resources.ts without the allocations: every desired value is the live value (maps may hold more). */
function holds(live: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    for (let i = 0; i < desired.length; i++) if (!holds(live[i], desired[i])) return false;
    return true;
  }
  if (isObj(desired)) {
    if (!isObj(live)) return false;
    for (const k in desired) if (!holds(live[k], desired[k])) return false;
    return true;
  }
  return live === desired;
}

/** `.spec.virtualhost.fqdn` for messages. */
export const dotted = (path: string): string => `.${path.split(SEP).join('.')}`;

function valueAt(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split(SEP)) v = isObj(v) ? v[k] : undefined;
  return v;
}

/**
 * Who holds the fields a conflicting apply of `desired` wanted: every other manager owning a
 * desired field whose live value differs, read from the live object's managedFields (the
 * apiserver's conflict message is not parsed).
 */
export function conflictingOwners(live: Obj, desired: KubeObject): { manager: string; fields: string[] }[] {
  const wanted = appliedLeafPaths(desired) ?? new Set<string>();
  const out: { manager: string; fields: string[] }[] = [];
  for (const m of managedFieldsOf(live)) {
    if (m.manager === FIELD_MANAGER || m.subresource) continue;
    const owned = managedLeafPaths(m.fieldsV1);
    if (!owned) continue;
    const fields = [...owned].filter((p) => wanted.has(p) && !contains(valueAt(live, p), valueAt(desired, p))).sort();
    if (fields.length > 0) out.push({ manager: m.manager ?? 'another field manager', fields: fields.map(dotted) });
  }
  return out;
}
