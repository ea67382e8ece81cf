#!/usr/bin/env node
// Cluster benchmark (not run by CI): 2,000 generated Ingresses in 200 namespaces on two harness
// clusters; `ingress2contour apply -A` (list + convert + server-side apply) against
// `ingress2contour convert -A` + `kubectl apply --server-side` of the same objects, each on its
// own fresh cluster, steps alternating, then both twice more (everything unchanged), and `diff -A` of the unchanged tree
// against `kubectl diff --server-side` (a GET and a dry-run apply per object, as diff did before
// it compared lists) and, with --baseline, an older build's `diff -A`.
//
//   npm run bench:cluster [-- --ingresses 2000 --namespaces 200 --concurrency 4 --per-namespace 4]
//   npm run bench:cluster -- --baseline /path/to/older/bin/ingress2contour.js
//   npm run bench:cluster -- --sweep 2x4,4x4,8x4,4x8,16x2   (creates only: namespaces x per-namespace)
//
// The e2e harness is TypeScript; it is transpiled with the project's own `typescript` into
// .cache/bench/harness/ (git-ignored, same depth as test/e2e/harness so its paths still work).
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const BASELINE = strArg('baseline');
const SWEEP = strArg('sweep');

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
    } else if (!f.endsWith('.ts')) copyFileSync(path.join(src, f), path.join(out, f));
  }
  return {
    cluster: await import(path.join(out, 'cluster.js')),
    crds: await import(path.join(out, 'crds.js')),
  };
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function timed(label, fn) {
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  process.stderr.write(`  ${label}: ${seconds(ms)}\n`);
  return { ms, result };
}

