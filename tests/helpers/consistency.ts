// What "nothing half-written" means, checked in SQL over one community's needs: each
// invariant the claiming transactions keep, listed as violations (empty when all hold).
// Works on any connection: pass a function that runs SQL (pg, or prisma's $queryRawUnsafe).
import pg from 'pg';

export type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

export function pgQuery(databaseUrl: string): Query & { end(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {}); // an idle connection lost to a database restart: the pool replaces it
  const q = (async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows) as Query & { end(): Promise<void> };
  q.end = () => pool.end();
  return q;
}

const LIVE = `('ACTIVE', 'STARTED')`;

const CHECKS: [string, string][] = [
  [
    'Need.activeClaims differs from its live claims',
    `SELECT n.id, n."activeClaims", count(c.id)::int AS live FROM "Need" n
       LEFT JOIN "Claim" c ON c."needId" = n.id AND c.status IN ${LIVE}
      WHERE n."communityId" = $1::uuid GROUP BY n.id HAVING n."activeClaims" <> count(c.id)`,
  ],
  [
    'an open, claimed or in-progress need whose status does not follow from its claims',
    `SELECT n.id, n.status, n.slots, count(c.id)::int AS live, count(c.id) FILTER (WHERE c.status = 'STARTED')::int AS started
       FROM "Need" n LEFT JOIN "Claim" c ON c."needId" = n.id AND c.status IN ${LIVE}
      WHERE n."communityId" = $1::uuid AND n.status IN ('OPEN', 'CLAIMED', 'IN_PROGRESS')
      GROUP BY n.id
     HAVING n.status::text <> CASE WHEN count(c.id) FILTER (WHERE c.status = 'STARTED') > 0 THEN 'IN_PROGRESS'
                                   WHEN count(c.id) >= n.slots THEN 'CLAIMED' ELSE 'OPEN' END`,
  ],
  [
    'a cancelled or done need that still has live claims',
    `SELECT n.id, n.status FROM "Need" n WHERE n."communityId" = $1::uuid AND n.status IN ('CANCELLED', 'DONE')
        AND EXISTS (SELECT 1 FROM "Claim" c WHERE c."needId" = n.id AND c.status IN ${LIVE})`,
  ],
  [
    'a need without exactly one CREATED event, or whose first event is not CREATED',
    `SELECT n.id FROM "Need" n WHERE n."communityId" = $1::uuid AND (
        (SELECT count(*) FROM "NeedEvent" e WHERE e."needId" = n.id AND e.type = 'CREATED') <> 1
        OR (SELECT e.type FROM "NeedEvent" e WHERE e."needId" = n.id ORDER BY e.seq LIMIT 1) <> 'CREATED')`,
  ],
  [
    "a need whose latest event does not end in the need's status",
    `SELECT n.id, n.status, last."toStatus" FROM "Need" n
       JOIN LATERAL (SELECT e."toStatus" FROM "NeedEvent" e WHERE e."needId" = n.id ORDER BY e.seq DESC LIMIT 1) last ON true
      WHERE n."communityId" = $1::uuid AND last."toStatus" <> n.status`,
  ],
  [
    'a claim without the event that created it',
    `SELECT c.id FROM "Claim" c JOIN "Need" n ON n.id = c."needId" WHERE n."communityId" = $1::uuid
        AND NOT EXISTS (SELECT 1 FROM "NeedEvent" e WHERE e."claimId" = c.id AND e.type IN ('CLAIMED', 'ASSIGNED'))`,
  ],
  [
    'a started, completed or released claim without its event',
    `SELECT c.id, c.status FROM "Claim" c JOIN "Need" n ON n.id = c."needId" WHERE n."communityId" = $1::uuid AND (
        (c."startedAt" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "NeedEvent" e WHERE e."claimId" = c.id AND e.type = 'STARTED'))
     OR (c.status = 'COMPLETED' AND NOT EXISTS (SELECT 1 FROM "NeedEvent" e WHERE e."claimId" = c.id AND e.type = 'COMPLETED'))
     OR (c.status = 'RELEASED' AND c."releaseReason" IS DISTINCT FROM 'Need cancelled'
         AND NOT EXISTS (SELECT 1 FROM "NeedEvent" e WHERE e."claimId" = c.id AND e.type IN ('RELEASED', 'UNASSIGNED'))))`,
  ],
  [
    'an event of a claim the database does not have',
    `SELECT e.seq, e.type FROM "NeedEvent" e WHERE e."communityId" = $1::uuid AND e."claimId" IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "Claim" c WHERE c.id = e."claimId")`,
  ],
];

/** Every broken invariant in this community, as readable lines. */
export async function consistencyViolations(query: Query, communityId: string): Promise<string[]> {
  const out: string[] = [];
  for (const [label, sql] of CHECKS) {
    const rows = await query(sql, [communityId]);
    for (const row of rows.slice(0, 5)) out.push(`${label}: ${JSON.stringify(row)}`);
    if (rows.length > 5) out.push(`${label}: … and ${rows.length - 5} more`);
  }
  return out;
}
