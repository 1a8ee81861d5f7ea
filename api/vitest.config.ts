import { defineConfig } from 'vitest/config';

// Unit tests of the API's pure rules, beside the modules they test: no database, no server.
// The same conditions as tests/vitest.config.ts: Vite's defaults without 'development', so the
// sources load graphql 17's production build, the one the rest of the API (and yoga) loads.
const conditions = ['module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts'],
    // Pure rules, no state of their own that a test changes: a worker imports the domain's
    // dependencies (Prisma's client, PGlite, graphql) once for all its files instead of once
    // per file, about 1 s for the suite instead of 5–9 s on a busy two-core machine.
    isolate: false,
    reporters: ['default'],
  },
});
