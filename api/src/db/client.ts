// The database of one app: the Prisma client with its adapter, chosen from config.
// Embedded PGlite by default; PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import { copyTemplate, isFreshDataDir, readTemplate, saveTemplate, templateKey } from './template.ts';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { plainFindMany, type FindManyArgs } from './plainFindMany.ts';

export type Database = {
  prisma: PrismaClient;
  /** The adapter factory, shared with the migration runner so both use one connection path. */
  adapterFactory: SqlDriverAdapterFactory;
  kind: 'pglite' | 'postgres';
  /** Counts SQL statements sent to the database (for tests and benchmarks). */
  statements: { count: number };
  /** Calls `listener` with the text of every statement sent, by Prisma or not; returns the unsubscribe. */
  onStatement(listener: (sql: string) => void): () => void;
  /**
   * `findMany(args)` on `model` in one statement straight through the driver adapter, when its
   * columns are plain and its query simple (db/plainFindMany.ts); null when not: ask Prisma.
   */
  findManyPlain<Row>(model: string, args: FindManyArgs): Promise<Row[]> | null;
  /** PostgreSQL pool counts (for metrics); null on the embedded database, one connection. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  /**
   * Set on an embedded database created empty, without a template for the current migrations:
   * once it is migrated (and holds nothing else), keeps it as that template (db/template.ts).
   */
  saveAsTemplate: (() => Promise<void>) | null;
  close(): Promise<void>;
};

/**
 * `options.fromTemplate`: a new embedded database starts migrated, from the template of the
 * current migrations when there is one (the app, which migrates the embedded database at start
 * anyway); without it a new database is empty (the migration runner's own tests and tools).
 */
export function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'PGLITE_DIR' | 'PGLITE_SHARED_BUFFERS' | 'DATABASE_POOL_MAX' | 'DATABASE_CONNECT_TIMEOUT_MS' | 'DATABASE_IDLE_TIMEOUT_MS'>,
  log?: { warn(obj: object, msg: string): void },
  options: { fromTemplate?: boolean } = {},
): Database {
  const statements = { count: 0 };
  let adapterFactory: SqlDriverAdapterFactory;
  let kind: Database['kind'];
  let closeDriver: () => Promise<void>;
  let poolStats: Database['poolStats'] = () => null;
  let saveAsTemplate: Database['saveAsTemplate'] = null;
  if (config.DATABASE_URL) {
    kind = 'postgres';
    const pool = new pg.Pool({
      connectionString: config.DATABASE_URL,
      max: config.DATABASE_POOL_MAX,
      connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: config.DATABASE_IDLE_TIMEOUT_MS,
    });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', (err) => log?.warn({ cause: err.message }, 'database: an idle pooled connection failed; the pool replaces it'));
    poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    adapterFactory = new PrismaPg(pool);
    closeDriver = () => pool.end();
  } else {
    kind = 'pglite';
    const dir = config.PGLITE_DIR;
    const inMemory = dir.startsWith('memory://');
    if (!inMemory) mkdirSync(dir, { recursive: true });
    // A new database starts from the migrated template when there is one (db/template.ts): on
    // disk, a copy of its directory that PGlite opens as it is; in memory, unpacked from the archive.
    const key = options.fromTemplate && isFreshDataDir(dir) ? templateKey() : null;
    const copied = key !== null && !inMemory && copyTemplate(key, dir);
    const archive = key && inMemory ? readTemplate(key) : null;
    const client = new PGlite(dir, {
      postgresqlconf: [`shared_buffers=${config.PGLITE_SHARED_BUFFERS}`],
      ...(archive ? { loadDataDir: new Blob([new Uint8Array(archive)]) } : {}),
    });
    if (key && !copied && !archive) saveAsTemplate = () => saveTemplate(client, key);
    adapterFactory = new PrismaPGlite(client) as unknown as SqlDriverAdapterFactory;
    closeDriver = () => client.close();
  }
  const prisma = new PrismaClient({
    adapter: adapterFactory,
    log: [{ emit: 'event', level: 'query' }],
    // A transaction waits for a pooled connection as long as a query would: with Prisma's default
    // (2 s), a burst of 1,000 claims that the pool clears in ~5 s failed 13 % of them (bench/claims).
    transactionOptions: { maxWait: config.DATABASE_CONNECT_TIMEOUT_MS },
  });
  const listeners = new Set<(sql: string) => void>();
  prisma.$on('query' as never, (e: { query: string }) => {
    statements.count++;
    for (const l of listeners) l(e.query);
  });
  // Beside Prisma's, on the same driver (pool or embedded database): the factory's adapter for
  // statements sent without Prisma's client.
  let adapter: Promise<SqlDriverAdapter> | null = null;
  const plainAdapter = () =>
    (adapter ??= adapterFactory.connect().catch((err: unknown) => {
      adapter = null;
      throw err;
    }));
  return {
    prisma,
    adapterFactory,
    kind,
    statements,
    onStatement(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    findManyPlain<Row>(model: string, args: FindManyArgs) {
      const read = plainFindMany(model, args);
      if (!read) return null;
      const { statement, dates } = read;
      return plainAdapter().then(async (a) => {
        statements.count++;
        for (const l of listeners) l(statement.sql);
        const { columnNames, rows } = await a.queryRaw(statement);
        return rows.map((values) => {
          const row: Record<string, unknown> = {};
          for (let i = 0; i < columnNames.length; i++) row[columnNames[i]!] = values[i];
          for (const i of dates) if (values[i] !== null) row[columnNames[i]!] = new Date(values[i] as string);
          return row as Row;
        });
      });
    },
    poolStats,
    saveAsTemplate,
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
