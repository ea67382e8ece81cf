// Runs the machine's kubectl against the harness kubeconfig only.
import { execFile } from 'node:child_process';

export interface KubectlOptions {
  kubeconfig: string;
  context?: string;
  /** Discovery cache (e.g. inject('harness').kubectlCacheDir); keeps kubectl away from ~/.kube/cache. */
  cacheDir: string;
  input?: string;
  timeoutMs?: number;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Resolves with the exit code instead of throwing, so tests can assert on failures. */
export function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const full = [`--kubeconfig=${opts.kubeconfig}`, `--cache-dir=${opts.cacheDir}`, ...(opts.context ? [`--context=${opts.context}`] : []), ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      full,
      {
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        // So nothing kubectl spawns (plugins, credential helpers) sees the user's own config.
        env: { ...process.env, KUBECONFIG: opts.kubeconfig },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (err && code === -1) {
          reject(new Error(`kubectl ${args.join(' ')}: ${err.message}`));
          return;
        }
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like kubectl() but throws with stderr on a non-zero exit. */
export async function kubectlOk(args: string[], opts: KubectlOptions): Promise<string> {
  const res = await kubectl(args, opts);
  if (res.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited ${res.code}:\n${res.stderr || res.stdout}`);
  }
  return res.stdout;
}
