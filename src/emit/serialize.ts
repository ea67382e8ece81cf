// Object serialization: YAML or a JSON List. Same objects in, same bytes out.
// YAML is written by a small emitter for plain JSON-shaped data that produces exactly
// js-yaml's `dump` output (block style, indent 2, no line folding): js-yaml decides how
// each distinct scalar is written (plain or quoted), and that decision is cached, so the
// per-object cost is string building only. Anything outside that shape (a multi-line
// string, a very long key, a value js-yaml would refuse) goes through js-yaml itself.
// Measured in docs/performance.md: 5–8× faster than js-yaml's dump on converted objects.
import yaml from 'js-yaml';
import type { KubeObject } from './objects.js';

export type OutputFormat = 'yaml' | 'json';

const DUMP_OPTIONS: yaml.DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"' };

class NeedsJsYaml extends Error {}

/** js-yaml's rendering of one string as a mapping value or sequence item, cached. */
const valueCache = new Map<string, string>();
/** …and as a mapping key (keys are never block scalars). */
const keyCache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/** Strings js-yaml always writes plain, key or value: no indicator, no space, not a number, bool or null. */
const ALWAYS_PLAIN = /^[A-Za-z/][A-Za-z0-9._/-]*$/;
// js-yaml also quotes YAML 1.1 booleans (yes, on, y…), for older readers.
const PLAIN_KEYWORDS = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const isAlwaysPlain = (s: string): boolean => s.length < 200 && ALWAYS_PLAIN.test(s) && !PLAIN_KEYWORDS.test(s);

/**
 * ALWAYS_PLAIN, with a comma allowed inside (in values, block context, a comma is plain too),
 * as a loop: most values are plain, and a call into the regex engine costs more than this.
 * A value that starts with `/` is plain on a wider test (slashPlain).
 */
function plainValue(s: string): boolean {
  const n = s.length;
  // No upper bound: js-yaml writes a value of any length on one line (lineWidth -1), plain
  // when its characters are (a root's sources annotation lists hundreds of Ingresses).
  if (n < 2) return false;
  if (s.charCodeAt(0) === 47) return slashPlain(s);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // A-Z a-z / (any position); 0-9 . _ - (after the first); `,` (inside).
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 47) continue;
    if (i > 0 && ((c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45)) continue;
    if (c === 44 && i > 0 && i < n - 1) continue;
    return false;
  }
  return n > 5 || !PLAIN_KEYWORDS.test(s);
}

/**
 * Whether js-yaml writes this value starting with `/` plain (chooseScalarStyle, block context):
 * no implicit type (null, bool, int, float, timestamp, merge) resolves a string that starts with
 * `/`, so it is plain when every character is printable ASCII, no `#` follows a space, no space
 * follows a `:`, and it does not end with a space or `:`. The regex conditions of regex-mode
 * hosts (each distinct, 4.7k at 20k Ingresses) went through js-yaml's dump one by one.
 */
function slashPlain(s: string): boolean {
  const n = s.length;
  let prev = 47;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || (c === 35 && prev === 32) || (c === 32 && prev === 58)) return false;
    prev = c;
  }
  return prev !== 32 && prev !== 58;
}

function scalarValue(s: string): string {
  let out = valueCache.get(s);
  if (out === undefined) {
    if (s.includes('\n')) throw new NeedsJsYaml();
    out = yaml.dump(s, DUMP_OPTIONS).slice(0, -1);
    if (out.includes('\n')) throw new NeedsJsYaml();
    // Long values are mostly one of a kind: written, not kept.
    if (s.length > 1000) return out;
    if (valueCache.size >= CACHE_LIMIT) valueCache.clear();
    valueCache.set(s, out);
  }
  return out;
}

