// Claims, decided inside the database: the need's row (and the volunteer's, for the cap)
// is locked FOR UPDATE, the rules are checked under the lock, and the change and its
// event commit together. Two volunteers racing for the last slot: one waits for the
// other's lock and then sees the slot taken.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { Tx } from '../events/outbox.ts';
import type { Claim, Need } from '../generated/prisma/client.ts';
import type { NeedEventType } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, isMemberOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { lockNeed, lockUser } from './locks.ts';
import { assertClaimAction, assertNeedAction, statusFromClaims, liveClaim } from './needStatus.ts';
import { refreshSeriesBoard } from './recurrence.ts';
import { notify } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';
import { queueRequesterText } from './requesterTexts.ts';
import { claimExpiresAt } from './rules.ts';
import { assertQualified } from './vettingRecords.ts';
import { hasRequirements, needRequirements } from './vetting.ts';
import { releaseOfferMatchOf } from './offers.ts';


/**
 * The need's live claims: `active` counts the slots they hold (a group's claim holds its size),
 * `claims` the claims themselves (the requester is texted once, at the first).
 */
export async function liveCounts(tx: Tx, needId: string) {
  return countLive(await tx.claim.findMany({ where: { needId, status: liveClaim }, select: LIVE_COLUMNS }));
}

const LIVE_COLUMNS = { needId: true, volunteerId: true, status: true, places: true } as const;
type LiveClaim = Pick<Claim, keyof typeof LIVE_COLUMNS>;

function countLive(live: readonly Pick<LiveClaim, 'status' | 'places'>[]) {
  let active = 0;
  let started = 0;
  for (const c of live) {
    active += c.places;
    if (c.status === 'STARTED') started++;
  }
  return { active, started, claims: live.length };
}

/**
 * In one statement, under the need's and the volunteer's row locks: the need's live claims
 * counted (liveCounts) and the needs the volunteer holds a live claim on.
 */
async function claimLoad(tx: Tx, needId: string, volunteerId: string) {
  const live = await tx.claim.findMany({ where: { status: liveClaim, OR: [{ needId }, { volunteerId }] }, select: LIVE_COLUMNS });
  return { counts: countLive(live.filter((c) => c.needId === needId)), held: live.filter((c) => c.volunteerId === volunteerId) };
}

/** Refuses one more claim to a volunteer who holds `held` live claims already, at the cap. */
export function assertUnderClaimCap(s: Pick<Services, 'rules'>, held: number): void {
  const limit = s.rules.claims.maxActivePerVolunteer;
  if (held >= limit) throw new AppError(ErrorCode.CLAIM_LIMIT, `A volunteer may hold at most ${limit} active claims; finish or release one first.`, { limit });
}

/** Refuses a claim of `places` slots when fewer are open: the typed error of a full need. */
export function assertSlotsOpen(need: Pick<Need, 'slots' | 'status'>, active: number, places = 1): void {
  if (active + places <= need.slots) return;
  const open = Math.max(0, need.slots - active);
  throw new AppError(
    ErrorCode.CLAIM_CONFLICT,
    need.slots === 1
      ? 'Someone else claimed this need a moment ago.'
      : places > 1
        ? `Only ${open} of the ${need.slots} places on this need are open; a group of ${places} does not fit.`
        : `All ${need.slots} places on this need were taken a moment ago.`,
    { currentStatus: need.status, slots: need.slots, openSlots: open },
  );
}

