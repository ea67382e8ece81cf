// V8 tuned for one short batch run. TurboFan's inlining and loop peeling pay off in a long-lived
// process; in a conversion of a few seconds, compiling the larger graphs they make for a few
// hundred hot functions (inlined bodies, loops copied once) costs more than the faster code
// saves. On Node 20 (V8 11.3), at 20k Ingresses: no inlining 15–20 % less CPU and 12 % less wall
// time, no loop peeling 3–5 % less CPU on top; 100k about the same (docs/performance.md). The
// YAML floor the bench compares with gets slower without inlining, so it keeps V8's defaults.
import v8 from 'node:v8';

/** The V8 lines the setting was measured on; on others V8 keeps its defaults. */
const MEASURED_V8_MAJORS: ReadonlySet<number> = new Set([11]);

/** The flags applied for this V8 version (pure: tested without touching the running VM). */
export function jitFlags(v8Version: string): string[] {
  const major = Number.parseInt(v8Version, 10);
  return MEASURED_V8_MAJORS.has(major) ? ['--no-turbo-inlining', '--no-turbo-loop-peeling'] : [];
}

let tuned = false;

/** Applies jitFlags once per process, before the conversion's functions get hot. */
export function tuneJit(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of jitFlags(process.versions.v8)) v8.setFlagsFromString(flag);
}
