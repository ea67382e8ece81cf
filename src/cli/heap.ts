// Peak memory at fleet scale. V8 lets the old generation grow to a multiple of what survived
// its last full collection before it collects again: converting 100k Ingresses held ≈ 510 MB
// of live data at the end but peaked at 1.36 GiB, the rest being what earlier stages left
// behind. Each stage of the conversion drops most of what it allocated when it ends, so a full
// collection at each stage boundary, once the heap is large, keeps the peak near the live data
// plus one stage's garbage (≈ 850 MiB at 100k; docs/performance.md). Below the threshold nothing
// happens: a small run never pays for a collection it does not need.
import v8 from 'node:v8';
import vm from 'node:vm';

/** Heap in use above which a stage boundary collects (20k Ingresses stay below it). */
export const COLLECT_ABOVE_BYTES = 256 * 2 ** 20;

let fullCollection: (() => void) | undefined;

/** V8's full collection, made callable without a command-line flag (once, on first need). */
function collector(): () => void {
  if (fullCollection === undefined) {
    v8.setFlagsFromString('--expose-gc');
    // The flag takes effect for contexts created after it: a fresh one has `gc`.
    fullCollection = vm.runInNewContext('gc') as () => void;
  }
  return fullCollection;
}

/** Collects garbage when the heap in use is above `threshold`; returns whether it did. */
export function collectIfLarge(threshold = COLLECT_ABOVE_BYTES): boolean {
  if (v8.getHeapStatistics().used_heap_size < threshold) return false;
  collector()();
  return true;
}
