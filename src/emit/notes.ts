// Host-wide notes from the emitters: one finding per (host, Ingress, kind), listing
// the paths it concerns in data.paths, instead of one line per route.
import { withData, type Finding } from '../model/findings.js';

/** Collects host-wide notes so each is said once per host, not once per route. */
export class HostNotes {
  private readonly seen = new Map<string, Finding>();
  private readonly paths = new Map<string, Set<string>>();

  constructor(private readonly out: Finding[]) {}

  add(f: Finding, path?: string): void {
    const s = f.subject;
    const key = `${s.host ?? ''} ${f.id} ${s.ingresses.join(',')} ${s.annotation ?? ''} ${f.message}`;
    if (!this.seen.has(key)) this.seen.set(key, f);
    if (path !== undefined) {
      const set = this.paths.get(key) ?? new Set<string>();
      set.add(path);
      this.paths.set(key, set);
    }
  }

  flush(): void {
    for (const [key, f] of this.seen) {
      const paths = this.paths.get(key);
      this.out.push(paths ? withData(f, { paths: [...paths].sort() }) : f);
    }
  }
}
