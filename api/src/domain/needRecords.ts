// The need record itself: its fields, and its insertion with the CREATED event, duplicate
// flags and critical alerts. Used by intake, recurring series and SMS drafts alike.
import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../events/unitOfWork.ts';
import type { NeedCategory, Urgency } from '../generated/prisma/enums.ts';
import type { Viewer } from '../auth/viewer.ts';
import { bboxAround, distanceKm, publicLocation, publicPointFits, SAME_PLACE_KM, type Point } from './geo.ts';
import { flagDuplicates } from './duplicates.ts';
import { notify } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';
import { localeOr } from '../shared/i18n/types.ts';
import { requirementColumns, type Requirements } from './vetting.ts';
import { assertKnownTrainings, requirementsFor } from './vettingRecords.ts';
import { householdForNeed } from './households.ts';

export type NeedInput = {
  title: string;
  description?: string | null;
  category: NeedCategory;
  urgency: Urgency;
  slots?: number | null;
  neededFrom?: Date | null;
  neededBy?: Date | null;
  lat: number;
  lng: number;
  address: string;
  requesterName: string;
  requesterPhone?: string | null;
  requesterEmail?: string | null;
  /** The requester agrees to share phone and e-mail with the volunteer; absent: no. */
  contactConsent?: boolean | null;
  /** The requester's language (a Locale); absent: the creator's own (`insertNeed`). */
  requesterLocale?: string | null;
  communityId: string;
  /** Who may take it; absent: what the community asks for the category (vettingRecords.ts). */
  requirements?: Requirements | null;
  /** Work without a place (see `remoteNeedInput`): lat/lng are the community's centre, the address empty. */
  remote?: boolean | null;
  /** How many people it is for (a household to host, passengers); absent: not said. */
  people?: number | null;
  /** The need asks for a step-free place. */
  needsStepFree?: boolean | null;
  /** A TRANSPORT need's destination: exact and private, with a public point drawn for it. */
  destination?: Place | null;
  /** The household it is for (of the same community); absent: the one recorded for the requester's phone, if any (households.ts). */
  householdId?: string | null;
};

/** An exact place and its address, both private. */
export type Place = Point & { address: string };

/**
 * The columns of a destination: the exact place, and a public point like a need's own (the
 * `current` one kept while it still fits, as `publicPointFor` does).
 */
export async function destinationColumns(tx: UnitOfWork['tx'], communityId: string, destination: Place | null | undefined, current?: Point) {
  if (!destination) return {};
  const pub = await publicPointFor(tx, communityId, destination, current);
  return {
    destinationLat: destination.lat,
    destinationLng: destination.lng,
    destinationAddress: destination.address,
    destinationPublicLat: pub.lat,
    destinationPublicLng: pub.lng,
  };
}

/** A need taken in without a place: remote work (a phone call, help online). */
export type RemoteNeedInput = Omit<NeedInput, 'lat' | 'lng' | 'address' | 'remote'> & { remote: true };

/**
 * A remote need as a need: its point is its community's centre (public anyway, so nothing of the
 * requester's), its address empty. It is never drawn on the map nor listed as near anything.
 */
export async function remoteNeedInput(tx: UnitOfWork['tx'], input: RemoteNeedInput): Promise<NeedInput> {
  const community = await tx.community.findUniqueOrThrow({ where: { id: input.communityId }, select: { centerLat: true, centerLng: true } });
  return { ...input, remote: true, lat: community.centerLat, lng: community.centerLng, address: '' };
}

/** A need at the same place whose public point another may share (`shareable` may refuse it). */
export type SamePlaceNeed = { id: string; lat: number; lng: number; publicLat: number; publicLng: number };

/**
 * The public point for a need at `exact`: its current one while it still fits (a small move
 * keeps it), else that of a need of the same community at the same place (all shifts of a
 * series, a requester asking again), else a fresh draw. One place, one point: nothing to
 * average. Only within the community, whose coordinators see exact places anyway: across
 * communities a shared point would tell a coordinator elsewhere that they guessed an address.
 * `shareable` leaves out points that must not spread (the redraw of id-derived ones).
 */
