// Drafts that came in by SMS or WhatsApp, for those who take needs in (coordinators, hotline operators) to confirm or reject.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { confirmDraft, pendingDrafts, pendingDraftsView, rejectDraft } from '../domain/intake.ts';
import { intakeDraftsFeed } from '../events/feeds.ts';
import { CommunityRef } from './communities.ts';
import { CreateNeedInput, NeedRef, needInputOf } from './needs.ts';
import { canSeeDraft, readDraftSender } from '../domain/privacy.ts';

const DraftStatusEnum = builder.enumType('DraftStatus', { values: ['PENDING', 'CONFIRMED', 'REJECTED'] as const });

const IntakeDraftRef = builder.prismaNode('IntakeDraft', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (d, ctx) => canSeeDraft(ctx.viewer, d),
  fields: (t) => ({
    source: t.exposeString('source', { authScopes: { anyIntake: true } }),
    fromNumber: t.string({
      description: "The texter's number: a requester's private detail. Each read is logged.",
      authScopes: (d, _args, ctx) => canSeeDraft(ctx.viewer, d),
      resolve: (d, _args, ctx) => readDraftSender(ctx.services, ctx.viewer!, d),
    }),
    body: t.exposeString('body', { authScopes: { anyIntake: true } }),
    status: t.expose('status', { type: DraftStatusEnum, authScopes: { anyIntake: true } }),
    repeats: t.exposeInt('repeats', { authScopes: { anyIntake: true }, description: 'How many more times the same text arrived.' }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime', authScopes: { anyIntake: true } }),
    rejectReason: t.exposeString('rejectReason', { nullable: true, authScopes: { anyIntake: true } }),
    community: t.relation('community', { nullable: true, authScopes: { anyIntake: true } }),
  }),
});

builder.queryField('intakeDrafts', (t) =>
  t.prismaField({
    type: ['IntakeDraft'],
    authScopes: { anyIntake: true },
    description: 'Pending drafts for the communities whose needs the viewer takes in (coordinates, or answers the hotline of), and (for admins) unrouted ones.',
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    resolve: (query, _root, args, ctx) => pendingDrafts(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id), query),
  }),
);

builder.subscriptionField('intakeDraftsChanged', (t) =>
  t.field({
    type: [IntakeDraftRef],
    authScopes: { anyIntake: true },
    description: 'The pending drafts, as `intakeDrafts` lists them: now, and again whenever one arrives, repeats or is decided.',
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    subscribe: async (_root, args, ctx) => {
      const view = await pendingDraftsView(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id));
      return intakeDraftsFeed(ctx.services.bus, view.watches, view.read, ctx.services.stream.retry);
    },
    resolve: (list) => list,
  }),
);

builder.mutationFields((t) => ({
  confirmIntakeDraft: t.field({
    type: NeedRef,
    authScopes: { anyIntake: true },
    description: 'Turn a draft into a need (the texter’s number is the requester phone unless given).',
    args: {
      draftId: t.arg.globalID({ required: true, for: IntakeDraftRef, validate: uuidId }),
      input: t.arg({ type: CreateNeedInput, required: true }),
    },
    resolve: (_root, { draftId, input }, ctx) => confirmDraft(ctx.services, ctx.viewer!, draftId.id, needInputOf(input)),
  }),
  rejectIntakeDraft: t.prismaField({
    type: 'IntakeDraft',
    authScopes: { anyIntake: true },
    args: {
      draftId: t.arg.globalID({ required: true, for: IntakeDraftRef, validate: uuidId }),
      reason: t.arg.string({ description: 'Why the text is not a need, for the record.', validate: z.string().trim().max(500, 'At most 500 characters.') }),
    },
    resolve: (_query, _root, { draftId, reason }, ctx) => rejectDraft(ctx.services, ctx.viewer!, draftId.id, reason?.trim() || null),
  }),
}));
