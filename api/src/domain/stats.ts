// Dashboard figures for a set of communities, in a fixed number of SQL statements
// whatever the number of needs.
import { latestSeq } from '../events/outbox.ts';
import type { Services } from '../services.ts';
import type { NeedCategory, NeedStatus, Urgency } from '../generated/prisma/enums.ts';
import { fromWallClock, toWallClock, ZONE } from './timezone.ts';

export type BoardStats = {
  asOf: Date;
  /** Event cursor these figures include (subscribe after it for the feed). */
  cursor: string | null;
  communityIds: string[];
  open: number;
  claimed: number;
  inProgress: number;
  doneToday: number;
  openByCategory: { category: NeedCategory; count: number }[];
  openByUrgency: { urgency: Urgency; count: number }[];
  openByCommunity: { communityId: string; count: number }[];
  medianMinutesToClaim: number | null;
  claimsPerHour: { hour: Date; count: number }[];
};

const LIVE: NeedStatus[] = ['OPEN', 'CLAIMED', 'IN_PROGRESS'];

/** Midnight in Israel, where the day of the people using the board begins (a day of 23 or 25
 * hours included: midnight is found on the wall clock, not by subtracting hours). */
export function startOfDay(now: Date, timeZone = ZONE): Date {
  const wall = toWallClock(now, timeZone);
  return fromWallClock(new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate())), timeZone);
}

export async function boardStats(s: Services, communityIds: string[]): Promise<BoardStats> {
  const now = s.clock.now();
  const dayStart = startOfDay(now);
  const since24h = new Date(now.getTime() - 24 * 3_600_000);
  const since7d = new Date(now.getTime() - 7 * 24 * 3_600_000);
  const ids = communityIds;
  const [cursorRow, groups, doneToday, median, perHour] = await Promise.all([
    latestSeq(s.prisma),
    s.prisma.need.groupBy({
      by: ['communityId', 'category', 'urgency', 'status'],
      where: { communityId: { in: ids }, status: { in: LIVE } },
      _count: { _all: true },
    }),
    s.prisma.need.count({ where: { communityId: { in: ids }, status: 'DONE', doneAt: { gte: dayStart } } }),
    s.prisma.$queryRaw<{ minutes: number | null }[]>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM ("firstClaimedAt" - "createdAt")) / 60.0)::float8 AS minutes
      FROM "Need" WHERE "communityId" = ANY(${ids}::uuid[]) AND "firstClaimedAt" >= ${since7d}`,
    s.prisma.$queryRaw<{ hour: Date; count: number }[]>`
      SELECT date_trunc('hour', "at") AS hour, count(*)::int AS count
      FROM "NeedEvent" WHERE "communityId" = ANY(${ids}::uuid[]) AND type IN ('CLAIMED', 'ASSIGNED') AND "at" >= ${since24h}
      GROUP BY 1 ORDER BY 1`,
  ]);
  const byCategory = new Map<NeedCategory, number>();
  const byUrgency = new Map<Urgency, number>();
  const byCommunity = new Map<string, number>();
  let open = 0;
  let claimed = 0;
  let inProgress = 0;
  for (const g of groups) {
    const n = g._count._all;
    if (g.status === 'CLAIMED') claimed += n;
    else if (g.status === 'IN_PROGRESS') inProgress += n;
    else {
      open += n;
      byCategory.set(g.category, (byCategory.get(g.category) ?? 0) + n);
      byUrgency.set(g.urgency, (byUrgency.get(g.urgency) ?? 0) + n);
      byCommunity.set(g.communityId, (byCommunity.get(g.communityId) ?? 0) + n);
    }
  }
  // Every hour of the last 24, zeros included, so charts need no gap filling.
  const counts = new Map(perHour.map((r) => [new Date(r.hour).getTime(), r.count]));
  const firstHour = new Date(now);
  firstHour.setUTCMinutes(0, 0, 0);
  const claimsPerHour = Array.from({ length: 24 }, (_, i) => {
    const hour = new Date(firstHour.getTime() - (23 - i) * 3_600_000);
    return { hour, count: counts.get(hour.getTime()) ?? 0 };
  });
  // Equal counts by key, not by the order the database grouped them in.
  const sortDesc = <K extends string>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    asOf: now,
    cursor: cursorRow?.toString() ?? null,
    communityIds: ids,
    open,
    claimed,
    inProgress,
    doneToday,
    openByCategory: sortDesc(byCategory).map(([category, count]) => ({ category, count })),
    openByUrgency: sortDesc(byUrgency).map(([urgency, count]) => ({ urgency, count })),
    openByCommunity: sortDesc(byCommunity).map(([communityId, count]) => ({ communityId, count })),
    medianMinutesToClaim: median[0]?.minutes ?? null,
    claimsPerHour,
  };
}
