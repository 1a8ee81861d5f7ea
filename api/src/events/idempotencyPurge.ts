// The worker's side of idempotency keys (events/idempotency.ts): forgetting them after their time.
import type { Services } from '../services.ts';

/** Worker job: keys older than IDEMPOTENCY_TTL_HOURS are forgotten (a retry then runs anew). */
export async function purgeExpiredIdempotencyKeys(s: Services): Promise<number> {
  const cutoff = new Date(s.clock.now().getTime() - s.config.IDEMPOTENCY_TTL_HOURS * 3_600_000);
  const { count } = await s.prisma.idempotencyKey.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return count;
}
