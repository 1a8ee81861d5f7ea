// The migration runner: Prisma Migrate's deploy/status/dev/reset over the WASM schema engine.
// The engine itself reads and writes `_prisma_migrations` (same table, checksums, step counts and
// advisory lock as `prisma migrate deploy`), so this runner and Prisma's CLI agree on history.
// There is no shadow database: to find what a new migration must do, the history is replayed
// into a throwaway in-memory PGlite and that database is diffed against schema.prisma.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { repoPaths } from '../config.ts';
import type { Database } from './client.ts';
import { openSchemaEngine } from './schema-engine.ts';
import type { EngineTypes, OpenedEngine } from './schema-engine.ts';

export { SchemaEngineError } from './schema-engine.ts';

export type MigrationPaths = {
  /** The Prisma schema file (default prisma/schema.prisma). */
  schemaPath?: string;
  /** The migrations directory (default prisma/migrations). */
  migrationsDir?: string;
};

const LOCKFILE = 'migration_lock.toml';
const MIGRATION_FILE = 'migration.sql';
/** Nothing is managed outside Prisma here (prisma.config.ts `tables.external` / `enums.external`). */
const filters: EngineTypes.SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Reads the migrations directory as Prisma's CLI does: every subdirectory is a migration, read
 * with its migration.sql (a read error is handed to the engine, which reports it), sorted by name.
 */
export async function listMigrations(migrationsDir: string = repoPaths.migrations): Promise<EngineTypes.MigrationList> {
  const lockfileContent = await readFile(join(migrationsDir, LOCKFILE), 'utf8').catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const migrationDirectories: EngineTypes.MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await readFile(join(migrationsDir, entry.name, MIGRATION_FILE), 'utf8').then(
      (value): EngineTypes.JsResult<string, string> => ({ tag: 'ok', value }),
      (error: Error): EngineTypes.JsResult<string, string> => ({ tag: 'error', value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: MIGRATION_FILE, content } });
  }
  // By name, so by timestamp prefix (Prisma's CLI sorts with localeCompare: same order for these names).
  migrationDirectories.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lockfileContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withEngine<T>(factory: SqlDriverAdapterFactory, use: (engine: OpenedEngine) => Promise<T>): Promise<T> {
  const engine = await openSchemaEngine(factory);
  try {
    return await use(engine);
  } finally {
    await engine.close();
  }
}

/**
 * Applies the pending migrations, like `prisma migrate deploy`. Refuses to run over failed
 * migrations (resolve them first) and checks migration_lock.toml's provider. Returns the names
 * of the migrations it applied (none when up to date).
 */
export async function applyMigrations(db: Pick<Database, 'adapterFactory'>, paths: MigrationPaths = {}): Promise<{ applied: string[] }> {
  const migrationsList = await listMigrations(paths.migrationsDir);
  return withEngine(db.adapterFactory, async (engine) => {
    const result = await engine.run('applyMigrations', (e) => e.applyMigrations({ migrationsList, filters }));
    return { applied: result.appliedMigrationNames };
  });
}

export type MigrationStatus = {
  /** Finished migrations recorded in the database, oldest first. */
  applied: string[];
  /** Migrations in the directory that the database has not applied. */
  pending: string[];
  /** Migrations that started and did not finish (and were not marked rolled back). */
  failed: string[];
  /** Applied migrations whose migration.sql no longer matches the recorded checksum. */
  modified: string[];
  /** Applied migrations that are missing from the migrations directory. */
  missing: string[];
};

/** Compares the migrations directory with `_prisma_migrations`, using the engine's own diagnosis. */
export async function migrationStatus(db: Database, paths: MigrationPaths = {}): Promise<MigrationStatus> {
  const migrationsList = await listMigrations(paths.migrationsDir);
  return withEngine(db.adapterFactory, async (engine) => {
    const diagnosis = await engine.run('diagnoseMigrationHistory', (e) =>
      e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters }),
    );
    const applied: string[] = [];
    if (diagnosis.hasMigrationsTable) {
      const rows = await engine.query(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at, migration_name',
      );
      for (const { migration_name: name } of rows) {
        if (typeof name === 'string' && !applied.includes(name)) applied.push(name);
      }
    }
    const failed = diagnosis.failedMigrationNames;
    const local = migrationsList.migrationDirectories.map((m) => m.path);
    return {
      applied,
      pending: local.filter((name) => !applied.includes(name) && !failed.includes(name)),
      failed,
      modified: diagnosis.editedMigrationNames,
      missing: applied.filter((name) => !local.includes(name)),
    };
  });
}

export type CreateMigrationOptions = MigrationPaths & {
  /** Write a migration even when the schema has no changes (for hand-written SQL). */
  allowEmpty?: boolean;
  /** Clock for the directory name's timestamp (tests). */
  now?: Date;
};

/**
 * Like `prisma migrate dev --create-only`: writes the SQL that takes a database at the end of the
 * migration history to schema.prisma into `<migrationsDir>/<YYYYMMDDHHMMSS>_<name>/migration.sql`,
 * and (re)writes migration_lock.toml. Touches no real database. Returns `{ dir: null, sql: '' }`
 * when the schema has no changes (unless `allowEmpty`).
 */