/** Recomputes the need's status and live-claim count from its claims, and writes the event. */
export async function settleNeed(
  w: UnitOfWork,
  need: Need,
  type: NeedEventType,
  actorId: string | null,
  claimId: string | null,
  at: Date,
  payload?: Record<string, string | number | boolean | null>,
  extra: { done?: boolean; counts?: Awaited<ReturnType<typeof liveCounts>> } = {},
) {
  const { tx } = w;
  const counts = extra.counts ?? (await liveCounts(tx, need.id));
  const status = extra.done ? 'DONE' : statusFromClaims({ ...counts, slots: need.slots });
  const updated = await tx.need.update({
    where: { id: need.id },
    data: {
      status,
      activeClaims: counts.active,
      firstClaimedAt: need.firstClaimedAt ?? (type === 'CLAIMED' || type === 'ASSIGNED' ? at : null),
      doneAt: status === 'DONE' ? at : null,
    },
  });
  const event = await w.event({
    needId: need.id,
    communityId: need.communityId,
    type,
    fromStatus: need.status,
    toStatus: status,
    actorId,
    claimId,
    at,
    payload,
  });
  await queueRequesterText(w, updated, event, counts.claims);
  if (need.seriesId) await refreshSeriesBoard(w, need.seriesId, at, actorId);
  return updated;
}

/**
 * How a slot is taken: by a volunteer's own claim or a coordinator's assignment (the claim
 * expires unless started, and counts towards the volunteer's cap), or by an accepted offer
 * (`offerMatch`: the offerer holds the slot for as long as the offer lasts, with no expiry, and
 * the cap does not apply: an offer's limit is its own capacity). `authorize` decides who may,
 * on the locked row.
 */
type SlotTaking = { offerMatch?: { id: string; quantity: number }; authorize?: (need: Pick<Need, 'communityId'>) => void };

async function takeSlot(w: UnitOfWork, needId: string, volunteerId: string, actorId: string, type: 'CLAIMED' | 'ASSIGNED', how: SlotTaking = {}) {
  const { tx, s } = w;
  await lockUser(tx, volunteerId);
  const need = await lockNeed(tx, needId);
  how.authorize?.(need);
  assertNeedAction(type === 'CLAIMED' ? 'claim' : 'assign', need.status);
  // Under the volunteer's row lock, which vetting writes take too: the vetting as it is now.
  await assertQualified(w, need, volunteerId, type === 'CLAIMED' ? 'you' : 'volunteer');
  const { counts, held } = await claimLoad(tx, needId, volunteerId);
  assertSlotsOpen(need, counts.active);
  // The volunteer's live claims, under their row lock: one on this need already, or the cap.
  if (held.some((c) => c.needId === needId)) throw new AppError(ErrorCode.ALREADY_CLAIMED, 'This volunteer already holds a claim on this need.');
  if (!how.offerMatch) assertUnderClaimCap(s, held.length);
  const at = s.clock.now();
  const claim = await tx.claim.create({
    data: { needId, volunteerId, claimedAt: at, expiresAt: how.offerMatch ? null : claimExpiresAt(s.rules, at) },
  });
  const payload = how.offerMatch ? { offerMatchId: how.offerMatch.id, quantity: how.offerMatch.quantity } : undefined;
  // Under the need's lock the counts are known: the new claim holds one more place, not yet started.
  await settleNeed(w, need, type, actorId, claim.id, at, payload, { counts: { active: counts.active + 1, started: counts.started, claims: counts.claims + 1 } });
  return claim;
}

/**
 * The offerer of an accepted offer match takes a slot of the need, by the rules of an
 * assignment (the need's state, its open slots, vetting, one live claim per person), with the
 * ASSIGNED event naming the match; inside the caller's unit of work, which reserves the offer.
 */
export const takeSlotForOffer = (w: UnitOfWork, needId: string, offererId: string, actorId: string, match: { id: string; quantity: number }) =>
  takeSlot(w, needId, offererId, actorId, 'ASSIGNED', { offerMatch: match });

/** The columns the early check of a claim decides on. */
const EARLY_COLUMNS = { id: true, communityId: true, status: true, slots: true, activeClaims: true, requiresIdentityCheck: true, requiresBackgroundCheck: true, requiredTrainings: true } as const;

/**
 * What takeSlot refuses a claim for first, in its order, on the need's committed row without its
 * lock: a need that is not there, one the viewer may not take, one whose state allows no claim,
 * and one whose places are all held (unless it asks for vetting, which takeSlot checks before the
 * places). Most claims on a popular need come after its last place went: they are answered at
 * once instead of each queueing for the row's lock behind the winner (and holding a connection).
 */
