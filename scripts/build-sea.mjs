#!/usr/bin/env node
// Builds the stand-alone executable (a Node single executable application) of the CLI:
//   npm run build:sea            -> out/sea/ingress2contour (ingress2contour.exe on Windows)
//
// 1. rolldown bundles dist/ and its dependencies into one CommonJS file (SEA runs one script);
//    mappings/*.yaml are embedded, since the executable has no package directory beside it.
// 2. node --experimental-sea-config writes the preparation blob.
// 3. postject injects the blob into a copy of this node binary.
// Needs Node ≥ 20.12 and the dev dependencies (rolldown, postject). Exit 0 with the path on stdout.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'out', 'sea'));
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
// Where the bundle pretends its modules live: the catalogue finds mappings/ two levels up.
const VIRTUAL_ROOT = '/ingress2contour-sea';
const OPTIONAL_MODULES = ['bufferutil', 'utf-8-validate', 'encoding'];

function fail(message) {
  process.stderr.write(`build-sea: ${message}\n`);
  process.exit(1);
}

async function bundle(file) {
  let rolldown;
  try {
    ({ rolldown } = await import('rolldown'));
  } catch {
    fail('rolldown is not installed (npm ci installs it as a dev dependency)');
  }
  const mappingsDir = path.join(ROOT, 'mappings');
  // mappings/*.yaml (annotations), mappings/controller/*.yaml (the controller's flags and ConfigMap keys) and mappings/ecosystem/*.yaml, by path relative to mappings/.
  const mappings = Object.fromEntries(
    ['', 'controller/', 'ecosystem/'].flatMap((sub) =>
      readdirSync(path.join(mappingsDir, sub))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => [`${sub}${f}`, readFileSync(path.join(mappingsDir, sub, f), 'utf8')]),
    ),
  );
  const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  const entry = path.join(OUT, 'entry.mjs');
  writeFileSync(
    entry,
    `import { run } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'cli', 'main.js')).href)};\n` + 'run(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n',
  );
  const build = await rolldown({
    input: entry,
    platform: 'node',
    logLevel: 'warn',
    transform: { define: { INGRESS2CONTOUR_VERSION: JSON.stringify(version) } },
    plugins: [
      {
        name: 'sea-paths',
        // import.meta.url has no meaning in one CommonJS file: give each module a stable virtual path.
        transform(code, id) {
          if (!code.includes('import.meta.url') || !id.startsWith(ROOT)) return null;
          const url = pathToFileURL(path.join(VIRTUAL_ROOT, path.relative(ROOT, id).replace(/^dist[\\/]/, 'dist/'))).href;
          return { code: code.replaceAll('import.meta.url', JSON.stringify(url)), map: null };
        },
        // The catalogue reads mappings/ with readdirSync/readFileSync: serve the embedded copies.
        resolveId(source, importer) {
          // Optional native helpers of ws / node-fetch, tried in try/catch: absent in the executable.
          if (OPTIONAL_MODULES.includes(source)) return `\0sea-absent:${source}`;
          if (source === 'node:fs' && importer && /[\\/]map[\\/]((controller-)?catalogue|ecosystem)\.js$/.test(importer)) return '\0sea-fs';
          return null;
        },
        load(id) {
          if (id.startsWith('\0sea-absent:')) return `module.exports = {};\nthrow new Error('${id.slice(13)} is not bundled');\n`;
          if (id !== '\0sea-fs') return null;
          return `import * as real from 'node:fs';
const FILES = ${JSON.stringify(mappings)};
const DIR = ${JSON.stringify(`${VIRTUAL_ROOT}/mappings`)};
const inDir = (dir) => {
  const d = String(dir);
  if (d !== DIR && !d.startsWith(DIR + '/')) return undefined;
  const sub = d === DIR ? '' : d.slice(DIR.length + 1) + '/';
  return Object.keys(FILES).filter((f) => f.startsWith(sub) && !f.slice(sub.length).includes('/')).map((f) => f.slice(sub.length));
};
export const readdirSync = (dir, ...rest) => inDir(dir) ?? real.readdirSync(dir, ...rest);
export const readFileSync = (file, ...rest) => {
  const name = String(file).startsWith(DIR + '/') ? String(file).slice(DIR.length + 1) : undefined;
  return name !== undefined && name in FILES ? FILES[name] : real.readFileSync(file, ...rest);
};
export default { ...real, readdirSync, readFileSync };
`;
        },
      },
    ],
  });
  await build.write({ file, format: 'cjs', codeSplitting: false, sourcemap: false });
  await build.close();
}

async function main() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 12)) fail(`Node ${process.versions.node} cannot build single executable applications with assets; use Node ≥ 20.12`);
  try {
    readFileSync(path.join(ROOT, 'dist', 'cli', 'main.js'));
  } catch {
    fail('dist/ is missing: run `npm run build` first (npm run build:sea does)');
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const script = path.join(OUT, 'ingress2contour.cjs');
  await bundle(script);

  const blob = path.join(OUT, 'sea-prep.blob');
  const config = path.join(OUT, 'sea-config.json');
  writeFileSync(config, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });

  const exe = path.join(OUT, process.platform === 'win32' ? 'ingress2contour.exe' : 'ingress2contour');
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', exe]);
  const postject = path.join(ROOT, 'node_modules', 'postject', 'dist', 'cli.js');
  const args = [postject, exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE];
  if (process.platform === 'darwin') args.push('--macho-segment-name', 'NODE_SEA');
  try {
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    fail('postject could not inject the blob (is the postject dev dependency installed?)');
  }
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', exe]);
  process.stdout.write(`${exe}\n`);
}

await main();
