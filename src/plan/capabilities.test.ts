import { describe, expect, it } from 'vitest';
import { Capabilities, HTTPPROXY_FEATURES, type Feature } from '../model/contour.js';
import { knownCapabilities } from './capabilities.js';

describe('knownCapabilities', () => {
  it('answers like Capabilities for every feature, target and version, asked twice', () => {
    for (const target of ['httpproxy', 'ingressroute'] as const) {
      for (const minor of [0, 5, 20, 26, 33]) {
        const caps = new Capabilities(target, { major: 1, minor });
        const known = knownCapabilities(caps);
        expect(known.target).toBe(target);
        expect(knownCapabilities(known)).toBe(known);
        for (const f of Object.keys(HTTPPROXY_FEATURES) as Feature[]) {
          expect(known.has(f)).toBe(caps.has(f));
          expect(known.has(f)).toBe(caps.has(f));
        }
      }
    }
  });
});
