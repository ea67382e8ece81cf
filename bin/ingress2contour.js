#!/usr/bin/env node
// Launcher for `ingress2contour` and `kubectl-ingress2contour` (so `kubectl ingress2contour …` works).
// The package ships dist/ (built by `prepack`); a git clone needs `npm run build` once.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('ingress2contour: dist/ is missing; in a git clone run `npm ci && npm run build` first\n');
  process.exit(70);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
