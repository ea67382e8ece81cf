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
    // The value decides the message (the only data): it stands for it in the key. `\n` keeps these keys apart from add()'s.
    const key = `\n${host} ${id} ${ingress} ${value}`;
    const note = this.seen.get(key);
    if (note) (note.paths ??= new Set()).add(path);
    else this.collect(key, finding(id, severity, { ingresses: [ingress], host }, field === undefined ? {} : { [field]: value }), path);
  }

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