function scalarKey(s: string): string {
  if (isAlwaysPlain(s)) return s;
  let out = keyCache.get(s);
  if (out === undefined) {
    if (s.includes('\n') || s.length > 1000) throw new NeedsJsYaml();
    // A key is written in flow context: render it as the key of a one-entry mapping.
    const dumped = yaml.dump({ [s]: 0 }, DUMP_OPTIONS);
    if (!dumped.endsWith(': 0\n') || dumped.indexOf('\n') !== dumped.length - 1) throw new NeedsJsYaml();
    out = dumped.slice(0, -4);
    if (keyCache.size >= CACHE_LIMIT) keyCache.clear();
    keyCache.set(s, out);
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * A scalar, `{}` or `[]`; undefined when the value is a non-empty collection. The writers test
 * for a string first themselves (most values): this is the rest.
 */
function inline(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return plainValue(v) ? v : scalarValue(v);
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
      return yaml.dump(v, DUMP_OPTIONS).slice(0, -1);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      if (!isPlainObject(v)) throw new NeedsJsYaml();
      for (const _ in v) return undefined;
      return '{}';
    default:
      throw new NeedsJsYaml();
  }
}

// The writer appends to one string (`out`) instead of returning a string per mapping and
// sequence, and takes every line's lead (indent, `- `, key and `:`) from caches: at 35k
// objects (25 MB) the pieces and intermediate strings were most of its time and garbage.
// Each line STARTS with its `\n` (it is part of the cached lead), so a scalar line is two
// appends, lead and value, not three: a million lines at 20k Ingresses, each append a string.
let out = '';

/** `\n` and the indent of each depth (two spaces a level). */
const INDENT: string[] = ['\n'];
/** `\n` and `- ` of a sequence item whose content sits at this depth (the dash one level up). */
const DASH: string[] = ['\n- '];
const indentAt = (depth: number): string => (INDENT[depth] ??= `\n${'  '.repeat(depth)}`);
const dashAt = (depth: number): string => (DASH[depth] ??= `${indentAt(depth - 1)}- `);

/**
 * A key's line leads, per depth: `\n<indent>key: ` and `\n<indent>key:`, and the same after `- `.
 * Made for the first LEAD_DEPTHS depths when the key is first seen (deeper ones: deepLead), so
 * that writeMapping never builds one: a lead first built after writeMapping was optimized threw
 * its compiled code away (and the lists changed shape as they filled).
 */
interface KeyLeads {
  key: string;
  scalar: string[];
  nested: string[];
  dashScalar: string[];
  dashNested: string[];
}
const LEAD_DEPTHS = 12;
/** Keys kept (each with 4 × LEAD_DEPTHS leads): emitted objects have a fixed schema of a few dozen. */
const LEAD_CACHE_LIMIT = 5_000;
const leadCache = new Map<string, KeyLeads>();

function newLeads(key: string): KeyLeads {
  const k = scalarKey(key);
  const leads: KeyLeads = {
    key: k,
    scalar: new Array<string>(LEAD_DEPTHS),
    nested: new Array<string>(LEAD_DEPTHS),
    dashScalar: new Array<string>(LEAD_DEPTHS),
    dashNested: new Array<string>(LEAD_DEPTHS),
  };
  for (let depth = 0; depth < LEAD_DEPTHS; depth++) {
    leads.scalar[depth] = `${indentAt(depth)}${k}: `;
    leads.nested[depth] = `${indentAt(depth)}${k}:`;
    leads.dashScalar[depth] = `${dashAt(depth)}${k}: `;
    leads.dashNested[depth] = `${dashAt(depth)}${k}:`;
  }
  if (leadCache.size >= LEAD_CACHE_LIMIT) leadCache.clear();
  leadCache.set(key, leads);
  return leads;
}

/** A key's lead below LEAD_DEPTHS, or after other text (`lead`, as in writeMapping): not cached. */
function deepLead(key: string, depth: number, lead: string | undefined, dash: boolean, nested: boolean): string {
  return `${lead ?? (dash ? dashAt(depth) : indentAt(depth))}${key}${nested ? ':' : ': '}`;
}

/**
 * A block mapping at `depth`. `lead` is what goes before its first key instead of the indent:
 * undefined for the indent, `DASH` for the first key of a sequence item, or any other text.
 */
function writeMapping(obj: Record<string, unknown>, depth: number, lead: string | undefined, dash: boolean): boolean {
  if (Object.getPrototypeOf(obj) !== Object.prototype) throw new NeedsJsYaml();
  let first = true;
  // Without TurboFan inlining every helper is a real call: the per-key work is written out here.
  // A collection is not asked first whether it is empty (a call, a plain-object test and a
  // for-in more per collection): its key is written as nested, and an empty one then gets ` {}`
  // (`key:` + ` {}` is what js-yaml writes, `key: {}`).
  for (const key in obj) {
    const value = obj[key];
    let leads = leadCache.get(key);
    if (leads === undefined) leads = newLeads(key);
    let flat: string | undefined;
    if (typeof value === 'string') flat = plainValue(value) ? value : scalarValue(value);
    else if (typeof value !== 'object' || value === null) flat = inline(value);
    else if (Array.isArray(value) && value.length === 0) flat = '[]';
    if (first) {
      first = false;
      // The first key after some other text (`- - key`) or deep down: not cached.
      if (lead !== undefined || depth >= LEAD_DEPTHS) out += deepLead(leads.key, depth, lead, dash, flat === undefined);
      else if (dash) out += flat === undefined ? leads.dashNested[depth]! : leads.dashScalar[depth]!;
      else out += flat === undefined ? leads.nested[depth]! : leads.scalar[depth]!;
    } else if (depth >= LEAD_DEPTHS) out += deepLead(leads.key, depth, undefined, false, flat === undefined);
    else out += flat === undefined ? leads.nested[depth]! : leads.scalar[depth]!;
    if (flat !== undefined) out += flat;
    else if (Object.isFrozen(value)) {
      const text = frozenBlock(value as object, depth + 1);
      out += text === '' ? ' {}' : text;
    } else if (Array.isArray(value)) writeSequence(value, depth + 1, undefined);
    else if (!writeMapping(value as Record<string, unknown>, depth + 1, undefined, false)) out += ' {}';
  }
  return !first;
}

/**
 * The text of a frozen collection under a key, per depth, written once: the emitters freeze
 * the sub-objects many routes share (labels, timeout and retry policies), so each is one
 * append instead of a few lines' work per route. Frozen must mean deeply frozen (what it holds
 * is frozen or a scalar): Object.freeze is shallow, and a changed child would not be seen.
 */
const frozenBlocks = new WeakMap<object, string[]>();

function frozenBlock(value: object, depth: number): string {
  let byDepth = frozenBlocks.get(value);
  if (byDepth === undefined) {
    byDepth = [];
    frozenBlocks.set(value, byDepth);
  }
  let text = byDepth[depth];
  if (text === undefined) {
    const outer = out;
    out = '';
    try {
      if (Array.isArray(value)) writeSequence(value, depth, undefined);
      else writeMapping(value as Record<string, unknown>, depth, undefined, false);
      text = out;
    } finally {
      out = outer;
    }
    byDepth[depth] = text;
  }
  return text;
}

/** A block sequence whose items sit at `depth` (their content one level deeper); `lead` as in writeMapping. */
function writeSequence(list: unknown[], depth: number, lead: string | undefined): void {
  const dash = dashAt(depth + 1);
  // Indexed: a for-of here allocated an iterator result per item (≈ 10 MB at 20k Ingresses).
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const itemLead = i === 0 && lead !== undefined ? `${lead}- ` : undefined;
    let flat: string | undefined;
    if (typeof item === 'string') flat = plainValue(item) ? item : scalarValue(item);
    else if (typeof item !== 'object' || item === null) flat = inline(item === undefined ? null : item);
    else if (Array.isArray(item) && item.length === 0) flat = '[]';
    if (flat !== undefined) {
      out += itemLead ?? dash;
      out += flat;
    }
    // `- - a`: a nested sequence's first item shares the line.
    else if (Array.isArray(item)) writeSequence(item, depth + 1, itemLead ?? dash);
    // An empty mapping wrote nothing: `- {}`.
    else if (!writeMapping(item as Record<string, unknown>, depth + 1, itemLead, itemLead === undefined)) out += `${itemLead ?? dash}{}`;
  }
}

