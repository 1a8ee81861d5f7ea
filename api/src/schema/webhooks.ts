// Outbound webhooks for partner organisations, and their delivery log.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { createWebhook } from '../domain/webhooks.ts';
import { isCoordinatorOf } from '../auth/viewer.ts';
import { CommunityRef } from './communities.ts';
import { NeedEventTypeEnum } from './enums.ts';
import type { Context } from '../context.ts';

const canManage = (communityId: string | null, ctx: Context) =>
  !!ctx.viewer && (communityId ? isCoordinatorOf(ctx.viewer, communityId) : ctx.viewer.isAdmin);

const DeliveryStatusEnum = builder.enumType('DeliveryStatus', { values: ['PENDING', 'SENT', 'FAILED'] as const });

const WebhookRef = builder.prismaNode('Webhook', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (w, ctx) => canManage(w.communityId, ctx),
  fields: (t) => ({
    url: t.exposeString('url', { authScopes: { anyCoordinator: true } }),
    active: t.exposeBoolean('active', { authScopes: { anyCoordinator: true } }),
    eventTypes: t.expose('eventTypes', { type: [NeedEventTypeEnum], authScopes: { anyCoordinator: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      authScopes: { anyCoordinator: true },
      query: { orderBy: { createdAt: 'desc' } },
    }),
  }),
});

builder.prismaObject('WebhookDelivery', {
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    eventCursor: t.string({ authScopes: { anyCoordinator: true }, resolve: (d) => d.eventSeq.toString() }),
    status: t.expose('status', { type: DeliveryStatusEnum, authScopes: { anyCoordinator: true } }),
    attempts: t.exposeInt('attempts', { authScopes: { anyCoordinator: true } }),
    responseStatus: t.exposeInt('responseStatus', { nullable: true, authScopes: { anyCoordinator: true } }),
    lastError: t.exposeString('lastError', { nullable: true, authScopes: { anyCoordinator: true } }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true, authScopes: { anyCoordinator: true } }),
  }),
});

const CreatedWebhook = builder.objectRef<{ webhook: { id: string }; secret: string }>('CreateWebhookPayload').implement({
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    webhook: t.prismaField({
      type: 'Webhook',
      authScopes: { anyCoordinator: true },
      resolve: (query, p, _args, ctx) => ctx.services.prisma.webhook.findUniqueOrThrow({ ...query, where: { id: p.webhook.id } }),
    }),
    secret: t.exposeString('secret', {
      authScopes: { anyCoordinator: true },
      description: 'Shown once: verify `x-mutual-aid-signature` (t=…,v1=HMAC-SHA256 of "t.body") with it.',
    }),
  }),
});

builder.mutationField('createWebhook', (t) =>
  t.field({
    type: CreatedWebhook,
    authScopes: { anyCoordinator: true },
    args: {
      url: t.arg.string({ required: true, validate: z.url('Enter a full URL.').max(2_000) }),
      communityId: t.arg.globalID({ for: CommunityRef, validate: uuidId, description: 'Omit for every community (admins only).' }),
      eventTypes: t.arg({ type: [NeedEventTypeEnum], description: 'Omit for every event type.' }),
    },
    resolve: async (_root, args, ctx) => {
      const webhook = await createWebhook(ctx.services, ctx.viewer!, { url: args.url, communityId: args.communityId?.id ?? null, eventTypes: args.eventTypes ?? [] });
      return { webhook, secret: webhook.secret };
    },
  }),
);

builder.queryField('webhooks', (t) =>
  t.prismaField({
    type: ['Webhook'],
    authScopes: { anyCoordinator: true },
    resolve: (query, _root, _args, ctx) => {
      const viewer = ctx.viewer!;
      const mine = [...viewer.roles].filter(([, r]) => r === 'COORDINATOR').map(([id]) => id);
      return ctx.services.prisma.webhook.findMany({ ...query, where: viewer.isAdmin ? {} : { communityId: { in: mine } }, orderBy: { createdAt: 'desc' } });
    },
  }),
);
void WebhookRef;
