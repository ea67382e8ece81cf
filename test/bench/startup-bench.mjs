// Start-up time of the CLI as a user starts it (a new node process each run): --version,
// --help and convert of one small file, beside bare `node -e 0` on the same machine.
// Targets (issue 9): --help and --version ≤ 0.3 s, small convert ≤ 0.5 s. Median of RUNS.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'ingress2contour.js');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7);

function median(args) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0 && r.status !== 4 && r.status !== 6) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]);
}

export function startupRows() {
  return [
    { command: 'node -e 0 (baseline)', ms: median(['-e', '0']) },
    { command: 'ingress2contour --version', ms: median([bin, '--version']), targetMs: 300 },
    { command: 'ingress2contour --help', ms: median([bin, '--help']), targetMs: 300 },
    { command: 'ingress2contour convert -f fixtures/demo/shop.yaml', ms: median([bin, 'convert', '-f', 'fixtures/demo/shop.yaml']), targetMs: 500 },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.table(startupRows());
