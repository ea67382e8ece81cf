// The published cert-manager CRDs (cert-manager.io/v1), from cert-manager's Go module: never
// copied into this repository. `go mod download` fills Go's module cache (outside the repo) once;
// unit tests only look there, the e2e set-up downloads.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CERT_MANAGER_MODULE = 'github.com/cert-manager/cert-manager@v1.21.2';
const CRDS = 'deploy/crds';

function goEnv(name: string): string | undefined {
  try {
    return execFileSync('go', ['env', name], { cwd: os.tmpdir(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The module's deploy/crds directory when the module is in Go's cache (no download). */
export function cachedCertManagerCrdDir(): string | undefined {
  const cache = process.env.GOMODCACHE ?? goEnv('GOMODCACHE');
  if (!cache) return undefined;
  const dir = path.join(cache, CERT_MANAGER_MODULE.replace(/^github\.com\//, 'github.com/'), CRDS);
  return existsSync(path.join(dir, 'cert-manager.io_certificates.yaml')) ? dir : undefined;
}

/** Downloads the module when needed (GOTOOLCHAIN=local, run outside the repository) and returns deploy/crds. */
export function downloadCertManagerCrdDir(): string {
  const out = execFileSync('go', ['mod', 'download', '-json', CERT_MANAGER_MODULE], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const dir = (JSON.parse(out) as { Dir?: string; Error?: string }).Dir;
  if (!dir) throw new Error(`go mod download ${CERT_MANAGER_MODULE} gave no Dir: ${out}`);
  return path.join(dir, CRDS);
}
