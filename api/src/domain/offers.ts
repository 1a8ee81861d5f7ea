// Offers: help offered in a community — a place to stay, a ride, goods, a professional's hours —
// by a member, or by a coordinator for an organisation. An offer is private like a need: its
// public point is approximate (drawn as a need's is, one place one point), its exact place, a
// ride's destination and the contact phone reach only those privacy.ts admits (`seesOfferPrivate`).
// It expires: from `expiresAt` on it is neither listed nor matched.
import { z } from 'zod';
import type { Services } from '../services.ts';
import type { Tx } from '../events/outbox.ts';
import { commit } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, badInput, forbidden } from '../errors.ts';
import type { Offer, Prisma } from '../generated/prisma/client.ts';
import type { OfferKind } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, isMemberOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import type { Place } from './needRecords.ts';
import { bboxAround, distanceKm, publicLocation, publicPointFits, SAME_PLACE_KM, type Point } from './geo.ts';
import { trimmed } from './needRules.ts';
import { lockOffer } from './locks.ts';

const count = (label: string, max: number) => z.number().int().min(1, `${label}: at least 1.`).max(max, `${label}: at most ${max}.`);

/** What a valid offer looks like. */
export const offerFieldRules = {
  title: trimmed(120, 'Title'),
  description: z.string().trim().max(4_000, 'Description must be at most 4000 characters.'),
  organisation: z.string().trim().max(200, 'Organisation must be at most 200 characters.'),
  beds: count('Beds', 200),
  seats: count('Seats', 60),
  hours: count('Hours', 2_000),
  households: count('Households', 10_000),
  quantity: count('Quantity', 10_000),
  item: trimmed(120, 'Item'),
  itemQuantity: z.number().positive('Quantity must be more than 0.').max(1_000_000, 'Quantity is too large.'),
  unit: z.string().trim().max(30, 'Unit must be at most 30 characters.'),
  items: z.array(z.unknown()).min(1, 'List at least one item.').max(100, 'At most 100 items.'),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'A language is a lower-case tag such as he, ar, en, ru, am.')).max(20, 'At most 20 languages.'),
  note: z.string().trim().max(500, 'At most 500 characters.'),
  service: trimmed(200, 'Service'),
};

/** An availability window ends after it starts. */
export const availabilityRule = (v: { availableFrom?: Date | null; availableUntil?: Date | null }) => !v.availableFrom || !v.availableUntil || v.availableUntil > v.availableFrom;

export type OfferItem = { item: string; quantity: number; unit: string };

export type OfferInput = {
  communityId: string;
  kind: OfferKind;
  title: string;
  description?: string | null;
  /** A coordinator offering for an organisation names it. */
  organisation?: string | null;
  /** Absent: the offerer's own phone. */
  contactPhone?: string | null;
  /** The place: the home (HOSTING), where a ride leaves from, where goods are picked up, the practice. */
  place: Place;
  /** A ride's destination. */
  destination?: Place | null;
  /** Beds, seats, hours or households served, by kind. */
  capacity: number;
  availableFrom?: Date | null;
  availableUntil?: Date | null;
  /** Absent: `availableUntil`. */
  expiresAt?: Date | null;
  stepFree?: boolean | null;
  petsAllowed?: boolean | null;
  languages?: string[] | null;
  recurringNote?: string | null;
  items?: OfferItem[] | null;
  service?: string | null;
};

/**
 * The public point of a place an offer names (its place, a ride's destination): the one the
 * offerer's own offers already show for it while it fits, else a fresh draw. One place, one
 * point, so nothing to average; and never a need's point, as needs share theirs (needRecords.ts
 * publicPointFor): anyone may offer, and an offer at a guessed address that came back with a
 * need's point would tell its offerer that a need is there.
 */
