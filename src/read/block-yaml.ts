// A reader for the block YAML that Kubernetes tools write (kubectl, Helm, Kustomize, js-yaml's
// dump): block mappings and sequences, plain and quoted one-line scalars, literal block scalars
// (`|`, `|-`) as mapping values, `{}` and `[]`, comments on their own line. For a document in that
// subset it returns exactly what js-yaml's `load` with the core schema + merge keys (documents.ts)
// returns; for anything else (folded or keep-chomped block scalars, flow collections, anchors, tags,
// merge keys, multi-line plain or quoted scalars, trailing comments, tabs, CR, invalid YAML) it
// returns NOT_BLOCK_YAML and the caller hands the document to js-yaml, which then also produces
// the error messages. Measured in docs/performance.md; tested against js-yaml on the golden
// inputs, both benchmark generators and fuzzed documents (block-yaml.test.ts).

/** The document is outside the subset: parse it with js-yaml. */
export const NOT_BLOCK_YAML: unique symbol = Symbol('not block YAML');

/** Resolves a plain scalar that is not obviously a string (numbers, `.inf`, `~`…) the way js-yaml would. */
export type ScalarResolver = (plain: string) => unknown;

const OUTSIDE = new Error('outside the block YAML subset');

// js-yaml refuses these anywhere in a document; the fallback then reports it.

const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** Anything but printable ASCII and newlines (a tab, CR or BOM too): its absence is the common case, quick to test. */

const NOT_ASCII_TEXT = /[^\n\x20-\x7e]/;
/** Core-schema null and bool spellings that start with a letter; every other letter-led plain scalar is a string. */
const LETTER_KEYWORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const NUMBERISH = /^[-+.0-9][-+._0-9a-zA-Z]*$/;

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const PIPE = 124;
const DOT = 46;
const PERCENT = 37;

/**
 * Parses one document (the text between `---` lines), or says it is outside the subset. With
 * `uniqueKeys` a repeated key is outside the subset too (js-yaml's `load` refuses it outside json mode).
 * `asciiText` says the caller found only printable ASCII and newlines in it (isAsciiText), once
 * for a whole file instead of once per document.
 */
export function parseBlockYaml(text: string, resolve: ScalarResolver, uniqueKeys = false, asciiText = false): unknown {
  if (!asciiText && (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff || (NOT_ASCII_TEXT.test(text) && NON_PRINTABLE.test(text)))) return NOT_BLOCK_YAML;
  try {
    fillLines(text, 0);
    return READER.read(text, resolve, uniqueKeys, scanned.count);
  } catch {
    // Outside the subset (or anything unexpected): js-yaml reads it, and words any error.
    return NOT_BLOCK_YAML;
  }
}

/**
 * The line tables, shared by every Reader: documents are read one at a time, to the end, and a
 * table per document cost an array grown line by line for each of a fleet's documents.
 */
let INDENTS = new Int32Array(1024);
let STARTS = new Int32Array(1024);
let ENDS = new Int32Array(1024);

function growTables(): void {
  const grow = (old: Int32Array): Int32Array<ArrayBuffer> => {
    const bigger = new Int32Array(old.length * 2);
    bigger.set(old);
    return bigger;
  };
  INDENTS = grow(INDENTS);
  STARTS = grow(STARTS);
  ENDS = grow(ENDS);
}

/** Only printable ASCII and newlines: no tab, CR, byte order mark or character js-yaml refuses. */
export function isAsciiText(text: string): boolean {
  return !NOT_ASCII_TEXT.test(text);
}

/**
 * Fills the line tables with the content lines of `text` from `from` to the first line that
 * `isEnd(line)` ends (asked only of lines led by `-` or `.` at column 0), or to the
 * end. Returns where the reading stopped (that line's start, or the text's length) and sets `scanned`.
 */
