// /health (the process answers) and /ready (it can serve: database up, migrations applied),
// with what an operator needs to see at a glance.
import type { Services } from '../services.ts';

export async function readinessState(s: Services, pendingMigrations: readonly string[]) {
  let db = false;
  try {
    await s.prisma.$queryRawUnsafe('SELECT 1');
    db = true;
  } catch {}
  const redis = s.bus.redisState();
  return {
    ready: db && pendingMigrations.length === 0,
    database: db ? 'up' : 'down',
    databaseKind: s.db.kind,
    pendingMigrations,
    redis,
    degraded: redis === 'down',
    subscribers: s.stream.subscriberCount,
  };
}
