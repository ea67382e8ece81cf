// Capabilities answered from a table: Capabilities.has() parses both version strings on every
// call, and the planner and emitters ask once per host or route (tens of thousands of times).
import { Capabilities, type Feature } from '../model/contour.js';

class KnownCapabilities extends Capabilities {
  private readonly known = new Map<Feature, boolean>();

  override has(feature: Feature): boolean {
    let answer = this.known.get(feature);
    if (answer === undefined) {
      answer = super.has(feature);
      this.known.set(feature, answer);
    }
    return answer;
  }
}

/** The same capabilities, each feature's answer computed once. */
export function knownCapabilities(caps: Capabilities): Capabilities {
  return caps instanceof KnownCapabilities ? caps : new KnownCapabilities(caps.target, caps.version);
}
