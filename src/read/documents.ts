// Splits a text into documents and parses each on its own, so that one broken
// document is reported with its number and line while the others still parse.
// Documents are handed over one at a time: a caller that normalizes each as it comes
// never holds more than one parsed document of a large file.
import yaml from 'js-yaml';
import { finding, type Finding } from '../model/findings.js';
import { isAsciiText, NOT_BLOCK_YAML, parseBlockYaml, parseScanned, scanDocument, scannedDocument } from './block-yaml.js';

export interface RawDocument {
  value: unknown;
  /** 0-based index of the document within its file. */
  index: number;
  /** 1-based line where the document starts. */
  line: number;
}

export interface ParsedText {
  documents: RawDocument[];
  findings: Finding[];
}

/**
 * YAML 1.2 core types plus merge keys, as Kubernetes reads YAML: an unquoted timestamp stays a
 * string (js-yaml's default schema makes it a Date, and creationTimestamp was lost), and the
 * parser no longer tests every plain scalar against the timestamp pattern.
 */
const MERGE = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [MERGE] });
const DOC_SEPARATOR = /^---[ \t]*(?:#.*)?\r?$/;
const DOC_END = /^\.\.\.[ \t]*\r?$/;
const DASH = 45;
const DOT = 46;

/** Parse multi-document YAML (JSON is YAML too, and parsed natively when it looks like JSON). */
export function parseDocuments(text: string, source: string): ParsedText {
  const documents: RawDocument[] = [];
  const findings: Finding[] = [];
  forEachDocument(text, source, {
    document: (value, index, line) => documents.push({ value, index, line }),
    error: (finding) => findings.push(finding),
  });
  return { documents, findings };
}

/** What forEachDocument hands over: each document (unless empty) as parsed, or its parse error. */
export interface DocumentVisitor {
  /** `index`: 0-based within the file; `line`: 1-based line where the document starts. */
  document(value: unknown, index: number, line: number): void;
  error(finding: Finding): void;
}

/**
 * Each document of the text, in order, one at a time: a caller that normalizes each as it comes
 * never holds more than one parsed document of a large file. Calls, not a generator: a generator's
 * resumption and a result object per document cost more than the call.
 */
export function forEachDocument(text: string, source: string, visit: DocumentVisitor): void {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      // Not strict JSON (comments, trailing commas, JSON Lines…): fall through to YAML.
    }
    if (parsed) {
      visit.document(value, 0, 1);
      return;
    }
  }
  // Checked once for the whole text rather than per document.
  const ascii = isAsciiText(text);
  if (ascii && IMPLICIT_TYPES) {
    eachAsciiDocument(text, source, visit);
    return;
  }
  eachChunk(splitDocuments(text, 0, 1), source, 0, ascii, visit);
}

/** Parses each chunk (blank ones skipped), counting documents from `index`. */
function eachChunk(chunks: Iterable<Chunk>, source: string, index: number, ascii: boolean, visit: DocumentVisitor): void {
  for (const chunk of chunks) {
    if (isBlank(chunk.text)) continue;
    // The block YAML that tools write is read by parseBlockYaml (≈ 3× faster, same values);
    // everything else, and every error, by js-yaml.
    const value: unknown = IMPLICIT_TYPES ? parseBlockYaml(chunk.text, resolveScalar, false, ascii) : NOT_BLOCK_YAML;
    visitDocument(value, chunk.text, source, index, chunk.line, visit);
    index++;
  }
}

/** Hands over the document (unless empty) or its parse error; `value` is the block reader's. */
function visitDocument(value: unknown, text: string, source: string, index: number, line: number, visit: DocumentVisitor, from = 0, to = text.length): void {
  try {
    // The document's own text (from `from` to `to`) is only cut out for js-yaml.
    if (value === NOT_BLOCK_YAML) value = yaml.load(from === 0 && to === text.length ? text : text.slice(from, to), { filename: source, json: true, schema: SCHEMA });
  } catch (err) {
    visit.error(parseError(source, index, line + errorLine(err), yamlReason(err)));
    return;
  }
  if (value !== null && value !== undefined) visit.document(value, index, line);
}

/**
 * eachChunk(splitDocuments(text)) for a text of printable ASCII: each document is read where it
 * is, in the pass that finds its end (no second pass over every line to split the text, no
 * copy of each document). A `--- content` line hands the rest to splitDocuments.
 */
function eachAsciiDocument(text: string, source: string, visit: DocumentVisitor): void {
  const length = text.length;
  let pos = 0;
  let line = 1;
  let index = 0;
  for (;;) {
    const stop = scanDocument(text, pos, isSeparator);
    const scanned = scannedDocument();
    // Read before the document is handed over (the next scan overwrites them).
    const lines = scanned.lines;
    if (!scanned.blank) {
      visitDocument(parseScanned(text, resolveScalar), text, source, index, line, visit, pos, stop);
      index++;
    }
    if (stop >= length) return;
    // `stop` starts a separator line, the document's lines before it.
    const separatorLine = line + lines;
    const nl = text.indexOf('\n', stop);
    if (separatorKind(text.slice(stop, nl === -1 ? length : nl)) === INLINE) {
      eachChunk(splitDocuments(text, stop, separatorLine), source, index, true, visit);
      return;
    }
    pos = nl === -1 ? length : nl + 1;
    line = separatorLine + 1;
  }
}

