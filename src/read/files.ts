// Reads the files, directories and stdin named by -f, streaming file by file so
// that memory holds one file's text at a time, never the whole input as text.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { forEachDocument } from './documents.js';
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
  /** Kustomization directories (-k), rendered with `kubectl kustomize`. */
  kustomizations?: string[];
}

export async function readInputs(names: string[], opts: ReadFilesOptions): Promise<Collected> {
  const files = await expandNames(names, opts.recursive);
  const collected = emptyCollected();
  for (const file of files) {
    const text = file === '-' ? await (opts.readStdin ?? readStdin)() : await readFileText(file);
    const source = file === '-' ? '<stdin>' : file;
    refuseTemplate(text, source);
    collectText(text, source, opts, collected);
  }
  for (const dir of opts.kustomizations ?? []) collectText(await renderKustomization(dir), `kustomize ${dir}`, opts, collected);
  return collected;
}

const HELM_FILES = new Set(['Chart.yaml', 'Chart.yml', 'values.yaml', 'values.yml']);
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** `{{ .Values.x }}`, `{{- include … }}`, `{{ if … }}`: Go template actions, never valid manifests. */
const GO_TEMPLATE = /\{\{-?\s*(?:[.$]|(?:include|template|if|else|end|range|with|define|block|toYaml|tpl|printf|quote|default|required|lookup)\b)/;

const renderHint = (what: string): string => `render it first (helm template RELEASE ${what} > rendered.yaml) and pass the rendered file with -f`;

/** A Helm template or a chart's own files are not manifests: one clear line instead of parse errors. */
function refuseTemplate(text: string, source: string): void {
  // indexOf finds no `{{` in a plain manifest far faster than the regex scans it.
  if (!text.includes('{{')) return;
  const match = GO_TEMPLATE.exec(text);
  if (!match) return;
  const line = text.slice(0, match.index).split('\n').length;
  throw new InputError(`${source}: line ${line} holds a Go template action (${match[0]}…): this is a Helm template, not a manifest; ${renderHint('CHART_DIR')}`);
}

/** A directory that is a Helm chart or a kustomization is refused with what to run instead. */
function refuseSpecialDirectory(dir: string, entries: string[]): void {
  if (entries.includes('Chart.yaml') || entries.includes('Chart.yml')) throw new InputError(`${dir} is a Helm chart: ${renderHint(dir)}`);
  const kustomization = entries.find((e) => KUSTOMIZATION_FILES.has(e));
  if (kustomization) throw new InputError(`${dir} is a kustomization (${kustomization}): read it with -k ${dir}, which renders it with kubectl kustomize`);
}

/** `kubectl kustomize DIR`: the manifests as kubectl apply -k would send them. */
export async function renderKustomization(dir: string, kubectl = process.env.INGRESS2CONTOUR_KUBECTL ?? 'kubectl'): Promise<string> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new InputError(`-k ${dir}: not a directory`);
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['kustomize', dir], { maxBuffer: MAX_FILE_BYTES, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT')
        return reject(new InputError(`-k ${dir}: kubectl is not installed (or not on PATH); install it, or render with kustomize build ${dir} > rendered.yaml and pass -f rendered.yaml`));
      const reason = stderr.split('\n').find((l) => l.trim() !== '') ?? e.message.split('\n')[0] ?? 'failed';
      reject(new InputError(`-k ${dir}: kubectl kustomize failed: ${reason.replace(/^error: /, '')}`));
    });
  });
}

export function collectText(text: string, source: string, opts: NormalizeOptions, into: Collected): void {
  forEachDocument(text, source, {
    document: (value, index, line) => collectDocument(value, { source, document: index, line }, opts, into),
    error: (finding) => into.findings.push(finding),
  });
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
    if (stat.isDirectory()) {
      for (const file of await listDirectory(name, recursive)) out.push(file);
    } else if (HELM_FILES.has(path.basename(name))) {
      throw new InputError(`${name} belongs to a Helm chart, it is not a manifest: ${renderHint(path.dirname(name))}`);
    } else out.push(name);
  }
  return out;
}

async function listDirectory(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${dir}: cannot read directory (${err.code ?? err.message})`);
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  refuseSpecialDirectory(
    dir,
    entries.filter((e) => !e.isDirectory()).map((e) => e.name),
  );
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Depth is the directory tree's, not the input size's.
      if (recursive) for (const file of await listDirectory(full, true)) out.push(file);
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
    // Decoded in one piece: readFile with an encoding decodes chunk by chunk into a concatenation,
    // which the first search over it copies again into one flat string.
    return (await fs.readFile(file)).toString('utf8');
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
