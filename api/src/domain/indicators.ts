// Outcome indicators per community and period, computed in SQL from the needs, claims and
// events; each figure can be traced to the needs behind it.
import type { Services } from '../services.ts';
import type { NeedCategory } from '../generated/prisma/enums.ts';
import { ZONE } from './timezone.ts';

export type Period = 'WEEK' | 'MONTH' | 'QUARTER';
export type Measure = 'RECEIVED' | 'MET' | 'CRITICAL_RECEIVED' | 'CRITICAL_MET_24H';

export type IndicatorRow = {
  communityId: string;
  periodStart: Date;
  category: NeedCategory | null; // null = all categories
  needsReceived: number;
  needsMet: number;
  medianMinutesToClaim: number | null;
  medianMinutesToComplete: number | null;
  criticalReceived: number;
  criticalMetWithin24h: number;
};

export type VolunteerRow = { communityId: string; periodStart: Date; active: number; returning: number };

const unit = (p: Period) => ({ WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' })[p];

/**
 * Needs by the period they came in (Israel time): received; met (done, whenever); medians
 * of time to first claim and to done; critical ones and those met within 24 h. One row per
 * community, period and category, and one per community and period for all categories.
 */
export async function needIndicators(s: Services, communityIds: string[], period: Period, from: Date, to: Date): Promise<IndicatorRow[]> {
  const rows = await s.prisma.$queryRawUnsafe<
    { communityId: string; periodStart: Date; category: NeedCategory | null; received: number; met: number; toClaim: number | null; toComplete: number | null; criticalReceived: number; criticalMet24: number }[]
  >(
    `SELECT n."communityId"::text AS "communityId",
            (date_trunc('${unit(period)}', n."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE '${ZONE}') AT TIME ZONE '${ZONE}') AS "periodStart",
            n.category::text AS category,
            count(*)::int AS received,
            count(*) FILTER (WHERE n.status = 'DONE')::int AS met,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (n."firstClaimedAt" - n."createdAt")) / 60.0)
              FILTER (WHERE n."firstClaimedAt" IS NOT NULL)::float8 AS "toClaim",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (n."doneAt" - n."createdAt")) / 60.0)
              FILTER (WHERE n.status = 'DONE')::float8 AS "toComplete",
            count(*) FILTER (WHERE n.urgency = 'CRITICAL')::int AS "criticalReceived",
            count(*) FILTER (WHERE n.urgency = 'CRITICAL' AND n.status = 'DONE' AND n."doneAt" - n."createdAt" <= interval '24 hours')::int AS "criticalMet24"
     FROM "Need" n
     WHERE n."communityId" = ANY($1::uuid[]) AND n."createdAt" >= $2 AND n."createdAt" < $3 AND n."mergedIntoId" IS NULL
     GROUP BY GROUPING SETS ((1, 2, 3), (1, 2))
     ORDER BY 1, 2, 3 NULLS FIRST`,
    communityIds,
    from,
    to,
  );
  return rows.map((r) => ({
    communityId: r.communityId,
    periodStart: new Date(r.periodStart),
    category: r.category,
    needsReceived: r.received,
    needsMet: r.met,
    medianMinutesToClaim: r.toClaim,
    medianMinutesToComplete: r.toComplete,
    criticalReceived: r.criticalReceived,
    criticalMetWithin24h: r.criticalMet24,
  }));
}

/** Volunteers who claimed in a period, and those of them who had claimed before it. */
export async function volunteerIndicators(s: Services, communityIds: string[], period: Period, from: Date, to: Date): Promise<VolunteerRow[]> {
  const rows = await s.prisma.$queryRawUnsafe<{ communityId: string; periodStart: Date; active: number; returning: number }[]>(
    `WITH c AS (
       SELECT n."communityId", c."volunteerId", c."claimedAt",
              (date_trunc('${unit(period)}', c."claimedAt" AT TIME ZONE 'UTC' AT TIME ZONE '${ZONE}') AT TIME ZONE '${ZONE}') AS p
       FROM "Claim" c JOIN "Need" n ON n.id = c."needId"
       WHERE n."communityId" = ANY($1::uuid[]))
     SELECT a."communityId"::text AS "communityId", a.p AS "periodStart",
            count(DISTINCT a."volunteerId")::int AS active,
            count(DISTINCT a."volunteerId") FILTER (WHERE EXISTS (
              SELECT 1 FROM c b WHERE b."communityId" = a."communityId" AND b."volunteerId" = a."volunteerId" AND b.p < a.p))::int AS returning
     FROM c a WHERE a."claimedAt" >= $2 AND a."claimedAt" < $3
     GROUP BY 1, 2 ORDER BY 1, 2`,
    communityIds,
    from,
    to,
  );
  return rows.map((r) => ({ ...r, periodStart: new Date(r.periodStart) }));
}

/** The needs behind one figure. */
export async function needsBehind(s: Services, communityId: string, period: Period, periodStart: Date, measure: Measure, category: NeedCategory | null) {
  const rows = await s.prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Need" n
     WHERE n."communityId" = $1::uuid AND n."mergedIntoId" IS NULL
       AND (date_trunc('${unit(period)}', n."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE '${ZONE}') AT TIME ZONE '${ZONE}') = $2
       AND ($3::text IS NULL OR n.category::text = $3)
       AND CASE $4
             WHEN 'RECEIVED' THEN true
             WHEN 'MET' THEN n.status = 'DONE'
             WHEN 'CRITICAL_RECEIVED' THEN n.urgency = 'CRITICAL'
             WHEN 'CRITICAL_MET_24H' THEN n.urgency = 'CRITICAL' AND n.status = 'DONE' AND n."doneAt" - n."createdAt" <= interval '24 hours'
           END
     ORDER BY n."createdAt" LIMIT 5000`,
    communityId,
    periodStart,
    category,
    measure,
  );
  return rows.map((r) => r.id);
}
