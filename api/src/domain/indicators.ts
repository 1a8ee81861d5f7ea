// Outcome indicators per community and period, computed in SQL from the needs, claims and
// events; each figure can be traced to the needs behind it.
import type { Services } from '../services.ts';
import type { BeneficiaryGroup, NeedCategory } from '../generated/prisma/enums.ts';
import type { AgeBands } from './households.ts';
import { fromWallClock, toWallClock, ZONE } from './timezone.ts';

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

/** SQL: the start of the period (Israel time) in which the timestamp column `column` falls. */
const periodOf = (p: Period, column: string) => `(date_trunc('${unit(p)}', ${column} AT TIME ZONE 'UTC' AT TIME ZONE '${ZONE}') AT TIME ZONE '${ZONE}')`;

/**
 * The start of the period (Israel time: weeks from Monday, as PostgreSQL's date_trunc counts
 * them) in which `instant` falls: any instant inside a period names it.
 */
export function periodStartOf(period: Period, instant: Date): Date {
  const wall = toWallClock(instant);
  const [y, m, d] = [wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()];
  if (period === 'WEEK') return fromWallClock(new Date(Date.UTC(y, m, d - ((wall.getUTCDay() + 6) % 7))));
  return fromWallClock(new Date(Date.UTC(y, period === 'QUARTER' ? m - (m % 3) : m, 1)));
}

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
            ${periodOf(period, 'n."createdAt"')} AS "periodStart",
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
    periodStartOf(period, from),
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
              ${periodOf(period, 'c."claimedAt"')} AS p
       FROM "Claim" c JOIN "Need" n ON n.id = c."needId"
       WHERE n."communityId" = ANY($1::uuid[]))
     SELECT a."communityId"::text AS "communityId", a.p AS "periodStart",
            count(DISTINCT a."volunteerId")::int AS active,
            count(DISTINCT a."volunteerId") FILTER (WHERE EXISTS (
              SELECT 1 FROM c b WHERE b."communityId" = a."communityId" AND b."volunteerId" = a."volunteerId" AND b.p < a.p))::int AS returning
     FROM c a WHERE a."claimedAt" >= $2 AND a."claimedAt" < $3
     GROUP BY 1, 2 ORDER BY 1, 2`,
    communityIds,
    periodStartOf(period, from),
    to,
  );
  return rows.map((r) => ({ ...r, periodStart: new Date(r.periodStart) }));
}

/** The needs behind one figure (`periodStart`: any instant in the period). */
export async function needsBehind(s: Services, communityId: string, period: Period, periodStart: Date, measure: Measure, category: NeedCategory | null) {
  const rows = await s.prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Need" n
     WHERE n."communityId" = $1::uuid AND n."mergedIntoId" IS NULL
       AND ${periodOf(period, 'n."createdAt"')} = $2
       AND ($3::text IS NULL OR n.category::text = $3)
       AND CASE $4
             WHEN 'RECEIVED' THEN true
             WHEN 'MET' THEN n.status = 'DONE'
             WHEN 'CRITICAL_RECEIVED' THEN n.urgency = 'CRITICAL'
             WHEN 'CRITICAL_MET_24H' THEN n.urgency = 'CRITICAL' AND n.status = 'DONE' AND n."doneAt" - n."createdAt" <= interval '24 hours'
           END
     ORDER BY n."createdAt" LIMIT 5000`,
    communityId,
    periodStartOf(period, periodStart),
    category,
    measure,
  );
  return rows.map((r) => r.id);
}

/** Households helped in a period (a household with several needs counts once), for one beneficiary group or all (null). */
export type HouseholdRow = {
  communityId: string;
  periodStart: Date;
  group: BeneficiaryGroup | null;
  householdsHelped: number;
  peopleHelped: number;
  returningHouseholds: number;
} & AgeBands;

export type HouseholdMeasure = 'HELPED' | 'RETURNING';

/**
 * SQL: each household helped in each period (as `needIndicators` counts a need met: received in
 * the period, done), once however many of its needs were met, with whether it was helped in an
 * earlier period too. $1: the communities.
 */
const householdsHelpedSql = (period: Period) => `
  WITH h AS (
    SELECT DISTINCT n."communityId", n."householdId", ${periodOf(period, 'n."createdAt"')} AS p
    FROM "Need" n
    WHERE n."communityId" = ANY($1::uuid[]) AND n."householdId" IS NOT NULL AND n.status = 'DONE' AND n."mergedIntoId" IS NULL),
  helped AS (
    SELECT a."communityId", a."householdId", a.p,
           EXISTS (SELECT 1 FROM h b WHERE b."householdId" = a."householdId" AND b.p < a.p) AS returning
    FROM h a)`;

const householdSums = `count(*)::int AS households, sum(x.size)::int AS people, (count(*) FILTER (WHERE c.returning))::int AS returning,
       sum(x."ages0to5")::int AS "ages0to5", sum(x."ages6to17")::int AS "ages6to17", sum(x."ages18to64")::int AS "ages18to64", sum(x."ages65plus")::int AS "ages65plus"`;

/**
 * Households and people helped per community and period, those of them helped in an earlier
 * period too (returning), and people by age band: for all households (group null) and for each
 * beneficiary group (a household in two groups counts in each, once in all).
 */
export async function householdIndicators(s: Services, communityIds: string[], period: Period, from: Date, to: Date): Promise<HouseholdRow[]> {
  type Raw = { communityId: string; periodStart: Date; group: BeneficiaryGroup | null; households: number; people: number; returning: number } & AgeBands;
  const rows = await s.prisma.$queryRawUnsafe<Raw[]>(
    `${householdsHelpedSql(period)}
     SELECT * FROM (
       SELECT c."communityId"::text AS "communityId", c.p AS "periodStart", NULL::text AS "group", ${householdSums}
       FROM helped c JOIN "Household" x ON x.id = c."householdId" WHERE c.p >= $2 AND c.p < $3 GROUP BY 1, 2
       UNION ALL
       SELECT c."communityId"::text, c.p, g.grp::text, ${householdSums}
       FROM helped c JOIN "Household" x ON x.id = c."householdId" CROSS JOIN LATERAL unnest(x.groups) AS g(grp) WHERE c.p >= $2 AND c.p < $3 GROUP BY 1, 2, 3
     ) r ORDER BY 1, 2, 3 NULLS FIRST`,
    communityIds,
    periodStartOf(period, from),
    to,
  );
  return rows.map((r) => ({
    communityId: r.communityId,
    periodStart: new Date(r.periodStart),
    group: r.group,
    householdsHelped: r.households,
    peopleHelped: r.people,
    returningHouseholds: r.returning,
    ages0to5: r.ages0to5,
    ages6to17: r.ages6to17,
    ages18to64: r.ages18to64,
    ages65plus: r.ages65plus,
  }));
}

/** The households behind one figure of `householdIndicators` (`periodStart`: any instant in the period). */
export async function householdsBehind(s: Services, communityId: string, period: Period, periodStart: Date, measure: HouseholdMeasure, group: BeneficiaryGroup | null): Promise<string[]> {
  const rows = await s.prisma.$queryRawUnsafe<{ id: string }[]>(
    `${householdsHelpedSql(period)}
     SELECT x.id::text AS id FROM helped c JOIN "Household" x ON x.id = c."householdId"
     WHERE c.p = $2 AND ($3::text IS NULL OR $3::text = ANY(x.groups::text[])) AND ($4 = 'HELPED' OR c.returning)
     ORDER BY x.name, x.id LIMIT 5000`,
    [communityId],
    periodStartOf(period, periodStart),
    group,
    measure,
  );
  return rows.map((r) => r.id);
}
