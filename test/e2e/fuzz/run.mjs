#!/usr/bin/env node
// npm run fuzz:traffic -- [--seed N] [--cases N]: runs the differential fuzzer (fuzz.e2e.test.ts)
// through vitest's e2e project with the harness cluster, real ingress-nginx, Contour and Envoy.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = (args[i] ?? '').split('=');
  const value = inline ?? args[++i];
  if (flag !== '--seed' && flag !== '--cases') {
    process.stderr.write(`fuzz:traffic: unknown option ${flag}; usage: npm run fuzz:traffic -- [--seed N] [--cases N]\n`);
    process.exit(2);
  }
  if (!/^\d+$/.test(value ?? '')) {
    process.stderr.write(`fuzz:traffic: ${flag} needs a non-negative integer, got ${value ?? 'nothing'}\n`);
    process.exit(2);
  }
  env[flag === '--seed' ? 'INGRESS2CONTOUR_FUZZ_SEED' : 'INGRESS2CONTOUR_FUZZ_CASES'] = value;
}
const child = spawn('npx', ['vitest', 'run', '--project', 'e2e', 'test/e2e/fuzz/fuzz.e2e.test.ts'], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
