#!/usr/bin/env node
// Renders the annotation coverage table of docs/annotations.md from mappings/*.yaml.
//
//   node scripts/gen-coverage.mjs                 print the table (what goes between the markers)
//   node scripts/gen-coverage.mjs --write         write it into docs/annotations.md between the markers
//   node scripts/gen-coverage.mjs --check         exit 1 when docs/annotations.md is out of date (says where)
//   ... --doc <path>                              use another file (e.g. a temp copy; --readme is the old name)
//   ... --mappings <dir>                          read another mappings directory
//
// Plain Node ESM on purpose (no build step): CI and the unit tests run it as is.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yaml from 'js-yaml';

export const START_MARKER = '<!-- coverage:start -->';
export const END_MARKER = '<!-- coverage:end -->';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_MAPPINGS_DIR = path.join(ROOT, 'mappings');
export const DEFAULT_DOC = path.join(ROOT, 'docs', 'annotations.md');

const TARGETS = ['ingressroute', 'httpproxy'];
const FIDELITIES = ['exact', 'approximate', 'unsupported'];

/** Reads mappings/*.yaml in file-name order: [{ file, family, title, annotations }]. */
export function loadFamilies(dir = DEFAULT_MAPPINGS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const raw = yaml.load(readFileSync(path.join(dir, file), 'utf8'));
      if (!raw || typeof raw.family !== 'string' || !Array.isArray(raw.annotations)) {
        throw new Error(`mappings/${file}: needs family and annotations`);
      }
      return { file, family: raw.family, title: raw.title ?? raw.family, annotations: raw.annotations };
    });
}

/** Counts per target and fidelity over all entries. */
export function countFidelities(families) {
  const counts = Object.fromEntries(TARGETS.map((t) => [t, Object.fromEntries(FIDELITIES.map((f) => [f, 0]))]));
  for (const fam of families) {
    for (const entry of fam.annotations) {
      for (const t of TARGETS) {
        const fid = entry[t]?.fidelity;
        if (!FIDELITIES.includes(fid)) throw new Error(`mappings/${fam.file}: ${entry.key}: ${t}.fidelity ${String(fid)} is not one of ${FIDELITIES.join('/')}`);
        counts[t][fid] += 1;
      }
    }
  }
  return counts;
}

/** Makes text safe for one Markdown table cell (pipes, line breaks, HTML-looking text and stray emphasis outside code spans). */
export function cell(text) {
  const oneLine = String(text ?? '')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  // Split on code spans so their content stays literal; `\|` is still required inside them in GFM tables.
  return oneLine
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\\/g, '\\\\').replace(/</g, '&lt;').replace(/\*/g, '\\*')))
    .join('')
    .replace(/\|/g, '\\|');
}

/** Words of a message, with the target names folded together (so "IngressRoute cannot" ≈ "HTTPProxy cannot"). */
function words(s) {
  return new Set(
    String(s)
      .toLowerCase()
      .replace(/ingressroute|httpproxy|contour/g, 'target')
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  );
}

/** Whether IngressRoute's message says something the HTTPProxy one does not: other fidelity, or under half the words shared. */
function differsMeaningfully(entry) {
  const ir = entry.ingressroute;
  const hp = entry.httpproxy;
  if (ir.fidelity !== hp.fidelity) return true;
  const a = words(ir.message);
  const b = words(hp.message);
  const shared = [...a].filter((w) => b.has(w)).length;
  const union = new Set([...a, ...b]).size;
  return union > 0 && shared / union < 0.5;
}

function fidelityCell(mapping, withVersion) {
  const base = mapping.fidelity;
  return withVersion && mapping.minContour && mapping.fidelity !== 'unsupported' ? `${base} (Contour ${mapping.minContour}+)` : base;
}

function keyCell(entry) {
  const notes = [];
  if (entry.aliasOf) notes.push(`alias of \`${entry.aliasOf}\``);
  if (entry.legacy) notes.push('legacy');
  return `\`${entry.key}\`${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

function changeCell(entry) {
  const hp = cell(entry.httpproxy.message);
  return differsMeaningfully(entry) ? `${hp} — IngressRoute: ${cell(entry.ingressroute.message)}` : hp;
}

/** The Markdown that goes between the markers (no markers, ends without a newline). */
export function renderCoverage(families) {
  const sorted = [...families].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const counts = countFidelities(sorted);
  const total = sorted.reduce((n, f) => n + f.annotations.length, 0);
  const legacy = sorted.reduce((n, f) => n + f.annotations.filter((e) => e.legacy).length, 0);
  const summary = (t) => FIDELITIES.map((f) => `${counts[t][f]} ${f}`).join(', ');
  const lines = [
    '<!-- Generated by scripts/gen-coverage.mjs from mappings/*.yaml; edit those files, then run `node scripts/gen-coverage.mjs --write`. -->',
    '',
    `${total} annotation keys (${legacy} of them legacy). IngressRoute: ${summary('ingressroute')}. HTTPProxy: ${summary('httpproxy')}.`,
  ];
  for (const fam of sorted) {
    const entries = [...fam.annotations].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    lines.push(
      '',
      `### ${cell(fam.title)}`,
      '',
      '| Annotation | IngressRoute | HTTPProxy | What changes |',
      '|---|---|---|---|',
      ...entries.map((e) => `| ${keyCell(e)} | ${fidelityCell(e.ingressroute, false)} | ${fidelityCell(e.httpproxy, true)} | ${changeCell(e)} |`),
    );
  }
  return lines.join('\n');
}

