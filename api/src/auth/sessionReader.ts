// Sessions asked for in one turn of the event loop are read together, in one statement: under a
// burst (a thousand volunteers claiming at once) each request's context would otherwise send its
// own. Never cached: every read is of the session as it is now.
import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';

/** A session's row with its user and the user's ACTIVE memberships (a pending or declined applicant holds no role anywhere). */
export type SessionRow = {
  id: string;
  expiresAt: Date;
  userId: string;
  name: string;
  globalRole: string;
  memberships: { communityId: string; role: MembershipRole }[];
};

export type SessionReader = { read(sessionId: string): Promise<SessionRow | null> };

export function createSessionReader(prisma: PrismaClient): SessionReader {
  const loader = new DataLoader<string, SessionRow | null>(
    async (ids) => {
      const rows = await prisma.$queryRaw<SessionRow[]>`
        SELECT s.id, s."expiresAt", u.id AS "userId", u.name, u."globalRole"::text AS "globalRole",
          COALESCE((SELECT json_agg(json_build_object('communityId', m."communityId", 'role', m.role))
                    FROM "Membership" m WHERE m."userId" = u.id AND m.status = 'ACTIVE'), '[]'::json) AS memberships
        FROM "Session" s JOIN "User" u ON u.id = s."userId"
        WHERE s.id = ANY(${ids as string[]}::text[])`;
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: (read) => setImmediate(read) },
  );
  return { read: (sessionId) => loader.load(sessionId) };
}
