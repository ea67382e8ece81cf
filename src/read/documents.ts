// Splits a text into documents and parses each on its own, so that one broken
// document is reported with its index and line while the others still convert.
import yaml from 'js-yaml';
import { finding, type Finding } from '../model/findings.js';

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

const DOC_SEPARATOR = /^---[ \t]*(?:#.*)?$/;
const DOC_END = /^\.\.\.[ \t]*$/;

/** Parse multi-document YAML (JSON is YAML too, and parsed natively when it looks like JSON). */
export function parseDocuments(text: string, source: string): ParsedText {
  const documents: RawDocument[] = [];
  const findings: Finding[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      documents.push({ value: JSON.parse(text), index: 0, line: 1 });
      return { documents, findings };
    } catch {
      // Not strict JSON (comments, trailing commas, JSON Lines…): fall through to YAML.
    }
  }
  let index = 0;
  for (const chunk of splitDocuments(text)) {
    if (chunk.text.trim() === '' || isOnlyComments(chunk.text)) continue;
    try {
      const value = yaml.load(chunk.text, { filename: source, json: true });
      if (value !== null && value !== undefined) documents.push({ value, index, line: chunk.line });
    } catch (err) {
      findings.push(finding('input.parse-error', 'error', { source: `${source}#${index}` }, { document: index, line: chunk.line + errorLine(err), reason: `document ${index} (line ${chunk.line + errorLine(err)}): ${yamlReason(err)}` }));
    }
    index++;
  }
  return { documents, findings };
}

interface Chunk {
  text: string;
  line: number;
}

/** A `---` line at column 0 always starts a new document (block scalars are indented). */
function splitDocuments(text: string): Chunk[] {
  const lines = text.split(/\r?\n/);
  const chunks: Chunk[] = [];
  let start = 0;
  let current: string[] = [];
  const flush = (): void => {
    chunks.push({ text: current.join('\n'), line: start + 1 });
    current = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (DOC_SEPARATOR.test(line)) {
      flush();
      start = i + 1;
      continue;
    }
    if (DOC_END.test(line)) {
      flush();
      start = i + 1;
      continue;
    }
    // `--- !tag` or `--- {inline}` style: the content after the marker belongs to the new document.
    if (line.startsWith('--- ')) {
      flush();
      start = i;
      current.push(line.slice(4));
      continue;
    }
    current.push(line);
  }
  flush();
  return chunks;
}

function isOnlyComments(text: string): boolean {
  return text.split('\n').every((l) => l.trim() === '' || l.trimStart().startsWith('#') || l.startsWith('%'));
}

function errorLine(err: unknown): number {
  const mark = (err as { mark?: { line?: number } }).mark;
  return typeof mark?.line === 'number' ? mark.line : 0;
}

function yamlReason(err: unknown): string {
  const reason = (err as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  return err instanceof Error ? err.message.split('\n')[0] ?? 'parse error' : 'parse error';
}
