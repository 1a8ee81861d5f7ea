// Coordination workflows: the duplicate queue and merges, handovers, and matching.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { dismissDuplicate, mergeNeeds } from '../domain/duplicates.ts';
import { requestHandover, respondToHandover } from '../domain/handover.ts';
import { askVolunteer, matchVolunteers, suggestedNeeds, type Reason } from '../domain/matching.ts';
import { refreshOn } from '../events/stream.ts';
import { isMemberOf } from '../auth/viewer.ts';
import { CommunityRef } from './communities.ts';
import { NeedRef, readsNeed } from './needs.ts';
import { ClaimRef } from './claims.ts';
import { UserRef } from './users.ts';
import { scopeCommunities, viewerCanSeeHandover } from '../domain/privacy.ts';
import type { Need, PrismaClient, User } from '../generated/prisma/client.ts';
import { liveClaim } from '../domain/needStatus.ts';

const DuplicateStatusEnum = builder.enumType('DuplicateStatus', { values: ['OPEN', 'MERGED', 'DISMISSED'] as const });
const HandoverStatusEnum = builder.enumType('HandoverStatus', { values: ['PENDING', 'ACCEPTED', 'DECLINED', 'AUTO_APPROVED', 'CANCELLED'] as const });

const DuplicateCandidateRef = builder.prismaNode('DuplicateCandidate', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (c) => ({ coordinatorOf: c.communityId }),
  fields: (t) => ({
    score: t.exposeFloat('score', { authScopes: { anyCoordinator: true }, description: '0–1: how likely `need` repeats `otherNeed`.' }),
    reasons: t.exposeStringList('reasons', { authScopes: { anyCoordinator: true }, description: 'SAME_PHONE, SAME_EMAIL, SAME_CATEGORY, NEARBY, SIMILAR_TEXT' }),
    status: t.expose('status', { type: DuplicateStatusEnum, authScopes: { anyCoordinator: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    need: t.relation('need', { authScopes: { anyCoordinator: true }, description: 'The newer need.' }),
    otherNeed: t.relation('otherNeed', { authScopes: { anyCoordinator: true }, description: 'The older need it may repeat.' }),
  }),
});

/**
 * The open pairs of these communities, both of whose needs are in them and still stand: a pair
 * that reaches into a community the viewer does not coordinate (one recorded before duplicates
 * were compared within a community only, or carried over by a merge) is not shown, nor one
 * whose need was cancelled or merged away meanwhile (it comes back if the need is reopened).
 */
const duplicatesQuery = (prisma: PrismaClient, ids: string[], query: object = {}) => {
  const standing = { communityId: { in: ids }, status: { not: 'CANCELLED' as const }, mergedIntoId: null };
  return prisma.duplicateCandidate.findMany({
    ...query,
    where: { communityId: { in: ids }, status: 'OPEN', need: standing, otherNeed: standing },
    orderBy: [{ score: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
    take: 200,
  });
};

builder.queryField('duplicateCandidates', (t) =>
  t.prismaField({
    type: ['DuplicateCandidate'],
    authScopes: { anyCoordinator: true },
    description: 'Open likely-duplicate pairs in the communities the viewer coordinates, most likely first.',
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    resolve: async (query, _root, args, ctx) =>
      duplicatesQuery(ctx.services.prisma, await scopeCommunities(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id)), query),
  }),
);

builder.subscriptionField('duplicateQueue', (t) =>
  t.field({
    type: [DuplicateCandidateRef],
    authScopes: { anyCoordinator: true },
    description: 'The duplicate queue now, and again whenever a need in these communities changes.',
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    subscribe: async (_root, args, ctx) => {
      const ids = await scopeCommunities(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id));
      return refreshOn(ctx.services.stream.subscribe({ communityIds: ids }, null), () => duplicatesQuery(ctx.services.prisma, ids), 500, ctx.services.stream.retry, ctx.services.log);
    },
    resolve: (list) => list as never,
  }),
);

builder.mutationFields((t) => ({
  mergeNeeds: t.field({
    type: NeedRef,
    authScopes: { anyCoordinator: true },
    description: "Merge a duplicate into the need that survives: claims move, histories join, the duplicate's id redirects.",
    args: {
      survivorId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      duplicateId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
    },
    resolve: (_root, args, ctx) => mergeNeeds(ctx.services, ctx.viewer!, args.survivorId.id, args.duplicateId.id),
  }),
  dismissDuplicate: t.prismaField({
    type: 'DuplicateCandidate',
    authScopes: { anyCoordinator: true },
    description: 'Not a duplicate: the pair is not flagged again.',
    args: { candidateId: t.arg.globalID({ required: true, for: DuplicateCandidateRef, validate: uuidId }) },
    resolve: (_query, _root, args, ctx) => dismissDuplicate(ctx.services, ctx.viewer!, args.candidateId.id),
  }),
}));

const HandoverRef = builder.prismaNode('HandoverRequest', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (h, ctx) => viewerCanSeeHandover(ctx.services, ctx.viewer, h),
  fields: (t) => ({
    status: t.expose('status', { type: HandoverStatusEnum, authScopes: { signedIn: true } }),
    note: t.exposeString('note', { nullable: true, authScopes: { signedIn: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    respondBy: t.expose('respondBy', { type: 'DateTime', authScopes: { signedIn: true }, description: 'Silence until then approves.' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    need: t.relation('need', { authScopes: { signedIn: true } }),
    requestedBy: t.relation('requestedBy', { authScopes: { signedIn: true } }),
    holder: t.relation('holder', { authScopes: { signedIn: true } }),
  }),
});

builder.queryField('myHandoverRequests', (t) =>
  t.prismaField({
    type: ['HandoverRequest'],
    authScopes: { signedIn: true },
    description: 'Pending handovers the viewer asked for or must answer.',
    resolve: (query, _root, _args, ctx) =>
      ctx.services.prisma.handoverRequest.findMany({
        ...query,
        where: { status: 'PENDING', OR: [{ holderId: ctx.viewer!.id }, { requestedById: ctx.viewer!.id }] },
        orderBy: [{ respondBy: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.prismaObjectField('Need', 'handoverClaimIds', (t) =>
  t.globalIDList({
    authScopes: { signedIn: true },
    description: 'Live claims others hold on this need, which the viewer (a member of its community) may ask to take over.',
    extensions: readsNeed('id', 'communityId'),
    resolve: async (n, _args, ctx) => {
      if (!isMemberOf(ctx.viewer, n.communityId)) return [];
      const claims = await ctx.services.prisma.claim.findMany({
        where: { needId: n.id, status: liveClaim, volunteerId: { not: ctx.viewer!.id } },
        select: { id: true },
        orderBy: [{ claimedAt: 'asc' }, { id: 'asc' }],
      });
      return claims.map((c) => ({ type: 'Claim', id: c.id }));
    },
  }),
);

builder.mutationFields((t) => ({
  requestHandover: t.prismaField({
    type: 'HandoverRequest',
    authScopes: { signedIn: true },
    description: 'Ask to take over a claim someone else holds. Without an answer in time, it is approved.',
    args: {
      claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }),
      note: t.arg.string({ validate: z.string().trim().max(500) }),
    },
    resolve: (_query, _root, args, ctx) => requestHandover(ctx.services, ctx.viewer!, args.claimId.id, args.note ?? null),
  }),
  respondToHandover: t.prismaField({
    type: 'HandoverRequest',
    authScopes: { signedIn: true },
    args: {
      requestId: t.arg.globalID({ required: true, for: HandoverRef, validate: uuidId }),
      accept: t.arg.boolean({ required: true }),
    },
    resolve: (_query, _root, args, ctx) => respondToHandover(ctx.services, ctx.viewer!, args.requestId.id, args.accept),
  }),
}));

/** Any reason of a ranking (volunteers for a need, offers for a need, needs for an offer): a code, a text, a weight. */
type AnyReason = Pick<Reason, 'text' | 'weight'> & { code: string };

export const MatchReasonRef = builder.objectRef<AnyReason>('MatchReason').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({
    code: t.exposeString('code', { authScopes: { signedIn: true } }),
    text: t.exposeString('text', { authScopes: { signedIn: true } }),
    weight: t.exposeFloat('weight', { authScopes: { signedIn: true } }),
  }),
});

const VolunteerMatchRef = builder.objectRef<{ subject: User; score: number; reasons: Reason[] }>('VolunteerMatch').implement({
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    volunteer: t.field({ type: UserRef, authScopes: { anyCoordinator: true }, resolve: (m) => m.subject }),
    score: t.exposeFloat('score', { authScopes: { anyCoordinator: true } }),
    reasons: t.field({ type: [MatchReasonRef], authScopes: { anyCoordinator: true }, resolve: (m) => m.reasons }),
  }),
});

export const NeedMatchRef = builder.objectRef<{ subject: Need; score: number; reasons: AnyReason[] }>('NeedMatch').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({
    need: t.field({ type: NeedRef, authScopes: { signedIn: true }, resolve: (m) => m.subject }),
    score: t.exposeFloat('score', { authScopes: { signedIn: true } }),
    reasons: t.field({ type: [MatchReasonRef], authScopes: { signedIn: true }, resolve: (m) => m.reasons }),
  }),
});

builder.queryFields((t) => ({
  volunteerMatches: t.field({
    type: [VolunteerMatchRef],
    authScopes: { anyCoordinator: true },
    description: "The community's volunteers ranked for a need: skill, distance from home, availability, current load.",
    args: {
      needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      first: t.arg.int({ defaultValue: 10, validate: z.number().int().min(1).max(100) }),
    },
    resolve: (_root, args, ctx) => matchVolunteers(ctx.services, ctx.viewer!, args.needId.id, args.first ?? 10),
  }),
  suggestedNeeds: t.field({
    type: [NeedMatchRef],
    authScopes: { signedIn: true },
    description: "Open needs of the viewer's communities that suit them, best first.",
    args: { first: t.arg.int({ defaultValue: 10, validate: z.number().int().min(1).max(100) }) },
    resolve: (_root, args, ctx) => suggestedNeeds(ctx.services, ctx.viewer!, args.first ?? 10),
  }),
}));

builder.mutationField('askVolunteer', (t) =>
  t.boolean({
    authScopes: { anyCoordinator: true },
    description: 'Notify a volunteer (in the app, and by e-mail if they want) that this need could use them.',
    args: {
      needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      volunteerId: t.arg.globalID({ required: true, for: UserRef, validate: uuidId }),
    },
    resolve: (_root, args, ctx) => askVolunteer(ctx.services, ctx.viewer!, args.needId.id, args.volunteerId.id),
  }),
);
