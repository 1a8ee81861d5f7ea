// Drafts that came in by SMS, for coordinators to confirm or reject.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { prisma } from '../db/client.ts';
import { confirmDraft, rejectDraft } from '../domain/intake.ts';
import { isCoordinatorOf } from '../auth/viewer.ts';
import { CommunityRef } from './communities.ts';
import { CreateNeedInput, NeedRef } from './needs.ts';
import { scopeCommunities } from './dashboard.ts';

const DraftStatusEnum = builder.enumType('DraftStatus', { values: ['PENDING', 'CONFIRMED', 'REJECTED'] as const });

const IntakeDraftRef = builder.prismaNode('IntakeDraft', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (d, ctx) =>
    !!ctx.viewer && (d.communityId ? isCoordinatorOf(ctx.viewer, d.communityId) : ctx.viewer.isAdmin || [...ctx.viewer.roles.values()].includes('COORDINATOR')),
  fields: (t) => ({
    source: t.exposeString('source', { authScopes: { anyCoordinator: true } }),
    fromNumber: t.exposeString('fromNumber', { authScopes: { anyCoordinator: true } }),
    body: t.exposeString('body', { authScopes: { anyCoordinator: true } }),
    status: t.expose('status', { type: DraftStatusEnum, authScopes: { anyCoordinator: true } }),
    repeats: t.exposeInt('repeats', { authScopes: { anyCoordinator: true }, description: 'How many more times the same text arrived.' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    rejectReason: t.exposeString('rejectReason', { nullable: true, authScopes: { anyCoordinator: true } }),
    community: t.prismaField({
      type: 'Community',
      nullable: true,
      authScopes: { anyCoordinator: true },
      resolve: (query, d) => (d.communityId ? prisma().community.findUnique({ ...query, where: { id: d.communityId } }) : null),
    }),
  }),
});

builder.queryField('intakeDrafts', (t) =>
  t.prismaField({
    type: ['IntakeDraft'],
    authScopes: { anyCoordinator: true },
    description: 'Pending drafts for the communities the viewer coordinates, and unrouted ones.',
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    resolve: async (query, _root, args, ctx) => {
      const ids = await scopeCommunities(ctx, args.communityIds?.map((c) => c.id));
      return prisma().intakeDraft.findMany({
        ...query,
        where: { status: 'PENDING', OR: [{ communityId: { in: ids } }, { communityId: null }] },
        orderBy: { receivedAt: 'asc' },
        take: 200,
      });
    },
  }),
);

builder.mutationFields((t) => ({
  confirmIntakeDraft: t.field({
    type: NeedRef,
    authScopes: { anyCoordinator: true },
    description: 'Turn a draft into a need (the texter’s number is the requester phone unless given).',
    args: {
      draftId: t.arg.globalID({ required: true, for: IntakeDraftRef, validate: uuidId }),
      input: t.arg({ type: CreateNeedInput, required: true }),
    },
    resolve: (_root, { draftId, input }, ctx) => confirmDraft(ctx.viewer!, draftId.id, { ...input, communityId: input.communityId.id }),
  }),
  rejectIntakeDraft: t.prismaField({
    type: 'IntakeDraft',
    authScopes: { anyCoordinator: true },
    args: {
      draftId: t.arg.globalID({ required: true, for: IntakeDraftRef, validate: uuidId }),
      reason: t.arg.string({ description: 'Why the text is not a need, for the record.', validate: z.string().trim().max(500, 'At most 500 characters.') }),
    },
    resolve: (_query, _root, { draftId, reason }, ctx) => rejectDraft(ctx.viewer!, draftId.id, reason?.trim() || null),
  }),
}));
