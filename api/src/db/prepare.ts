// At start: the embedded database migrates itself; a server database is migrated only when
// asked (MIGRATE_ON_START=1 or `pnpm db:migrate`), and what is pending is said plainly.
import type { Services } from '../services.ts';
import { applyMigrations, migrationStatus, upToDateWithoutEngine } from './migrations.ts';
import { seedDemoData } from './seed.ts';

export async function prepareDatabase(s: Services): Promise<{ pending: string[] }> {
  const { db, config } = s;
  if (await upToDateWithoutEngine(db)) {
    await seedIfAsked(s);
    return { pending: [] };
  }
  const migrate = config.MIGRATE_ON_START ?? db.kind === 'pglite';
  if (migrate) {
    const { applied } = await applyMigrations(db);
    if (applied.length) s.log.info({ applied }, 'database: migrations applied');
    if (applied.length && db.saveAsTemplate) {
      await db.saveAsTemplate();
      s.log.info('database: kept the migrated empty database as the template for new ones');
    }
  }
  const status = await migrationStatus(db);
  if (status.pending.length) {
    s.log.warn(
      { pending: status.pending },
      `database: ${status.pending.length} migration(s) pending. Run \`pnpm db:migrate\` (or start with MIGRATE_ON_START=1). /ready reports 503 until then.`,
    );
  }
  if (status.pending.length === 0) await seedIfAsked(s);
  return { pending: status.pending };
}

async function seedIfAsked(s: Services) {
  if (!s.config.SEED_ON_START) return;
  const { created } = await seedDemoData(s);
  if (created) s.log.info('database: seeded demo data');
}