function kubectl(kubeconfig, cacheDir, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, ...args], { maxBuffer: 512 * 1024 * 1024, env: { ...process.env, KUBECONFIG: kubeconfig } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

async function cli(args, bin = path.join(repo, 'bin/ingress2contour.js')) {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { maxBuffer: 512 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A fresh cluster with the CRDs, the namespaces and the Ingresses (not timed). */
async function prepared(h, docs) {
  const cluster = await h.cluster.startCluster();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'i2c-bench-kubectl-'));
  await h.crds.installCrds(cluster.kubeconfigPath, { cacheDir });
  const namespaces = [...new Set(docs.map((d) => d.metadata.namespace)), 'projectcontour'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const items = docs.map((d) => ({ ...d, metadata: { ...d.metadata, creationTimestamp: undefined } }));
  await kubectl(cluster.kubeconfigPath, cacheDir, ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces }));
  await kubectl(cluster.kubeconfigPath, cacheDir, ['apply', '--server-side', '--field-manager=bench', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return { cluster, cacheDir };
}

const totalsOf = (stderr) => (stderr.split('\n').find((l) => l.startsWith('total ')) ?? '').trim();

/** Creates with several concurrency settings on one cluster (prune --all between runs). */
async function sweep(h, docs) {
  const env = await prepared(h, docs);
  const rows = [];
  try {
    const kc = ['--kubeconfig', env.cluster.kubeconfigPath];
    for (const setting of SWEEP.split(',')) {
      const [ns, per] = setting.split('x');
      const r = await timed(`create ${ns} namespaces x ${per} per namespace`, () => cli(['apply', '-A', '--concurrency', ns, '--per-namespace', per, ...kc]));
      const objects = Number(totalsOf(r.result.stderr).split(/\s+/)[1]); // the created column
      rows.push([`create --concurrency ${ns} --per-namespace ${per}`, r.ms, `${totalsOf(r.result.stderr)}; ${Math.round((objects / r.ms) * 1000)} objects/s`]);
      const p = await cli(['prune', '--all', '-A', '--concurrency', '8', ...kc]);
      if (p.code !== 0) throw new Error(`prune failed: ${p.stderr.split('\n').slice(-3).join('\n')}`);
    }
  } finally {
    await env.cluster.stop();
  }
  return rows;
}

async function main() {
  const h = await loadHarness();
  const docs = generate(INGRESSES, NAMESPACES);
  process.stderr.write(`${docs.length} Ingresses (${INGRESSES} + canaries) in ${NAMESPACES} namespaces; ${os.cpus().length} CPUs, Node ${process.version}\n`);
  const figures = [];
  if (SWEEP) {
    const rows = await sweep(h, docs);
    rmSync(path.join(repo, '.cache/bench'), { recursive: true, force: true });
    process.stdout.write(`\n${'step'.padEnd(52)}${'time'.padStart(10)}  detail\n`);
    for (const [label, ms, detail] of rows) process.stdout.write(`${label.padEnd(52)}${seconds(ms).padStart(10)}  ${detail}\n`);
    return;
  }

  // Two fresh clusters with the same Ingresses: A for ingress2contour, B for kubectl. The steps
  // alternate between them so that both see the same load from the rest of the machine.
  const a = await prepared(h, docs);
  let b;
  try {
    b = await prepared(h, docs);
    const kc = ['--kubeconfig', a.cluster.kubeconfigPath];
    const tuning = ['--concurrency', String(CONCURRENCY), '--per-namespace', String(PER_NAMESPACE)];
    const i2c = (label, command) => timed(`ingress2contour ${label}`, () => cli([command, '-A', ...tuning, ...kc]));
    const kctl = (label, args) => timed(`kubectl ${label}`, () => kubectl(b.cluster.kubeconfigPath, b.cacheDir, [...args, '--server-side', '--field-manager=ingress2contour', '-f', file]));

    const convertOnly = await timed('ingress2contour convert -A (list + convert)', () => cli(['convert', '-A', '-o', 'json', '--target', 'httpproxy', ...kc]));
    const objects = JSON.parse(convertOnly.result.stdout).items.length;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'i2c-bench-')), 'objects.json');
    writeFileSync(file, convertOnly.result.stdout);

    const first = await i2c('apply (create)', 'apply');
    if (first.result.code > 4) throw new Error(`apply failed (${first.result.code}):\n${first.result.stderr.split('\n').slice(-10).join('\n')}`);
    const k1 = await kctl('apply (create)', ['apply']);
    const unchanged = [];
    const kUnchanged = [];
    for (let i = 0; i < 2; i++) {
      unchanged.push(await i2c('apply (unchanged)', 'apply'));
      kUnchanged.push(await kctl('apply (unchanged)', ['apply']));
    }
    const diffed = await i2c('diff (unchanged)', 'diff');
    if (diffed.result.code !== 0) throw new Error(`diff of an unchanged tree exited ${diffed.result.code}:\n${diffed.result.stderr.split('\n').slice(-5).join('\n')}`);
    // kubectl diff exits 1 when something differs; 0 here (nothing does).
    const kd = await kctl('diff (unchanged)', ['diff']);
    const old = BASELINE ? await timed('baseline build: diff -A (unchanged)', () => cli(['diff', '-A', '--concurrency', String(CONCURRENCY), ...kc], BASELINE)) : undefined;
    rmSync(path.dirname(file), { recursive: true, force: true });

    const best = (runs) => Math.min(...runs.map((r) => r.ms));
    figures.push(['ingress2contour convert -A (list + convert)', convertOnly.ms, `${objects} objects`]);
    figures.push(['ingress2contour apply -A (create)', first.ms, totalsOf(first.result.stderr)]);
    unchanged.forEach((r, i) => figures.push([`ingress2contour apply -A (unchanged #${i + 1})`, r.ms, totalsOf(r.result.stderr)]));
    figures.push(['ingress2contour diff -A (unchanged)', diffed.ms, (diffed.result.stderr.split('\n').find((l) => l.includes('object(s) differ')) ?? '').trim()]);
    if (old) figures.push(['baseline build: diff -A (unchanged)', old.ms, `exit ${old.result.code}`]);
    figures.push(['kubectl apply --server-side (create)', k1.ms, `${k1.result.split('\n').filter(Boolean).length} objects`]);
    kUnchanged.forEach((r, i) => figures.push([`kubectl apply --server-side (unchanged #${i + 1})`, r.ms, '']));
    figures.push(['kubectl diff --server-side (unchanged)', kd.ms, '']);
    figures.push(['convert + kubectl (create)', convertOnly.ms + k1.ms, '']);
    const ratio = (x, y) => (x / y).toFixed(3);
    figures.push(['ratio create: apply / (convert + kubectl)', 0, ratio(first.ms, convertOnly.ms + k1.ms)]);
    figures.push(['ratio unchanged: apply / kubectl (best of 2)', 0, ratio(best(unchanged), best(kUnchanged))]);
    figures.push(['ratio diff: diff / kubectl diff', 0, ratio(diffed.ms, kd.ms)]);
    if (old) figures.push(['ratio diff: diff / baseline diff', 0, ratio(diffed.ms, old.ms)]);
  } finally {
    await a.cluster.stop();
    await b?.cluster.stop();
    rmSync(path.join(repo, '.cache/bench'), { recursive: true, force: true });
  }
  process.stdout.write(`\n${'step'.padEnd(46)}${'time'.padStart(10)}  detail\n`);
  for (const [label, ms, detail] of figures) process.stdout.write(`${label.padEnd(46)}${(ms ? seconds(ms) : '').padStart(10)}  ${detail}\n`);
}

await main();
