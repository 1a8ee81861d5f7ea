// Operations centres: which communities a centre covers. Its coordinators coordinate them and its
// hotline operators take their calls in (auth/roles.ts says what coverage gives whom); granting
// that much is an admin's to do, like the coordinator's role itself.
import type { Services } from '../services.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { Selection } from './selection.ts';

/** Admins only: coverage makes a centre's coordinators coordinators of the covered communities. */
export const maySetCoverage = (viewer: Viewer | null): boolean => !!viewer?.isAdmin && !viewer.apiKey;

/**
 * The communities `centreId` covers, replaced by `communityIds` (empty: none). The centre must be an
 * OPERATIONS_CENTER; a covered community may not be one (coverage does not chain).
 */
export async function setCentreCoverage(s: Services, viewer: Viewer, centreId: string, communityIds: readonly string[], query: Selection = {}) {
  if (!maySetCoverage(viewer)) throw forbidden("set an operations centre's communities (an admin does)");
  const ids = [...new Set(communityIds)];
  return s.prisma.$transaction(async (tx) => {
    const centre = await tx.community.findUnique({ where: { id: centreId }, select: { kind: true } });
    if (!centre) throw notFound('Community');
    if (centre.kind !== 'OPERATIONS_CENTER') throw badInput('Only an operations centre covers other communities.', 'centreId');
    const covered = await tx.community.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } });
    if (covered.length !== ids.length) throw notFound('Community');
    if (covered.some((c) => c.kind === 'OPERATIONS_CENTER')) throw badInput('An operations centre covers communities, not other centres.', 'communityIds');
    await tx.centreCoverage.deleteMany({ where: { centreId, communityId: { notIn: ids } } });
    await tx.centreCoverage.createMany({ data: ids.map((communityId) => ({ centreId, communityId })), skipDuplicates: true });
    return tx.community.findUniqueOrThrow({ ...query, where: { id: centreId } });
  });
}

/** A hotline operator's role belongs to an operations centre: refused elsewhere (BAD_USER_INPUT). */
export async function assertRoleFitsCommunity(s: Services, communityId: string, role: string): Promise<void> {
  if (role !== 'HOTLINE_OPERATOR') return;
  const community = await s.prisma.community.findUnique({ where: { id: communityId }, select: { kind: true } });
  if (community && community.kind !== 'OPERATIONS_CENTER') throw badInput('A hotline operator belongs to an operations centre.', 'role');
}
