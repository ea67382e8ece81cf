// npm run bench: `convert --target httpproxy` on fleet-shaped input (generate-realistic.mjs) at
// 2k, 20k and 100k Ingresses, against the YAML round-trip floor of the same 20k file (js-yaml
// load + dump of every document, in a fresh process like the conversion), plus the old
// generator's 20k set as a second row. Each run is a fresh process; time includes module load.
// Time is wall clock and CPU (user+system): on a shared machine the CPU ratio is the stable one.
//   BENCH_SIZES=2000,20000,100000   sizes of the realistic rows
//   BENCH_FLOOR_SIZE=20000          the size whose floor is measured (also in BENCH_SIZES)
//   BENCH_LIST=100000               a row with this many Ingresses in ONE List document (JSON); 0: none
//   BENCH_RATIO_RUNS=5              floor and conversion at the floor size run this many times,
//                                   alternately; their rows and the ratio are the medians
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dumpYaml } from '../../dist/emit/serialize.js';
import { generate } from './generate.mjs';
import { generateRealistic } from './generate-realistic.mjs';
import { startupRows } from './startup-bench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
console.log('start-up (median of BENCH_STARTUP_RUNS runs, default 7):');
console.table(startupRows());
const sizes = (process.env.BENCH_SIZES ?? '2000,20000,100000').split(',').map(Number);
const floorSize = Number(process.env.BENCH_FLOOR_SIZE ?? 20000);
const dir = mkdtempSync(path.join(tmpdir(), 'i2c-bench-'));

function writeInput(name, docs) {
  const file = path.join(dir, name);
  // dumpYaml writes what js-yaml's dump writes (tested), only faster; one document at a time.
  const parts = [];
  for (const d of docs) parts.push(`---\n${dumpYaml(d)}`);
  writeFileSync(file, parts.join(''));
  return { file, mib: +(statSync(file).size / 2 ** 20).toFixed(1), ingresses: docs.length };
}

/**
 * `runs` alternating runs of each script (a noisy minute hits both): for each, its median CPU and
 * median wall time, and the range of the CPU ratio b/a over the pairs.
 */
function medianPair(runs, a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i++) {
    as.push(measure(...a));
    bs.push(measure(...b));
  }
  const median = (xs, field) => xs.map((x) => x[field]).sort((x, y) => x - y)[(xs.length - 1) >> 1];
  const summary = (xs) => ({ ...xs[0], ms: median(xs, 'ms'), cpuMs: median(xs, 'cpuMs'), maxRssMiB: median(xs, 'maxRssMiB') });
  const ratios = as.map((x, i) => bs[i].cpuMs / x.cpuMs);
  return [summary(as), summary(bs), { low: Math.min(...ratios), high: Math.max(...ratios), runs }];
}

function measure(script, args) {
  const r = spawnSync(process.execPath, [path.join(here, script), ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${r.status}):\n${r.stderr.split('\n').slice(-5).join('\n')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const rows = [];
let floor;
let atFloorSize;
let pairs;
try {
  for (const n of sizes) {
    const input = writeInput(`realistic-${n}.yaml`, generateRealistic(n));
    let r;
    if (n === floorSize) {
      const runs = Math.max(1, Number(process.env.BENCH_RATIO_RUNS ?? 5));
      [floor, r, pairs] = medianPair(runs, ['run-floor.mjs', [input.file]], ['run-once.mjs', [input.file, 'httpproxy']]);
      rows.push({
        input: `YAML floor (js-yaml load+dump), ${n}${runs > 1 ? `, median of ${runs}` : ''}`,
        ingresses: input.ingresses,
        inputMiB: input.mib,
        ms: floor.ms,
        cpuMs: floor.cpuMs,
        maxRssMiB: floor.maxRssMiB,
        usPerIngress: Math.round((floor.cpuMs * 1000) / input.ingresses),
        objects: '',
        code: '',
      });
    }
    r ??= measure('run-once.mjs', [input.file, 'httpproxy']);
    const row = {
      input: `realistic, ${n}${n === floorSize ? ', median' : ''}`,
      ingresses: input.ingresses,
      inputMiB: input.mib,
      ms: r.ms,
      cpuMs: r.cpuMs,
      maxRssMiB: r.maxRssMiB,
      usPerIngress: Math.round((r.cpuMs * 1000) / input.ingresses),
      objects: r.objects,
      code: r.code,
    };
    rows.push(row);
    if (n === floorSize) atFloorSize = row;
    rmSync(input.file);
  }
  const listSize = Number(process.env.BENCH_LIST ?? 100000);
  if (listSize > 0) {
    const file = path.join(dir, `list-${listSize}.json`);
    const items = generateRealistic(listSize);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const mib = +(statSync(file).size / 2 ** 20).toFixed(1);
    const r = measure('run-once.mjs', [file, 'httpproxy']);
    rows.push({
      input: `realistic, ${listSize} in one List (JSON)`,
      ingresses: items.length,
      inputMiB: mib,
      ms: r.ms,
      cpuMs: r.cpuMs,
      maxRssMiB: r.maxRssMiB,
      usPerIngress: Math.round((r.cpuMs * 1000) / items.length),
      objects: r.objects,
      code: r.code,
    });
    rmSync(file);
  }
  const old = writeInput('old-20000.yaml', generate(20000, 2000));
  const r = measure('run-once.mjs', [old.file, 'httpproxy']);
  rows.push({
    input: 'old generator, 20000',
    ingresses: old.ingresses,
    inputMiB: old.mib,
    ms: r.ms,
    cpuMs: r.cpuMs,
    maxRssMiB: r.maxRssMiB,
    usPerIngress: Math.round((r.cpuMs * 1000) / old.ingresses),
    objects: r.objects,
    code: r.code,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
if (floor && atFloorSize) {
  const spread = pairs.runs > 1 ? ` (medians of ${pairs.runs} alternating runs; CPU ratio of each pair ${pairs.low.toFixed(2)}-${pairs.high.toFixed(2)}x)` : '';
  console.log(`ratio to the YAML floor at ${floorSize}: ${(atFloorSize.cpuMs / floor.cpuMs).toFixed(2)}x CPU, ${(atFloorSize.ms / floor.ms).toFixed(2)}x wall${spread} (target: at most 1.5x)`);
}
