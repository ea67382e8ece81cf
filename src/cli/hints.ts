// One-line hints the commands print when a run did less than the user probably meant.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `-f dir` without -R that found no Ingress: name the sub-directories -R would have read. */
export async function subdirectoryHint(names: string[], recursive: boolean): Promise<string | undefined> {
  if (recursive) return undefined;
  const withSubdirs: string[] = [];
  for (const name of names) {
    if (name === '-') continue;
    const entries = await fs.readdir(name, { withFileTypes: true }).catch(() => []);
    const subdirs = entries.filter((e) => e.isDirectory()).length;
    if (subdirs > 0) withSubdirs.push(`${name} (${subdirs} sub-director${subdirs === 1 ? 'y' : 'ies'}, e.g. ${path.join(name, entries.find((e) => e.isDirectory())!.name)})`);
  }
  return withSubdirs.length > 0 ? `hint: without -R only the files directly in a directory are read; ${withSubdirs.join(', ')} not read: add -R` : undefined;
}

/**
 * Ingresses left out because their class is another one whose name looks like an nginx class
 * (nginx-internal, public-nginx...): often a second ingress-nginx the user also moves. Shown without -v.
 */
export function otherNginxClassHints(skipped: { ingress: string; reason: string }[], ingressClass: string): string[] {
  const byClass = new Map<string, string[]>();
  for (const s of skipped) {
    const cls = /^class (\S+)/.exec(s.reason)?.[1];
    if (cls && cls !== ingressClass && /nginx/i.test(cls)) byClass.set(cls, [...(byClass.get(cls) ?? []), s.ingress]);
  }
  return [...byClass.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cls, list]) => {
      const shown = list.slice(0, 5).join(', ') + (list.length > 5 ? `, … ${list.length - 5} more` : '');
      return `note: ${list.length} Ingress(es) of class "${cls}" not converted (${shown}); --ingress-class ${cls} converts them`;
    });
}
