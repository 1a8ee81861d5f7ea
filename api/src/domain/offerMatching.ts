// Matching offers with needs: for a need, the offers that could answer it; for an offer, the
// needs it could answer; each ranked with its reasons, as matching.ts does for volunteers. Then
// a coordinator proposes a match, both sides accept, and the final acceptance reserves the
// offer's capacity and gives the offerer a slot of the need in one transaction.
//
// Privacy by construction: a score and its reasons read only public values (public points,
// coarse distances, dates, counts, languages), never an exact place.
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, badInput, forbidden, notFound } from '../errors.ts';
import type { Need, Offer, OfferMatch, Prisma } from '../generated/prisma/client.ts';
import type { Tx } from '../events/outbox.ts';
import { NeedStatus, type NeedCategory, type OfferKind } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { offerMatchSides } from './privacy.ts';
import { coarseKm, distanceKm, type Point } from './geo.ts';
import { assertNeedAction, needActionAllowed } from './needStatus.ts';
import { byId, needsUrgentFirst } from './orders.ts';
import { takeSlotForOffer } from './claims.ts';
import { lockNeed, lockOffer, lockOfferMatch, lockUser } from './locks.ts';
import { capacityExhausted, offerExpired, standingOffers } from './offers.ts';

export type OfferReason = {
  code:
    | 'CAPACITY'
    | 'TOO_SMALL'
    | 'DATES'
    | 'DATES_OPEN'
    | 'DATES_CONFLICT'
    | 'DISTANCE'
    | 'DESTINATION'
    | 'NO_DESTINATION'
    | 'TOO_FAR'
    | 'REMOTE'
    | 'LANGUAGE'
    | 'NO_COMMON_LANGUAGE'
    | 'STEP_FREE'
    | 'NOT_STEP_FREE';
  text: string;
  weight: number;
};

/** A candidate and how well it fits, as matching.ts's `Match`, with the reasons of offers. */
export type Ranked<T> = { subject: T; score: number; reasons: OfferReason[] };

/** The kinds of offer that may answer a need of each category. */
export const offerKindsFor: Record<NeedCategory, readonly OfferKind[]> = {
  HOSTING: ['HOSTING'],
  TRANSPORT: ['RIDE'],
  FOOD: ['GOODS'],
  MEDICINE: ['GOODS'],
  EQUIPMENT: ['GOODS'],
  MENTAL_HEALTH: ['SKILL'],
  CHILDCARE: ['SKILL'],
  ELDERLY_SUPPORT: ['SKILL'],
  AGRICULTURE: ['SKILL'],
  JOBS: ['SKILL'],
  FUNERAL_SHIVA: ['SKILL', 'GOODS'],
  OTHER: ['HOSTING', 'RIDE', 'GOODS', 'SKILL'],
};

const categoriesFor = (kind: OfferKind) => (Object.keys(offerKindsFor) as NeedCategory[]).filter((c) => offerKindsFor[c].includes(kind));

const WEIGHTS = { capacity: 0.25, dates: 0.15, distance: 0.3, language: 0.15, stepFree: 0.15 };
/** Beyond this, distance earns nothing, and the score is halved. */
const FAR_KM = 25;
const UNIT: Record<OfferKind, [string, string]> = { HOSTING: ['bed', 'beds'], RIDE: ['seat', 'seats'], GOODS: ['household', 'households'], SKILL: ['hour', 'hours'] };
const units = (kind: OfferKind, n: number) => `${n} ${UNIT[kind][n === 1 ? 0 : 1]}`;
const round = (n: number) => Math.round(n * 1000) / 1000;

export type NeedSide = Pick<
  Need,
  'category' | 'publicLat' | 'publicLng' | 'remote' | 'neededFrom' | 'neededBy' | 'people' | 'needsStepFree' | 'destinationPublicLat' | 'destinationPublicLng'
> & {
  /** The requester's language: private, so null for a viewer who may not know it (and then no reason depends on it). */
  requesterLocale: string | null;
};
export type OfferSide = Pick<
  Offer,
  'kind' | 'remaining' | 'publicLat' | 'publicLng' | 'availableFrom' | 'availableUntil' | 'expiresAt' | 'stepFree' | 'languages' | 'destinationPublicLat' | 'destinationPublicLng'
>;

