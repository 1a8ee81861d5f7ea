// Who may see what, and the log of reads of private details. A requester's exact place and
// contact reach only the coordinators of their community (and admins), the volunteer who
// holds a live claim on the need, and the hotline operator who took it in, for a while after
// (OPERATOR_PRIVATE_HOURS); every such read is logged: one at a time on a need's page, in
// batches in an export.
//
// Each rule is a pure function of the viewer and the row (with whatever else it needs passed
// in); where deciding may take a query, a `viewer…` function asks the pure rule without it
// first and reads only when the answer depends on it, so that the common case costs nothing.
import type { Services } from '../services.ts';
import { forbidden } from '../errors.ts';
import type { Claim, HandoverRequest, IntakeDraft, Need, NeedEvent, Notification, Offer, OfferMatch } from '../generated/prisma/client.ts';
import type { MembershipStatus } from '../generated/prisma/enums.ts';
import { coordinatedCommunityIds, intakeCommunityIds, isCoordinatorOf, takesIntakeFor, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { coverageOf } from '../auth/roles.ts';
import type { Selection } from './selection.ts';

// ─── A need's private details ────────────────────────────────────────────────────────────────

/** The needs on which the viewer holds a live claim (a set of their ids, or a map by them). */
type LiveClaimNeeds = { has(needId: string): boolean };

const NO_CLAIMS: LiveClaimNeeds = new Set<string>();

/**
 * Who took a need in, and when: read for the operator's window. A row without them (a caller
 * that did not read them) opens no window: the operator is refused, never a stranger admitted.
 */
export type IntakeColumns = Partial<Pick<Need, 'createdById' | 'createdAt'>>;

/**
 * The start of the hotline operator's window now (by the domain clock): a need they took in
 * after it is still theirs to see (`tookInRecently`).
 */
export const operatorWindowStart = (s: Pick<Services, 'clock' | 'rules'>): Date => new Date(s.clock.now().getTime() - s.rules.intake.operatorPrivateHours * 3_600_000);

/**
 * The hotline operator who took the need in (its creator), while they still answer for its
 * community and it was taken in after `windowStart` (`operatorWindowStart`): they may call the
 * requester back about what was said. Their role decides, not having typed it: a coordinator
 * sees it as a coordinator; a volunteer who lost the operator's role, nothing.
 */
export function tookInRecently(viewer: Viewer | null, need: Pick<Need, 'communityId'> & IntakeColumns, windowStart: Date | undefined): boolean {
  return (
    !!viewer &&
    !!windowStart &&
    !!need.createdById &&
    need.createdById === viewer.id &&
    !!need.createdAt &&
    need.createdAt > windowStart &&
    viewer.operatesFor.has(need.communityId)
  );
}

/**
 * A need's private details: coordinators of its community (and admins), the volunteer holding a
 * live claim on it, and the hotline operator who took it in, within their window (`tookInRecently`).
 * An API key: only within its communities (its creator's claims elsewhere included).
 */
export function seesPrivateDetails(viewer: Viewer | null, need: Pick<Need, 'communityId'> & IntakeColumns, holdsLiveClaim: boolean, windowStart?: Date): boolean {
  return (
    !!viewer &&
    withinKeyScope(viewer, need.communityId) &&
    (isCoordinatorOf(viewer, need.communityId) || holdsLiveClaim || tookInRecently(viewer, need, windowStart))
  );
}

/** `seesPrivateDetails`, with the ids of the needs on which the viewer holds a live claim. */
export const canSeePrivate = (viewer: Viewer | null, need: Pick<Need, 'id' | 'communityId'> & IntakeColumns, liveClaimNeedIds: LiveClaimNeeds, windowStart?: Date): boolean =>
  seesPrivateDetails(viewer, need, liveClaimNeedIds.has(need.id), windowStart);

/** `canSeePrivate`, loading the viewer's live claims only when their role (or the operator's window) does not decide. */
export async function viewerCanSeePrivate(
  viewer: Viewer | null,
  need: Pick<Need, 'id' | 'communityId'> & IntakeColumns,
  liveClaimNeedIds: () => Promise<LiveClaimNeeds>,
  windowStart?: Date,
): Promise<boolean> {
  if (!viewer) return false;
  return canSeePrivate(viewer, need, NO_CLAIMS, windowStart) || canSeePrivate(viewer, need, await liveClaimNeedIds(), windowStart);
}

/**
 * The requester's phone and e-mail, among the private details: coordinators of the community
 * (and admins) always, who run intake and must be able to call back; the volunteer holding a
 * live claim only when the requester agreed to share them (`contactConsent`, asked at intake;
 * false for needs recorded before it was asked and for API callers that do not say). Without
 * it the volunteer still gets what the task needs (the requester's name, the address, the
 * exact place) and contact goes through the coordinator (`requestCallback`). The hotline operator
 * who took the need in, within their window, was given them by the caller: they keep them.
 */
export function seesRequesterContact(viewer: Viewer | null, need: Pick<Need, 'communityId' | 'contactConsent'> & IntakeColumns, holdsLiveClaim: boolean, windowStart?: Date): boolean {
  if (!seesPrivateDetails(viewer, need, holdsLiveClaim, windowStart)) return false;
  return isCoordinatorOf(viewer, need.communityId) || tookInRecently(viewer, need, windowStart) || need.contactConsent;
}

type PrivateColumns = Pick<Need, 'lat' | 'lng' | 'address' | 'requesterName' | 'requesterPhone' | 'requesterEmail'>;
type PrivateRow = PrivateColumns & Pick<Need, 'id' | 'communityId' | 'contactConsent'> & IntakeColumns;
export type PrivateDetails = PrivateColumns & { needId: string; contactShared: boolean };

/**
 * The private columns a viewer who may see the need's private details gets: all of them, less
 * the requester's phone and e-mail unless `seesRequesterContact`. (Only the viewers
 * `seesPrivateDetails` admits get here, so the holder of the need's live claim is the only
 * one who may be refused the contact.)
 */
export function privateColumnsFor(viewer: Viewer, n: PrivateRow, windowStart?: Date): PrivateColumns & { contactShared: boolean } {
  const contact = seesRequesterContact(viewer, n, true, windowStart);
  return {
    lat: n.lat,
    lng: n.lng,
    address: n.address,
    requesterName: n.requesterName,
    requesterPhone: contact ? n.requesterPhone : null,
    requesterEmail: contact ? n.requesterEmail : null,
    contactShared: contact,
  };
}

/**
 * A need's private details for a viewer who may see them (`canSeePrivate`, checked by the
 * caller before anything is read), the requester's contact as `privateColumnsFor` allows it,
 * and the read logged.
 */
export async function readPrivateDetails(s: Services, viewer: Viewer, need: PrivateRow): Promise<PrivateDetails> {
  await s.prisma.privateAccessLog.create({ data: { needId: need.id, userId: viewer.id, at: s.clock.now() } });
  return { needId: need.id, ...privateColumnsFor(viewer, need, operatorWindowStart(s)) };
}

/** In an export, private columns go out only for needs of communities the viewer coordinates. */
export function canExportPrivate(viewer: Viewer | null, need: Pick<Need, 'communityId'>): boolean {
  return isCoordinatorOf(viewer, need.communityId);
}

/**
 * The private columns of the exported needs the viewer may export them for (as
 * `privateColumnsFor` gives them, with whether the requester consented to sharing their
 * contact), by need id; each such need's read logged.
 */
export async function exportPrivateColumns(s: Services, viewer: Viewer, needs: PrivateRow[]): Promise<Map<string, PrivateColumns & { contactConsent: boolean }>> {
  const shown = needs.filter((n) => canExportPrivate(viewer, n));
  if (shown.length) {
    await s.prisma.privateAccessLog.createMany({ data: shown.map((n) => ({ needId: n.id, userId: viewer.id, at: s.clock.now() })) });
  }
  return new Map(
    shown.map((n) => {
      const { contactShared: _shared, ...columns } = privateColumnsFor(viewer, n);
      return [n.id, { ...columns, contactConsent: n.contactConsent }];
    }),
  );
}

/**
 * Who may ask the coordinators for a call-back from a requester: the volunteer holding a live
 * claim on the need who is not given the requester's contact. (Coordinators call themselves.)
 */
export function mayRequestCallback(viewer: Viewer | null, need: Pick<Need, 'communityId' | 'contactConsent'> & IntakeColumns, holdsLiveClaim: boolean, windowStart?: Date): boolean {
  return !!viewer && holdsLiveClaim && !seesRequesterContact(viewer, need, holdsLiveClaim, windowStart);
}

/** Erasing a requester's data at once (a data-protection request): admins only. */
export function mayEraseRequesterData(viewer: Viewer | null): boolean {
  return !!viewer?.isAdmin;
}

// ─── Offers and their matches ────────────────────────────────────────────────────────────────

/**
 * An offer's exact place, destination and contact: its offerer, coordinators of its community
 * (and admins), and `matchedParty`: the need's side of an accepted match of it (see
 * `offerMatchedParty`). An API key: only within its communities.
 */
export function seesOfferPrivate(viewer: Viewer | null, offer: Pick<Offer, 'communityId' | 'offeredById'>, matchedParty: boolean): boolean {
  return !!viewer && withinKeyScope(viewer, offer.communityId) && (offer.offeredById === viewer.id || isCoordinatorOf(viewer, offer.communityId) || matchedParty);
}

/**
 * Whether the viewer is the need's side of an accepted match of the offer: who accepted for the
 * need, who took the need in, or a coordinator of the need's community.
 */
async function offerMatchedParty(s: Services, viewer: Viewer, offerId: string): Promise<boolean> {
  const accepted = await s.prisma.offerMatch.findMany({
    where: { offerId, status: 'ACCEPTED' },
    select: { needAcceptedById: true, need: { select: { communityId: true, createdById: true } } },
    take: 1_000,
  });
  return accepted.some((m) => m.needAcceptedById === viewer.id || m.need.createdById === viewer.id || isCoordinatorOf(viewer, m.need.communityId));
}

/** `seesOfferPrivate`, reading the offer's accepted matches only when the viewer's role does not decide. */
export async function viewerCanSeeOfferPrivate(s: Services, viewer: Viewer | null, offer: Pick<Offer, 'id' | 'communityId' | 'offeredById'>): Promise<boolean> {
  if (!viewer) return false;
  return seesOfferPrivate(viewer, offer, false) || (withinKeyScope(viewer, offer.communityId) && seesOfferPrivate(viewer, offer, await offerMatchedParty(s, viewer, offer.id)));
}

/** Who answers for a need in its offer matches (for the requester): its coordinators, and whoever took it in while they take calls for it. */
export function answersForNeed(viewer: Viewer | null, need: Pick<Need, 'communityId' | 'createdById'>): boolean {
  return (
    !!viewer &&
    withinKeyScope(viewer, need.communityId) &&
    (isCoordinatorOf(viewer, need.communityId) || (need.createdById === viewer.id && takesIntakeFor(viewer, need.communityId)))
  );
}

/** Which sides of an offer match the viewer answers for: the offer's (its offerer) and the need's (`answersForNeed`). */
export function offerMatchSides(viewer: Viewer, offer: Pick<Offer, 'offeredById' | 'communityId'>, need: Pick<Need, 'communityId' | 'createdById'>) {
  return { offer: offer.offeredById === viewer.id && withinKeyScope(viewer, offer.communityId), need: answersForNeed(viewer, need) };
}

/** A match: its sides (`offerMatchSides`), whoever accepted for the need, and coordinators of the offer's community. */
export function canSeeOfferMatch(
  viewer: Viewer | null,
  match: Pick<OfferMatch, 'needAcceptedById'> & { offer: Pick<Offer, 'offeredById' | 'communityId'>; need: Pick<Need, 'communityId' | 'createdById'> },
): boolean {
  if (!viewer) return false;
  const sides = offerMatchSides(viewer, match.offer, match.need);
  return sides.offer || sides.need || match.needAcceptedById === viewer.id || (isCoordinatorOf(viewer, match.offer.communityId) && withinKeyScope(viewer, match.offer.communityId));
}

type OfferPrivateRow = Pick<Offer, 'lat' | 'lng' | 'address' | 'contactPhone' | 'destinationLat' | 'destinationLng' | 'destinationAddress' | 'offeredById'>;

/**
 * The private details of an offer, for a viewer `viewerCanSeeOfferPrivate` admitted (checked by
 * the caller before anything is read): the place, the destination, the contact; the read logged.
 */
export async function readOfferPrivateDetails(s: Services, viewer: Viewer, offer: OfferPrivateRow & Pick<Offer, 'id'>) {
  await s.prisma.offerAccessLog.create({ data: { offerId: offer.id, userId: viewer.id, at: s.clock.now() } });
  const offerer = await s.prisma.user.findUnique({ where: { id: offer.offeredById }, select: { name: true } });
  return {
    lat: offer.lat,
    lng: offer.lng,
    address: offer.address,
    destination:
      offer.destinationLat != null && offer.destinationLng != null ? { lat: offer.destinationLat, lng: offer.destinationLng, address: offer.destinationAddress ?? '' } : null,
    contactName: offerer?.name ?? '',
    contactPhone: offer.contactPhone,
  };
}

// ─── Claims, handovers, event reasons ────────────────────────────────────────────────────────

/** `rule` without the need's community (null) first; only when that says no, again with it (one query). */
async function decidedWithNeedCommunity(s: Services, needId: string, rule: (communityId: string | null) => boolean): Promise<boolean> {
  if (rule(null)) return true;
  const need = await s.prisma.need.findUnique({ where: { id: needId }, select: { communityId: true } });
  return !!need && rule(need.communityId);
}

/** A claim: its volunteer, admins, and coordinators of the need's community (`communityId`, null when not known). */
export function canSeeClaim(viewer: Viewer | null, claim: Pick<Claim, 'volunteerId'>, communityId: string | null): boolean {
  if (!viewer || !withinKeyScope(viewer, communityId)) return false;
  return claim.volunteerId === viewer.id || viewer.isAdmin || (communityId !== null && isCoordinatorOf(viewer, communityId));
}

export async function viewerCanSeeClaim(s: Services, viewer: Viewer | null, claim: Pick<Claim, 'volunteerId' | 'needId'>): Promise<boolean> {
  if (!viewer) return false;
  return decidedWithNeedCommunity(s, claim.needId, (communityId) => canSeeClaim(viewer, claim, communityId));
}

/** A handover request: the volunteer who asked, the one holding the claim, and coordinators of the need's community (`communityId`, null when not known). */
export function canSeeHandover(viewer: Viewer | null, h: Pick<HandoverRequest, 'requestedById' | 'holderId'>, communityId: string | null): boolean {
  if (!viewer || !withinKeyScope(viewer, communityId)) return false;
  return h.requestedById === viewer.id || h.holderId === viewer.id || (communityId !== null && isCoordinatorOf(viewer, communityId));
}

export async function viewerCanSeeHandover(s: Services, viewer: Viewer | null, h: Pick<HandoverRequest, 'requestedById' | 'holderId' | 'needId'>): Promise<boolean> {
  if (!viewer) return false;
  return decidedWithNeedCommunity(s, h.needId, (communityId) => canSeeHandover(viewer, h, communityId));
}

/**
 * The reason given with an event (people's words about a request or a volunteer: "car broke
 * down", "family moved"), like a claim's own release reason: coordinators of the community, the
 * one who acted, and the volunteer of the event's claim (`claimVolunteerId`, null when not known).
 */
export function canSeeEventReason(viewer: Viewer | null, e: Pick<NeedEvent, 'communityId' | 'actorId'>, claimVolunteerId: string | null): boolean {
  if (!viewer || !withinKeyScope(viewer, e.communityId)) return false;
  return isCoordinatorOf(viewer, e.communityId) || e.actorId === viewer.id || claimVolunteerId === viewer.id;
}

/** `canSeeEventReason`, reading the claim's volunteer only when needed. An event without a reason is no one's secret. */
export async function viewerCanSeeEventReason(s: Services, viewer: Viewer | null, e: Pick<NeedEvent, 'communityId' | 'actorId' | 'claimId'>, hasReason: boolean): Promise<boolean> {
  if (!hasReason) return true;
  if (!viewer) return false;
  if (canSeeEventReason(viewer, e, null)) return true;
  if (!e.claimId) return false;
  const claim = await s.prisma.claim.findUnique({ where: { id: e.claimId }, select: { volunteerId: true } });
  return canSeeEventReason(viewer, e, claim?.volunteerId ?? null);
}

// ─── People, SMS drafts ──────────────────────────────────────────────────────────────────────

/** A user's e-mail, phone, home, notification settings and memberships: the user, and admins (not an API key of theirs). */
export function canSeePersonalDetails(viewer: Viewer | null, user: { id: string }): boolean {
  return !!viewer && !viewer.apiKey && (viewer.id === user.id || viewer.isAdmin);
}

/**
 * A member's contact details (e-mail, phone), for calling them: the user themself, admins, and
 * coordinators of a community in which the user's membership is ACTIVE or PENDING (an applicant
 * may be called about their application; a declined one is no longer the community's to call).
 * `membership`: the user's membership in the community asked about (null: none).
 */
export function canSeeMemberContact(viewer: Viewer | null, user: { id: string }, communityId: string, membership: { status: MembershipStatus } | null): boolean {
  if (!viewer) return false;
  if (viewer.id === user.id || viewer.isAdmin) return true;
  return isCoordinatorOf(viewer, communityId) && (membership?.status === 'ACTIVE' || membership?.status === 'PENDING');
}

/**
 * A member's e-mail and phone, read through a community (`canSeeMemberContact`); FORBIDDEN
 * otherwise, and NOT_FOUND for no one (an unknown user is as forbidden as another's member, so
 * the answer tells nothing about who exists). Every read by someone other than the user is logged.
 */
export async function readMemberContact(s: Services, viewer: Viewer, communityId: string, userId: string): Promise<{ userId: string; email: string; phone: string | null }> {
  const membership = await s.prisma.membership.findUnique({
    where: { userId_communityId: { userId, communityId } },
    select: { status: true, user: { select: { email: true, phone: true } } },
  });
  const self = viewer.id === userId;
  if (!canSeeMemberContact(viewer, { id: userId }, communityId, membership)) throw forbidden("see this person's contact details");
  const user = membership?.user ?? (await s.prisma.user.findUnique({ where: { id: userId }, select: { email: true, phone: true } }));
  if (!user) throw forbidden("see this person's contact details");
  if (!self) {
    await s.prisma.contactAccessLog.create({ data: { subjectId: userId, readerId: viewer.id, communityId: isCoordinatorOf(viewer, communityId) ? communityId : null, at: s.clock.now() } });
  }
  return { userId, email: user.email, phone: user.phone };
}

/** A notification: only the user it is for (not even admins). */
export function canSeeNotification(viewer: Viewer | null, n: Pick<Notification, 'userId'>): boolean {
  return !!viewer && !viewer.apiKey && n.userId === viewer.id;
}

/**
 * An SMS draft, with the texter's number (the requester's phone) and words (often their
 * address and health): those who take needs in for the community whose hotline it reached
 * (its coordinators, its hotline operators, admins: `takesIntakeFor`). An unrouted draft, which
 * reached no community's number: admins only, who route it by confirming it into a community.
 * Coordinators and operators of other communities see neither its number nor that it exists.
 */
export function canSeeDraft(viewer: Viewer | null, draft: Pick<IntakeDraft, 'communityId'>): boolean {
  return draft.communityId ? takesIntakeFor(viewer, draft.communityId) : !!viewer?.isAdmin;
}

/** A draft's sender number for a viewer who may see it (`canSeeDraft`, checked by the caller), and the read logged. */
export async function readDraftSender(s: Services, viewer: Viewer, draft: Pick<IntakeDraft, 'id' | 'fromNumber'>): Promise<string> {
  await s.prisma.draftAccessLog.create({ data: { draftId: draft.id, userId: viewer.id, at: s.clock.now() } });
  return draft.fromNumber;
}

// ─── Coordinators' views: dashboard, drafts, duplicates, indicators, the access log ─────────

/**
 * What a view is for: coordinating (dashboards, the duplicate queue, indicators, the access log:
 * the communities the viewer coordinates) or taking needs in (the caller's needs, text drafts:
 * those too whose hotline they answer, auth/roles.ts).
 */
export type ViewPurpose = 'coordinate' | 'intake';

/**
 * The communities a coordinator's view covers: those asked for, each of which they must
 * coordinate (for `intake`: take needs in for), or else all they do. Null: every community (an
 * admin asking for none in particular).
 */
export function communitiesInView(viewer: Viewer, requested: string[] | undefined, purpose: ViewPurpose = 'coordinate'): string[] | null {
  if (viewer.isAdmin) return requested?.length ? requested : null;
  const mine = purpose === 'intake' ? intakeCommunityIds(viewer) : coordinatedCommunityIds(viewer);
  if (!requested?.length) return mine;
  if (requested.some((id) => !mine.includes(id))) {
    throw forbidden(purpose === 'intake' ? "take in needs for a community you don't answer for" : "see the dashboard of a community you don't coordinate");
  }
  return requested;
}

/**
 * The communities asked for, an operations centre standing for itself and every community it
 * covers: a view scoped to a centre is the centre's whole area.
 */
export async function withCentreCoverage(s: Services, requested: string[] | undefined): Promise<string[] | undefined> {
  if (!requested?.length) return requested;
  const coverage = await coverageOf(s, requested);
  return [...new Set([...requested, ...[...coverage.values()].flat()])];
}

/** `communitiesInView` of the communities asked for (a centre: with those it covers), with every community read when it says all. */
export async function scopeCommunities(s: Services, viewer: Viewer, requested: string[] | undefined, purpose: ViewPurpose = 'coordinate'): Promise<string[]> {
  return communitiesInView(viewer, await withCentreCoverage(s, requested), purpose) ?? (await s.prisma.community.findMany({ select: { id: true } })).map((c) => c.id);
}

/** Who read private details of needs in these communities (as `scopeCommunities` allows them), newest first. */
export async function privateAccessLog(s: Services, viewer: Viewer, requested: string[] | undefined, query: Selection = {}) {
  const ids = await scopeCommunities(s, viewer, requested);
  return s.prisma.privateAccessLog.findMany({ ...query, where: { need: { communityId: { in: ids } } }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
}

// ─── Texts to a requester ────────────────────────────────────────────────────────────────────

/**
 * Whether a requester is sent texts about their need (a volunteer took it, it is done): only when
 * they agreed to be contacted (`contactConsent`, the same consent that lets the volunteer call
 * them) and a phone is on record (not erased).
 */
export const textsRequester = (need: Pick<Need, 'contactConsent' | 'requesterPhone' | 'privateErasedAt'>): boolean =>
  need.contactConsent && !!need.requesterPhone && !need.privateErasedAt;

/**
 * What a requester may read of the volunteer who took their need: the first name, at most — the
 * first word of the name they gave, cut to 30 characters; never the rest of the name, their phone
 * or e-mail. It is what the volunteer says when they call, and tells the requester nothing that
 * finds them. Null when the name has no word in it.
 */
export function volunteerNameForRequester(name: string | null | undefined): string | null {
  const first = name?.trim().split(/\s+/u)[0];
  if (!first) return null;
  // A name typed as an address or number gives nothing (the first word of "050-1234567" is a phone).
  if (/[@\d]/u.test(first)) return null;
  return [...first].slice(0, 30).join('');
}
