#!/usr/bin/env node
// Writes docs/cli.md from the CLI's own --help (needs `npm run build` first).
//   node scripts/gen-cli-doc.mjs            write docs/cli.md
//   node scripts/gen-cli-doc.mjs --check    exit 1 when docs/cli.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = path.join(ROOT, 'docs', 'cli.md');
const { buildProgram } = await import(pathToFileURL(path.join(ROOT, 'dist', 'cli', 'main.js')).href);
const { cliReference } = await import(pathToFileURL(path.join(ROOT, 'dist', 'cli', 'cli-reference.js')).href);
const quiet = { stdout: () => {}, stderr: () => {}, stderrIsTty: false, exitCode: 0 };
const text = cliReference(await buildProgram(quiet, 'all'));
if (process.argv.includes('--check')) {
  const current = readFileSync(FILE, 'utf8');
  if (current !== text) {
    process.stderr.write('gen-cli-doc: docs/cli.md is out of date; run `npm run build && node scripts/gen-cli-doc.mjs`\n');
    process.exit(1);
  }
} else {
  writeFileSync(FILE, text);
  process.stdout.write('gen-cli-doc: wrote docs/cli.md\n');
}
