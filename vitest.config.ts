import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration/e2e tests start real daemons; keep parallelism modest on a 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
