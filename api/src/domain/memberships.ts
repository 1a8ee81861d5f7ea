// Membership approval: joining a community, and its coordinators' answer.
//
// A community is OPEN (joining makes an ACTIVE membership at once) or requires APPROVAL (the
// default for new communities: joining makes a PENDING one, with what the applicant said about
// themself). A membership counts only when ACTIVE: the session's roles (auth/sessions.ts) hold
// ACTIVE memberships only, so a pending or declined applicant is, to every rule that asks
// `viewer.roles` (claiming, private details, coordinators' views), someone who has not joined:
// they see the public board and nothing more.
//
// - Coordinators of the community (and admins) approve a PENDING membership, or decline it with
//   a reason; a DECLINED one may still be approved later (a mistake is undone by a coordinator).
//   The applicant is notified either way, in their language.
// - Re-applying after a decline changes nothing: joining again returns the DECLINED membership
//   as it is, so that one person cannot fill the coordinators' queue by applying again and
//   again. They learn the reason from the notification and their profile; the way back is a
//   coordinator (who approves the declined membership, or invites them: accepting a
//   coordinator's invitation is approval, see invitations.ts).
// - Joining again while PENDING or ACTIVE changes nothing either.
// - A community's coordinators (and admins) set its join policy. Opening a community does not
//   approve those already waiting: each is still decided on its own.
import type { Services } from '../services.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { JoinPolicy, MembershipStatus } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { notify, type NotificationText } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';
import type { Selection } from './selection.ts';

/** What an applicant may say about themself, at most. */
export const MAX_NOTE_LENGTH = 500;
/** A decline reason, at most. */
export const MAX_REASON_LENGTH = 500;

/** The status a new membership gets when its user joins by themself. */
export const statusOnJoin = (policy: JoinPolicy): MembershipStatus => (policy === 'OPEN' ? 'ACTIVE' : 'PENDING');

/** Who decides applications to a community and sets its join policy: its coordinators, and admins. */
export const mayDecideMemberships = (viewer: Viewer | null, communityId: string): boolean => isCoordinatorOf(viewer, communityId);

/** An application's note, decline reason and decision time: the applicant, and whoever decides it. */
export const canSeeApplication = (viewer: Viewer | null, m: { userId: string; communityId: string }): boolean =>
  !!viewer && (viewer.id === m.userId || mayDecideMemberships(viewer, m.communityId));

/** The decisions a membership in `status` allows: approve a pending or declined one; decline a pending one. */
export function mayMoveTo(status: MembershipStatus, to: 'ACTIVE' | 'DECLINED'): boolean {
  return to === 'ACTIVE' ? status === 'PENDING' || status === 'DECLINED' : status === 'PENDING';
}

/** A note or reason as kept: trimmed, capped, empty as none. */
export const cleanText = (text: string | null | undefined, max: number): string | null => text?.trim().slice(0, max) || null;

/**
 * The viewer joins a community as a volunteer: ACTIVE at once when it is OPEN, PENDING (with
 * their `note`) when it requires approval. Joining again changes nothing (see above).
 */
export async function joinCommunity(s: Services, viewer: Viewer, communityId: string, note?: string | null, query: Selection = {}) {
  return commit(s, async (tx, w) => {
    const community = await tx.community.findUnique({ where: { id: communityId }, select: { id: true, joinPolicy: true } });
    if (!community) throw notFound('Community');
    const where = { userId_communityId: { userId: viewer.id, communityId } };
    const existing = await tx.membership.findUnique({ where, select: { status: true } });
    if (existing) return tx.membership.findUniqueOrThrow({ ...query, where });
    const status = statusOnJoin(community.joinPolicy);
    // Two joins at once: the second upsert finds the first's row and leaves it.
    const membership = await tx.membership.upsert({
      ...query,
      where,
      create: { userId: viewer.id, communityId, role: 'VOLUNTEER', status, note: cleanText(note, MAX_NOTE_LENGTH) },
      update: {},
    });
    if (status === 'PENDING') w.membersChanged(communityId);
    return membership;
  });
}