function fillLines(text: string, from: number, isEnd?: (line: string) => boolean): number {
  const length = text.length;
  let pos = from;
  let count = 0;
  let lines = 0;
  let directives = true;
  while (pos < length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = length;
    const first = text.charCodeAt(pos);
    if (isEnd !== undefined && (first === DASH || first === DOT) && isEnd(text.slice(pos, nl))) break;
    let start = pos;
    while (start < nl && text.charCodeAt(start) === SPACE) start++;
    let end = nl;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    // Blank lines and comment lines carry nothing (there are no block scalars in the subset).
    if (end > start && text.charCodeAt(start) !== HASH) {
      if (count === INDENTS.length) growTables();
      INDENTS[count] = start - pos;
      STARTS[count] = start;
      ENDS[count] = end;
      count++;
      if (start !== pos || first !== PERCENT) directives = false;
    }
    lines++;
    pos = nl + 1;
  }
  scanned.count = count;
  scanned.lines = lines;
  scanned.blank = directives;
  return Math.min(pos, length);
}

/** What the last fillLines (or scanDocument) found. */
const scanned = { count: 0, lines: 0, blank: true };

/**
 * Reads one document of a multi-document ASCII text (isAsciiText) in place, without cutting it
 * out first: the line tables are filled from `from` to the line that `isEnd` says ends the
 * document (a `---` or `...` line), in the same pass that finds that line. Returns where the
 * document ends; scannedDocument() then describes it and parseScanned() reads it.
 */
export function scanDocument(text: string, from: number, isEnd: (line: string) => boolean): number {
  return fillLines(text, from, isEnd);
}

/**
 * The document scanDocument just scanned: `lines`, the lines read (each ends with a newline when a
 * separator follows), and `blank`, nothing but blank, comment and directive lines in it.
 */
export function scannedDocument(): { readonly lines: number; readonly blank: boolean } {
  return scanned;
}

/** The value of the document scanDocument just scanned (of `text`) as parseBlockYaml gives it, or NOT_BLOCK_YAML. */
export function parseScanned(text: string, resolve: ScalarResolver): unknown {
  if (scanned.count === 0) return NOT_BLOCK_YAML;
  try {
    return READER.read(text, resolve, false, scanned.count);
  } catch {
    return NOT_BLOCK_YAML;
  }
}

/**
 * Reads one document at a time; one reader serves every document (a reader per document was
 * garbage for each of a fleet's documents), and it lets go of the text when done.
 */
class Reader {
  /** Per content line: its indentation, where its content starts and ends (trailing spaces cut). */
  private indents = INDENTS;
  private starts = STARTS;
  private ends = ENDS;
  /** Content lines in the tables. */
  private count = 0;
  private at = 0;
  private text = '';
  private resolve: ScalarResolver = String;
  private uniqueKeys = false;

  /** The value of `text`, whose `count` content lines are in the tables (fillLines); throws OUTSIDE. */
  read(text: string, resolve: ScalarResolver, uniqueKeys: boolean, count: number): unknown {
    this.indents = INDENTS;
    this.starts = STARTS;
    this.ends = ENDS;
    this.count = count;
    this.at = 0;
    this.text = text;
    this.resolve = resolve;
    this.uniqueKeys = uniqueKeys;
    try {
      return this.document();
    } finally {
      this.text = '';
    }
  }

  document(): unknown {
    if (this.count === 0) return NOT_BLOCK_YAML;
    const indent = this.indents[0] ?? 0;
    if (this.isItem(0)) throw OUTSIDE;
    const value = this.mapping(indent);
    if (this.at < this.count) throw OUTSIDE;
    return value;
  }

  private isItem(i: number): boolean {
    const start = this.starts[i] ?? 0;
    return this.text.charCodeAt(start) === DASH && (start + 1 === this.ends[i] || this.text.charCodeAt(start + 1) === SPACE);
  }