const publicPoint = (x: { publicLat: number; publicLng: number }): Point => ({ lat: x.publicLat, lng: x.publicLng });
const pointOf = (lat: number | null, lng: number | null): Point | null => (lat != null && lng != null ? { lat, lng } : null);

/** The coarse distance between two public points, its weight out of `max`, and whether it is too far. */
function closeness(a: Point, b: Point, max: number) {
  const km = coarseKm(distanceKm(a, b));
  return { km, weight: round(max * Math.max(0, 1 - km / FAR_KM)), far: km > FAR_KM };
}

/**
 * Pure: how well an offer answers a need, and why. Capacity (what is left against the people
 * the need is for), dates (the offer's availability against the need's window), distance
 * (public points; for a ride both ends: origin to the need's point, destination to the need's
 * destination), language (the requester's among the offerer's) and step-free access when the
 * need asks for it. A poor fit on capacity, dates, distance or access halves the score: such an
 * offer could not really be taken.
 */
export function scoreOffer(need: NeedSide, offer: OfferSide, now: Date): { score: number; reasons: OfferReason[] } {
  const reasons: OfferReason[] = [];
  let halvings = 0;
  const wanted = need.people ?? 1;
  if (offer.remaining >= wanted) reasons.push({ code: 'CAPACITY', text: `${units(offer.kind, offer.remaining)} free for ${wanted}`, weight: WEIGHTS.capacity });
  else {
    reasons.push({ code: 'TOO_SMALL', text: `Only ${units(offer.kind, offer.remaining)} free for ${wanted}`, weight: 0 });
    halvings++;
  }

  const needFrom = need.neededFrom && need.neededFrom > now ? need.neededFrom : now;
  const offerUntil = offer.availableUntil ?? offer.expiresAt;
  if (!need.neededFrom && !need.neededBy && !offer.availableFrom && !offer.availableUntil) {
    reasons.push({ code: 'DATES_OPEN', text: 'No dates given on either side', weight: round(WEIGHTS.dates / 2) });
  } else if ((offer.availableFrom ?? needFrom) <= (need.neededBy ?? offerUntil) && needFrom <= offerUntil) {
    reasons.push({ code: 'DATES', text: 'Available when needed', weight: WEIGHTS.dates });
  } else {
    reasons.push({ code: 'DATES_CONFLICT', text: 'Not available when needed', weight: 0 });
    halvings++;
  }

  if (need.remote) {
    reasons.push({ code: 'REMOTE', text: 'Needs no place', weight: WEIGHTS.distance });
  } else if (offer.kind === 'RIDE') {
    const origin = closeness(publicPoint(need), publicPoint(offer), WEIGHTS.distance / 2);
    reasons.push({ code: 'DISTANCE', text: `Leaves about ${origin.km.toFixed(1)} km from the need`, weight: origin.weight });
    const to = pointOf(need.destinationPublicLat, need.destinationPublicLng);
    const goes = pointOf(offer.destinationPublicLat, offer.destinationPublicLng);
    if (to && goes) {
      const end = closeness(to, goes, WEIGHTS.distance / 2);
      reasons.push({ code: 'DESTINATION', text: `Arrives about ${end.km.toFixed(1)} km from the destination`, weight: end.weight });
      if (origin.far || end.far) {
        reasons.push({ code: 'TOO_FAR', text: `An end more than ${FAR_KM} km away`, weight: 0 });
        halvings++;
      }
    } else {
      reasons.push({ code: 'NO_DESTINATION', text: 'No destination to compare', weight: 0 });
      if (origin.far) halvings++;
    }
  } else {
    const d = closeness(publicPoint(need), publicPoint(offer), WEIGHTS.distance);
    reasons.push({ code: 'DISTANCE', text: `about ${d.km.toFixed(1)} km away`, weight: d.weight });
    if (d.far) {
      reasons.push({ code: 'TOO_FAR', text: `More than ${FAR_KM} km away`, weight: 0 });
      halvings++;
    }
  }

  if (need.requesterLocale && offer.languages.includes(need.requesterLocale)) reasons.push({ code: 'LANGUAGE', text: `Speaks ${need.requesterLocale}`, weight: WEIGHTS.language });
  else if (need.requesterLocale && offer.languages.length) reasons.push({ code: 'NO_COMMON_LANGUAGE', text: `Does not list ${need.requesterLocale}`, weight: 0 });

  if (need.needsStepFree) {
    if (offer.stepFree) reasons.push({ code: 'STEP_FREE', text: 'Step-free, as needed', weight: WEIGHTS.stepFree });
    else {
      reasons.push({ code: 'NOT_STEP_FREE', text: 'Not step-free, and the need asks for it', weight: 0 });
      halvings++;
    }
  }
  const score = reasons.reduce((sum, r) => sum + r.weight, 0) / 2 ** halvings;
  return { score: round(score), reasons };
}

