#!/usr/bin/env node
// Launcher: runs the compiled CLI (npm ci builds it through the `prepare` script).
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
