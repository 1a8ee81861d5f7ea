// Membership approval, members' contact details for their coordinators, and invitations.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { CommunityRef, MembershipRef } from './communities.ts';
import { UserRef } from './users.ts';
import {
  MAX_NOTE_LENGTH,
  MAX_REASON_LENGTH,
  applications,
  approveMembership,
  canSeeApplication,
  declineMembership,
  joinCommunity,
  mayDecideMemberships,
  pendingMembersWhere,
  setJoinPolicy,
} from '../domain/memberships.ts';
import { answerInvitation, mayAnswerInvitation, openInvitations } from '../domain/invitations.ts';
import { readMemberContact } from '../domain/privacy.ts';
import { membersFeed } from '../events/feeds.ts';
import { forbidden } from '../errors.ts';
import { JoinPolicy, MembershipStatus } from '../generated/prisma/enums.ts';
import type { Context } from '../context.ts';

export const JoinPolicyEnum = builder.enumType(JoinPolicy, {
  name: 'JoinPolicy',
  description: 'OPEN: joining makes a member at once. APPROVAL: joining makes an applicant, whom a coordinator approves or declines.',
});
export const MembershipStatusEnum = builder.enumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'Only an ACTIVE membership counts: a PENDING or DECLINED applicant sees the public board, like anyone who has not joined.',
});

builder.prismaObjectFields('Community', (t) => ({
  joinPolicy: t.expose('joinPolicy', { type: JoinPolicyEnum, authScopes: { public: true } }),
  viewerMembership: t.prismaField({
    type: 'Membership',
    nullable: true,
    authScopes: { public: true },
    description: "The viewer's own membership here, whatever its status (null: none, or not signed in).",
    resolve: (query, c, _args, ctx) => {
      // Spread either way, so an anonymous viewer's question is not reported as an unused query.
      const args = { ...query, where: { userId_communityId: { userId: ctx.viewer?.id ?? '', communityId: c.id } } };
      return ctx.viewer ? ctx.services.prisma.membership.findUnique(args) : null;
    },
  }),
  activeMembers: t.prismaField({
    type: ['Membership'],
    authScopes: (c) => ({ coordinatorOf: c.id }),
    description: 'The ACTIVE members by name, at most 500 (the coordinators of the community; `members` pages through them all).',
    resolve: (query, c, _args, ctx) =>
      ctx.services.prisma.membership.findMany({ ...query, where: { communityId: c.id, status: 'ACTIVE' }, orderBy: [{ user: { name: 'asc' } }, { userId: 'asc' }], take: 500 }),
  }),
  applications: t.prismaField({
    type: ['Membership'],
    authScopes: (c) => ({ coordinatorOf: c.id }),
    description: 'Who applied to join and waits for a decision, oldest first (coordinators of the community).',
    resolve: (query, c, _args, ctx) => ctx.services.prisma.membership.findMany({ ...query, ...pendingMembersWhere(c.id) }),
  }),
}));

const applicant = (m: { userId: string; communityId: string }, ctx: Context) => canSeeApplication(ctx.viewer, m);

builder.prismaObjectFields('Membership', (t) => ({
  status: t.expose('status', { type: MembershipStatusEnum, authScopes: { signedIn: true } }),
  note: t.exposeString('note', {
    nullable: true,
    description: 'What the applicant said about themself (the applicant and the coordinators of the community).',
    authScopes: (m, _args, ctx) => applicant(m, ctx),
  }),
  declineReason: t.exposeString('declineReason', { nullable: true, authScopes: (m, _args, ctx) => applicant(m, ctx) }),
  decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, authScopes: (m, _args, ctx) => applicant(m, ctx) }),
}));

const MemberContact = builder.objectRef<{ userId: string; email: string; phone: string | null }>('MemberContact').implement({
  authScopes: { signedIn: true },
  description: "A member's contact details, to call them. Each read by someone other than the member is logged.",
  fields: (t) => ({
    email: t.exposeString('email', { authScopes: { signedIn: true } }),
    phone: t.exposeString('phone', { nullable: true, authScopes: { signedIn: true } }),
  }),
});

builder.queryFields((t) => ({
  membershipApplications: t.prismaField({
    type: ['Membership'],
    authScopes: (_root, args) => ({ coordinatorOf: String(args.communityId.id) }),
    description: 'Who applied to join the community and waits for a decision, oldest first.',
    args: { communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }) },
    resolve: (query, _root, { communityId }, ctx) => applications(ctx.services, ctx.viewer!, communityId.id, query),
  }),
  memberContact: t.field({
    type: MemberContact,
    authScopes: { signedIn: true },
    description:
      "A member's e-mail and phone: for coordinators of the community while the membership is ACTIVE or PENDING (each read logged), the member themself, and admins (logged). Anyone else: FORBIDDEN.",
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      userId: t.arg.globalID({ required: true, for: UserRef, validate: uuidId }),
    },
    resolve: (_root, args, ctx) => readMemberContact(ctx.services, ctx.viewer!, args.communityId.id, args.userId.id),
  }),
}));

