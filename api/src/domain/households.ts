// Households: who a community's requesters are, for knowing whom it helped (indicators.ts).
// A household is recorded only with the requester's consent, given when a coordinator or
// hotline operator records it (the time and who recorded it are kept); without it nothing is
// stored beyond what a need already holds. Intake finds the household by the requester's phone
// in the need's community (its E.164 key, as the caller lookup reads numbers) and links the need.
// Households are private: those who take the community's needs in (its coordinators, the hotline
// operators of a centre covering it, admins: `canSeeHousehold`), no one else.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import type { BeneficiaryGroup } from '../generated/prisma/enums.ts';
import type { Viewer } from '../auth/viewer.ts';
import { validPhone } from '../shared/phone.ts';
import { lockNeed } from './locks.ts';
import { needsWithContact } from './duplicates.ts';
import { canSeeHousehold, scopeCommunities } from './privacy.ts';
import type { Selection } from './selection.ts';

/** People by age band: counts that add up to at most the household's size. */
export type AgeBands = { ages0to5: number; ages6to17: number; ages18to64: number; ages65plus: number };

export type HouseholdFields = {
  name: string;
  phone: string | null;
  languages: string[];
  accessibilityNeeds: string;
  size: number;
  groups: BeneficiaryGroup[];
  homeCommunityId: string | null;
  currentLocation: string | null;
} & AgeBands;

export type HouseholdInput = Partial<HouseholdFields> & Pick<HouseholdFields, 'name' | 'size'> & { communityId: string; consent: boolean };

const BANDS = ['ages0to5', 'ages6to17', 'ages18to64', 'ages65plus'] as const;

/** Pure: what is wrong with a household as it would be stored (a field and a message), or null. */
export function householdProblem(h: Pick<HouseholdFields, 'size' | 'phone'> & AgeBands): { field: string; message: string } | null {
  if (!Number.isInteger(h.size) || h.size < 1 || h.size > 50) return { field: 'size', message: 'A household has 1 to 50 people.' };
  for (const band of BANDS) if (!Number.isInteger(h[band]) || h[band] < 0) return { field: band, message: 'A count of people cannot be negative.' };
  if (BANDS.reduce((sum, band) => sum + h[band], 0) > h.size) return { field: 'size', message: 'The age bands add up to more people than the household has.' };
  if (h.phone && !validPhone(h.phone)) return { field: 'phone', message: 'Enter a valid phone number.' };
  return null;
}

function assertValid(h: Pick<HouseholdFields, 'size' | 'phone'> & AgeBands): void {
  const problem = householdProblem(h);
  if (problem) throw badInput(problem.message, problem.field);
}

/**
 * The household of this phone in the community (by its E.164 key), if one was recorded. Under the
 * phone's lock: a household recorded at the same moment either is seen here or sees this need.
 */
export async function householdByPhone(tx: UnitOfWork['tx'], communityId: string, phone: string | null | undefined) {
  const key = validPhone(phone);
  if (!key) return null;
  await lockPhone(tx, communityId, key);
  return tx.household.findUnique({ where: { communityId_phoneKey: { communityId, phoneKey: key } }, select: { id: true } });
}

