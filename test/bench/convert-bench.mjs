// npm run bench: conversion time and peak memory at growing sizes (same namespace
// ratio as 20,000 Ingresses in 2,000 namespaces), to show it stays linear.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { generate } from './generate.mjs';
import { startupRows } from './startup-bench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
console.log('start-up (median of BENCH_STARTUP_RUNS runs, default 7):');
console.table(startupRows());
const sizes = (process.env.BENCH_SIZES ?? '2000,10000,20000').split(',').map(Number);
const dir = mkdtempSync(path.join(tmpdir(), 'i2c-bench-'));
const rows = [];
try {
  for (const n of sizes) {
    const file = path.join(dir, `ingresses-${n}.yaml`);
    writeFileSync(file, generate(n, n / 10).map((d) => `---\n${yaml.dump(d, { lineWidth: -1 })}`).join(''));
    const mib = (statSync(file).size / 2 ** 20).toFixed(1);
    for (const target of ['httpproxy', 'ingressroute']) {
      const r = spawnSync(process.execPath, [path.join(here, 'run-once.mjs'), file, target], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      const result = JSON.parse(r.stdout.trim().split('\n').pop());
      rows.push({ ingresses: n, namespaces: n / 10, inputMiB: mib, target, ...result, usPerIngress: Math.round((result.ms * 1000) / n) });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
