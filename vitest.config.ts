import { defineConfig } from 'vitest/config';

/**
 * Suites that cut a database, kill processes or send thousands of requests
 * measure how the product behaves under that fault, not under the load of
 * the suites beside them: they run after the others, one file at a time.
 */
const RUN_ALONE = ['tests/fault-suite.test.ts', 'tests/page-burst.test.ts', 'tests/local-probe-outage.test.ts', 'tests/site-snapshot.test.ts', 'tests/replicas.test.ts', 'tests/shutdown-backlog.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    // each test file imports its packages afresh: resolved as the CLI resolves them (bin/fast-resolve.js)
    execArgv: ['--import', new URL('./bin/fast-resolve.js', import.meta.url).href],
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // suites that share the machine's PostgreSQL each create their own database, so they may run in parallel
        test: { name: 'parallel', include: ['**/*.test.ts'], exclude: ['node_modules/**', 'status-site/dist/**', 'data/**', ...RUN_ALONE], fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'alone', include: RUN_ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