async function offerPublicPoint(tx: Tx, offeredById: string, exact: Point): Promise<Point> {
  const box = bboxAround(exact, SAME_PLACE_KM);
  const within = { gte: box.minLat, lte: box.maxLat };
  const across = { gte: box.minLng, lte: box.maxLng };
  const mine = await tx.offer.findMany({
    where: { offeredById, OR: [{ lat: within, lng: across }, { destinationLat: within, destinationLng: across }] },
    select: { lat: true, lng: true, publicLat: true, publicLng: true, destinationLat: true, destinationLng: true, destinationPublicLat: true, destinationPublicLng: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 100,
  });
  const known = mine.flatMap((o) => [
    { exact: { lat: o.lat, lng: o.lng }, pub: { lat: o.publicLat, lng: o.publicLng } },
    ...(o.destinationLat != null && o.destinationLng != null && o.destinationPublicLat != null && o.destinationPublicLng != null
      ? [{ exact: { lat: o.destinationLat, lng: o.destinationLng }, pub: { lat: o.destinationPublicLat, lng: o.destinationPublicLng } }]
      : []),
  ]);
  const shared = known.find((k) => distanceKm(exact, k.exact) <= SAME_PLACE_KM && publicPointFits(exact, k.pub));
  return shared?.pub ?? publicLocation(exact);
}

/** The error of an offer past its `expiresAt`. */
export const offerExpired = (offer: Pick<Offer, 'expiresAt'>) =>
  new AppError(ErrorCode.OFFER_EXPIRED, 'This offer has expired.', { expiresAt: offer.expiresAt.toISOString() });

/** The error of a match asking more of an offer than is left (`remaining`). */
export const capacityExhausted = (remaining: number) =>
  new AppError(
    ErrorCode.OFFER_CAPACITY_EXHAUSTED,
    remaining === 0 ? 'Nothing is left of this offer: another match took it first.' : `Only ${remaining} left of this offer: another match took the rest first.`,
    { remaining },
  );

/** Offers still standing at `now`: the only ones listed and matched. */
export const standingOffers = (now: Date): Prisma.OfferWhereInput => ({ expiresAt: { gt: now } });

export async function createOffer(s: Services, viewer: Viewer, input: OfferInput): Promise<Offer> {
  if (!isMemberOf(viewer, input.communityId) || !withinKeyScope(viewer, input.communityId)) throw forbidden('offer help in a community you have not joined');
  if (input.organisation && !isCoordinatorOf(viewer, input.communityId)) throw forbidden('offer help on behalf of an organisation (its coordinators do)');
  const now = s.clock.now();
  const expiresAt = input.expiresAt ?? input.availableUntil;
  if (!expiresAt) throw badInput('Say until when the offer stands: expiresAt or availableUntil.', 'expiresAt');
  if (expiresAt <= now) throw badInput('The offer must stand until a time still to come.', input.expiresAt ? 'expiresAt' : 'availableUntil');
  return commit(s, async (tx) => {
    const pub = await offerPublicPoint(tx, viewer.id, input.place);
    const to = input.destination && (await offerPublicPoint(tx, viewer.id, input.destination));
    const me = input.contactPhone ? null : await tx.user.findUnique({ where: { id: viewer.id }, select: { phone: true } });
    return tx.offer.create({
      data: {
        kind: input.kind,
        title: input.title,
        description: input.description ?? '',
        communityId: input.communityId,
        offeredById: viewer.id,
        organisation: input.organisation || null,
        capacity: input.capacity,
        remaining: input.capacity,
        lat: input.place.lat,
        lng: input.place.lng,
        address: input.place.address,
        contactPhone: input.contactPhone ?? me?.phone ?? null,
        publicLat: pub.lat,
        publicLng: pub.lng,
        ...(input.destination && to
          ? {
              destinationLat: input.destination.lat,
              destinationLng: input.destination.lng,
              destinationAddress: input.destination.address,
              destinationPublicLat: to.lat,
              destinationPublicLng: to.lng,
            }
          : {}),
        availableFrom: input.availableFrom ?? null,
        availableUntil: input.availableUntil ?? null,
        expiresAt,
        stepFree: input.stepFree ?? false,
        petsAllowed: input.petsAllowed ?? false,
        languages: input.languages ?? [],
        recurringNote: input.recurringNote ?? null,
        items: input.items ?? undefined,
        service: input.service ?? null,
        createdAt: now,
      },
    });
  });
}

/**
 * The offerer (or a coordinator of its community) withdraws an offer: it expires now, so it is
 * no longer listed, and its proposals waiting for an answer can no longer be accepted
 * (OFFER_EXPIRED). Accepted matches stand: what they reserved is promised. (The matches are not
 * written here: an acceptance locks its match before the offer, so this takes the offer alone.)
 */
export async function withdrawOffer(s: Services, viewer: Viewer, offerId: string): Promise<Offer> {
  return commit(s, async (tx) => {
    const offer = await lockOffer(tx, offerId);
    if ((offer.offeredById !== viewer.id && !isCoordinatorOf(viewer, offer.communityId)) || !withinKeyScope(viewer, offer.communityId)) throw forbidden('withdraw this offer');
    const now = s.clock.now();
    if (offer.expiresAt <= now) return offer;
    return tx.offer.update({ where: { id: offerId }, data: { expiresAt: now } });
  });
}

/**
 * The claim an accepted match gave the offerer is let go (released, unassigned): the match is
 * released and its quantity goes back to the offer, in the claim's transaction (under the need's
 * lock, which an acceptance takes before the offer's).
 */
export async function releaseOfferMatchOf(tx: Tx, claimId: string, at: Date): Promise<void> {
  const match = await tx.offerMatch.findFirst({ where: { claimId, status: 'ACCEPTED' }, select: { id: true, offerId: true, quantity: true } });
  if (!match) return;
  await tx.offerMatch.update({ where: { id: match.id }, data: { status: 'RELEASED', releasedAt: at } });
  await tx.offer.update({ where: { id: match.offerId }, data: { remaining: { increment: match.quantity } } });
}