/** Finds the marker block; undefined when a marker is missing or they are out of order. */
function markerBounds(readme) {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start) return undefined;
  return { start, end };
}

/** README text with the block between the markers replaced; throws when the markers are missing. */
export function applyCoverage(readme, block) {
  const text = readme.replace(/\r\n/g, '\n');
  const bounds = markerBounds(text);
  if (!bounds) throw new Error(missingMarkersMessage('the document'));
  return `${text.slice(0, bounds.start + START_MARKER.length)}\n${block}\n${text.slice(bounds.end)}`;
}

function missingMarkersMessage(name) {
  return `${name} has no ${START_MARKER} … ${END_MARKER} markers (in that order); add them where the table belongs and run \`node scripts/gen-coverage.mjs --write\``;
}

/** { ok: true } or { ok: false, message } saying what differs. */
export function checkCoverage(readme, block, name = 'docs/annotations.md') {
  const text = readme.replace(/\r\n/g, '\n');
  const bounds = markerBounds(text);
  if (!bounds) return { ok: false, message: missingMarkersMessage(name) };
  const expected = applyCoverage(text, block);
  if (expected === text) return { ok: true };
  const have = text.slice(bounds.start + START_MARKER.length, bounds.end).split('\n');
  const want = `\n${block}\n`.split('\n');
  let i = 0;
  while (i < have.length && i < want.length && have[i] === want[i]) i += 1;
  const lineNo = text.slice(0, bounds.start).split('\n').length + i;
  const show = (s) => (s === undefined ? '(nothing)' : JSON.stringify(s.length > 160 ? `${s.slice(0, 157)}...` : s));
  return {
    ok: false,
    message: `${name}: the coverage table is out of date (first difference at line ${lineNo}):\n  expected ${show(want[i])}\n  found    ${show(have[i])}\nrun \`node scripts/gen-coverage.mjs --write\``,
  };
}

function parseArgs(argv) {
  const opts = { write: false, check: false, readme: DEFAULT_DOC, mappings: DEFAULT_MAPPINGS_DIR };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--write') opts.write = true;
    else if (arg === '--check') opts.check = true;
    else if (arg === '--doc' || arg === '--readme' || arg === '--mappings') {
      const value = argv[i + 1];
      if (!value) throw new Error(`${arg} needs a path`);
      opts[arg === '--mappings' ? 'mappings' : 'readme'] = path.resolve(value);
      i += 1;
    } else if (arg === '--help' || arg === '-h') opts.help = true;
    else throw new Error(`unknown argument ${arg} (use --write, --check, --doc <path>, --mappings <dir>)`);
  }
  if (opts.write && opts.check) throw new Error('use either --write or --check');
  return opts;
}

export function main(argv = process.argv.slice(2)) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`gen-coverage: ${err.message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write('usage: node scripts/gen-coverage.mjs [--write | --check] [--doc <path>] [--mappings <dir>]\n');
    return 0;
  }
  const block = renderCoverage(loadFamilies(opts.mappings));
  if (!opts.write && !opts.check) {
    process.stdout.write(`${block}\n`);
    return 0;
  }
  const name = path.relative(process.cwd(), opts.readme) || opts.readme;
  if (!existsSync(opts.readme)) {
    process.stderr.write(`gen-coverage: ${name} does not exist\n`);
    return 1;
  }
  const readme = readFileSync(opts.readme, 'utf8');
  if (opts.check) {
    const result = checkCoverage(readme, block, name);
    if (!result.ok) {
      process.stderr.write(`gen-coverage: ${result.message}\n`);
      return 1;
    }
    process.stdout.write(`gen-coverage: ${name} is up to date\n`);
    return 0;
  }
  let next;
  try {
    next = applyCoverage(readme, block);
  } catch {
    process.stderr.write(`gen-coverage: ${missingMarkersMessage(name)}\n`);
    return 1;
  }
  if (next !== readme) writeFileSync(opts.readme, next);
  process.stdout.write(`gen-coverage: ${next === readme ? 'unchanged' : 'wrote'} ${name}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main();
}
