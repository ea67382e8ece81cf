// Host-wide notes from the emitters: one finding per (host, Ingress, kind), listing
// the paths it concerns in data.paths, instead of one line per route.
import { finding, withData, type Finding, type FindingId, type Severity } from '../model/findings.js';
import { sortedUnique } from '../model/hosts.js';

/**
 * A note from add() (its finding) or from addPath() (what its finding is made of: it is built
 * once, at flush, with its paths). A class: every note has one shape.
 */
class Note {
  /** Each path once it is sorted and deduplicated at flush (no Set per note). */
  paths: string[] | undefined = undefined;

  constructor(
    readonly finding: Finding | undefined,
    readonly id: FindingId,
    readonly severity: Severity,
    readonly host: string,
    readonly ingress: string,
    readonly field: 'reason' | 'target' | undefined,
    readonly value: string,
  ) {}
}

/** Collects host-wide notes so each is said once per host, not once per route. */
export class HostNotes {
  private readonly seen = new Map<string, Note>();

  constructor(private readonly out: Finding[]) {}

  add(f: Finding, path?: string): void {
    const s = f.subject;
    const key = `${s.host ?? ''} ${f.id} ${s.ingresses.join(',')} ${s.annotation ?? ''} ${f.message}`;
    let note = this.seen.get(key);
    if (!note) {
      note = new Note(f, f.id, f.severity, '', '', undefined, '');
      this.seen.set(key, note);
    }
    if (path !== undefined) addTo(note, path);
  }

  /**
   * A note about one path of one Ingress whose data is `{ [field]: value }` (or none): the same
   * as add(finding(id, severity, { ingresses: [ingress], host }, data), path), but the finding is
   * built once, at flush, with its paths. Most routes repeat a note their host already has.
   */
  addPath(id: FindingId, severity: Severity, host: string, ingress: string, field: 'reason' | 'target' | undefined, value: string, path: string): void {
    // The routes of an Ingress on a host come one after another and mostly repeat the note: the
    // last one is found without building its key (a string per route, hashed for the map).
    const last = this.last;
    if (last !== undefined && last.host === host && last.id === id && last.ingress === ingress && last.value === value) {
      addTo(last, path);
      return;
    }
    // The value decides the message (the only data): it stands for it in the key. `\n` keeps these keys apart from add()'s.
    const key = `\n${host} ${id} ${ingress} ${value}`;
    let note = this.seen.get(key);
    if (note) addTo(note, path);
    else {
      note = new Note(undefined, id, severity, host, ingress, field, value);
      note.paths = [path];
      this.seen.set(key, note);
    }
    this.last = note;
  }

  /** The note addPath gave a path last. */
  private last: Note | undefined;

  flush(): void {
    for (const note of this.seen.values()) {
      const paths = note.paths && sortedPaths(note.paths);
      if (note.finding) this.out.push(paths ? withData(note.finding, { paths }) : note.finding);
      else this.out.push(finding(note.id, note.severity, { ingresses: [note.ingress], host: note.host }, pathData(note.field, note.value, paths ?? [])));
    }
  }
}

function addTo(note: Note, path: string): void {
  if (note.paths === undefined) note.paths = [path];
  // Consecutive routes often repeat a path (the exact and prefix routes of one location).
  else if (note.paths[note.paths.length - 1] !== path) note.paths.push(path);
}

/** Sorted, each once, in a list of its size: it is kept in the finding to the end (a list grown by push keeps room for 17). */
function sortedPaths(paths: string[]): string[] {
  if (paths.length === 1) return paths;
  sortedUnique(paths);
  return paths.slice();
}

/**
 * The data of an addPath note: a literal per field, the keys in the order withData gave them.
 * (A spread of the data plus `paths` made a hidden class per note: 7k at 20k Ingresses.)
 */
function pathData(field: 'reason' | 'target' | undefined, value: string, paths: string[]): Finding['data'] {
  if (field === 'reason') return { reason: value, paths };
  if (field === 'target') return { target: value, paths };
  return { paths };
}
