// The migration runner (api/src/db/migrations.ts) against a fresh database per test: in-memory
// PGlite by default, a new PostgreSQL database when TEST_POSTGRES_URL is set.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadConfig, repoPaths } from '../../api/src/config.ts';
import { openDatabase, type Database } from '../../api/src/db/client.ts';
import {
  applyMigrations,
  createMigration,
  listMigrations,
  lockfileText,
  migrationStatus,
  resetDatabase,
  SchemaEngineError,
} from '../../api/src/db/migrations.ts';
import { openSchemaEngine } from '../../api/src/db/schema-engine.ts';
import { createTestDatabase } from '../helpers/db.ts';

const filters = { externalTables: [], externalEnums: [] };
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh database of the kind under test, closed and dropped after the test. */
async function freshDatabase(): Promise<Database> {
  const target = await createTestDatabase();
  const db = openDatabase(loadConfig({ ...target.env, LOG_LEVEL: 'silent' }));
  cleanups.push(async () => {
    await db.close();
    await target.drop();
  });
  return db;
}

/** A scratch in-memory PGlite, whatever the kind under test (used as a shadow database). */
function scratchPglite(): Database {
  const db = openDatabase(loadConfig({ PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' }));
  cleanups.push(() => db.close());
  return db;
}

/** Copies of schema.prisma and prisma/migrations that a test may change. */
async function tempProject(): Promise<{ schemaPath: string; migrationsDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const schemaPath = join(dir, 'schema.prisma');
  const migrationsDir = join(dir, 'migrations');
  await cp(repoPaths.schema, schemaPath);
  await cp(repoPaths.migrations, migrationsDir, { recursive: true });
  return { schemaPath, migrationsDir };
}

async function migrationNames(migrationsDir = repoPaths.migrations): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Everything the schema defines, one line per column, index, constraint, enum and sequence. */
async function catalog(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ line: string }[]>(`
    SELECT line FROM (
      SELECT format('column %s.%s %s %s nullable=%s default=%s length=%s', table_name, column_name, data_type,
                    udt_name, is_nullable, coalesce(column_default, '-'), coalesce(character_maximum_length::text, '-')) AS line
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      UNION ALL
      SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
      UNION ALL
      SELECT format('constraint %s %s %s', conrelid::regclass::text, conname, pg_get_constraintdef(oid))
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
      UNION ALL
      SELECT format('enum %s %s', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder))
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
      UNION ALL
      SELECT format('sequence %s %s', sequence_name, data_type) FROM information_schema.sequences WHERE sequence_schema = 'public'
    ) AS catalog ORDER BY line`);
  return rows.map((r) => r.line);
}

async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** The engine's diff from the live database to a schema file: '' when they match. */
async function driftFrom(db: Database, schemaPath: string): Promise<string> {
  const file = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
  const engine = await openSchemaEngine(db.adapterFactory);
  try {
    const diff = await engine.run('diff', (e) =>
      e.diff({
        from: { tag: 'schemaDatasource', files: [file], configDir: repoPaths.root },
        to: { tag: 'schemaDatamodel', files: [file] },
        script: true,
        exitCode: true,
        filters,
      }),
    );
    return diff.exitCode === 0 ? '' : (diff.stdout ?? '?');
  } finally {
    await engine.close();
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('applyMigrations', () => {
  it('applies the history once; a second run applies nothing', async () => {
    const db = await freshDatabase();
    const names = await migrationNames();
    expect(names.length).toBeGreaterThan(0);

    expect(await applyMigrations(db)).toEqual({ applied: names });
    expect(await applyMigrations(db)).toEqual({ applied: [] });

    const tables = await tableNames(db);
    for (const t of ['User', 'Session', 'Community', 'Membership', 'Need', 'Claim', 'NeedEvent', '_prisma_migrations']) {
      expect(tables).toContain(t);
    }
    // The app's client works on the result.
    await db.prisma.community.create({
      data: { slug: 'a', name: 'A', kind: 'TOWN', area: 'North', centerLat: 32.1, centerLng: 34.8 },
    });
    expect(await db.prisma.community.count()).toBe(1);
  });

  it('runs each migration file as one script (semicolons in literals and function bodies)', async () => {
    const { migrationsDir } = await tempProject();
    const name = '29990101000000_function';
    await mkdir(join(migrationsDir, name));
    await writeFile(
      join(migrationsDir, name, 'migration.sql'),
      `CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY, "body" TEXT NOT NULL DEFAULT 'a; b');
CREATE FUNCTION note_count() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM "Note");
END;
$$;
INSERT INTO "Note" DEFAULT VALUES;
`,
    );
    const db = await freshDatabase();
    expect((await applyMigrations(db, { migrationsDir })).applied.at(-1)).toBe(name);
    const rows = await db.prisma.$queryRawUnsafe<{ body: string; n: bigint }[]>('SELECT body, note_count() AS n FROM "Note"');
    expect(rows).toEqual([{ body: 'a; b', n: 1n }]);
  });

  it('links text-message drafts to their community and need, clearing links to rows that are not there', async () => {
    // The history up to the migration before the keys, then drafts as they could be then, then the rest.
    const names = await migrationNames();
    const keys = names.find((n) => n.endsWith('_intake_draft_relations'))!;
    const { migrationsDir } = await tempProject();
    for (const later of names.slice(names.indexOf(keys))) await rm(join(migrationsDir, later), { recursive: true });
    const db = await freshDatabase();
    await applyMigrations(db, { migrationsDir });
    // In SQL: today's client would write columns that later migrations add (joinPolicy).
    const [community] = await db.prisma.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO "Community" ("id", "slug", "name", "kind", "area", "centerLat", "centerLng") VALUES (gen_random_uuid(), 'sms', 'SMS', 'TOWN', 'South', 31.5, 34.6) RETURNING id::text AS id`,
    );
    const gone = '00000000-0000-4000-8000-000000000001';
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "IntakeDraft" ("id", "providerMessageId", "fromNumber", "toNumber", "body", "communityId", "needId") VALUES
        ('00000000-0000-4000-8000-00000000000a', 'm1', '+972500000001', '+972500000000', 'kept', $1::uuid, NULL),
        ('00000000-0000-4000-8000-00000000000b', 'm2', '+972500000002', '+972500000000', 'dangling', $2::uuid, $2::uuid)`,
      community.id,
      gone,
    );

    expect((await applyMigrations(db)).applied).toEqual(names.slice(names.indexOf(keys)));
    const drafts = await db.prisma.intakeDraft.findMany({ orderBy: { body: 'asc' }, select: { body: true, communityId: true, needId: true } });
    expect(drafts).toEqual([
      { body: 'dangling', communityId: null, needId: null },
      { body: 'kept', communityId: community.id, needId: null },
    ]);
    await expect(db.prisma.$executeRawUnsafe(`UPDATE "IntakeDraft" SET "communityId" = $1::uuid`, gone)).rejects.toThrow(/foreign key/i);
    // A community from before membership approval stays open to anyone; a new one requires approval.
    expect(await db.prisma.community.findUniqueOrThrow({ where: { id: community!.id }, select: { joinPolicy: true } })).toEqual({ joinPolicy: 'OPEN' });
    expect((await db.prisma.community.create({ data: { slug: 'new', name: 'New', kind: 'TOWN', area: 'South', centerLat: 31.5, centerLng: 34.6 } })).joinPolicy).toBe('APPROVAL');
  });

  it('leaves a database that matches schema.prisma exactly (the history is complete)', async () => {
    const db = await freshDatabase();
    await applyMigrations(db);
    // Non-empty drift means schema.prisma changed without `pnpm db:migrate:new`.
    expect(await driftFrom(db, repoPaths.schema)).toBe('');
  });
});

describe('compatibility with prisma migrate', () => {
  it('writes _prisma_migrations exactly as prisma migrate deploy does', async () => {
    const db = await freshDatabase();
    const names = await migrationNames();
    const before = Date.now();
    await applyMigrations(db);

    const columns = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`
      SELECT column_name AS name, data_type AS type, character_maximum_length::int AS length,
             is_nullable AS nullable, column_default AS "default"
        FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`);
    // Prisma's own DDL for the table (schema-engine sql connector, PostgreSQL flavour).
    expect(columns).toEqual([
      { name: 'id', type: 'character varying', length: 36, nullable: 'NO', default: null },
      { name: 'checksum', type: 'character varying', length: 64, nullable: 'NO', default: null },
      { name: 'finished_at', type: 'timestamp with time zone', length: null, nullable: 'YES', default: null },
      { name: 'migration_name', type: 'character varying', length: 255, nullable: 'NO', default: null },
      { name: 'logs', type: 'text', length: null, nullable: 'YES', default: null },
      { name: 'rolled_back_at', type: 'timestamp with time zone', length: null, nullable: 'YES', default: null },
      { name: 'started_at', type: 'timestamp with time zone', length: null, nullable: 'NO', default: 'now()' },
      { name: 'applied_steps_count', type: 'integer', length: null, nullable: 'NO', default: '0' },
    ]);

    const rows = await db.prisma.$queryRawUnsafe<
      { id: string; checksum: string; migration_name: string; logs: string | null; started_at: Date; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number }[]
    >('SELECT * FROM _prisma_migrations ORDER BY started_at');
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const script = await readFile(join(repoPaths.migrations, row.migration_name, 'migration.sql'), 'utf8');
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(sha256(script)); // hex SHA-256 of the file, as Prisma computes it
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at).not.toBeNull();
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.started_at.getTime()).toBeGreaterThanOrEqual(before - 60_000);
    }
  });

  it("is up to date by Prisma's own diagnosis (migrate status and migrate dev logic)", { timeout: 120_000 }, async () => {
    const db = await freshDatabase();
    const migrationsList = await listMigrations();

    const before = await openSchemaEngine(db.adapterFactory);
    try {
      const diagnosis = await before.run('diagnose', (e) =>
        e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters }),
      );
      expect(diagnosis.history).toMatchObject({ diagnostic: 'databaseIsBehind' });
    } finally {
      await before.close();
    }

    await applyMigrations(db);

    // Scratch PGlites as shadow databases let `migrate dev`'s devDiagnostic run its drift check too.
    const engine = await openSchemaEngine(db.adapterFactory, { shadowDatabase: () => scratchPglite().adapterFactory.connect() });
    try {
      const diagnosis = await engine.run('diagnose', (e) =>
        e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters }),
      );
      expect(diagnosis).toEqual({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
      const dev = await engine.run('devDiagnostic', (e) => e.devDiagnostic({ migrationsList, filters }));
      expect(dev.action).toEqual({ tag: 'createMigration' }); // not { tag: 'reset', reason }

      // The same check does catch a database that differs from its history.
      await db.prisma.$executeRawUnsafe('ALTER TABLE "User" ADD COLUMN "drift" TEXT');
      const drifted = await engine.run('devDiagnostic', (e) => e.devDiagnostic({ migrationsList, filters }));
      expect(drifted.action).toMatchObject({ tag: 'reset', reason: expect.stringMatching(/drift/i) });
    } finally {
      await engine.close();
    }
  });

  it('accepts a history that Prisma wrote (same table, sha256 checksums)', async () => {
    const db = await freshDatabase();
    const names = await migrationNames();
    // What `prisma migrate deploy` leaves behind, written by hand.
    await db.prisma.$executeRawUnsafe(`CREATE TABLE "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    for (const name of names) {
      const script = await readFile(join(repoPaths.migrations, name, 'migration.sql'), 'utf8');
      // Generated SQL has no semicolons inside literals; hand-written functions keep theirs
      // between $$ quotes, so a split is taken only where an even number of $$ follows.
      for (const statement of script.split(/;\s*\n(?=(?:[^$]*\$\$[^$]*\$\$)*[^$]*$)/).map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim())) {
        await db.prisma.$executeRawUnsafe(statement);
      }
      await db.prisma.$executeRawUnsafe(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES (gen_random_uuid()::text, $1, $2, now(), now(), 1)`,
        sha256(script),
        name,
      );
    }
    expect(await migrationStatus(db)).toEqual({ applied: names, pending: [], failed: [], modified: [], missing: [] });
    expect(await applyMigrations(db)).toEqual({ applied: [] });
  });
});

