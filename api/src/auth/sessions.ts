// Sessions: a random bearer token given to the client (cookie or Authorization header);
// the database keeps only its SHA-256, so a leaked table grants nothing.
import { createHash, randomBytes } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Services } from '../services.ts';
import type { Viewer } from './viewer.ts';
import { viewerFromApiKey } from './apiKeys.ts';
import { isApiKeyToken } from '../domain/apiKeys.ts';
import { readGrants, type HeldMembership } from './roles.ts';

export const SESSION_COOKIE = 'ma_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(s: Services, userId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await s.prisma.session.create({ data: { id: hashToken(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function revokeSession(s: Services, sessionId: string): Promise<void> {
  await s.prisma.session.deleteMany({ where: { id: sessionId } });
}

/** The viewer for a token (a session's or an API key's), or null when the token is unknown, revoked or expired. One query. */
export async function viewerFromToken(s: Services, token: string | null | undefined): Promise<Viewer | null> {
  if (!token || token.length > 200) return null;
  return isApiKeyToken(token) ? viewerFromApiKey(s, { token }) : viewerFromSession(s, hashToken(token));
}

/** The viewer read again (a session, or an API key and its creator, as they are now), or null once it has ended. One query. */
export function viewerAgain(s: Services, viewer: Viewer): Promise<Viewer | null> {
  return viewer.apiKey ? viewerFromApiKey(s, { id: viewer.apiKey.id }) : viewerFromSession(s, viewer.sessionId);
}

/** A session's row with its user and the user's ACTIVE memberships (a pending or declined applicant holds no role anywhere). */
type SessionRow = { id: string; expiresAt: Date; userId: string; name: string; globalRole: string; memberships: HeldMembership[] };

/**
 * Sessions asked for in one turn of the event loop are read together, in one statement: under a
 * burst (a thousand volunteers claiming at once) each request's context would otherwise send its
 * own. Never cached: every read is of the session as it is now.
 */
const sessionReaders = new WeakMap<Services['prisma'], DataLoader<string, SessionRow | null>>();

function sessionReader(s: Services): DataLoader<string, SessionRow | null> {
  let reader = sessionReaders.get(s.prisma);
  if (!reader) {
    reader = new DataLoader(
      async (ids) => {
        const rows = await s.prisma.$queryRaw<SessionRow[]>`
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
    sessionReaders.set(s.prisma, reader);
  }
  return reader;
}

/**
 * The viewer of a session, read now (its roles as they are now), or null once it was signed out or
 * expired. One statement, shared with the other sessions read in the same turn (and one more for a
 * coordinator or an operator: the coverage of their centres, auth/roles.ts); Prisma's nested select
 * sent three. A long-lived WebSocket asks again at each subscribe and for each event.
 */
export async function viewerFromSession(s: Services, sessionId: string): Promise<Viewer | null> {
  const session = await sessionReader(s).load(sessionId);
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return {
    id: session.userId,
    name: session.name,
    isAdmin: session.globalRole === 'ADMIN',
    ...(await readGrants(s, session.memberships)),
    sessionId: session.id,
    sessionExpiresAt: session.expiresAt,
  };
}

export function tokenFromCookieHeader(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export function tokenFromAuthorization(header: string | null | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m ? m[1]! : null;
}