const best = <T extends { id: string }>(a: Ranked<T>, b: Ranked<T>) => b.score - a.score || byId(a.subject, b.subject);

const NEED_STATUSES = Object.values(NeedStatus);

/** A pair already proposed or accepted is not a candidate again. */
const LIVE_MATCH = { in: ['PROPOSED', 'ACCEPTED'] as OfferMatch['status'][] };

/** Standing offers of the need's community that could answer it, best first (its coordinators). */
export async function offersForNeed(s: Services, viewer: Viewer, needId: string, first: number): Promise<Ranked<Offer>[]> {
  const need = await s.prisma.need.findUnique({ where: { id: needId } });
  if (!need) throw notFound('Need');
  if (!isCoordinatorOf(viewer, need.communityId) || !withinKeyScope(viewer, need.communityId)) throw forbidden('see offers for this need');
  const now = s.clock.now();
  const offers = await s.prisma.offer.findMany({
    where: {
      ...standingOffers(now),
      communityId: need.communityId,
      kind: { in: [...offerKindsFor[need.category]] },
      remaining: { gt: 0 },
      matches: { none: { needId, status: LIVE_MATCH } },
    },
    orderBy: { id: 'asc' },
    take: 2_000,
  });
  return offers
    .map((o) => ({ subject: o, ...scoreOffer(need, o, now) }))
    .sort(best)
    .slice(0, first);
}

/**
 * Needs of the offer's community it could answer, best first: for its coordinators, and for the
 * offerer, whose ranking reads the needs' public values only.
 */
export async function needsForOffer(s: Services, viewer: Viewer, offerId: string, first: number): Promise<Ranked<Need>[]> {
  const offer = await s.prisma.offer.findUnique({ where: { id: offerId } });
  if (!offer) throw notFound('Offer');
  const mine = offer.offeredById === viewer.id;
  if ((!mine && !isCoordinatorOf(viewer, offer.communityId)) || !withinKeyScope(viewer, offer.communityId)) throw forbidden('see needs for this offer');
  const now = s.clock.now();
  if (offer.expiresAt <= now) return [];
  const needs = await s.prisma.need.findMany({
    where: {
      communityId: offer.communityId,
      category: { in: categoriesFor(offer.kind) },
      status: { in: NEED_STATUSES.filter((st) => needActionAllowed('assign', st)) },
      mergedIntoId: null,
      offerMatches: { none: { offerId, status: LIVE_MATCH } },
    },
    orderBy: needsUrgentFirst,
    take: 2_000,
  });
  // The requester's language is private: the offerer's ranking must not depend on it.
  const knowsRequesters = isCoordinatorOf(viewer, offer.communityId);
  return needs
    .filter((n) => n.activeClaims < n.slots)
    .map((n) => ({ subject: n, ...scoreOffer(knowsRequesters ? n : { ...n, requesterLocale: null }, offer, now) }))
    .sort(best)
    .slice(0, first);
}

// ─── Proposing and accepting ─────────────────────────────────────────────────────────────────

/** A coordinator of both the offer's and the need's community proposes the offer (`quantity` of it) for the need. */
export async function proposeOfferMatch(s: Services, viewer: Viewer, offerId: string, needId: string, quantity: number): Promise<OfferMatch> {
  return commit(s, async (tx) => {
    // Under the offer's lock: two coordinators proposing the same pair at once make one match.
    const offer = await lockOffer(tx, offerId);
    const need = await tx.need.findUnique({ where: { id: needId } });
    if (!need) throw notFound('Need');
    for (const c of [offer.communityId, need.communityId]) {
      if (!isCoordinatorOf(viewer, c) || !withinKeyScope(viewer, c)) throw forbidden('propose matches for this offer and need');
    }
    const now = s.clock.now();
    if (offer.expiresAt <= now) throw offerExpired(offer);
    if (!offerKindsFor[need.category].includes(offer.kind)) throw badInput(`A ${offer.kind} offer does not answer a ${need.category} need.`, 'needId');
    assertNeedAction('assign', need.status);
    if (quantity > offer.remaining) throw capacityExhausted(offer.remaining);
    const live = await tx.offerMatch.findFirst({ where: { offerId, needId, status: LIVE_MATCH }, select: { id: true } });
    if (live) throw badInput('This offer is already proposed for this need.', 'needId');
    return tx.offerMatch.create({ data: { offerId, needId, quantity, proposedById: viewer.id, proposedAt: now } });
  });
}

