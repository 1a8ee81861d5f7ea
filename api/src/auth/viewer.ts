// Who is asking: the signed-in user with their community roles, loaded once per request.
import type { MembershipRole } from '../generated/prisma/enums.ts';

export type Viewer = {
  id: string;
  name: string;
  isAdmin: boolean;
  /**
   * communityId -> role, for ACTIVE memberships only (a pending or declined applicant has none),
   * with COORDINATOR in every community an operations centre they coordinate covers (auth/roles.ts).
   */
  roles: ReadonlyMap<string, MembershipRole>;
  /** Communities whose calls and texts they take in as a hotline operator (auth/roles.ts); coordinators take in theirs without this. */
  operatesFor: ReadonlySet<string>;
  sessionId: string;
  sessionExpiresAt: Date;
  /** Set when a partner system's API key asks (auth/apiKeys.ts): `roles` are then its creator's, within its communities only. */
  apiKey?: ApiKeyScope;
};

/** What an API key may reach: its communities, and the root mutation fields it may run (none: read-only). */
export type ApiKeyScope = { id: string; communityIds: ReadonlySet<string>; allowedMutations: ReadonlySet<string> };

/** A person's own credential reaches every community; an API key only its own (private details, claims, reasons). */
export function withinKeyScope(viewer: Viewer, communityId: string | null): boolean {
  return !viewer.apiKey || (communityId !== null && viewer.apiKey.communityIds.has(communityId));
}

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

/** Takes needs in (calls, texts, intake screens) for the community: its coordinators, admins, and its hotline operators. */
export function takesIntakeFor(viewer: Viewer | null, communityId: string): boolean {
  return isCoordinatorOf(viewer, communityId) || (!!viewer && viewer.operatesFor.has(communityId));
}

/** Takes needs in for at least one community. */
export function takesAnyIntake(viewer: Viewer | null): boolean {
  return isAnyCoordinator(viewer) || (!!viewer && viewer.operatesFor.size > 0);
}

/** The communities whose needs the viewer takes in (for an admin: those they hold a role in; admins' views say "all" elsewhere). */
export function intakeCommunityIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  return [...new Set([...coordinatedCommunityIds(viewer), ...viewer.operatesFor])];
}

/** As a hotline operator only (not a coordinator, not an admin): the intake screens and nothing else of coordination. */
export function isOperatorOnlyFor(viewer: Viewer | null, communityId: string): boolean {
  return !!viewer && viewer.operatesFor.has(communityId) && !isCoordinatorOf(viewer, communityId);
}
