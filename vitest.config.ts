import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic + golden files, no cluster; `npm test`) and `e2e`
// (real etcd + kube-apiserver started by the harness; `npm run test:e2e`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/golden/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/wizard/**/*.test.ts'],
          environment: 'node',
          // Tests that start the CLI binary or a terminal wait on process start-up; a loaded 2-core
          // machine can take seconds for that. Not a timing assertion: only a bound on hangs.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