/** The match under its row lock, with its offer and what the rules need of its need. */
async function lockMatch(tx: Tx, matchId: string) {
  await lockOfferMatch(tx, matchId);
  return tx.offerMatch.findUniqueOrThrow({ where: { id: matchId }, include: { offer: true, need: { select: { communityId: true, createdById: true } } } });
}

/**
 * The viewer accepts a proposed match for the side(s) they answer for. The acceptance that
 * completes it, in the same transaction: the offer's capacity is reserved by a conditional
 * update (never below zero; a match that finds too little left fails with
 * OFFER_CAPACITY_EXHAUSTED and changes nothing) and the offerer takes a slot of the need by
 * the claim rules, with its ASSIGNED event (the board updates live).
 */
export async function acceptOfferMatch(s: Services, viewer: Viewer, matchId: string): Promise<OfferMatch> {
  return commit(s, async (tx, w) => {
    const match = await lockMatch(tx, matchId);
    const sides = offerMatchSides(viewer, match.offer, match.need);
    if (!sides.offer && !sides.need) throw forbidden('accept this match');
    if (match.status !== 'PROPOSED') throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This match is no longer waiting for an answer.', { currentStatus: match.status });
    const now = s.clock.now();
    if (match.offer.expiresAt <= now) throw offerExpired(match.offer);
    const data: Prisma.OfferMatchUncheckedUpdateInput = {};
    if (sides.offer && !match.offerAcceptedAt) Object.assign(data, { offerAcceptedById: viewer.id, offerAcceptedAt: now });
    if (sides.need && !match.needAcceptedAt) Object.assign(data, { needAcceptedById: viewer.id, needAcceptedAt: now });
    if (Object.keys(data).length === 0) return match;
    const final = (match.offerAcceptedAt || sides.offer) && (match.needAcceptedAt || sides.need);
    if (final) {
      // The claim's locks first, in the claim's order (the offerer, then the need), then the
      // offer's row by the conditional update: a release of another of the offer's claims,
      // which holds its need and then returns capacity to the offer, never waits on us in a cycle.
      await lockUser(tx, match.offer.offeredById);
      await lockNeed(tx, match.needId);
      const reserved = await tx.offer.updateMany({
        where: { id: match.offerId, remaining: { gte: match.quantity }, expiresAt: { gt: now } },
        data: { remaining: { decrement: match.quantity } },
      });
      if (reserved.count === 0) {
        // Another acceptance took what was left, or the offer was withdrawn meanwhile.
        const current = await tx.offer.findUniqueOrThrow({ where: { id: match.offerId }, select: { remaining: true, expiresAt: true } });
        throw current.expiresAt <= now ? offerExpired(current) : capacityExhausted(current.remaining);
      }
      const claim = await takeSlotForOffer(w, match.needId, match.offer.offeredById, viewer.id, { id: match.id, quantity: match.quantity });
      Object.assign(data, { status: 'ACCEPTED', acceptedAt: now, claimId: claim.id });
    }
    return tx.offerMatch.update({ where: { id: matchId }, data });
  });
}

/** Either side, or a coordinator of the offer's community, turns down a proposed match. */
export async function declineOfferMatch(s: Services, viewer: Viewer, matchId: string): Promise<OfferMatch> {
  return commit(s, async (tx) => {
    const match = await lockMatch(tx, matchId);
    const sides = offerMatchSides(viewer, match.offer, match.need);
    if (!sides.offer && !sides.need && !(isCoordinatorOf(viewer, match.offer.communityId) && withinKeyScope(viewer, match.offer.communityId))) throw forbidden('decline this match');
    if (match.status !== 'PROPOSED') throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This match is no longer waiting for an answer.', { currentStatus: match.status });
    return tx.offerMatch.update({ where: { id: matchId }, data: { status: 'DECLINED', declinedAt: s.clock.now(), declinedById: viewer.id } });
  });
}
