// Child process: applies the API's migrations to DATABASE_URL with its own runner.
import { openDatabase } from '../../api/src/db/client.ts';
import { applyMigrations } from '../../api/src/db/migrations.ts';

const db = openDatabase({
  DATABASE_URL: process.env.DATABASE_URL!,
  PGLITE_DIR: 'memory://',
  PGLITE_SHARED_BUFFERS: '32MB',
  DATABASE_POOL_MAX: 2,
  DATABASE_CONNECT_TIMEOUT_MS: 10_000,
  DATABASE_IDLE_TIMEOUT_MS: 10_000,
});
try {
  const { applied } = await applyMigrations(db);
  console.log(`APPLIED ${JSON.stringify(applied)}`);
} finally {
  await db.close();
}