/** One phone at a time per community, so that two intakes of the same number make one household. */
async function lockPhone(tx: UnitOfWork['tx'], communityId: string, key: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`household:${communityId}:${key}`}))`;
}

async function assertPhoneFree(tx: UnitOfWork['tx'], communityId: string, key: string | null, exceptId: string | null) {
  if (!key) return;
  await lockPhone(tx, communityId, key);
  const other = await tx.household.findUnique({ where: { communityId_phoneKey: { communityId, phoneKey: key } }, select: { id: true } });
  if (other && other.id !== exceptId) throw badInput('A household with this phone is already recorded in this community.', 'phone');
}

async function assertHomeCommunity(tx: UnitOfWork['tx'], homeCommunityId: string | null | undefined) {
  if (homeCommunityId && !(await tx.community.findUnique({ where: { id: homeCommunityId }, select: { id: true } }))) throw badInput('No such community.', 'homeCommunityId');
}

/**
 * Records a household, with the requester's consent (required), the time and who recorded it; the
 * requester's earlier needs in the community (by phone) are linked to it.
 */
export async function createHousehold(s: Services, viewer: Viewer, input: HouseholdInput, query: Selection = {}) {
  if (!canSeeHousehold(viewer, { communityId: input.communityId })) throw forbidden("record households of this community");
  if (input.consent !== true) throw badInput('A household is recorded only with the requester\'s consent.', 'consent');
  const { communityId, consent: _consent, ...fields } = input;
  const row = {
    name: fields.name.trim(),
    phone: fields.phone?.trim() || null,
    languages: fields.languages ?? [],
    accessibilityNeeds: fields.accessibilityNeeds ?? '',
    size: fields.size,
    ages0to5: fields.ages0to5 ?? 0,
    ages6to17: fields.ages6to17 ?? 0,
    ages18to64: fields.ages18to64 ?? 0,
    ages65plus: fields.ages65plus ?? 0,
    groups: [...new Set(fields.groups ?? [])],
    homeCommunityId: fields.homeCommunityId ?? null,
    currentLocation: fields.currentLocation ?? null,
  };
  assertValid(row);
  const created = await commit(s, async (tx) => {
    const phoneKey = validPhone(row.phone);
    await assertPhoneFree(tx, communityId, phoneKey, null);
    await assertHomeCommunity(tx, row.homeCommunityId);
    const household = await tx.household.create({ data: { ...row, phoneKey, communityId, consentAt: s.clock.now(), consentById: viewer.id }, select: { id: true } });
    // The requester's earlier needs in the community (by the same phone), not yet linked nor erased: theirs too.
    if (phoneKey) {
      const earlier = await needsWithContact(tx, [communityId], { phone: phoneKey, email: null }, new Date(0));
      if (earlier.length) await tx.need.updateMany({ where: { id: { in: earlier }, householdId: null, privateErasedAt: null }, data: { householdId: household.id } });
    }
    return household;
  });
  return s.prisma.household.findUniqueOrThrow({ ...query, where: { id: created.id } });
}

/** Locks a household's row and checks the viewer may change it. */
async function lockHousehold(tx: UnitOfWork['tx'], viewer: Viewer, householdId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Household" WHERE id = ${householdId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound('Household');
  const household = await tx.household.findUniqueOrThrow({ where: { id: householdId } });
  if (!canSeeHousehold(viewer, household)) throw forbidden('change this household');
  return household;
}

/** Changes a household's fields (given ones only), checked as a whole under its row lock. */
export async function updateHousehold(s: Services, viewer: Viewer, householdId: string, patch: Partial<HouseholdFields>, query: Selection = {}) {
  await commit(s, async (tx) => {
    const current = await lockHousehold(tx, viewer, householdId);
    const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as typeof current;
    if (patch.phone !== undefined) next.phone = patch.phone?.trim() || null;
    if (patch.name !== undefined) next.name = patch.name.trim();
    if (patch.groups) next.groups = [...new Set(patch.groups)];
    assertValid(next);
    const phoneKey = validPhone(next.phone);
    await assertPhoneFree(tx, current.communityId, phoneKey, householdId);
    await assertHomeCommunity(tx, next.homeCommunityId);
    const { id: _id, communityId: _c, consentAt: _at, consentById: _by, createdAt: _cr, updatedAt: _up, ...data } = next;
    await tx.household.update({ where: { id: householdId }, data: { ...data, phoneKey } });
  });
  return s.prisma.household.findUniqueOrThrow({ ...query, where: { id: householdId } });
}

/** The requester withdrew their consent: the household goes, its needs stay (unlinked). */
export async function deleteHousehold(s: Services, viewer: Viewer, householdId: string): Promise<string> {
  await commit(s, async (tx) => {
    await lockHousehold(tx, viewer, householdId);
    await tx.need.updateMany({ where: { householdId }, data: { householdId: null } });
    await tx.household.delete({ where: { id: householdId } });
  });
  return householdId;
}

/** Links a need to a household of its community (null: unlinks it). */
export async function linkNeedToHousehold(s: Services, viewer: Viewer, needId: string, householdId: string | null) {
  return commit(s, async (tx) => {
    const need = await lockNeed(tx, needId);
    if (!canSeeHousehold(viewer, need)) throw forbidden("link this need's household");
    if (householdId) {
      const household = await tx.household.findUnique({ where: { id: householdId }, select: { communityId: true } });
      if (!household || !canSeeHousehold(viewer, household)) throw notFound('Household');
      if (household.communityId !== need.communityId) throw badInput("The household must be of the need's community.", 'householdId');
    }
    return tx.need.update({ where: { id: needId }, data: { householdId } });
  });
}

/**
 * The household a new need is for: the one given (of the need's community, else BAD_USER_INPUT),
 * or the one recorded for the requester's phone in that community, or none.
 */
export async function householdForNeed(tx: UnitOfWork['tx'], communityId: string, givenId: string | null | undefined, phone: string | null | undefined): Promise<string | null> {
  if (givenId) {
    const household = await tx.household.findUnique({ where: { id: givenId }, select: { communityId: true } });
    if (!household || household.communityId !== communityId) throw badInput("The household must be of the need's community.", 'householdId');
    return givenId;
  }
  return (await householdByPhone(tx, communityId, phone))?.id ?? null;
}

/** The households of the communities asked for that the viewer takes needs in for, by name; by phone when one is given. */
export async function householdsOf(s: Services, viewer: Viewer, requested: string[] | undefined, phone: string | null | undefined, query: Selection = {}) {
  const ids = await scopeCommunities(s, viewer, requested, 'intake');
  const key = phone ? validPhone(phone) : undefined;
  if (phone && !key) throw badInput('Enter a valid phone number.', 'phone');
  return s.prisma.household.findMany({
    ...query,
    where: { communityId: { in: ids }, ...(key ? { phoneKey: key } : {}) },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: 500,
  });
}
