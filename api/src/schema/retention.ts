// Consent and retention: whether the requester shares their contact with the volunteer, the
// volunteer's call-back request when they do not, and erasing a requester's data.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { NeedPayload, NeedRef, readsNeed } from './needs.ts';
import { requestCallback } from '../domain/callbacks.ts';
import { eraseRequesterData } from '../domain/retention.ts';
import { phoneRule } from '../domain/needRules.ts';
import type { Need } from '../generated/prisma/client.ts';

builder.prismaObjectFields('Need', (t) => ({
  contactConsent: t.exposeBoolean('contactConsent', {
    authScopes: (n) => ({ coordinatorOf: n.communityId }),
    description: 'Whether the requester agreed that the volunteer who takes the task gets their phone and e-mail (coordinators of the community).',
    extensions: readsNeed('contactConsent', 'communityId'),
  }),
  privateErasedAt: t.expose('privateErasedAt', {
    type: 'DateTime',
    nullable: true,
    authScopes: { public: true },
    description: "When the requester's contact and exact place were erased (retention, or a request); the public record stays.",
  }),
}));

const EraseRequesterDataInput = builder.inputType('EraseRequesterDataInput', {
  description: 'Whose data to erase: a need, and/or every need with this phone (compared by its last nine digits) or e-mail. At least one.',
  fields: (t) => ({
    needId: t.globalID({ for: NeedRef, validate: uuidId }),
    phone: t.string({ validate: phoneRule }),
    email: t.string({ validate: z.email('Enter a valid e-mail address.').max(254) }),
  }),
});

const EraseRequesterDataPayload = builder.objectRef<{ needs: Need[]; drafts: number; households: number }>('EraseRequesterDataPayload').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    needs: t.field({ type: [NeedRef], authScopes: { admin: true }, description: 'The needs whose requester data was erased now.', resolve: (p) => p.needs }),
    erasedDrafts: t.int({ authScopes: { admin: true }, description: 'Text-message drafts from that phone whose number and words were erased.', resolve: (p) => p.drafts }),
    erasedHouseholds: t.int({ authScopes: { admin: true }, description: "Household records of the requester (of the needs named, or of that phone) deleted; their needs stay, unlinked.", resolve: (p) => p.households }),
  }),
});

builder.mutationFields((t) => ({
  requestCallback: t.field({
    type: NeedPayload,
    authScopes: { signedIn: true },
    description:
      "The volunteer holding a claim, who does not get the requester's contact (no consent), asks the community's coordinators to put them in touch. Coordinators are notified; the need gets a CALLBACK_REQUESTED event.",
    args: { needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }) },
    resolve: async (_root, { needId }, ctx) => ({ need: await requestCallback(ctx.services, ctx.viewer!, needId.id) }),
  }),
  eraseRequesterData: t.field({
    type: EraseRequesterDataPayload,
    authScopes: { admin: true },
    description:
      "A data-protection request (admins): erases at once the requester's name, phone, e-mail, address and exact place on the needs named, and the SMS drafts from that phone. Each need gets a PRIVATE_DATA_ERASED event (reason REQUEST).",
    args: { input: t.arg({ type: EraseRequesterDataInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const s = ctx.services;
      const { needIds, drafts, households } = await eraseRequesterData(s, ctx.viewer!, { needId: input.needId?.id, phone: input.phone, email: input.email });
      return { needs: await s.prisma.need.findMany({ where: { id: { in: needIds } }, orderBy: { createdAt: 'asc' } }), drafts, households };
    },
  }),
}));
