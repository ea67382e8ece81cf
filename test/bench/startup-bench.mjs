// Start-up time of the CLI as a user starts it (a new node process each run): --version,
// --help and convert of one small file, beside bare `node -e 0` on the same machine.
// Targets (issue 9): --help and --version ≤ 0.3 s, small convert ≤ 0.5 s. Median of RUNS.
// Wall-clock time swings with the machine's load; the child's own CPU time (user + system,
// read by a preloaded exit hook) does not, so both are shown.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'ingress2contour.js');
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7);

const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nI2C_CPU_US '+(u.user+u.system)+'\\n')})`;
const mid = (list) => Math.round([...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]);

function measure(args) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', CPU_HOOK, ...args], { cwd: root, encoding: 'utf8' });
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0 && r.status !== 4 && r.status !== 6) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    cpu.push(Number(/I2C_CPU_US (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000);
  }
  return { wallMs: mid(wall), cpuMs: mid(cpu) };
}

export function startupRows() {
  return [
    { command: 'node -e 0 (baseline)', ...measure(['-e', '0']) },
    { command: 'ingress2contour --version', ...measure([bin, '--version']), targetMs: 300 },
    { command: 'ingress2contour --help', ...measure([bin, '--help']), targetMs: 300 },
    { command: 'ingress2contour convert -f fixtures/demo/shop.yaml', ...measure([bin, 'convert', '-f', 'fixtures/demo/shop.yaml']), targetMs: 500 },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.table(startupRows());