async function refuseClaimWithoutLock(s: Services, needId: string, how: SlotTaking): Promise<void> {
  const need = await s.prisma.need.findUnique({ where: { id: needId }, select: EARLY_COLUMNS });
  if (!need) throw notFound('Need');
  how.authorize?.(need);
  assertNeedAction('claim', need.status);
  if (!hasRequirements(needRequirements(need))) assertSlotsOpen(need, need.activeClaims);
}

export async function claimNeed(s: Services, viewer: Viewer, needId: string): Promise<Claim> {
  // Who may claim is decided on the need's row: no other read of the need.
  const how: SlotTaking = {
    authorize: (need) => {
      if (!isMemberOf(viewer, need.communityId)) throw forbidden('claim needs of a community you have not joined');
    },
  };
  return commit(s, (_tx, w) => takeSlot(w, needId, viewer.id, viewer.id, 'CLAIMED', how), {
    refuseEarly: () => refuseClaimWithoutLock(s, needId, how),
    // Claims on one need from this process wait their turn here, not for the row's lock.
    turn: `need:${needId}`,
  });
}

export async function assignNeed(s: Services, viewer: Viewer, needId: string, volunteerId: string): Promise<Claim> {
  const need = await s.prisma.need.findUnique({ where: { id: needId }, select: { communityId: true } });
  if (!need) throw notFound('Need');
  if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('assign volunteers to this need');
  const member = await s.prisma.membership.findUnique({
    where: { userId_communityId: { userId: volunteerId, communityId: need.communityId } },
  });
  if (member?.status !== 'ACTIVE') throw new AppError(ErrorCode.BAD_USER_INPUT, 'The volunteer is not a member of this community.', { field: 'volunteerId' });
  const claim = await commit(s, (_tx, w) => takeSlot(w, needId, volunteerId, viewer.id, 'ASSIGNED'));
  return claim;
}

type ClaimChange = {
  action: 'start' | 'release' | 'complete' | 'extend' | 'unassign' | 'verify';
  /** Who may do it: the claim's volunteer, or a coordinator of the need's community. */
  allowed: (viewer: Viewer, claim: Claim, need: Need) => boolean;
  apply: (tx: Tx, claim: Claim, at: Date) => Promise<unknown>;
  event: NeedEventType;
  payload?: Record<string, string | number | boolean | null>;
  done?: (tx: Tx, need: Need) => Promise<boolean>;
};

async function changeClaim(s: Services, viewer: Viewer, claimId: string, change: ClaimChange): Promise<Claim> {
  return commit(s, async (tx, w) => {
    const found = await tx.claim.findUnique({ where: { id: claimId }, select: { needId: true } });
    if (!found) throw notFound('Claim');
    const need = await lockNeed(tx, found.needId);
    const claim = await tx.claim.findUniqueOrThrow({ where: { id: claimId } });
    // An API key acts for its creator only within its communities, on their own claims too.
    if (!withinKeyScope(viewer, need.communityId) || !change.allowed(viewer, claim, need)) throw forbidden(`${change.action} this claim`);
    assertClaimAction(change.action, claim.status);
    const at = s.clock.now();
    await change.apply(tx, claim, at);
    // A slot an offer gave back: what the match reserved returns to the offer.
    if (change.action === 'release' || change.action === 'unassign') await releaseOfferMatchOf(tx, claim.id, at);
    const done = change.done ? await change.done(tx, need) : false;
    const settled = await settleNeed(w, need, change.event, viewer.id, claim.id, at, change.payload, { done });
    if (change.action === 'complete' && settled.status === 'DONE' && need.createdById && need.createdById !== viewer.id) {
      await notify(w, [need.createdById], 'NEED_COMPLETED', need, {
        title: text('notify.needCompleted.title', { title: need.title }),
        body: text('notify.needCompleted.body'),
      });
    }
    return tx.claim.findUniqueOrThrow({ where: { id: claimId } });
  });
}

