// Outbound webhooks for partner organisations, and their delivery log.
import { z } from 'zod';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { createWebhook, deleteWebhook, mayManageWebhook, rotateWebhookSecret, setWebhookActive, testWebhook, webhooksWhere } from '../domain/webhooks.ts';
import { CommunityRef } from './communities.ts';
import { NeedEventTypeEnum } from './enums.ts';

const DeliveryStatusEnum = builder.enumType('DeliveryStatus', { values: ['PENDING', 'SENT', 'FAILED'] as const });
const DeliveryKindEnum = builder.enumType('WebhookDeliveryKind', {
  values: { EVENT: { description: 'A need event.' }, PING: { description: 'A test the owner asked for (testWebhook).' } } as const,
});

const WebhookRef = builder.prismaNode('Webhook', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (w, ctx) => mayManageWebhook(ctx.viewer, w.communityId),
  fields: (t) => ({
    url: t.exposeString('url', { authScopes: { anyCoordinator: true } }),
    active: t.exposeBoolean('active', { authScopes: { anyCoordinator: true }, description: 'A disabled webhook is sent nothing.' }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      authScopes: { anyCoordinator: true },
      description: 'After a rotation, deliveries are signed with the previous secret too (a second v1) until then.',
    }),
    eventTypes: t.expose('eventTypes', { type: [NeedEventTypeEnum], authScopes: { anyCoordinator: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      authScopes: { anyCoordinator: true },
      query: { orderBy: { createdAt: 'desc' } },
    }),
  }),
});

const DeliveryRef = builder.prismaObject('WebhookDelivery', {
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    id: t.exposeID('id', { authScopes: { anyCoordinator: true }, description: 'As sent in the `x-mutual-aid-delivery` header and the payload.' }),
    kind: t.expose('kind', { type: DeliveryKindEnum, authScopes: { anyCoordinator: true } }),
    eventCursor: t.string({ nullable: true, authScopes: { anyCoordinator: true }, description: 'Null for a PING.', resolve: (d) => d.eventSeq?.toString() ?? null }),
    status: t.expose('status', { type: DeliveryStatusEnum, authScopes: { anyCoordinator: true } }),
    attempts: t.exposeInt('attempts', { authScopes: { anyCoordinator: true } }),
    responseStatus: t.exposeInt('responseStatus', { nullable: true, authScopes: { anyCoordinator: true } }),
    lastError: t.exposeString('lastError', { nullable: true, authScopes: { anyCoordinator: true } }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true, authScopes: { anyCoordinator: true } }),
  }),
});

/** A webhook and its secret, shown this once. */
const withSecret = (name: string, secretDescription: string) =>
  builder.objectRef<{ webhook: { id: string }; secret: string }>(name).implement({
    authScopes: { anyCoordinator: true },
    fields: (t) => ({
      webhook: t.prismaField({
        type: 'Webhook',
        authScopes: { anyCoordinator: true },
        resolve: (query, p, _args, ctx) => ctx.services.prisma.webhook.findUniqueOrThrow({ ...query, where: { id: p.webhook.id } }),
      }),
      secret: t.exposeString('secret', { authScopes: { anyCoordinator: true }, description: secretDescription }),
    }),
  });

const CreatedWebhook = withSecret('CreateWebhookPayload', 'Shown once: verify `x-mutual-aid-signature` (t=…,v1=HMAC-SHA256 of "t.body") with it.');
const RotatedSecret = withSecret(
  'RotateWebhookSecretPayload',
  'The new secret, shown once. Until `webhook.previousSecretExpiresAt` deliveries carry a v1 for each secret, the new one first.',
);

// The owner's operations on one webhook: each one call into the domain.
builder.mutationFields((t) => {
  const id = () => ({ id: t.arg.globalID({ for: WebhookRef, required: true, validate: uuidId }) });
  const owner = { authScopes: { anyCoordinator: true }, args: id() } as const;
  return {
    disableWebhook: t.field({
      ...owner,
      type: WebhookRef,
      description: 'Stops deliveries: none for events while disabled; pending ones wait.',
      resolve: (_root, args, ctx) => setWebhookActive(ctx.services, ctx.viewer!, args.id.id, false),
    }),
    enableWebhook: t.field({
      ...owner,
      type: WebhookRef,
      description: 'Sends events again, from now on.',
      resolve: (_root, args, ctx) => setWebhookActive(ctx.services, ctx.viewer!, args.id.id, true),
    }),
    deleteWebhook: t.field({
      ...owner,
      type: 'ID',
      description: 'Deletes the webhook and its delivery log; pending deliveries are not sent. Returns its id.',
      resolve: async (_root, args, ctx) => {
        await deleteWebhook(ctx.services, ctx.viewer!, args.id.id);
        return encodeGlobalID('Webhook', args.id.id);
      },
    }),
    rotateWebhookSecret: t.field({
      ...owner,
      type: RotatedSecret,
      description: 'A new secret; the old one stays valid for WEBHOOK_SECRET_GRACE_HOURS.',
      resolve: (_root, args, ctx) => rotateWebhookSecret(ctx.services, ctx.viewer!, args.id.id),
    }),
    testWebhook: t.field({
      ...owner,
      type: DeliveryRef,
      description: 'Queues a PING delivery; read its outcome in the delivery log by its id.',
      resolve: (_root, args, ctx) => testWebhook(ctx.services, ctx.viewer!, args.id.id),
    }),
  };
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
    description: 'The webhooks of the communities you coordinate (admins: all).',
    resolve: (query, _root, _args, ctx) => ctx.services.prisma.webhook.findMany({ ...query, where: webhooksWhere(ctx.viewer!), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
);
