// Database commands: tsx src/db/cli.ts <migrate | new NAME [--empty] | status | reset [--force] | seed>
// The database is the app's (DATABASE_URL, else the embedded PGlite in PGLITE_DIR).
import { createInterface } from 'node:readline/promises';
import { relative } from 'node:path';
import { configFromEnvironment, processSettings, repoPaths, type Config } from '../config.ts';
import type { Database } from './client.ts';
import { closeServices, createServices, type Services } from '../services.ts';
import { applyMigrations, createMigration, migrationStatus, resetDatabase } from './migrations.ts';
import { seedDemoData } from './seed.ts';

const usage = `Usage: tsx src/db/cli.ts <command>

  migrate            apply pending migrations (like prisma migrate deploy)
  new NAME [--empty] write prisma/migrations/<timestamp>_NAME from the changes in schema.prisma
  status             list applied and pending migrations; exits 1 if any is pending or failed
  reset [--force]    drop everything in the database and apply all migrations again
  seed               add the demo data`;

function where(db: Database, config: Config): string {
  if (db.kind === 'pglite') return `PGlite at ${config.PGLITE_DIR}`;
  const url = new URL(config.DATABASE_URL ?? '');
  return `PostgreSQL ${url.host}${url.pathname}`;
}

async function withDatabase(run: (db: Database, label: string, s: Services) => Promise<number>): Promise<number> {
  // The app's services without a server: the seed goes through the domain functions, which take them.
  const s = createServices(configFromEnvironment());
  try {
    return await run(s.db, where(s.db, s.config), s);
  } finally {
    await closeServices(s);
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('-')));
  const args = rest.filter((a) => !a.startsWith('-'));

  switch (command) {
    case 'migrate':
      return withDatabase(async (db, label) => {
        const { applied } = await applyMigrations(db);
        if (applied.length === 0) console.log(`${label}: already up to date.`);
        else console.log(`${label}: applied ${applied.length} migration(s):\n${applied.map((n) => `  ${n}`).join('\n')}`);
        return 0;
      });

    case 'new': {
      const name = args.join('_');
      if (!name) {
        console.error('Give the migration a name: db:migrate:new add_something');
        return 2;
      }
      const { dir, sql } = await createMigration(name, { allowEmpty: flags.has('--empty') });
      if (!dir) {
        console.log('schema.prisma has no changes since the last migration; nothing written.');
        return 0;
      }
      console.log(`Wrote ${relative(repoPaths.root, dir)}/migration.sql:\n\n${sql}`);
      return 0;
    }

    case 'status':
      return withDatabase(async (db, label) => {
        const status = await migrationStatus(db);
        const list = (names: string[]) => names.map((n) => `  ${n}`).join('\n');
        console.log(`${label}`);
        console.log(`Applied (${status.applied.length})${status.applied.length ? `:\n${list(status.applied)}` : ''}`);
        console.log(`Pending (${status.pending.length})${status.pending.length ? `:\n${list(status.pending)}` : ''}`);
        if (status.failed.length) console.log(`Failed (${status.failed.length}):\n${list(status.failed)}`);
        if (status.modified.length) {
          console.log(`Modified since applied (${status.modified.length}):\n${list(status.modified)}`);
        }
        if (status.missing.length) console.log(`Applied but missing locally (${status.missing.length}):\n${list(status.missing)}`);
        const ok = status.pending.length === 0 && status.failed.length === 0;
        console.log(ok ? 'Database is up to date.' : status.failed.length ? 'Failed migrations need attention.' : 'Run db:migrate.');
        return ok ? 0 : 1;
      });

    case 'reset':
      return withDatabase(async (db, label) => {
        if (!flags.has('--force') && !flags.has('-f')) {
          if (!process.stdin.isTTY) {
            console.error(`Refusing to reset ${label} without --force (not an interactive terminal).`);
            return 2;
          }
          if (!(await confirm(`Drop ALL data in ${label} and re-apply all migrations?`))) return 1;
        }
        const { applied } = await resetDatabase(db);
        console.log(`${label}: reset; applied ${applied.length} migration(s).`);
        return 0;
      });

    case 'seed':
      return withDatabase(async (db, label, s) => {
        const { pending, failed } = await migrationStatus(db);
        if (pending.length || failed.length) {
          console.error(`${label} is not migrated (${[...pending, ...failed].join(', ')}). Run db:migrate first.`);
          return 1;
        }
        const { created } = await seedDemoData(s);
        console.log(created ? `${label}: demo data added.` : `${label}: demo data already present.`);
        return 0;
      });

    default:
      console.error(usage);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    if (processSettings.debug) console.error(error);
    process.exit(1);
  },
);
