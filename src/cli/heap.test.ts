import { describe, expect, it } from 'vitest';
import { collectIfLarge } from './heap.js';

describe('collectIfLarge', () => {
  it('leaves a heap below the threshold alone', () => {
    expect(collectIfLarge(Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('runs a full collection above it: an unreachable object is gone', async () => {
    const ref = ((): WeakRef<object> => new WeakRef({ payload: new Array<number>(10_000).fill(1) }))();
    // A WeakRef keeps its target for the rest of the job that created it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(collectIfLarge(0)).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