  /** The value of a key with nothing after its colon: a nested block, a same-indent sequence, or null. */
  private nested(indent: number): unknown {
    const i = this.at;
    if (i >= this.count) return null;
    const next = this.indents[i] ?? 0;
    if (next < indent) return null;
    // isItem(i), written out (this runs for every key without a value on its line).
    const start = this.starts[i] ?? 0;
    const item = this.text.charCodeAt(start) === DASH && (start + 1 === this.ends[i] || this.text.charCodeAt(start + 1) === SPACE);
    if (next > indent) return item ? this.sequence(next) : this.mapping(next);
    return item ? this.sequence(indent) : null;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const text = this.text;
    while (this.at < this.count) {
      const i = this.at;
      const lineIndent = this.indents[i] ?? 0;
      if (lineIndent < indent) break;
      const start = this.starts[i] ?? 0;
      const end = this.ends[i] ?? 0;
      // isItem(i), without the call for the lines that do not start with `-`.
      if (lineIndent > indent || (text.charCodeAt(start) === DASH && (start + 1 === end || text.charCodeAt(start + 1) === SPACE))) throw OUTSIDE;
      const key = this.key(start, end);
      const valueStart = this.valueStart;
      if (key === '__proto__' || key === '<<' || (this.uniqueKeys && Object.prototype.hasOwnProperty.call(out, key))) throw OUTSIDE;
      this.at++;
      if (valueStart >= end) out[key] = this.nested(indent);
      else if (text.charCodeAt(valueStart) === PIPE && (valueStart + 1 === end || (valueStart + 2 === end && text.charCodeAt(valueStart + 1) === DASH))) {
        out[key] = this.literal(indent, end, valueStart + 2 === end);
        if (this.at < this.count && (this.indents[this.at] ?? 0) > indent) throw OUTSIDE;
      } else {
        const c = text.charCodeAt(valueStart);
        // Every known word starts with a letter: no lookup for a quoted value, a path or a number.
        if (c === 34 || c === 39) out[key] = this.quoted(valueStart, end);
        else out[key] = ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? known(text, valueStart, end) : undefined) ?? this.scalar(valueStart, end);
        // A more indented line after a scalar continues it (a multi-line scalar) or is an error.
        if (this.at < this.count && (this.indents[this.at] ?? 0) > indent) throw OUTSIDE;
      }
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    // Most sequences hold one item: the array is made at the end, of its size (an array grown by
    // push from empty has room for 17, garbage for every rule, path and TLS list of a fleet).
    let first: unknown = null;
    let out: unknown[] | undefined;
    let count = 0;
    const text = this.text;
    while (this.at < this.count) {
      const i = this.at;
      const lineIndent = this.indents[i] ?? 0;
      if (lineIndent < indent) break;
      if (lineIndent > indent) throw OUTSIDE;
      const start = this.starts[i] ?? 0;
      const end = this.ends[i] ?? 0;
      // Not an item (isItem(i), written out): the sequence ends.
      if (text.charCodeAt(start) !== DASH || (start + 1 !== end && text.charCodeAt(start + 1) !== SPACE)) break;
      let content = start + 1;
      while (content < end && text.charCodeAt(content) === SPACE) content++;
      let item: unknown;
      if (content >= end) {
        this.at++;
        const next = this.at < this.count ? (this.indents[this.at] ?? 0) : -1;
        // After an empty item js-yaml takes a less indented `- ` line as the next item of this sequence.
        if (next >= 0 && next < indent && this.isItem(this.at)) throw OUTSIDE;
        item = next > indent ? (this.isItem(this.at) ? this.sequence(next) : this.mapping(next)) : null;
      } else if (this.isMappingEntry(content, end)) {
        // `- key: value`: the item is a mapping whose first key starts at this column.
        const column = lineIndent + (content - start);
        this.indents[i] = column;
        this.starts[i] = content;
        item = this.mapping(column);
      } else {
        const c = text.charCodeAt(content);
        if (c === DASH && (content + 1 === end || text.charCodeAt(content + 1) === SPACE)) throw OUTSIDE;
        this.at++;
        item = this.scalar(content, end);
        if (this.at < this.count && (this.indents[this.at] ?? 0) > indent) throw OUTSIDE;
      }
      if (count === 0) first = item;
      else if (count === 1) out = [first, item];
      else out?.push(item);
      count++;
    }
    return count === 0 ? [] : count === 1 ? [first] : (out ?? []);
  }