/**
 * Appends one document to `out`, the way `yaml.dump(object, DUMP_OPTIONS)` writes it, but with
 * its first line's `\n` before it instead of its last line's after it (the writer's lines start
 * with theirs): the caller writes the last `\n`.
 */
function writeDocument(object: unknown): void {
  const before = out;
  try {
    const flat = inline(object);
    if (flat !== undefined) out += `\n${flat}`;
    else if (Array.isArray(object)) writeSequence(object, 0, undefined);
    else writeMapping(object as Record<string, unknown>, 0, undefined, false);
  } catch (err) {
    out = before;
    if (!(err instanceof NeedsJsYaml)) throw err;
    out += `\n${yaml.dump(object, DUMP_OPTIONS).slice(0, -1)}`;
  }
}

/** One document, the way `yaml.dump(object, DUMP_OPTIONS)` writes it. */
export function dumpYaml(object: unknown): string {
  // Restores what a caller's serializeChunks or toYaml was writing (its `write` may call this).
  const outer = out;
  out = '';
  try {
    writeDocument(object);
    // Without the first line's `\n`, with the last one's.
    return `${out.slice(1)}\n`;
  } finally {
    out = outer;
  }
}

export function toYaml(objects: KubeObject[]): string {
  let text = '';
  serializeChunks(objects, 'yaml', (piece) => (text += piece), Infinity);
  return text;
}

export function toJson(objects: KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}

/**
 * serialize() in pieces of about `chunkChars`, for stdout: the whole text of a large
 * conversion is never held at once. The concatenated pieces equal serialize()'s text.
 */
export function serializeChunks(objects: KubeObject[], format: OutputFormat, write: (text: string) => void, chunkChars = 1 << 20): void {
  if (format === 'yaml') {
    const outer = out;
    out = '';
    try {
      // Indexed: a for-of allocated an iterator result per object.
      for (let i = 0; i < objects.length; i++) {
        const o = objects[i];
        out += '---';
        writeDocument(o);
        out += '\n';
        if (out.length >= chunkChars) {
          const text = out;
          out = '';
          write(text);
        }
      }
      const rest = out;
      out = '';
      if (rest !== '') write(rest);
    } finally {
      out = outer;
    }
    return;
  }
  let buffer = '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [';
  objects.forEach((o, i) => {
    buffer += `${i === 0 ? '' : ','}\n    ${JSON.stringify(o, null, 2).replace(/\n/g, '\n    ')}`;
    if (buffer.length >= chunkChars) {
      write(buffer);
      buffer = '';
    }
  });
  buffer += objects.length === 0 ? ']\n}\n' : '\n  ]\n}\n';
  if (buffer !== '') write(buffer);
}

export function serialize(objects: KubeObject[], format: OutputFormat): string {
  return format === 'json' ? toJson(objects) : toYaml(objects);
}

/** Objects grouped per namespace, for --output-dir (one file each). */
export function byNamespace(objects: KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const list = out.get(o.metadata.namespace);
    if (list) list.push(o);
    else out.set(o.metadata.namespace, [o]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
