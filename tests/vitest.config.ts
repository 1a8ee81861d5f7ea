import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['api/**/*.test.ts', 'web/**/*.test.ts', 'reliability/**/*.test.ts', 'security/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own server and database; two cores, so a little parallelism.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
