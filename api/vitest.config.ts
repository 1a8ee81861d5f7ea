import { defineConfig } from 'vitest/config';

// Unit tests of the API's pure modules, beside them (src/**/*.test.ts). Vite's default conditions
// without 'development', as in tests/vitest.config.ts: graphql 17 ships a separate dev build.
const conditions = ['module', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { include: ['src/**/*.test.ts'] },
});
