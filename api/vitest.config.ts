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
    reporters: ['default'],
  },
});
