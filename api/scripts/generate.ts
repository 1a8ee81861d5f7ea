// Runs `prisma generate` without the schema-engine binary: Prisma 7's CLI looks for
// (and would download) that binary on every command, but generate never uses it, so
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file is enough.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { delimiter } from 'node:path';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const schema = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
// The Pothos generator is a bin of the api package; put it on PATH whoever runs this.
const apiBin = fileURLToPath(new URL('../node_modules/.bin', import.meta.url));
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], {
  stdio: 'inherit',
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: {
    ...process.env,
    PATH: `${apiBin}${delimiter}${process.env.PATH ?? ''}`,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