/** A community's applications: its PENDING memberships, oldest first. */
export function pendingMembersWhere(communityId: string) {
  return { where: { communityId, status: 'PENDING' as const }, orderBy: { createdAt: 'asc' as const }, take: 500 };
}

/** The pending memberships of a community its coordinator may see: now, and what a live list re-reads. */
export function applications(s: Services, viewer: Viewer, communityId: string, query: Selection = {}) {
  if (!mayDecideMemberships(viewer, communityId)) throw forbidden('see who applied to this community');
  return s.prisma.membership.findMany({ ...query, ...pendingMembersWhere(communityId) });
}

/** The notification of a decision; each recipient reads it in their language (notify). */
export function decisionText(approved: boolean, community: string, reason: string | null): NotificationText {
  if (approved) return { title: text('notify.membershipApproved.title', { community }), body: text('notify.membershipApproved.body') };
  return { title: text('notify.membershipDeclined.title', { community }), body: reason ? text('notify.membershipDeclined.body', { reason }) : null };
}

/**
 * Moves a membership to ACTIVE or DECLINED for a coordinator of its community, under the row's
 * condition (two coordinators deciding at once: one wins, the other is told the current state).
 */
async function decide(s: Services, viewer: Viewer, input: { communityId: string; userId: string }, to: 'ACTIVE' | 'DECLINED', reason: string | null, query: Selection) {
  const { communityId, userId } = input;
  if (!mayDecideMemberships(viewer, communityId)) throw forbidden('decide applications to this community');
  return commit(s, async (tx, w) => {
    const where = { userId_communityId: { userId, communityId } };
    const current = await tx.membership.findUnique({ where, select: { status: true } });
    if (!current) throw notFound('Membership');
    const from = (['PENDING', 'DECLINED'] as const).filter((st) => mayMoveTo(st, to));
    const now = s.clock.now();
    const changed = await tx.membership.updateMany({
      where: { userId, communityId, status: { in: [...from] } },
      data: { status: to, decidedById: viewer.id, decidedAt: now, declineReason: to === 'DECLINED' ? reason : null },
    });
    if (changed.count === 0) {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `This membership is already ${current.status.toLowerCase()}.`, { currentStatus: current.status });
    }
    await notifyDecision(w, userId, communityId, to === 'ACTIVE', reason);
    w.membersChanged(communityId);
    return tx.membership.findUniqueOrThrow({ ...query, where });
  });
}

async function notifyDecision(w: UnitOfWork, userId: string, communityId: string, approved: boolean, reason: string | null) {
  const community = await w.tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { name: true } });
  await notify(w, [userId], 'MEMBERSHIP_DECIDED', null, decisionText(approved, community.name, reason));
}

export const approveMembership = (s: Services, viewer: Viewer, input: { communityId: string; userId: string }, query: Selection = {}) =>
  decide(s, viewer, input, 'ACTIVE', null, query);

export const declineMembership = (s: Services, viewer: Viewer, input: { communityId: string; userId: string; reason?: string | null }, query: Selection = {}) =>
  decide(s, viewer, input, 'DECLINED', cleanText(input.reason, MAX_REASON_LENGTH), query);

/** A community's coordinators (and admins) choose whether joining needs their approval. */
export async function setJoinPolicy(s: Services, viewer: Viewer, communityId: string, joinPolicy: JoinPolicy, query: Selection = {}) {
  if (!mayDecideMemberships(viewer, communityId)) throw forbidden("set this community's join policy");
  const found = await s.prisma.community.findUnique({ where: { id: communityId }, select: { id: true } });
  if (!found) throw notFound('Community');
  return s.prisma.community.update({ ...query, where: { id: communityId }, data: { joinPolicy } });
}
