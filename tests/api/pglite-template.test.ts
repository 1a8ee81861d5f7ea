// A new embedded database starts from the migrated template (api/src/db/template.ts) instead of
// initdb plus every migration through the schema engine, and ends up the same database: the
// same tables, columns, indexes, constraints and triggers, the same migration history. A
// changed migration set never starts from a stale template. PGlite only.
import { afterEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../api/src/server.ts';
import { loadConfig, repoPaths } from '../../api/src/config.ts';
import { openDatabase, type Database } from '../../api/src/db/client.ts';
import { applyMigrations } from '../../api/src/db/migrations.ts';
import { readTemplate, templateKey } from '../../api/src/db/template.ts';
import { ensureTemplate } from '../../api/src/db/templateBuild.ts';
import { embeddedDatabase, requires } from '../helpers/skips.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every table's columns, indexes, constraints and triggers, and the finished migrations: what "the same database" means here. */
async function shape(db: Database): Promise<unknown> {
  const q = <T>(sql: string) => db.prisma.$queryRawUnsafe<T[]>(sql);
  return {
    columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
    constraints: await q(`SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    triggers: await q(`SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`),
    functions: await q(`SELECT proname, md5(prosrc) AS src FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`),
    migrations: await q(`SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1`),
  };
}

describe('the embedded database template', requires(embeddedDatabase), () => {
  it('starts a new data directory from the template, without running a migration, as the same database a full migration makes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-template-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // `pnpm install` builds the template (and any start that migrated a new database keeps it);
    // after a pull that brought a migration, the first start (here: this) builds it.
    await ensureTemplate();
    expect(readTemplate(templateKey())).not.toBeNull();
    const lines: string[] = [];
    const app = await buildApp(
      { NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', WEB_BUILD_DIR: '/nonexistent', WORKER_INTERVAL_MS: '3600000', PGLITE_DIR: join(dir, 'db') },
      { logDestination: { write: (l: string) => void lines.push(l) } },
    );
    cleanups.push(() => app.stop());
    const { url } = await app.start(0);
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ latestEventCursor }' }) });
    expect(res.status).toBe(200);
    // No migration ran at this start: the database came migrated.
    expect(lines.filter((l) => l.includes('migrations applied'))).toEqual([]);
    // Its buffer cache is the configured one (PGLITE_SHARED_BUFFERS), not PostgreSQL's 128MB.
    expect(await app.services.db.prisma.$queryRawUnsafe('SHOW shared_buffers')).toEqual([{ shared_buffers: '32MB' }]);

    const migrated = openDatabase(loadConfig({ PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' }));
    cleanups.push(() => migrated.close());
    const { applied } = await applyMigrations(migrated);
    expect(applied.length).toBeGreaterThan(0);
    expect(await shape(app.services.db)).toEqual(await shape(migrated));
  }, 120_000);

  it('copies the unpacked template into a new data directory on disk before PGlite opens it, so the archive never passes through its memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-template-copy-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await ensureTemplate();
    const db = openDatabase(loadConfig({ PGLITE_DIR: join(dir, 'db'), LOG_LEVEL: 'silent' }), undefined, { fromTemplate: true });
    cleanups.push(() => db.close());
    // Already a database when openDatabase returns, before PGlite has started: PGlite opens an
    // existing directory (handed the archive as well, it would refuse: "Database already exists").
    expect(existsSync(join(dir, 'db', 'PG_VERSION'))).toBe(true);
    expect(db.saveAsTemplate).toBeNull();
    const [{ n }] = await db.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    expect(n).toBeGreaterThan(0);
  }, 120_000);

  it('names the template after every migration, so an added or edited migration never starts from a stale one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-template-key-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const migrations = join(dir, 'migrations');
    await cp(repoPaths.migrations, migrations, { recursive: true });
    const current = templateKey(migrations);
    expect(current).toBe(templateKey());
    await mkdir(join(migrations, '29991231000000_added'));
    await writeFile(join(migrations, '29991231000000_added', 'migration.sql'), 'CREATE TABLE "Added" (id int);\n');
    const added = templateKey(migrations);
    expect(added).not.toBe(current);
    await writeFile(join(migrations, '29991231000000_added', 'migration.sql'), 'CREATE TABLE "Added" (id bigint);\n');
    expect(templateKey(migrations)).not.toBe(added);
    expect(readTemplate(templateKey(migrations))).toBeNull();
  });
});