  /**
   * A literal block scalar (`|` or `|-`) whose header ends at `from`, the value of a key of the
   * mapping at `indent`: its lines up to the first less indented one, as they are (annotation
   * snippets are written this way). Outside the subset: a blank line in or after it, an
   * indentation indicator, keep chomping (`|+`), an empty scalar.
   */
  private literal(indent: number, from: number, strip: boolean): string {
    const text = this.text;
    const length = text.length;
    let pos = text.indexOf('\n', from);
    if (pos === -1) throw OUTSIDE;
    pos++;
    let column = 0;
    const lines: string[] = [];
    while (pos < length) {
      let nl = text.indexOf('\n', pos);
      if (nl === -1) nl = length;
      let i = pos;
      while (i < nl && text.charCodeAt(i) === SPACE) i++;
      if (i === nl) throw OUTSIDE;
      if (column === 0) {
        if (i - pos <= indent) throw OUTSIDE;
        column = i - pos;
      } else if (i - pos < column) break;
      lines.push(text.slice(pos + column, nl));
      pos = nl + 1;
    }
    if (column === 0) throw OUTSIDE;
    // Its lines are in the line table too (all but those that look like comments): skip them.
    while (this.at < this.count && (this.starts[this.at] ?? 0) < pos) this.at++;
    const value = lines.join('\n');
    return strip ? value : `${value}\n`;
  }

  /** Whether the text from `from` to `to` is `key: …` or `key:` (not a scalar). */
  private isMappingEntry(from: number, to: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(from);
    if (c === 34 || c === 39) {
      const close = this.closingQuote(from, to);
      if (close === -1) return false;
      let p = close + 1;
      while (p < to && text.charCodeAt(p) === SPACE) p++;
      return p < to && text.charCodeAt(p) === 58 && (p + 1 === to || text.charCodeAt(p + 1) === SPACE);
    }
    // A `: ` or a final `:`, found as key() finds it.
    let colon = text.indexOf(':', from);
    while (colon !== -1 && colon + 1 < to && text.charCodeAt(colon + 1) !== SPACE) colon = text.indexOf(':', colon + 1);
    return colon !== -1 && colon < to;
  }

  /** Index of the quote that closes the quoted scalar starting at `from`, or -1. */
  private closingQuote(from: number, to: number): number {
    const text = this.text;
    const quote = text.charCodeAt(from);
    let p = from + 1;
    while (p < to) {
      const c = text.charCodeAt(p);
      if (quote === 34 && c === 92) p += 2;
      else if (c === quote) {
        if (quote === 39 && text.charCodeAt(p + 1) === 39) p += 2;
        else return p;
      } else p++;
    }
    return -1;
  }

  /** Where the value after the last key read starts (a field: an object returned per key was garbage). */
  private valueStart = 0;

  /** The key of the entry from `start` to `end`; sets valueStart. */
  private key(start: number, end: number): string {
    const text = this.text;
    const c = text.charCodeAt(start);
    let keyEnd: number;
    let key: string;
    if (c === 34 || c === 39) {
      const close = this.closingQuote(start, end);
      if (close === -1) throw OUTSIDE;
      key = this.quoted(start, close + 1);
      keyEnd = close + 1;
      while (keyEnd < end && text.charCodeAt(keyEnd) === SPACE) keyEnd++;
      if (text.charCodeAt(keyEnd) !== 58 || (keyEnd + 1 < end && text.charCodeAt(keyEnd + 1) !== SPACE)) throw OUTSIDE;
    } else {
      // The first `: `, or a final `:` (a search for one character costs less than for two).
      keyEnd = text.indexOf(':', start);
      while (keyEnd !== -1 && keyEnd + 1 < end && text.charCodeAt(keyEnd + 1) !== SPACE) keyEnd = text.indexOf(':', keyEnd + 1);
      if (keyEnd === -1 || keyEnd >= end) throw OUTSIDE;
      let plainEnd = keyEnd;
      while (plainEnd > start && text.charCodeAt(plainEnd - 1) === SPACE) plainEnd--;
      if (plainEnd === start) throw OUTSIDE;
      key = known(text, start, plainEnd) ?? String(this.plain(start, plainEnd));
    }
    let valueStart = keyEnd + 1;
    while (valueStart < end && text.charCodeAt(valueStart) === SPACE) valueStart++;
    this.valueStart = valueStart;
    return key;
  }

