// Who is asking: the signed-in user with their community roles, loaded once per request.
import type { MembershipRole } from '../generated/prisma/enums.ts';

export type Viewer = {
  id: string;
  name: string;
  isAdmin: boolean;
  /** communityId -> role, for ACTIVE memberships only (a pending or declined applicant has none). */
  roles: ReadonlyMap<string, MembershipRole>;
  sessionId: string;
  sessionExpiresAt: Date;
};

export function isCoordinatorOf(viewer: Viewer | null, communityId: string): boolean {
  if (!viewer) return false;
  return viewer.isAdmin || viewer.roles.get(communityId) === 'COORDINATOR';
}

/** Coordinator of at least one community, or admin. */
export function isAnyCoordinator(viewer: Viewer | null): boolean {
  return !!viewer && (viewer.isAdmin || [...viewer.roles.values()].includes('COORDINATOR'));
}

export function coordinatedCommunityIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  return [...viewer.roles].filter(([, role]) => role === 'COORDINATOR').map(([id]) => id);
}

export function isMemberOf(viewer: Viewer | null, communityId: string): boolean {
  return !!viewer && (viewer.isAdmin || viewer.roles.has(communityId));
}
