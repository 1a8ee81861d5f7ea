import { defineConfig } from 'vitest/config';

// Vite's default conditions without 'development': graphql 17 ships a separate dev build,
// and the API's source (transformed by vite) must load the same graphql as yoga (loaded by
// Node), or `instanceof GraphQLError` fails and every typed error is masked.
const conditions = ['module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['api/**/*.test.ts', 'web/**/*.test.ts', 'reliability/**/*.test.ts', 'security/**/*.test.ts'],
    // A cap against hangs, not a speed target: a browser test on a loaded two-core machine can take a minute.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page shows; on a loaded two-core machine that can take seconds.
    expect: { poll: { timeout: 10_000 } },
    // Each file starts its own server and database; two cores, so a little parallelism.
    fileParallelism: true,
    maxWorkers: 2,
    // Before any suite: Chromium for the browser tests, found or installed, or the run stops with what to do.
    globalSetup: ['helpers/chromium.ts'],
    // The usual report, closed by what was skipped and why.
    reporters: ['default', './helpers/skipSummary.ts'],
  },
});