const SEPARATOR = 1;
const DOC_END_MARK = 2;
const INLINE = 3;

/** A function of the line alone (a closure over the text kept the text alive one collection longer). */
const isSeparator = (line: string): boolean => separatorKind(line) !== 0;

/** Whether a line led by `-` or `.` ends a document: `---`, `...`, or `--- ` with content after it. */
function separatorKind(line: string): number {
  const first = line.charCodeAt(0);
  if (first === DASH && DOC_SEPARATOR.test(line)) return SEPARATOR;
  if (first === DOT && DOC_END.test(line)) return DOC_END_MARK;
  // `--- !tag` or `--- {inline}` style: the content after the marker belongs to the new document.
  return line.startsWith('--- ') ? INLINE : 0;
}

/**
 * js-yaml's own resolution of a plain scalar (the schema's implicit types, in order: null, bool,
 * int, float, merge), exactly as its loader does it. The list is js-yaml's compiled schema; should a
 * future js-yaml not expose it, every document goes through js-yaml.
 */
const IMPLICIT = (SCHEMA as unknown as { compiledImplicit?: unknown }).compiledImplicit;
const IMPLICIT_TYPES: yaml.Type[] | undefined = Array.isArray(IMPLICIT) && IMPLICIT.every((t) => t instanceof yaml.Type) ? IMPLICIT : undefined;

function resolveScalar(plain: string): unknown {
  for (const type of IMPLICIT_TYPES ?? []) if (type.resolve(plain)) return type.construct(plain) as unknown;
  return plain;
}

const DEFAULT_IMPLICIT = (yaml.DEFAULT_SCHEMA as unknown as { compiledImplicit?: unknown }).compiledImplicit;
const DEFAULT_TYPES: yaml.Type[] | undefined = Array.isArray(DEFAULT_IMPLICIT) && DEFAULT_IMPLICIT.every((t) => t instanceof yaml.Type) ? DEFAULT_IMPLICIT : undefined;

function resolveDefault(plain: string): unknown {
  for (const type of DEFAULT_TYPES ?? []) if (type.resolve(plain)) return type.construct(plain) as unknown;
  return plain;
}

/**
 * What could start a YAML timestamp (`2001-12-14`…) where a plain scalar can start (a line's
 * start, after `: `, `- `, `[` or `, `): the default schema makes it a Date, the block reader does not.
 */
const TIMESTAMP_LIKE = /(?:^ *|[:\-[,] *)[0-9]{4}-[0-9]/m;

/**
 * `yaml.load(text)`, js-yaml's default schema, for the data files the tool ships (mappings/): the
 * block reader takes the files it reads the same way (≈ 3× faster at start-up, where js-yaml is
 * still cold); anything that could differ (a possible timestamp, a repeated key, anything outside
 * its subset) goes to js-yaml, which also words any error.
 */
export function loadYaml(text: string): unknown {
  if (DEFAULT_TYPES && !TIMESTAMP_LIKE.test(text)) {
    const value = parseBlockYaml(text, resolveDefault, true);
    if (value !== NOT_BLOCK_YAML) return value;
  }
  return yaml.load(text);
}

/** Names the file; the message, the document by number (1-based, as a person counts) and the line of the error. */
function parseError(source: string, index: number, line: number, reason: string): Finding {
  return finding('input.parse-error', 'error', { source }, { file: source, document: index + 1, line, reason: `document ${index + 1} (line ${line}): ${reason}` });
}

interface Chunk {
  text: string;
  line: number;
}

/**
 * A `---` line at column 0 always starts a new document (block scalars are indented).
 * Walks the text line by line with indexOf; each document is one slice of the text.
 */
function* splitDocuments(text: string, from: number, fromLine: number): Generator<Chunk> {
  let docStart = from;
  let docLine = fromLine;
  let prefix = '';
  let lineNo = fromLine;
  let pos = from;
  const length = text.length;
  while (pos <= length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? length : nl;
    const first = text.charCodeAt(pos);
    if (first === DASH || first === DOT) {
      const line = text.slice(pos, end);
      const kind = separatorKind(line);
      if (kind !== 0) {
        yield { text: prefix + text.slice(docStart, pos), line: docLine };
        if (kind === INLINE) {
          prefix = `${line.slice(4)}\n`;
          docLine = lineNo;
        } else {
          prefix = '';
          docLine = lineNo + 1;
        }
        docStart = nl === -1 ? length : nl + 1;
      }
    }
    if (nl === -1) break;
    pos = nl + 1;
    lineNo++;
  }
  yield { text: prefix + text.slice(docStart), line: docLine };
}

/** Only whitespace, comments and directives. */
function isBlank(text: string): boolean {
  const length = text.length;
  let pos = 0;
  while (pos < length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? length : nl;
    let i = pos;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i++;
    if (i < end) {
      const c = text.charCodeAt(i);
      // '#' anywhere after indentation is a comment; '%' at column 0 a directive.
      if (c !== 35 && !(c === 37 && i === pos)) return false;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return true;
}

function errorLine(err: unknown): number {
  const mark = (err as { mark?: { line?: number } }).mark;
  return typeof mark?.line === 'number' ? mark.line : 0;
}

function yamlReason(err: unknown): string {
  const reason = (err as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  return err instanceof Error ? (err.message.split('\n')[0] ?? 'parse error') : 'parse error';
}
