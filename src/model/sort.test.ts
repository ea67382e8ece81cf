import { describe, expect, it } from 'vitest';
import { SHORT_LIST, sortInPlace } from './sort.js';

const byKey = (a: { key: number }, b: { key: number }): number => a.key - b.key;

describe('sortInPlace', () => {
  // Both sides of the threshold: insertion for short lists, Array.prototype.sort above it.
  for (const length of [0, 1, 2, 5, SHORT_LIST, SHORT_LIST + 1, 200]) {
    it(`sorts ${length} items in place, stably, as Array.prototype.sort does`, () => {
      const items = Array.from({ length }, (_, i) => ({ key: (i * 7919) % 5, seq: i }));
      const expected = items.slice().sort(byKey);
      const result = sortInPlace(items, byKey);
      expect(result).toBe(items);
      expect(result.map((x) => x.seq)).toEqual(expected.map((x) => x.seq));
    });
  }

  it('takes its own threshold', () => {
    const items = [3, 1, 2, 1];
    expect(sortInPlace(items, (a, b) => a - b, 2)).toEqual([1, 1, 2, 3]);
  });
});
