// Host-wide notes from the emitters: one finding per (host, Ingress, kind), listing
// the paths it concerns in data.paths, instead of one line per route.
import { finding, withData, type Finding, type FindingId, type Severity } from '../model/findings.js';

interface Note {
  finding: Finding;
  paths?: Set<string>;
}

/** Collects host-wide notes so each is said once per host, not once per route. */
export class HostNotes {
  private readonly seen = new Map<string, Note>();

  constructor(private readonly out: Finding[]) {}

  add(f: Finding, path?: string): void {
    const s = f.subject;
    this.collect(`${s.host ?? ''} ${f.id} ${s.ingresses.join(',')} ${s.annotation ?? ''} ${f.message}`, f, path);
  }

  /**
   * A note about one path of one Ingress whose data is `{ [field]: value }` (or none): the same
   * as add(finding(id, severity, { ingresses: [ingress], host }, data), path), but the finding is
   * only built the first time. Most routes repeat a note their host already has.
   */
  addPath(id: FindingId, severity: Severity, host: string, ingress: string, field: 'reason' | 'target' | undefined, value: string, path: string): void {
    // The routes of an Ingress on a host come one after another and mostly repeat the note: the
    // last one is found without building its key (a string per route, hashed for the map).
    const last = this.last;
    if (last !== undefined && last.host === host && last.id === id && last.ingress === ingress && last.value === value) {
      (last.note.paths ??= new Set()).add(path);
      return;
    }
    // The value decides the message (the only data): it stands for it in the key. `\n` keeps these keys apart from add()'s.
    const key = `\n${host} ${id} ${ingress} ${value}`;
    let note = this.seen.get(key);
    if (note) (note.paths ??= new Set()).add(path);
    else {
      this.collect(key, finding(id, severity, { ingresses: [ingress], host }, field === undefined ? {} : { [field]: value }), path);
      note = this.seen.get(key)!;
    }
    this.last = { host, id, ingress, value, note };
  }

  /** The note addPath gave a path last, with what identifies it. */
  private last: { host: string; id: FindingId; ingress: string; value: string; note: Note } | undefined;

  private collect(key: string, f: Finding, path: string | undefined): void {
    let note = this.seen.get(key);
    if (!note) {
      note = { finding: f };
      this.seen.set(key, note);
    }
    if (path !== undefined) (note.paths ??= new Set()).add(path);
  }

  flush(): void {
    for (const { finding: f, paths } of this.seen.values()) this.out.push(paths ? withData(f, { paths: [...paths].sort() }) : f);
  }
}