const holderOrCoordinator = (viewer: Viewer, claim: Claim, need: Need) =>
  claim.volunteerId === viewer.id || isCoordinatorOf(viewer, need.communityId);
const holder = (viewer: Viewer, claim: Claim) => claim.volunteerId === viewer.id;
const coordinator = (viewer: Viewer, _claim: Claim, need: Need) => isCoordinatorOf(viewer, need.communityId);

export const startClaim = (s: Services, viewer: Viewer, claimId: string) =>
  changeClaim(s, viewer, claimId, {
    action: 'start',
    allowed: holder,
    event: 'STARTED',
    apply: (tx, c, at) => tx.claim.update({ where: { id: c.id }, data: { status: 'STARTED', startedAt: at, expiresAt: null } }),
  });

export const releaseClaim = (s: Services, viewer: Viewer, claimId: string, reason: string | null) =>
  changeClaim(s, viewer, claimId, {
    action: 'release',
    allowed: holder,
    event: 'RELEASED',
    payload: { reason },
    apply: (tx, c, at) =>
      tx.claim.update({ where: { id: c.id }, data: { status: 'RELEASED', releasedAt: at, releaseReason: reason, expiresAt: null } }),
  });

export const unassignClaim = (s: Services, viewer: Viewer, claimId: string, reason: string | null) =>
  changeClaim(s, viewer, claimId, {
    action: 'unassign',
    allowed: coordinator,
    event: 'UNASSIGNED',
    payload: { reason },
    apply: (tx, c, at) =>
      tx.claim.update({ where: { id: c.id }, data: { status: 'RELEASED', releasedAt: at, releaseReason: reason, expiresAt: null } }),
  });

export const completeClaim = (s: Services, viewer: Viewer, claimId: string, note: string | null) =>
  changeClaim(s, viewer, claimId, {
    action: 'complete',
    allowed: holderOrCoordinator,
    event: 'COMPLETED',
    apply: (tx, c, at) => tx.claim.update({ where: { id: c.id }, data: { status: 'COMPLETED', completedAt: at, note } }),
    // The need is done when no one is still on it.
    done: async (tx, need) => (await tx.claim.count({ where: { needId: need.id, status: liveClaim } })) === 0,
  });

export const extendClaim = (s: Services, viewer: Viewer, claimId: string) =>
  changeClaim(s, viewer, claimId, {
    action: 'extend',
    allowed: holder,
    event: 'EXTENDED',
    apply: (tx, c, at) =>
      tx.claim.update({ where: { id: c.id }, data: { expiresAt: claimExpiresAt(s.rules, at), expiryWarnedAt: null } }),
  });

export const verifyCompletion = (s: Services, viewer: Viewer, claimId: string) =>
  changeClaim(s, viewer, claimId, {
    action: 'verify',
    allowed: coordinator,
    event: 'VERIFIED',
    apply: (tx, c, at) => tx.claim.update({ where: { id: c.id }, data: { verifiedAt: at, verifiedById: viewer.id } }),
    done: async (tx, need) => need.status === 'DONE',
  });

/**
 * Expires unstarted claims whose time is up; each in its own transaction, re-checked under
 * the need's lock so that several API processes may sweep at once without double counting.
 */
export async function releaseExpiredClaims(s: Services, now = s.clock.now()): Promise<number> {
  const due = await s.prisma.claim.findMany({
    where: { status: 'ACTIVE', expiresAt: { lte: now } },
    select: { id: true, needId: true },
    take: 500,
  });
  let expired = 0;
  for (const { id, needId } of due) {
    const did = await commit(s, async (tx, w) => {
      const need = await lockNeed(tx, needId);
      const claim = await tx.claim.findUniqueOrThrow({ where: { id } });
      if (claim.status !== 'ACTIVE' || !claim.expiresAt || claim.expiresAt > now) return false;
      await tx.claim.update({ where: { id }, data: { status: 'EXPIRED', releasedAt: now, releaseReason: 'Claim expired' } });
      await settleNeed(w, need, 'EXPIRED', null, id, now);
      return true;
    });
    if (did) expired++;
  }
  return expired;
}
