// Builds the embedded database's template (src/db/template.ts) for the current migrations, so
// that a new PGlite database starts from it; run by `pnpm install` after the client is generated.
// Nothing to do when it exists. A failure here only costs speed: the first start builds it.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { applyMigrations } from '../src/db/migrations.ts';
import { readTemplate, saveTemplate, templateKey } from '../src/db/template.ts';
import type { Database } from '../src/db/client.ts';

const key = templateKey();
if (readTemplate(key)) {
  console.log('pglite template: up to date');
} else {
  try {
    const client = new PGlite('memory://');
    const db = { adapterFactory: new PrismaPGlite(client) as unknown as SqlDriverAdapterFactory } as Database;
    const { applied } = await applyMigrations(db);
    await saveTemplate(client, key);
    await client.close();
    console.log(`pglite template: built (${applied.length} migrations)`);
  } catch (err) {
    console.warn(`pglite template: not built (${(err as Error).message}); the first start of a new embedded database builds it`);
  }
}
