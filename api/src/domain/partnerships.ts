// Community partnerships: pairings, joint teams, recovery road maps, pledges and what was
// disbursed. Money is integer minor units with its currency; currencies are never mixed.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { Partnership } from '../generated/prisma/client.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';

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

export async function partnershipFor(s: Services, viewer: Viewer, partnershipId: string) {
  const p = await s.prisma.partnership.findUnique({ where: { id: partnershipId } });
  if (!p) throw notFound('Partnership');
  if (!canManagePartnership(viewer, p)) throw forbidden('manage this partnership');
  return p;
}

export async function createPartnership(s: Services, 
  viewer: Viewer,
  input: { israeliCommunityId: string; abroadCommunityId: string; startDate: Date; termYears?: number | null; yearlyPledgeMinor: bigint; currency: string },
) {
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
  return commit(s, async (tx, w) => {
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
