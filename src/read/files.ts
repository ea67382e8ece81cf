// Reads the files, directories and stdin named by -f, streaming file by file so
// that memory holds one file's text at a time, never the whole input as text.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { eachDocument } from './documents.js';
import { collectDocument, emptyCollected, type Collected, type NormalizeOptions } from './normalize.js';

/** Larger files are refused: js strings top out near 512 MiB and nobody edits that by hand. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Raised for input that cannot be read at all (missing file, unreadable directory). */
export class InputError extends Error {}

export interface ReadFilesOptions extends NormalizeOptions {
  recursive: boolean;
  /** Reads all of stdin; injectable for tests. */
  readStdin?: () => Promise<string>;
}

export async function readInputs(names: string[], opts: ReadFilesOptions): Promise<Collected> {
  const files = await expandNames(names, opts.recursive);
  const collected = emptyCollected();
  for (const file of files) {
    const text = file === '-' ? await (opts.readStdin ?? readStdin)() : await readFileText(file);
    collectText(text, file === '-' ? '<stdin>' : file, opts, collected);
  }
  return collected;
}

export function collectText(text: string, source: string, opts: NormalizeOptions, into: Collected): void {
  for (const item of eachDocument(text, source)) {
    if (item.finding) into.findings.push(item.finding);
    else collectDocument(item.document.value, { source, document: item.document.index, line: item.document.line }, opts, into);
  }
}

/** Files in the order given; directory entries sorted so output never depends on the file system. */
async function expandNames(names: string[], recursive: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    if (name === '-') {
      out.push('-');
      continue;
    }
    const stat = await fs.stat(name).catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`${name}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`);
    });
    if (stat.isDirectory()) out.push(...(await listDirectory(name, recursive)));
    else out.push(name);
  }
  return out;
}

async function listDirectory(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${dir}: cannot read directory (${err.code ?? err.message})`);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await listDirectory(full, true)));
    } else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

async function readFileText(file: string): Promise<string> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_FILE_BYTES) throw new InputError(`${file}: ${stat.size} bytes is over the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit per file; split it`);
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`${file}: cannot read (${e.code ?? e.message})`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_FILE_BYTES) throw new InputError(`<stdin>: more than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
