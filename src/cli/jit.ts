// V8 tuned for one short batch run. TurboFan inlining pays off in a long-lived process; in a
// conversion of a few seconds, compiling the inlined bodies of a few hundred hot functions costs
// more than the faster code saves. Without it, 20k Ingresses take 12–15 % less wall time and 15–20 %
// less CPU on Node 20 (V8 11.3), 100k about the same (docs/performance.md). The YAML floor the
// bench compares with gets slower with the same setting, so it keeps V8's default.
import v8 from 'node:v8';

/** The V8 lines the setting was measured on; on others V8 keeps its defaults. */
const MEASURED_V8_MAJORS: ReadonlySet<number> = new Set([11]);

/** The flags applied for this V8 version (pure: tested without touching the running VM). */
export function jitFlags(v8Version: string): string[] {
  const major = Number.parseInt(v8Version, 10);
  return MEASURED_V8_MAJORS.has(major) ? ['--no-turbo-inlining'] : [];
}

let tuned = false;

/** Applies jitFlags once per process, before the conversion's functions get hot. */
export function tuneJit(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of jitFlags(process.versions.v8)) v8.setFlagsFromString(flag);
}
