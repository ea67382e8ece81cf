// Values the e2e globalSetup hands to tests: `inject('kubeconfig')`, `inject('harness')`.
import type { Contexts } from './cluster.js';

export interface HarnessInfo {
  /** True when INGRESS2CONTOUR_E2E_KUBECONFIG points at a cluster the harness did not start. */
  external: boolean;
  server: string;
  contexts: Contexts;
  /** Pass as kubectl --cache-dir so discovery is never cached under ~/.kube. */
  kubectlCacheDir: string;
  /** Set only for a harness-started cluster. */
  kubeVersion?: string;
  etcdVersion?: string;
  crdSource: 'shared' | 'module' | 'mixed';
  crds: string[];
  startupMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    harness: HarnessInfo;
  }
}