  /**
   * The one-line scalar from `from` to `to`, as written after `key: ` or `- ` (trailing spaces
   * already cut). Read in place in the text: only the value itself becomes a string.
   */
  private scalar(from: number, to: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(from);
    if (c === 34 || c === 39) return this.quoted(from, to);
    if (to - from === 2) {
      const second = text.charCodeAt(from + 1);
      if (c === 123 && second === 125) return {};
      if (c === 91 && second === 93) return [];
    }
    if (c === 91 && text.charCodeAt(to - 1) === 93) return this.flowSequence(text.slice(from, to));
    return this.plain(from, to);
  }

  /**
   * A one-line flow sequence as catalogues write it (`[a, 'b', "c"]`): plain items of letters,
   * digits and `_./-` (not led by `.` or `-`), quoted items without quotes or escapes inside, each
   * followed by `, ` or the closing bracket. Any other spelling is left to js-yaml.
   */
  private flowSequence(s: string): unknown[] {
    const out: unknown[] = [];
    const last = s.length - 1;
    let p = 1;
    for (;;) {
      const c = s.charCodeAt(p);
      let end: number;
      if (c === 34 || c === 39) {
        const close = s.indexOf(c === 34 ? '"' : "'", p + 1);
        if (close === -1 || close >= last || s.charCodeAt(close + 1) === c) throw OUTSIDE;
        const inner = s.slice(p + 1, close);
        if (c === 34 && inner.includes('\\')) throw OUTSIDE;
        out.push(inner);
        end = close + 1;
      } else {
        if (c === DASH || c === 46) throw OUTSIDE;
        end = p;
        while (end < last && FLOW_PLAIN[s.charCodeAt(end)] === 1) end++;
        if (end === p) throw OUTSIDE;
        out.push(this.typed(s.slice(p, end)));
      }
      if (end === last) return out;
      if (s.charCodeAt(end) !== 44 || s.charCodeAt(end + 1) !== SPACE) throw OUTSIDE;
      p = end + 2;
    }
  }

  /** The quoted scalar from `from` to `to` (quotes included). */
  private quoted(from: number, to: number): string {
    const text = this.text;
    if (to - from < 2) throw OUTSIDE;
    const last = to - 1;
    if (text.charCodeAt(from) === 39) {
      // '…' with every inner quote doubled.
      if (text.charCodeAt(last) !== 39) throw OUTSIDE;
      let doubled = false;
      for (let p = from + 1; p < last; p++) {
        if (text.charCodeAt(p) !== 39) continue;
        if (p + 1 >= last || text.charCodeAt(p + 1) !== 39) throw OUTSIDE;
        doubled = true;
        p++;
      }
      const inner = text.slice(from + 1, last);
      return doubled ? inner.replace(/''/g, "'") : inner;
    }
    if (text.charCodeAt(last) !== 34) throw OUTSIDE;
    let escaped = false;
    for (let p = from + 1; p < last; p++) {
      const c = text.charCodeAt(p);
      if (c === 92) escaped = true;
      else if (c === 34 && !escaped) throw OUTSIDE;
    }
    if (!escaped) return text.slice(from + 1, last);
    // JSON's escapes are a subset of YAML's, with the same meaning; YAML-only escapes fall back.
    try {
      return JSON.parse(text.slice(from, to)) as string;
    } catch {
      throw OUTSIDE;
    }
  }

  /** The plain scalar from `from` to `to`. */
  private plain(from: number, to: number): unknown {
    const s = this.text.slice(from, to);
    // A comment after the value, a colon that would start a mapping: left to js-yaml.
    // Both need a space: most values have none, and one search tells.
    if ((s.includes(' ') && (s.includes(' #') || s.includes(': '))) || s.charCodeAt(s.length - 1) === 58) throw OUTSIDE;
    return this.typed(s);
  }

