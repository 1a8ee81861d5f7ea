// Sessions: a random bearer token given to the client (cookie or Authorization header);
// the database keeps only its SHA-256, so a leaked table grants nothing.
import { createHash, randomBytes } from 'node:crypto';
import type { Services } from '../services.ts';
import type { Viewer } from './viewer.ts';
import { viewerFromApiKey } from './apiKeys.ts';
import { isApiKeyToken } from '../domain/apiKeys.ts';
import { readGrants } from './roles.ts';

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

/**
 * The viewer of a session, read now (its roles as they are now), or null once it was signed out or
 * expired. One statement, shared with the other sessions read in the same turn (auth/sessionReader.ts),
 * and one more for a coordinator or an operator: the coverage of their centres (auth/roles.ts).
 * A long-lived WebSocket asks again at each subscribe and for each event.
 */
export async function viewerFromSession(s: Services, sessionId: string): Promise<Viewer | null> {
  const session = await s.sessions.read(sessionId);
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
