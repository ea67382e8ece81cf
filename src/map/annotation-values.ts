// Boolean and integer annotations, read the way nginx reads them: an invalid value is
// reported and the fallback used. (Its own module: the transforms import it, and the engine
// imports the transforms.)
import type { TransformContext } from './transform.js';
import { parseGoBool, parseGoInt } from './values.js';

/** A boolean annotation (Go ParseBool): absent → `fallback`; anything else → reported, `fallback`. */
export function boolValue(ctx: TransformContext, key: string, opts: { fallback: boolean; invalid: string }): boolean {
  const raw = ctx.get(key);
  if (raw === undefined) return opts.fallback;
  const b = parseGoBool(raw);
  if (b === undefined) {
    ctx.invalid(key, opts.invalid);
    return opts.fallback;
  }
  return b;
}

/**
 * An integer annotation as nginx's Atoi reads it: absent → `fallback`; not an integer, or
 * below `min` → reported with the `invalid` message, and `fallback` is used.
 */
export function intValue(ctx: TransformContext, key: string, opts: { fallback: number; min?: number; invalid: string }): number;
export function intValue(ctx: TransformContext, key: string, opts: { fallback?: undefined; min?: number; invalid: string }): number | undefined;
export function intValue(ctx: TransformContext, key: string, opts: { fallback?: number; min?: number; invalid: string }): number | undefined {
  const raw = ctx.get(key);
  if (raw === undefined) return opts.fallback;
  const n = parseGoInt(raw);
  if (n === undefined || n < (opts.min ?? 0)) {
    ctx.invalid(key, opts.invalid);
    return opts.fallback;
  }
  return n;
}
