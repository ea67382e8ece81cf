#!/usr/bin/env node
// Cluster benchmark (not run by CI): 2,000 generated Ingresses in 200 namespaces on two harness
// clusters (a default kube-apiserver, nothing tuned); `ingress2contour apply -A` (list + convert +
// server-side apply) on cluster A against `ingress2contour convert -A` + `kubectl apply
// --server-side` of the same objects on cluster B, steps alternating so both see the same load:
// create, an unchanged re-run, a second one (steady), `diff -A` of the unchanged tree against
// `kubectl diff --server-side` (a GET and a dry-run apply per object) and against the `diff` of
// the build before issue 16 (a dry run per object; built from --baseline-ref). Floors on A:
// `kubectl get` of the same lists, and `convert -A` (list + convert, no comparison).
//
// Each step's wall time, the client's CPU (user + system, from /usr/bin/time) and the CPU the
// apiserver spent on it (from /proc): on a shared machine the apiserver's CPU is the stable part.
// With --rounds N everything runs N times (prune --all on both clusters between rounds, not
// timed) and the table shows medians.
//
//   npm run bench:cluster [-- --rounds 3 --ingresses 2000 --namespaces 200 --concurrency 4 --per-namespace 4]
//   npm run bench:cluster -- --baseline-ref <git ref> | --baseline /path/to/bin/ingress2contour.js | --no-baseline
//   npm run bench:cluster -- --bin /path/to/other/build/bin/ingress2contour.js   (the build under test)
//   npm run bench:cluster -- --sweep 2x4,4x4,8x4,4x8,16x2   (creates only: namespaces x per-namespace)
//
// The e2e harness is TypeScript; it is transpiled with the project's own `typescript` into
// .cache/bench/harness/ (git-ignored, same depth as test/e2e/harness so its paths still work).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { generate } from './generate.mjs';

const execFileAsync = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const INGRESSES = arg('ingresses', 2000);
const NAMESPACES = arg('namespaces', 200);
const CONCURRENCY = arg('concurrency', 4);
const PER_NAMESPACE = arg('per-namespace', 4);
const strArg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = arg('rounds', 1);
const SWEEP = strArg('sweep');
/** The build before issue 16: `diff` sent a dry-run apply per object. */
const BASELINE_REF = process.argv.includes('--no-baseline') ? undefined : (strArg('baseline-ref') ?? '2b75410^');
const BASELINE_BIN = strArg('baseline');
/** The build under test (default: this checkout's). */
const BIN = strArg('bin') ?? path.join(repo, 'bin/ingress2contour.js');