builder.subscriptionField('membershipApplicationsChanged', (t) =>
  t.field({
    type: [MembershipRef],
    authScopes: (_root, args) => ({ coordinatorOf: String(args.communityId.id) }),
    description: 'The applications, as `membershipApplications` lists them: now, and again whenever someone applies or is decided.',
    args: { communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }) },
    subscribe: async (_root, { communityId }, ctx) => {
      await applications(ctx.services, ctx.viewer!, communityId.id, { select: { userId: true } });
      return membersFeed(ctx.services.bus, communityId.id, () => ctx.services.prisma.membership.findMany(pendingMembersWhere(communityId.id)), ctx.services.stream.retry);
    },
    // The viewer as they are at this event: a coordinator whose role or session ended gets no more lists.
    resolve: (list, { communityId }, ctx) => {
      if (!mayDecideMemberships(ctx.viewer, communityId.id)) throw forbidden('see who applied to this community');
      return list;
    },
  }),
);

builder.mutationFields((t) => ({
  joinCommunity: t.prismaField({
    type: 'Membership',
    authScopes: { signedIn: true },
    description:
      'Join a community as a volunteer: an OPEN community makes you a member at once (ACTIVE); one that requires APPROVAL makes you an applicant (PENDING) until a coordinator decides. Joining again changes nothing (a declined application stays declined). A coordinator role is granted by an admin.',
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      note: t.arg.string({ description: 'What you would like the coordinators to know about you.', validate: z.string().max(MAX_NOTE_LENGTH, `At most ${MAX_NOTE_LENGTH} characters.`) }),
    },
    resolve: (query, _root, { communityId, note }, ctx) => joinCommunity(ctx.services, ctx.viewer!, communityId.id, note, query),
  }),
  approveMembership: t.prismaField({
    type: 'Membership',
    authScopes: { anyCoordinator: true },
    description: "Approve an application (PENDING, or one DECLINED before): the applicant becomes a member and is notified. The community's coordinators and admins.",
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      userId: t.arg.globalID({ required: true, for: UserRef, validate: uuidId }),
    },
    resolve: (query, _root, args, ctx) => approveMembership(ctx.services, ctx.viewer!, { communityId: args.communityId.id, userId: args.userId.id }, query),
  }),
  declineMembership: t.prismaField({
    type: 'Membership',
    authScopes: { anyCoordinator: true },
    description: "Decline a PENDING application, with a reason the applicant reads. The community's coordinators and admins.",
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      userId: t.arg.globalID({ required: true, for: UserRef, validate: uuidId }),
      reason: t.arg.string({ validate: z.string().max(MAX_REASON_LENGTH, `At most ${MAX_REASON_LENGTH} characters.`) }),
    },
    resolve: (query, _root, args, ctx) =>
      declineMembership(ctx.services, ctx.viewer!, { communityId: args.communityId.id, userId: args.userId.id, reason: args.reason }, query),
  }),
  setJoinPolicy: t.prismaField({
    type: 'Community',
    authScopes: { anyCoordinator: true },
    description: 'Whether joining the community needs a coordinator’s approval. Its coordinators and admins.',
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      joinPolicy: t.arg({ type: JoinPolicyEnum, required: true }),
    },
    resolve: (query, _root, args, ctx) => setJoinPolicy(ctx.services, ctx.viewer!, args.communityId.id, args.joinPolicy, query),
  }),
}));

/** The signed-in user's e-mail, read once per request, to match invitations against. */
async function viewerEmail(ctx: Context): Promise<string | null> {
  if (!ctx.viewer) return null;
  const user = await ctx.services.prisma.user.findUnique({ where: { id: ctx.viewer.id }, select: { email: true } });
  return user?.email ?? null;
}

export const InvitationRef = builder.prismaNode('Invitation', {
  id: { field: 'id' },
  nullable: true,
  description: 'An invitation to join a community, to an e-mail address: only whoever is signed in with that address sees it.',
  authScopes: async (inv, ctx) => mayAnswerInvitation(await viewerEmail(ctx), inv),
  fields: (t) => ({
    community: t.relation('community', { authScopes: { signedIn: true } }),
    invitedAt: t.expose('createdAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    declinedAt: t.expose('declinedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
  }),
});

builder.prismaObjectField('User', 'invitations', (t) =>
  t.prismaField({
    type: ['Invitation'],
    nullable: true,
    description: 'Invitations to this account’s e-mail address waiting for an answer (the user themself only; null with FORBIDDEN for anyone else).',
    authScopes: (u, _args, ctx) => ctx.viewer?.id === u.id,
    resolve: (query, u, _args, ctx) => openInvitations(ctx.services, u.id, query),
  }),
);

builder.mutationFields((t) => ({
  acceptInvitation: t.prismaField({
    type: 'Invitation',
    authScopes: { signedIn: true },
    description: 'Accept an invitation to your e-mail address: you become an ACTIVE member of its community.',
    args: { invitationId: t.arg.globalID({ required: true, for: InvitationRef, validate: uuidId }) },
    resolve: (query, _root, { invitationId }, ctx) => answerInvitation(ctx.services, ctx.viewer!, invitationId.id, true, query),
  }),
  declineInvitation: t.prismaField({
    type: 'Invitation',
    authScopes: { signedIn: true },
    description: 'Decline an invitation to your e-mail address; nothing else changes.',
    args: { invitationId: t.arg.globalID({ required: true, for: InvitationRef, validate: uuidId }) },
    resolve: (query, _root, { invitationId }, ctx) => answerInvitation(ctx.services, ctx.viewer!, invitationId.id, false, query),
  }),
}));