  /** A plain scalar without ` #`, `: ` or a final `:`, typed as js-yaml types it. */
  private typed(s: string): unknown {
    const c = s.charCodeAt(0);
    // Letters first (most values): none is an indicator, and only a few spellings are null or a bool.
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90))
      return s.length <= 5 && (c === 116 || c === 102 || c === 110 || c === 84 || c === 70 || c === 78) && LETTER_KEYWORDS.has(s) ? this.resolve(s) : s;
    // Indicators that cannot start a plain scalar, and `-`, `?`, `:` followed by a space or nothing.
    if (INDICATOR[c] === 1) throw OUTSIDE;
    if ((c === DASH || c === 63 || c === 58) && (s.length === 1 || s.charCodeAt(1) === SPACE)) throw OUTSIDE;
    if (s === '~') return null;
    if (s === '<<') throw OUTSIDE;
    // Only these can be a core-schema int or float (decimal, 0x, 0o, 0b, `_`, exponents, .inf, .nan):
    // anything else (a path's `/`…) is a string without a test of the pattern.
    if (!((c >= 48 && c <= 57) || c === DASH || c === DOT || c === 43)) return s;
    // Up to 9 digits, not led by 0 (ports, counts): a decimal int under any js-yaml schema.
    if (c >= 49 && c <= 57 && s.length <= 9 && isDigits(s)) return Number(s);
    if (!NUMBERISH.test(s)) return s;
    const value = this.resolve(s);
    if (typeof value === 'object' && value !== null) throw OUTSIDE;
    return value;
  }
}

const READER = new Reader();

/**
 * Keys and plain values every Kubernetes manifest repeats, by first character. Each is a plain
 * scalar that reads as itself (a letter first, no keyword, no `: `, ` #` or final `:`), so the
 * reader can take the constant instead of slicing the text and checking it: no new string per
 * occurrence, and a key that needs no lookup in V8's string table.
 */
export const KNOWN_WORDS: readonly string[] = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'namespace',
  'annotations',
  'labels',
  'creationTimestamp',
  'spec',
  'ingressClassName',
  'defaultBackend',
  'rules',
  'host',
  'http',
  'paths',
  'path',
  'pathType',
  'backend',
  'service',
  'port',
  'number',
  'tls',
  'hosts',
  'secretName',
  'items',
  'data',
  'ports',
  'protocol',
  'targetPort',
  'selector',
  'type',
  'Ingress',
  'Service',
  'ConfigMap',
  'IngressClass',
  'List',
  'Prefix',
  'Exact',
  'ImplementationSpecific',
  'nginx',
  'TCP',
  'ClusterIP',
  'v1',
  'networking.k8s.io/v1',
];
/**
 * The known words by a hash of their length and first, second and last characters: one slot to
 * compare instead of a list per first character (a lookup runs for every key and plain value). A
 * word whose slot is taken is simply not known: it is then read as any other plain scalar.
 */
const KNOWN_SLOTS = 1024;
const KNOWN: (string | undefined)[] = new Array<string | undefined>(KNOWN_SLOTS).fill(undefined);
for (const word of KNOWN_WORDS) {
  const slot = knownSlot(word.length, word.charCodeAt(0), word.charCodeAt(1), word.charCodeAt(word.length - 1));
  KNOWN[slot] ??= word;
}

function knownSlot(length: number, first: number, second: number, last: number): number {
  return (length * 31 + first * 7 + second * 3 + last) & (KNOWN_SLOTS - 1);
}

/** Whether `word` has a slot of its own (block-yaml.test.ts checks every known word has). */
export function isKnownWord(word: string): boolean {
  return known(word, 0, word.length) === word;
}

/** The known word that the text from `start` to `end` spells, if any. */
function known(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  if (length < 2) return undefined;
  // knownSlot(), written out: the call cost as much as the rest.
  const word = KNOWN[(length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(start + 1) * 3 + text.charCodeAt(end - 1)) & (KNOWN_SLOTS - 1)];
  if (word === undefined || word.length !== length) return undefined;
  // A short loop costs less than a call to startsWith.
  for (let k = length - 2; k >= 0; k--) if (text.charCodeAt(start + k) !== word.charCodeAt(k)) return undefined;
  return word;
}

function isDigits(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** 1 for the characters of a flow sequence's plain item (see flowSequence). */
const FLOW_PLAIN = new Uint8Array(128);
for (const ch of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-') FLOW_PLAIN[ch.charCodeAt(0)] = 1;

/** 1 for characters that cannot start a plain scalar: `,[]{}#&*!|>'"%@` and backquote. */
const INDICATOR = new Uint8Array(128);
for (const ch of ',[]{}#&*!|>\'"%@`') INDICATOR[ch.charCodeAt(0)] = 1;