describe('createMigration', () => {
  it('writes the migration that takes the history to the changed schema, like db push would', { timeout: 120_000 }, async () => {
    const { schemaPath, migrationsDir } = await tempProject();
    // In sync: nothing to write.
    expect(await createMigration('nothing', { schemaPath, migrationsDir })).toEqual({ dir: null, sql: '' });

    const schema = await readFile(schemaPath, 'utf8');
    expect(schema).toMatch(/^model User \{$/m);
    await writeFile(
      schemaPath,
      schema.replace(/^model User \{$/m, 'model User {\n  nickname String?') +
        `
enum ShelterKind {
  PUBLIC
  PRIVATE
}

model Shelter {
  id       Int          @id @default(autoincrement())
  name     String       @unique
  kind     ShelterKind  @default(PUBLIC)
  capacity Int          @default(0)
  notes    Json?
  @@index([kind, capacity])
}
`,
    );

    const now = new Date(Date.UTC(2031, 0, 2, 3, 4, 5));
    const created = await createMigration('Add shelters', { schemaPath, migrationsDir, now });
    expect(created.dir).toBe(join(migrationsDir, '20310102030405_add_shelters'));
    expect(await readFile(join(created.dir!, 'migration.sql'), 'utf8')).toBe(created.sql);
    expect(await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(lockfileText('postgresql'));
    expect(lockfileText('postgresql')).toContain('provider = "postgresql"');
    // The engine's rendering, with Prisma's step comments.
    expect(created.sql).toContain('-- CreateEnum\nCREATE TYPE "ShelterKind" AS ENUM (\'PUBLIC\', \'PRIVATE\');');
    expect(created.sql).toContain('-- AlterTable\nALTER TABLE "User" ADD COLUMN     "nickname" TEXT;');
    expect(created.sql).toContain('-- CreateTable\nCREATE TABLE "Shelter"');
    expect(created.sql).toContain('-- CreateIndex\nCREATE UNIQUE INDEX "Shelter_name_key"');
    expect(created.sql).not.toContain('CREATE TABLE "User"'); // only the difference

    // The history now covers the schema again.
    expect(await createMigration('again', { schemaPath, migrationsDir })).toEqual({ dir: null, sql: '' });

    // Migrated and pushed databases are identical.
    const migrated = await freshDatabase();
    const { applied } = await applyMigrations(migrated, { migrationsDir });
    expect(applied.at(-1)).toBe(basename(created.dir!));

    const pushed = await freshDatabase();
    const changed = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
    const engine = await openSchemaEngine(pushed.adapterFactory);
    try {
      const push = await engine.run('schemaPush', (e) => e.schemaPush({ force: false, schema: { files: [changed] }, filters }));
      expect(push.executedSteps).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }

    const migratedCatalog = await catalog(migrated);
    expect(migratedCatalog).toContain('column Shelter.kind USER-DEFINED ShelterKind nullable=NO default=\'PUBLIC\'::"ShelterKind" length=-');
    expect(migratedCatalog.some((l) => l.startsWith('column User.nickname text'))).toBe(true);
    expect(migratedCatalog).toEqual(await catalog(pushed));
    expect(await driftFrom(migrated, schemaPath)).toBe('');
    expect(await driftFrom(pushed, schemaPath)).toBe('');
    // ...and differ from the unchanged schema, so the comparison has teeth.
    expect(await driftFrom(migrated, repoPaths.schema)).toContain('DROP TABLE "Shelter"');
  });

  it('can write an empty migration for hand-written SQL', async () => {
    const { schemaPath, migrationsDir } = await tempProject();
    const created = await createMigration('backfill', { schemaPath, migrationsDir, allowEmpty: true });
    expect(created.dir).toMatch(/\/\d{14}_backfill$/);
    expect(created.sql).toBe('-- This is an empty migration.\n');
  });

  it("reports the engine's message for an invalid schema", async () => {
    const { schemaPath, migrationsDir } = await tempProject();
    await appendFile(schemaPath, '\nmodel Broken {\n  id Int @id\n  owner Usr\n}\n');
    const error = await createMigration('broken', { schemaPath, migrationsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaEngineError);
    expect((error as Error).message).toMatch(/Usr/);
    expect(await migrationNames(migrationsDir)).toEqual(await migrationNames());
  });
});

describe('migrationStatus', () => {
  it('reports pending, modified and failed migrations', async () => {
    const { migrationsDir } = await tempProject();
    const names = await migrationNames(migrationsDir);
    const db = await freshDatabase();

    expect(await migrationStatus(db, { migrationsDir })).toEqual({ applied: [], pending: names, failed: [], modified: [], missing: [] });
    await applyMigrations(db, { migrationsDir });
    expect(await migrationStatus(db, { migrationsDir })).toEqual({ applied: names, pending: [], failed: [], modified: [], missing: [] });

    // A new migration is pending.
    const extra = '29990101000000_extra';
    await mkdir(join(migrationsDir, extra));
    await writeFile(join(migrationsDir, extra, 'migration.sql'), 'CREATE TABLE "Extra" ("id" INTEGER PRIMARY KEY);\n');
    expect(await migrationStatus(db, { migrationsDir })).toMatchObject({ applied: names, pending: [extra], modified: [] });

    // Editing an applied migration shows as modified.
    const first = names[0]!;
    await appendFile(join(migrationsDir, first, 'migration.sql'), '\n-- edited after the fact\n');
    expect(await migrationStatus(db, { migrationsDir })).toMatchObject({ pending: [extra], modified: [first] });

    // A failing migration: the engine's message comes through, nothing of it stays, it is recorded as failed.
    const broken = '29990102000000_broken';
    await mkdir(join(migrationsDir, broken));
    await writeFile(
      join(migrationsDir, broken, 'migration.sql'),
      'CREATE TABLE "Broken" ("id" INTEGER);\nINSERT INTO "Broken" SELECT id FROM "does_not_exist";\n',
    );
    const error = await applyMigrations(db, { migrationsDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaEngineError);
    expect((error as Error).message).toMatch(/does_not_exist/);
    expect(await tableNames(db)).toContain('Extra');
    expect(await tableNames(db)).not.toContain('Broken'); // the script ran as one transaction
    expect(await migrationStatus(db, { migrationsDir })).toEqual({
      applied: [...names, extra],
      pending: [],
      failed: [broken],
      modified: [first],
      missing: [],
    });
    // Like migrate deploy, nothing more is applied until the failure is resolved.
    await expect(applyMigrations(db, { migrationsDir })).rejects.toThrow(new RegExp(broken));

    // Applied migrations whose directory is gone are reported too.
    await rm(join(migrationsDir, extra), { recursive: true });
    expect((await migrationStatus(db, { migrationsDir })).missing).toEqual([extra]);
  });

  it('refuses a history locked to another provider', async () => {
    const { migrationsDir } = await tempProject();
    await writeFile(join(migrationsDir, 'migration_lock.toml'), lockfileText('sqlite'));
    const db = await freshDatabase();
    await expect(applyMigrations(db, { migrationsDir })).rejects.toThrow(/sqlite/);
    expect(await tableNames(db)).not.toContain('User');
  });
});

describe('resetDatabase', () => {
  it('leaves a freshly migrated, empty database', async () => {
    const db = await freshDatabase();
    const names = await migrationNames();
    await applyMigrations(db);
    const fresh = await catalog(db);

    await db.prisma.community.create({
      data: { slug: 'b', name: 'B', kind: 'TOWN', area: 'South', centerLat: 31.2, centerLng: 34.7 },
    });
    await db.prisma.$executeRawUnsafe('CREATE TABLE "Stray" ("id" INTEGER)');
    await db.prisma.$executeRawUnsafe('CREATE TYPE "StrayKind" AS ENUM (\'X\')');

    expect(await resetDatabase(db)).toEqual({ applied: names });

    expect(await db.prisma.community.count()).toBe(0);
    expect(await tableNames(db)).not.toContain('Stray');
    expect(await catalog(db)).toEqual(fresh);
    const history = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY started_at',
    );
    expect(history.map((r) => r.migration_name)).toEqual(names);
    expect(await migrationStatus(db)).toEqual({ applied: names, pending: [], failed: [], modified: [], missing: [] });
    // The public schema keeps the privileges it had (PUBLIC may use it).
    const [acl] = await db.prisma.$queryRawUnsafe<{ usable: boolean }[]>(
      `SELECT has_schema_privilege('public', 'public', 'USAGE') AS usable`,
    );
    expect(acl?.usable).toBe(true);
  });
});
