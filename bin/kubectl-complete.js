#!/usr/bin/env node
// kubectl_complete-ingress2contour: kubectl (1.26+) runs it to complete `kubectl ingress2contour …`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) process.exit(0);
const { run } = await import(main.href);
process.exitCode = await run(['__complete', '--', ...process.argv.slice(2)]);
