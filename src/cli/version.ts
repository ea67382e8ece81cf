// The tool's version, read from package.json (one source of truth). The stand-alone
// executable has no package.json beside it: its build defines INGRESS2CONTOUR_VERSION.
import { readFileSync } from 'node:fs';

declare const INGRESS2CONTOUR_VERSION: string | undefined;

let cached: string | undefined;

export function toolVersion(): string {
  if (cached) return cached;
  if (typeof INGRESS2CONTOUR_VERSION === 'string') return (cached = INGRESS2CONTOUR_VERSION);
  // src/cli/ and dist/cli/ both sit two levels under the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0-unknown';
  return cached;
}