export async function publicPointFor(tx: UnitOfWork['tx'], communityId: string, exact: Point, current?: Point, shareable: (n: SamePlaceNeed) => boolean = () => true): Promise<Point> {
  if (current && publicPointFits(exact, current)) return current;
  const box = bboxAround(exact, SAME_PLACE_KM);
  const near = await tx.need.findMany({
    where: { communityId, lat: { gte: box.minLat, lte: box.maxLat }, lng: { gte: box.minLng, lte: box.maxLng } },
    select: { id: true, lat: true, lng: true, publicLat: true, publicLng: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 100,
  });
  const shared = near
    .filter((n) => distanceKm(exact, n) <= SAME_PLACE_KM && shareable(n))
    .map((n) => ({ lat: n.publicLat, lng: n.publicLng }))
    .find((p) => publicPointFits(exact, p));
  return shared ?? publicLocation(exact);
}

/** The language of whoever records a need (an operator takes calls in theirs), the default for the requester's. */
async function creatorLocale(tx: UnitOfWork['tx'], viewer: Viewer): Promise<string> {
  const user = await tx.user.findUnique({ where: { id: viewer.id }, select: { locale: true } });
  return localeOr(user?.locale);
}

/** Records a need and its CREATED event, flags likely duplicates and alerts volunteers to critical ones. */
export async function insertNeed(
  w: UnitOfWork,
  viewer: Viewer,
  given: NeedInput | RemoteNeedInput,
  extra: { seriesId?: string; occurrenceAt?: Date; onBoard?: boolean; alertVolunteers?: boolean } = {},
) {
  const { tx, s } = w;
  const input = given.remote ? await remoteNeedInput(tx, given as RemoteNeedInput) : (given as NeedInput);
  const id = randomUUID();
  const at = s.clock.now();
  // A remote need's point is the community's centre, which is public: no offset to draw.
  const pub = input.remote ? { lat: input.lat, lng: input.lng } : await publicPointFor(tx, input.communityId, input);
  if (input.requirements) await assertKnownTrainings(tx, input.communityId, input.requirements);
  const requirements = input.requirements ?? (await requirementsFor(tx, input.communityId, input.category));
  const householdId = await householdForNeed(tx, input.communityId, input.householdId, input.requesterPhone);
  const need = await tx.need.create({
    data: {
      id,
      title: input.title,
      description: input.description ?? '',
      category: input.category,
      urgency: input.urgency,
      slots: input.slots ?? 1,
      neededFrom: input.neededFrom ?? null,
      neededBy: input.neededBy ?? null,
      lat: input.lat,
      lng: input.lng,
      address: input.address,
      remote: input.remote ?? false,
      publicLat: pub.lat,
      publicLng: pub.lng,
      requesterName: input.requesterName,
      requesterPhone: input.requesterPhone ?? null,
      householdId,
      requesterEmail: input.requesterEmail?.trim().toLowerCase() || null,
      contactConsent: input.contactConsent ?? false,
      requesterLocale: input.requesterLocale ?? (await creatorLocale(tx, viewer)),
      communityId: input.communityId,
      createdById: viewer.id,
      createdAt: at,
      seriesId: extra.seriesId ?? null,
      occurrenceAt: extra.occurrenceAt ?? null,
      onBoard: extra.onBoard ?? true,
      people: input.people ?? null,
      needsStepFree: input.needsStepFree ?? false,
      ...(await destinationColumns(tx, input.communityId, input.destination)),
      ...requirementColumns(requirements),
    },
  });
  const duplicates = await flagDuplicates(tx, need);
  await w.event({
    needId: id,
    communityId: need.communityId,
    type: 'CREATED',
    fromStatus: null,
    toStatus: 'OPEN',
    actorId: viewer.id,
    at,
    payload: { category: need.category, urgency: need.urgency, duplicates },
  });
  if (need.urgency === 'CRITICAL' && (extra.alertVolunteers ?? true)) {
    const volunteers = await tx.membership.findMany({
      where: { communityId: need.communityId, role: 'VOLUNTEER', status: 'ACTIVE', userId: { not: viewer.id } },
      select: { userId: true },
      take: s.rules.notifications.maxRecipients,
    });
    await notify(w, volunteers.map((m) => m.userId), 'NEW_CRITICAL_NEED', need, {
      title: text('notify.criticalNeed.title', { title: need.title }),
      body: need.neededBy ? text('notify.criticalNeed.bodyBy', { by: need.neededBy }) : text('notify.criticalNeed.body'),
    });
  }
  return need;
}