async function loadHarness() {
  const src = path.join(repo, 'test/e2e/harness');
  const out = path.join(repo, '.cache/bench/harness');
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(src)) {
    if (f.endsWith('.ts') && !f.endsWith('.d.ts')) {
      const js = ts.transpileModule(readFileSync(path.join(src, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(path.join(out, f.replace(/\.ts$/, '.js')), js);
    } else if (!f.endsWith('.ts') && statSync(path.join(src, f)).isFile()) copyFileSync(path.join(src, f), path.join(out, f));
  }
  return {
    cluster: await import(path.join(out, 'cluster.js')),
    crds: await import(path.join(out, 'crds.js')),
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU seconds a process has used so far (user + system), from /proc. */
function processCpu(pid) {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Runs `file args` under /usr/bin/time: wall ms, the command's CPU (user + system), the apiserver's CPU meanwhile. */
function measured(cluster, file, args, input) {
  return new Promise((resolve) => {
    const api0 = processCpu(cluster.apiserverPid());
    const start = performance.now();
    const child = execFile('/usr/bin/time', ['-f', 'BENCH_CPU %U %S', file, ...args], { maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      const ms = performance.now() - start;
      const apiCpu = processCpu(cluster.apiserverPid()) - api0;
      const m = stderr.match(/BENCH_CPU ([\d.]+) ([\d.]+)\s*$/);
      const cpu = m ? Number(m[1]) + Number(m[2]) : NaN;
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ ms, cpu, apiCpu, code, stdout, stderr: stderr.replace(/(Command exited with non-zero status \d+\n)?BENCH_CPU [^\n]*\s*$/, '') });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

const log = (label, r) => process.stderr.write(`  ${label}: ${seconds(r.ms)} (client CPU ${r.cpu.toFixed(2)} s, apiserver CPU ${r.apiCpu.toFixed(2)} s)\n`);

function kubectl(env, args, input) {
  return measured(env.cluster, 'kubectl', [`--kubeconfig=${env.cluster.kubeconfigPath}`, `--cache-dir=${env.cacheDir}`, ...args], input);
}

function cli(env, args, bin = BIN) {
  return measured(env.cluster, process.execPath, [bin, ...args, '--kubeconfig', env.cluster.kubeconfigPath]);
}

async function must(label, p, ok = (r) => r.code === 0) {
  const r = await p;
  if (!ok(r)) throw new Error(`${label} exited ${r.code}:\n${r.stderr.split('\n').slice(-8).join('\n')}`);
  log(label, r);
  return r;
}

/** A fresh cluster with the CRDs, the namespaces and the Ingresses (not timed). */
async function prepared(h, docs) {
  const cluster = await h.cluster.startCluster();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'i2c-bench-kubectl-'));
  const env = { cluster, cacheDir };
  await h.crds.installCrds(cluster.kubeconfigPath, { cacheDir });
  const namespaces = [...new Set(docs.map((d) => d.metadata.namespace)), 'projectcontour'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const items = docs.map((d) => ({ ...d, metadata: { ...d.metadata, creationTimestamp: undefined } }));
  for (const list of [namespaces, items]) {
    await must('prepare', kubectl(env, ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list })));
  }
  return env;
}

/** Exit 0, or 4 (written, some annotations could not be converted: the generated set has snippets). */
const converted = (r) => r.code === 0 || r.code === 4;

const totalsOf = (stderr) => (stderr.split('\n').find((l) => l.startsWith('total ')) ?? '').trim().replace(/\s+/g, ' ');

/** The baseline build: --baseline as given, else --baseline-ref built into .cache/bench/baseline (not timed). */
async function baselineBin() {
  if (BASELINE_BIN) return BASELINE_BIN;
  if (!BASELINE_REF) return undefined;
  const dir = path.join(repo, '.cache/bench/baseline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = path.join(dir, 'src.tar');
  await execFileAsync('git', ['-C', repo, 'archive', '-o', tar, BASELINE_REF]);
  await execFileAsync('tar', ['-xf', tar, '-C', dir]);
  if (!existsSync(path.join(dir, 'node_modules'))) symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  await execFileAsync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.build.json')]);
  process.stderr.write(`baseline: ${BASELINE_REF} built into ${path.relative(repo, dir)}\n`);
  return path.join(dir, 'bin/ingress2contour.js');
}

/** Creates with several concurrency settings on one cluster (prune --all between runs). */
async function sweep(h, docs) {
  const env = await prepared(h, docs);
  const rows = [];
  try {
    for (const setting of SWEEP.split(',')) {
      const [ns, per] = setting.split('x');
      const r = await must(`create ${ns} namespaces x ${per} per namespace`, cli(env, ['apply', '-A', '--concurrency', ns, '--per-namespace', per]), converted);
      const objects = Number(totalsOf(r.stderr).split(/\s+/)[1]); // the created column
      rows.push([`create --concurrency ${ns} --per-namespace ${per}`, r, `${totalsOf(r.stderr)}; ${Math.round((objects / r.ms) * 1000)} objects/s`]);
      await must('prune', cli(env, ['prune', '--all', '-A', '--concurrency', '8']));
    }
  } finally {
    await env.cluster.stop();
  }
  return rows;
}

/** One round: every step once, ingress2contour on A and kubectl on B alternating. */
async function round(a, b, old, tuning) {
  const r = {};
  const i2c = (label, command) => must(`ingress2contour ${label}`, cli(a, [command, '-A', ...tuning]), converted);
  r.convert = await must('ingress2contour convert -A (list + convert)', cli(a, ['convert', '-A', '-o', 'json', '--target', 'httpproxy']), converted);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'i2c-bench-')), 'objects.json');
  writeFileSync(file, r.convert.stdout);
  r.objects = JSON.parse(r.convert.stdout).items.length;
  const kctl = (label, args, ok) => must(`kubectl ${label}`, kubectl(b, [...args, '--server-side', '--field-manager=ingress2contour', '-f', file]), ok);
  try {
    r.create = await i2c('apply (create)', 'apply');
    r.kCreate = await kctl('apply (create)', ['apply']);
    r.unchanged = await i2c('apply (unchanged)', 'apply');
    r.kUnchanged = await kctl('apply (unchanged)', ['apply']);
    r.steady = await i2c('apply (steady re-run)', 'apply');
    r.kSteady = await kctl('apply (steady re-run)', ['apply']);
    r.diff = await must('ingress2contour diff (unchanged)', cli(a, ['diff', '-A', '--concurrency', String(CONCURRENCY)]));
    // kubectl diff exits 1 when something differs; 0 here (nothing does).
    r.kDiff = await kctl('diff (unchanged)', ['diff']);
    // Floors, on A: the lists an unchanged run needs, read by kubectl; then list + convert.
    r.kList = await must(
      'kubectl get -A (the same lists)',
      kubectl(a, ['get', 'ingresses.networking.k8s.io,services,ingressclasses,namespaces,httpproxies.projectcontour.io,tlscertificatedelegations.projectcontour.io', '-A', '-o', 'json']),
    );
    r.convert2 = await must('ingress2contour convert -A (list + convert)', cli(a, ['convert', '-A', '-o', 'json', '--target', 'httpproxy']), converted);
    // Last: the baseline build's diff of a tree it applied itself (its conversion is older, so
    // the tree this build wrote would differ for it); the apply is not timed.
    if (old) {
      await must('baseline build: apply -A (its own objects; not timed)', cli(a, ['apply', '-A', '--concurrency', String(CONCURRENCY)], old), converted);
      r.oldDiff = await must('baseline build: diff -A (unchanged)', cli(a, ['diff', '-A', '--concurrency', String(CONCURRENCY)], old), (x) => x.code <= 1);
    }
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
  return r;
}

async function main() {
  const h = await loadHarness();
  const docs = generate(INGRESSES, NAMESPACES);
  process.stderr.write(
    `${docs.length} Ingresses (${INGRESSES} + canaries) in ${NAMESPACES} namespaces; ${os.cpus().length} CPUs, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}\n`,
  );
  if (SWEEP) {
    const rows = await sweep(h, docs);
    rmSync(path.join(repo, '.cache/bench'), { recursive: true, force: true });
    process.stdout.write(`\n${'step'.padEnd(52)}${'time'.padStart(10)}  detail\n`);
    for (const [label, r, detail] of rows) process.stdout.write(`${label.padEnd(52)}${seconds(r.ms).padStart(10)}  ${detail}\n`);
    return;
  }

  const old = await baselineBin();
  // Two fresh clusters with the same Ingresses: A for ingress2contour, B for kubectl. The steps
  // alternate between them so that both see the same load from the rest of the machine.
  const a = await prepared(h, docs);
  let b;
  const rounds = [];
  const loads = [];
  try {
    b = await prepared(h, docs);
    const tuning = ['--concurrency', String(CONCURRENCY), '--per-namespace', String(PER_NAMESPACE)];
    for (let i = 0; i < ROUNDS; i++) {
      if (i > 0) {
        await must('prune --all (A)', cli(a, ['prune', '--all', '-A', '--concurrency', '8']));
        await must('prune --all (B)', cli(b, ['prune', '--all', '-A', '--concurrency', '8']));
      }
      process.stderr.write(`round ${i + 1} of ${ROUNDS} (load average ${os.loadavg()[0].toFixed(1)})\n`);
      loads.push(os.loadavg()[0]);
      rounds.push(await round(a, b, old, tuning));
      loads.push(os.loadavg()[0]);
    }
  } finally {
    await a.cluster.stop();
    await b?.cluster.stop();
    rmSync(path.join(repo, '.cache/bench'), { recursive: true, force: true });
  }
  print(rounds, loads, old);
}

function print(rounds, loads, old) {
  const m = (key, what = 'ms') => median(rounds.map((r) => r[key][what]));
  const detail = {
    convert: `${rounds[0].objects} objects`,
    create: totalsOf(rounds[0].create.stderr),
    unchanged: totalsOf(rounds[0].unchanged.stderr),
    steady: totalsOf(rounds[0].steady.stderr),
    diff: (rounds[0].diff.stderr.split('\n').find((l) => l.includes('object(s) differ')) ?? '').trim(),
    oldDiff: old ? (rounds[0].oldDiff.stderr.split('\n').find((l) => l.includes('object(s) differ')) ?? '').trim() : '',
  };
  const rows = [
    ['ingress2contour convert -A (list + convert)', 'convert'],
    ['ingress2contour apply -A (create)', 'create'],
    ['ingress2contour apply -A (unchanged re-run)', 'unchanged'],
    ['ingress2contour apply -A (steady re-run)', 'steady'],
    ['ingress2contour diff -A (unchanged)', 'diff'],
    ...(old ? [['baseline build: diff -A (unchanged)', 'oldDiff']] : []),
    ['kubectl apply --server-side (create)', 'kCreate'],
    ['kubectl apply --server-side (unchanged re-run)', 'kUnchanged'],
    ['kubectl apply --server-side (steady re-run)', 'kSteady'],
    ['kubectl diff --server-side (unchanged)', 'kDiff'],
    ['floor: kubectl get -A of the same lists', 'kList'],
    ['floor: ingress2contour convert -A (after create)', 'convert2'],
  ];
  const n = rounds.length;
  const out = [];
  out.push(`${n} round(s)${n > 1 ? ', medians' : ''}; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}${old ? `; baseline ${BASELINE_BIN ?? BASELINE_REF}` : ''}`);
  out.push('');
  out.push(`| step | wall | client CPU | apiserver CPU | detail |`);
  out.push(`|---|---:|---:|---:|---|`);
  for (const [label, key] of rows) out.push(`| ${label} | ${seconds(m(key))} | ${m(key, 'cpu').toFixed(2)} s | ${m(key, 'apiCpu').toFixed(2)} s | ${detail[key] ?? ''} |`);
  const ratio = (num, den) => median(rounds.map((r) => num(r) / den(r)));
  const ms = (key) => (r) => r[key].ms;
  // Wall time follows the machine's load; the CPU both sides spent (this process and the
  // apiserver) is the stable measure on a shared machine, so it is printed beside the wall ratio.
  const both = (key) => (r) => r[key].cpu + r[key].apiCpu;
  const targets = [
    ['create: apply / (convert + kubectl apply)', ms('create'), (r) => r.convert.ms + r.kCreate.ms, 0.6, both('create'), (r) => both('convert')(r) + both('kCreate')(r)],
    ['unchanged re-run: apply / kubectl apply', ms('unchanged'), ms('kUnchanged'), 0.1, both('unchanged'), both('kUnchanged')],
    ['steady re-run: apply / kubectl apply', ms('steady'), ms('kSteady'), 0.1, both('steady'), both('kSteady')],
    ...(old ? [['unchanged diff: diff / baseline diff', ms('diff'), ms('oldDiff'), 0.1, both('diff'), both('oldDiff')]] : []),
    ['unchanged diff: diff / kubectl diff', ms('diff'), ms('kDiff'), undefined, both('diff'), both('kDiff')],
  ];
  out.push('');
  out.push(`| ratio | wall | target | CPU ratio (client + apiserver) |`);
  out.push(`|---|---:|---|---:|`);
  for (const [label, num, den, target, cnum, cden] of targets) {
    const r = ratio(num, den);
    out.push(`| ${label} | ${r.toFixed(3)} | ${target === undefined ? '' : `≤ ${target} ${r <= target ? 'met' : 'not met'}`} | ${ratio(cnum, cden).toFixed(3)} |`);
  }
  process.stdout.write(`\n${out.join('\n')}\n`);
}

await main();
