// Viewers for the unit tests' tables of who may do what (no session, no database).
import type { MembershipRole } from '../generated/prisma/enums.ts';
import type { Viewer } from './viewer.ts';

export const viewer = (roles: [string, MembershipRole][], isAdmin = false, id = 'u'): Viewer => ({
  id, name: 'U', isAdmin, roles: new Map(roles), operatesFor: new Set(), sessionId: 's', sessionExpiresAt: new Date(0),
});

/** Who coordinates `communityId` (its coordinators and admins) and who does not, with the answer a coordinators-only rule gives. */
export const coordinatorsOf = (communityId: string): [string, Viewer | null, boolean][] => [
  ['nobody signed in', null, false],
  ['a coordinator of the community', viewer([[communityId, 'COORDINATOR']]), true],
  ['a volunteer of the community', viewer([[communityId, 'VOLUNTEER']]), false],
  ['a coordinator of another community', viewer([[`not-${communityId}`, 'COORDINATOR']]), false],
  ['an admin', viewer([], true), true],
];
