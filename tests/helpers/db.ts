// A fresh, isolated database per test file: an in-memory PGlite by default, or a new
// database on the PostgreSQL server named by TEST_POSTGRES_URL (dropped afterwards).
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export type TestDatabase = {
  kind: 'pglite' | 'postgres';
  /** Environment for the API: DATABASE_URL for PostgreSQL, PGLITE_DIR otherwise. */
  env: Record<string, string>;
  drop(): Promise<void>;
};

export const serverUrl = process.env.TEST_POSTGRES_URL;

export async function createTestDatabase(opts: { pgliteDir?: string } = {}): Promise<TestDatabase> {
  if (!serverUrl) {
    return { kind: 'pglite', env: { PGLITE_DIR: opts.pgliteDir ?? 'memory://' }, async drop() {} };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
