// Community partnerships: pairings, joint teams, recovery road maps, pledges and what was
// disbursed. Money is integer minor units with its currency; currencies are never mixed.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, badInput, forbidden, notFound } from '../errors.ts';
import type { Partnership, RecoveryGoal } from '../generated/prisma/client.ts';
import type { TeamSide } from '../generated/prisma/enums.ts';
import { coordinatedCommunityIds, isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import type { Selection } from './selection.ts';

export type Money = { amountMinor: bigint; currency: string };

export const CURRENCY = /^[A-Z]{3}$/;

/** Sums per currency; amounts in different currencies are never added together. */
export function sumByCurrency(items: Money[]): Money[] {
  const totals = new Map<string, bigint>();
  for (const m of items) totals.set(m.currency, (totals.get(m.currency) ?? 0n) + m.amountMinor);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

/** `a - b` per currency (currencies only in `b` come out negative). */
export function subtractByCurrency(a: Money[], b: Money[]): Money[] {
  return sumByCurrency([...a, ...b.map((m) => ({ ...m, amountMinor: -m.amountMinor }))]);
}

export function canManagePartnership(viewer: Viewer | null, p: Pick<Partnership, 'israeliCommunityId' | 'abroadCommunityId'>): boolean {
  return !!viewer && (isCoordinatorOf(viewer, p.israeliCommunityId) || isCoordinatorOf(viewer, p.abroadCommunityId));
}

/** A pledge is zero or more, in minor units; `field` names the argument it came in. */
export function assertPledge(amountMinor: bigint, field: string): void {
  if (amountMinor < 0n) throw badInput('A pledge cannot be negative.', field);
}

export function assertDisbursement(amountMinor: bigint): void {
  if (amountMinor <= 0n) throw badInput('A disbursement must be more than zero.', 'amountMinor');
}

/** Money of a partnership goes to a goal on its Israeli community's road map, and a goal attached to it is on that road map. */
export function goalServesPartnership(goal: Pick<RecoveryGoal, 'communityId'> | null, p: Pick<Partnership, 'israeliCommunityId'>): boolean {
  return !!goal && goal.communityId === p.israeliCommunityId;
}

export async function partnershipFor(s: Services, viewer: Viewer, partnershipId: string) {
  const p = await s.prisma.partnership.findUnique({ where: { id: partnershipId } });
  if (!p) throw notFound('Partnership');
  if (!canManagePartnership(viewer, p)) throw forbidden('manage this partnership');
  return p;
}

/**
 * The communities in Israel whose public figures (dashboard, indicators) the viewer reads as a
 * partner: those of every partnership not ENDED whose community abroad they coordinate, or whose
 * joint team lists their account on the ABROAD side. Private details stay with the community's own
 * coordinators (privacy.ts).
 */
export async function partneredCommunityIds(s: Services, viewer: Viewer): Promise<string[]> {
  const rows = await s.prisma.partnership.findMany({
    where: { status: { not: 'ENDED' }, OR: [{ abroadCommunityId: { in: coordinatedCommunityIds(viewer) } }, { team: { some: { userId: viewer.id, side: 'ABROAD' } } }] },
    select: { israeliCommunityId: true },
  });
  return [...new Set(rows.map((r) => r.israeliCommunityId))];
}

/** The partnerships of the communities the viewer coordinates (all of them, for admins). */
export function partnershipsOf(s: Services, viewer: Viewer, query: Selection = {}) {
  const mine = coordinatedCommunityIds(viewer);
  return s.prisma.partnership.findMany({
    ...query,
    where: viewer.isAdmin ? {} : { OR: [{ israeliCommunityId: { in: mine } }, { abroadCommunityId: { in: mine } }] },
    orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
  });
}

/**
 * Pairs a community in Israel, which the viewer coordinates, with a partner community abroad. The
 * Israeli side asks: the abroad community's coordinators then manage the partnership with it.
 */
export async function createPartnership(s: Services, 
  viewer: Viewer,
  input: { israeliCommunityId: string; abroadCommunityId: string; startDate: Date; termYears?: number | null; yearlyPledgeMinor: bigint; currency: string },
  query?: Selection,
) {
  assertPledge(input.yearlyPledgeMinor, 'yearlyPledgeMinor');
  if (!isCoordinatorOf(viewer, input.israeliCommunityId)) throw forbidden('pair this community');
  const [il, abroad] = await Promise.all([
    s.prisma.community.findUnique({ where: { id: input.israeliCommunityId } }),
    s.prisma.community.findUnique({ where: { id: input.abroadCommunityId } }),
  ]);
  if (!il || !abroad) throw notFound('Community');
  if (il.kind === 'PARTNER_ABROAD' || abroad.kind !== 'PARTNER_ABROAD') {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'A partnership pairs a community in Israel with a partner community abroad.', { field: 'abroadCommunityId' });
  }
  const termYears = input.termYears ?? 3;
  const created = await commit(s, async (tx, w) => {
    const p = await tx.partnership.create({
      data: { ...input, termYears, status: 'ACTIVE' },
    });
    // One pledge a year for the term, in the pledge currency; each can be changed later.
    const firstYear = input.startDate.getUTCFullYear();
    await tx.pledge.createMany({
      data: Array.from({ length: termYears }, (_, i) => ({ partnershipId: p.id, year: firstYear + i, amountMinor: input.yearlyPledgeMinor, currency: input.currency })),
    });
    return p;
  });
  // Read again as the caller selects it (a GraphQL selection), or as created.
  return query ? s.prisma.partnership.findUniqueOrThrow({ ...query, where: { id: created.id } }) : created;
}

/** A member of the joint team (partnership ↔ member: the viewer manages the partnership). */
export async function addTeamMember(s: Services, viewer: Viewer, input: { partnershipId: string; name: string; role: string; side: TeamSide; userId?: string | null }, query: Selection = {}) {
  await partnershipFor(s, viewer, input.partnershipId);
  if (input.userId && !(await s.prisma.user.findUnique({ where: { id: input.userId }, select: { id: true } }))) throw badInput('No such account.', 'userId');
  return s.prisma.partnershipMember.create({ ...query, data: { partnershipId: input.partnershipId, name: input.name, role: input.role, side: input.side, userId: input.userId ?? null } });
}

/** The pledge of one year in one currency, set or changed. */
export async function setPledge(s: Services, viewer: Viewer, input: { partnershipId: string; year: number; amountMinor: bigint; currency: string }, query: Selection = {}) {
  await partnershipFor(s, viewer, input.partnershipId);
  assertPledge(input.amountMinor, 'amountMinor');
  const { partnershipId, year, currency, amountMinor } = input;
  return s.prisma.pledge.upsert({
    ...query,
    where: { partnershipId_year_currency: { partnershipId, year, currency } },
    create: { partnershipId, year, currency, amountMinor },
    update: { amountMinor },
  });
}

/**
 * Money paid out under the partnership, which the viewer manages; to a goal (disbursement ↔ goal),
 * only one on the partnership's Israeli community's road map (the money's rights on the goal come
 * from the partnership: the abroad side's coordinators record what they paid to it).
 */
export async function recordDisbursement(
  s: Services,
  viewer: Viewer,
  input: { partnershipId: string; amountMinor: bigint; currency: string; goalId?: string | null; paidAt?: Date | null; note?: string | null },
  query: Selection = {},
) {
  const p = await partnershipFor(s, viewer, input.partnershipId);
  assertDisbursement(input.amountMinor);
  if (input.goalId) {
    const goal = await s.prisma.recoveryGoal.findUnique({ where: { id: input.goalId } });
    if (!goalServesPartnership(goal, p)) throw badInput("The goal must be on the Israeli community's road map.", 'goalId');
  }
  return s.prisma.disbursement.create({
    ...query,
    data: { partnershipId: p.id, amountMinor: input.amountMinor, currency: input.currency, goalId: input.goalId ?? null, paidAt: input.paidAt ?? s.clock.now(), note: input.note ?? null },
  });
}

/** Pledged, disbursed and remaining, per currency (and pledged per year). */
export async function partnershipFinances(s: Services, partnershipId: string) {
  const [pledges, disbursements] = await Promise.all([
    s.prisma.pledge.findMany({ where: { partnershipId }, orderBy: [{ year: 'asc' }, { currency: 'asc' }] }),
    s.prisma.disbursement.findMany({ where: { partnershipId }, select: { amountMinor: true, currency: true } }),
  ]);
  const pledged = sumByCurrency(pledges);
  const disbursed = sumByCurrency(disbursements);
  return { pledges, pledged, disbursed, remaining: subtractByCurrency(pledged, disbursed) };
}

/** The road map's progress: milestones done, and money disbursed against the budget. */
export function goalProgress(milestones: { doneAt: Date | null }[]): number {
  if (milestones.length === 0) return 0;
  return milestones.filter((m) => m.doneAt).length / milestones.length;
}

/** Which sum of partnership money (the schema's PartnershipTotal enum maps onto these). */
export type PartnershipTotal = 'pledged' | 'disbursed' | 'remaining';

/** Across every partnership, per currency. */
export async function partnershipTotals(s: Services, of: PartnershipTotal): Promise<Money[]> {
  const all = await s.prisma.partnership.findMany({ select: { id: true } });
  const per = await Promise.all(all.map((p) => partnershipFinances(s, p.id)));
  return sumByCurrency(per.flatMap((f) => f[of]));
}