export async function createMigration(name: string, opts: CreateMigrationOptions = {}): Promise<{ dir: string | null; sql: string }> {
  const slug = migrationSlug(name);
  const schemaPath = opts.schemaPath ?? repoPaths.schema;
  const migrationsList = await listMigrations(opts.migrationsDir);
  const schemaFile = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };

  const scratch = new PGlite('memory://');
  let script: string;
  let empty: boolean;
  try {
    const factory = new PrismaPGlite(scratch) as unknown as SqlDriverAdapterFactory;
    ({ script, empty } = await withEngine(factory, async (engine) => {
      try {
        await engine.run('applyMigrations', (e) => e.applyMigrations({ migrationsList, filters }));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`The migration history in ${migrationsList.baseDir} could not be replayed into a scratch PGlite: ${reason}`, {
          cause: error,
        });
      }
      const diff = await engine.run('diff', (e) =>
        e.diff({
          from: { tag: 'schemaDatasource', files: [schemaFile], configDir: dirname(schemaPath) },
          to: { tag: 'schemaDatamodel', files: [schemaFile] },
          script: true,
          exitCode: true, // exit code 2 means "there is a difference"
          filters,
        }),
      );
      return { script: diff.stdout ?? '', empty: diff.exitCode === 0 };
    }));
  } finally {
    await scratch.close();
  }
  if (empty && !opts.allowEmpty) return { dir: null, sql: '' };

  const dir = join(migrationsList.baseDir, `${migrationTimestamp(opts.now ?? new Date())}_${slug}`);
  if (existsSync(dir)) throw new Error(`The migration directory already exists: ${dir}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MIGRATION_FILE), script, 'utf8');
  // Prisma rewrites the lock file after every new migration; same text, byte for byte.
  await writeFile(join(migrationsList.baseDir, LOCKFILE), lockfileText('postgresql'), 'utf8');
  return { dir, sql: script };
}

/**
 * Empties the database the way `prisma migrate reset` does (the engine drops and recreates the
 * public schema, `_prisma_migrations` included), restores the schema's owner and grants (a
 * recreated schema would otherwise lose e.g. PostgreSQL 15's default USAGE for PUBLIC), then
 * applies every migration.
 */
export async function resetDatabase(db: Database, paths: MigrationPaths = {}): Promise<{ applied: string[] }> {
  const migrationsList = await listMigrations(paths.migrationsDir);
  return withEngine(db.adapterFactory, async (engine) => {
    const privileges = await engine.query(
      `SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, pg_get_userbyid(n.nspowner)) AS sql
         FROM pg_namespace n WHERE n.nspname = current_schema()
       UNION ALL
       SELECT format('GRANT %s ON SCHEMA %I TO %s', a.privilege_type, n.nspname,
                     CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
         FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = current_schema()`,
    );
    await engine.run('reset', (e) => e.reset({ filter: filters }));
    if (privileges.length) {
      // Best effort: a role that may drop the schema but not hand it back keeps the engine's result.
      const steps = privileges.map(
        ({ sql }) => `BEGIN EXECUTE ${quoteLiteral(String(sql))}; EXCEPTION WHEN insufficient_privilege THEN NULL; END;`,
      );
      await engine.query(`DO $$ BEGIN ${steps.join(' ')} END $$`);
    }
    const result = await engine.run('applyMigrations', (e) => e.applyMigrations({ migrationsList, filters }));
    return { applied: result.appliedMigrationNames };
  });
}

function quoteLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Prisma's lock file content, pinning the provider the history was written for. */
export function lockfileText(provider: string): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/** UTC YYYYMMDDHHMMSS, the prefix Prisma gives migration directories. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Migration names as Prisma's CLI slugifies them: lower case, words joined by underscores. */
export function migrationSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
  if (!slug) throw new Error(`Invalid migration name ${JSON.stringify(name)}: use letters, digits and underscores.`);
  return slug;
}

/**
 * The cheap check at start: when `_prisma_migrations` already records every migration in the
 * directory as finished, with the file's checksum, nothing is pending and the WASM engine (a
 * few seconds and a few hundred MB to load) is not needed. Anything else — a new, failed or
 * edited migration, or no table yet — returns false, and the caller asks the engine.
 */
export async function upToDateWithoutEngine(db: Database, migrationsDir: string = repoPaths.migrations): Promise<boolean> {
  const { createHash } = await import('node:crypto');
  const list = await listMigrations(migrationsDir);
  type Row = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };
  let rows: Row[];
  try {
    rows = await db.prisma.$queryRawUnsafe<Row[]>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
  } catch {
    return false; // no table yet
  }
  const applied = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]));
  for (const m of list.migrationDirectories) {
    const content = m.migrationFile.content;
    if (!('tag' in content) || content.tag !== 'ok') return false;
    const sum = createHash('sha256').update(content.value).digest('hex');
    if (applied.get(m.path) !== sum) return false;
  }
  return true;
}
