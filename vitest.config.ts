import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'status-site/dist/**', 'data/**'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // suites that share the machine's PostgreSQL each create their own database, so they may run in parallel
    fileParallelism: true,
    maxWorkers: 2,
  },
});
