// Peak memory at fleet scale. V8 lets the old generation grow to a multiple of what survived
// its last full collection before it collects again, so the peak follows the garbage the
// stages leave behind more than the data they keep. Each stage of the conversion drops most of
// what it allocated when it ends: a full collection at a stage boundary, once the heap in use is
// large, keeps the peak near the live data plus one stage's garbage. At 100k Ingresses: 800 →
// 655 MiB peak for about the same CPU (docs/performance.md). The threshold is high on purpose: a
// collection costs time in proportion to the live heap, and at 256 MB (more boundaries) 100k
// peaked at 580 MiB for +25 % CPU. A smaller run never pays for a collection.
import v8 from 'node:v8';
import vm from 'node:vm';
import { convert, type ConversionResult, type ConvertOptions } from '../convert.js';
import type { InputSet } from '../model/ingress.js';

/** Heap in use above which a stage boundary collects (20k Ingresses stay far below it). */
export const COLLECT_ABOVE_BYTES = 512 * 2 ** 20;

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

/** convert() with a collection between its stages and one after it, when the heap is large. */
export function convertCollecting(input: InputSet, options: ConvertOptions): ConversionResult {
  const result = convert(input, options, collectIfLarge);
  // The stages' garbage goes before findings and objects are written, which allocate more.
  collectIfLarge();
  return result;
}
