// The viewer of an API key: its creator as they are now, within the key's scope (domain/apiKeys.ts).
// Read for each request, each subscribe and each event of a live subscription, like a session:
// a revoked or expired key, or a creator whose role was taken away, counts from the next one.
import type { Services } from '../services.ts';
import type { Viewer } from './viewer.ts';
import { LAST_USED_EVERY_MS, hashApiKey, keyRoles } from '../domain/apiKeys.ts';
import { readGrants } from './roles.ts';

/** The viewer of the key with this token (or, read again, this id), or null once it is unknown, revoked or expired. One query. */
export async function viewerFromApiKey(s: Services, where: { token: string } | { id: string }): Promise<Viewer | null> {
  const key = await s.prisma.apiKey.findUnique({
    where: 'token' in where ? { tokenHash: hashApiKey(where.token) } : { id: where.id },
    select: {
      id: true,
      communityIds: true,
      allowedMutations: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      // The creator's ACTIVE memberships only, as their own session counts them (auth/sessions.ts).
      createdBy: { select: { id: true, name: true, globalRole: true, memberships: { where: { status: 'ACTIVE' }, select: { communityId: true, role: true } } } },
    },
  });
  const now = s.clock.now();
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  await touch(s, key.id, key.lastUsedAt, now);
  const creator = key.createdBy;
  // The creator's grants as their session has them (an operations centre's coverage included), within the key's communities.
  const grants = await readGrants(s, creator.memberships);
  const roles = keyRoles({ isAdmin: creator.globalRole === 'ADMIN', roles: grants.roles }, key.communityIds);
  return {
    id: creator.id,
    name: creator.name,
    isAdmin: false,
    roles,
    operatesFor: new Set(key.communityIds.filter((id) => grants.operatesFor.has(id))),
    sessionId: `apikey:${key.id}`,
    sessionExpiresAt: key.expiresAt ?? new Date(8.64e15),
    apiKey: { id: key.id, communityIds: new Set(key.communityIds), allowedMutations: new Set(key.allowedMutations) },
  };
}

/** lastUsedAt, written at most once a minute (and only by the request that finds it stale). */
async function touch(s: Services, id: string, lastUsedAt: Date | null, now: Date) {
  const stale = new Date(now.getTime() - LAST_USED_EVERY_MS);
  if (lastUsedAt && lastUsedAt > stale) return;
  await s.prisma.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] }, data: { lastUsedAt: now } });
}
