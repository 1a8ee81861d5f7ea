// Intake on a call (domain/callerLookup.ts): the caller's needs, the needs a draft likely repeats,
// and a call attached to a need already recorded.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { attachCall, callerNeeds, possibleDuplicates } from '../domain/callerLookup.ts';
import { emailRule, needFieldRules } from '../domain/needRules.ts';
import { NeedCategoryEnum } from './enums.ts';
import { CommunityRef } from './communities.ts';
import { NeedPayload, NeedRef } from './needs.ts';
import type { Need } from '../generated/prisma/client.ts';

const NeedDraftInput = builder.inputType('NeedDraftInput', {
  description: 'A need as it is being typed at intake: every field but the community may still be empty.',
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: CommunityRef, validate: uuidId }),
    title: t.string({ validate: z.string().max(120) }),
    description: t.string({ validate: z.string().max(4_000) }),
    category: t.field({ type: NeedCategoryEnum }),
    lat: t.float({ validate: needFieldRules.lat }),
    lng: t.float({ validate: needFieldRules.lng }),
    requesterPhone: t.string({ validate: z.string().max(64) }),
    requesterEmail: t.string({ validate: z.string().max(254) }),
  }),
});

const PossibleDuplicateRef = builder.objectRef<{ need: Need; score: number; reasons: string[] }>('PossibleDuplicate').implement({
  description: 'A need already recorded that the draft likely repeats.',
  authScopes: { anyIntake: true },
  fields: (t) => ({
    need: t.field({ type: NeedRef, authScopes: { anyIntake: true }, resolve: (d) => d.need }),
    score: t.exposeFloat('score', { authScopes: { anyIntake: true }, description: '0–1, as the duplicate queue scores pairs.' }),
    reasons: t.exposeStringList('reasons', { authScopes: { anyIntake: true }, description: 'SAME_PHONE, SAME_EMAIL, SAME_CATEGORY, NEARBY, SIMILAR_TEXT' }),
  }),
});

builder.queryFields((t) => ({
  callerNeeds: t.prismaField({
    type: ['Need'],
    authScopes: { anyIntake: true },
    description:
      "A caller's open needs and those of the last 90 days, newest first, in the communities whose needs the viewer takes in (those asked for, each of which they must take in for; an operations centre stands for the communities it covers): empty until `phone` is a valid number (Israeli unless it says otherwise).",
    args: {
      phone: t.arg.string({ required: true, validate: z.string().max(64) }),
      communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }),
    },
    resolve: (query, _root, args, ctx) => callerNeeds(ctx.services, ctx.viewer!, args.phone, args.communityIds?.map((c) => c.id), query),
  }),
  possibleDuplicates: t.field({
    type: [PossibleDuplicateRef],
    authScopes: { anyIntake: true },
    description:
      "While a need is typed: the still-open needs of its community it likely repeats (same phone or e-mail, or near with similar text in the same category), most likely first. Only for those who take in needs for the draft's community (its coordinators and hotline operators).",
    args: { draft: t.arg({ type: NeedDraftInput, required: true }) },
    resolve: (_root, { draft }, ctx) =>
      possibleDuplicates(ctx.services, ctx.viewer!, {
        ...draft,
        communityId: draft.communityId.id,
        requesterEmail: emailRule.safeParse(draft.requesterEmail?.trim()).success ? draft.requesterEmail : null,
      }),
  }),
}));

builder.mutationField('attachCall', (t) =>
  t.field({
    type: NeedPayload,
    authScopes: { anyIntake: true },
    description:
      "Another call about a need still being met, instead of a second need: the caller's words go into its history as a CALL_ATTACHED event, whose reason only the community's coordinators read.",
    args: {
      needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      note: t.arg.string({ required: true, validate: z.string().trim().min(1, 'Say what the caller said.').max(4_000, 'At most 4000 characters.') }),
    },
    resolve: async (_root, { needId, note }, ctx) => ({ need: await attachCall(ctx.services, ctx.viewer!, needId.id, note.trim()) }),
  }),
);
