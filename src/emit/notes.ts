// Host-wide notes from the emitters: one finding per (host, Ingress, kind), listing
// the paths it concerns, instead of one line per route.
import type { Finding } from '../model/findings.js';

/** Collects host-wide notes so each is said once per host, not once per route. */
export class HostNotes {
  private readonly seen = new Map<string, Finding>();
  private readonly details = new Map<string, Set<string>>();

  constructor(private readonly out: Finding[]) {}

  add(host: string, f: Finding, detail?: string): void {
    const key = `${host} ${f.id} ${f.object ?? ''} ${f.annotation ?? ''} ${f.message}`;
    if (!this.seen.has(key)) this.seen.set(key, f);
    if (detail) {
      const set = this.details.get(key) ?? new Set<string>();
      set.add(detail);
      this.details.set(key, set);
    }
  }

  flush(): void {
    for (const [key, f] of this.seen) {
      const d = this.details.get(key);
      this.out.push(d ? { ...f, message: `${f.message}: ${[...d].sort().join(', ')}` } : f);
    }
  }
}
