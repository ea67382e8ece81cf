// Writing results to disk: every file goes to a temporary name first and is renamed
// into place only when all were written, so an error never leaves half a result.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../emit/objects.js';
import { byNamespace, serialize, type OutputFormat } from '../emit/serialize.js';
import { CliError, EXIT } from './exit-codes.js';

export async function writeFiles(dir: string, files: [name: string, content: string][]): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`${dir}: cannot create directory (${err.code ?? err.message})`, EXIT.input);
  });
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of files) {
      const final = path.join(dir, name);
      const tmp = `${final}.tmp-${process.pid}`;
      await fs.writeFile(tmp, content);
      staged.push([tmp, final]);
    }
    for (const [tmp, final] of staged) await fs.rename(tmp, final);
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => fs.rm(tmp, { force: true })));
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`${dir}: cannot write (${e.code ?? e.message})`, EXIT.input);
  }
  return staged.map(([, final]) => final);
}

/** One file per namespace: `<dir>/<namespace>.yaml`. */
export function namespaceFiles(objects: KubeObject[], format: OutputFormat): [string, string][] {
  const ext = format === 'json' ? 'json' : 'yaml';
  return [...byNamespace(objects)].map(([ns, list]) => [`${ns}.${ext}`, serialize(list, format)]);
}
