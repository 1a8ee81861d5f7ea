// What a person's memberships give them, said once: the communities they coordinate and those
// whose calls and texts they take in. Every check (auth/viewer.ts predicates, the scope-auth
// scopes, domain/privacy.ts) reads the Viewer this builds, so a rule about operations centres
// is not repeated in resolvers.
//
// - A membership gives its role in its community.
// - An operations centre covers a set of communities (CentreCoverage, set by admins). Its
//   COORDINATORs coordinate each of them as if they held the role there.
// - Its HOTLINE_OPERATORs take in needs (calls, texts) for the centre and each community it
//   covers, and see the private details of a need they took in for a while after
//   (domain/privacy.ts); nothing else a coordinator does. In the centre itself the operator is a
//   member (its board, claiming as a volunteer), not a coordinator.
import type { Services } from '../services.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';
import type { Viewer } from './viewer.ts';

/** An ACTIVE membership, as a session or an API key's creator holds it. */
export type HeldMembership = { communityId: string; role: MembershipRole };

/** What memberships give: the role in each community, and where calls are taken in as an operator. */
export type Grants = Pick<Viewer, 'roles' | 'operatesFor'>;

/** Pure: the grants of `memberships`, given which communities each centre covers (`coverage`: centre id → covered ids). */
export function grantsOf(memberships: readonly HeldMembership[], coverage: ReadonlyMap<string, readonly string[]>): Grants {
  const roles = new Map<string, MembershipRole>(memberships.map((m) => [m.communityId, m.role]));
  const operatesFor = new Set<string>();
  for (const m of memberships) {
    const covered = coverage.get(m.communityId) ?? [];
    if (m.role === 'COORDINATOR') for (const id of covered) roles.set(id, 'COORDINATOR');
    if (m.role === 'HOTLINE_OPERATOR') for (const id of [m.communityId, ...covered]) operatesFor.add(id);
  }
  return { roles, operatesFor };
}

/** Roles whose community's coverage matters: a volunteer's does not. */
const COVERAGE_ROLES: readonly MembershipRole[] = ['COORDINATOR', 'HOTLINE_OPERATOR'];

/**
 * `grantsOf`, reading the coverage of the centres in which the memberships give a coordinator's or
 * an operator's role: no query for anyone else, one for them.
 */
export async function readGrants(s: Services, memberships: readonly HeldMembership[]): Promise<Grants> {
  const centres = memberships.filter((m) => COVERAGE_ROLES.includes(m.role)).map((m) => m.communityId);
  return grantsOf(memberships, await coverageOf(s, centres));
}

/** The communities a centre covers, by centre (the ids given that are centres covering any). */
export async function coverageOf(s: Services, centreIds: readonly string[]): Promise<Map<string, string[]>> {
  const coverage = new Map<string, string[]>();
  if (!centreIds.length) return coverage;
  const rows = await s.prisma.centreCoverage.findMany({ where: { centreId: { in: [...centreIds] } }, select: { centreId: true, communityId: true } });
  for (const r of rows) coverage.set(r.centreId, [...(coverage.get(r.centreId) ?? []), r.communityId]);
  return coverage;
}

/**
 * The memberships whose holders coordinate `communityId`, as a Prisma filter: ACTIVE coordinators of
 * the community and of every operations centre that covers it (`grantsOf`, read from the other side:
 * who is told when the community's coordinators are).
 */
export const coordinatorsOf = (communityId: string) => ({
  role: 'COORDINATOR' as const,
  status: 'ACTIVE' as const,
  OR: [{ communityId }, { community: { covers: { some: { communityId } } } }],
});
