// Notifications: the viewer's list, read marks, preferences, and a live feed.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidIds } from './ids.ts';
import { notificationsFeed } from '../events/feeds.ts';
import { canSeeNotification } from '../domain/privacy.ts';
import { NotificationKindEnum } from './enums.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';


const NotificationRef = builder.prismaNode('Notification', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (n, ctx) => canSeeNotification(ctx.viewer, n),
  fields: (t) => ({
    kind: t.expose('kind', { type: NotificationKindEnum, authScopes: { signedIn: true } }),
    title: t.exposeString('title', { authScopes: { signedIn: true } }),
    body: t.exposeString('body', { authScopes: { signedIn: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    needId: t.string({
      nullable: true,
      authScopes: { signedIn: true },
      resolve: (n) => (n.needId ? encodeGlobalID('Need', n.needId) : null),
    }),
  }),
});

const listFor = (prisma: PrismaClient, userId: string, unreadOnly: boolean, first: number) =>
  prisma.notification.findMany({ where: { userId, ...(unreadOnly ? { readAt: null } : {}) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first });

builder.queryField('myNotifications', (t) =>
  t.prismaField({
    type: ['Notification'],
    authScopes: { signedIn: true },
    args: {
      unreadOnly: t.arg.boolean({ defaultValue: false }),
      first: t.arg.int({ defaultValue: 50, validate: z.number().int().min(1).max(200) }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.services.prisma.notification.findMany({
        ...query,
        where: { userId: ctx.viewer!.id, ...(args.unreadOnly ? { readAt: null } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: args.first ?? 50,
      }),
  }),
);

builder.mutationField('markNotificationsRead', (t) =>
  t.int({
    authScopes: { signedIn: true },
    description: 'Marks the given notifications (or all, when none are given) as read; returns how many.',
    args: { ids: t.arg.idList({ validate: uuidIds(200) }) },
    resolve: async (_root, args, ctx) => {
      const ids = args.ids?.map((g) => decodeGlobalID(String(g)).id);
      const r = await ctx.services.prisma.notification.updateMany({
        where: { userId: ctx.viewer!.id, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
        data: { readAt: ctx.services.clock.now() },
      });
      return r.count;
    },
  }),
);

builder.subscriptionField('myNotifications', (t) =>
  t.field({
    type: [NotificationRef],
    authScopes: { signedIn: true },
    description: "The viewer's unread notifications now, and again whenever one arrives.",
    subscribe: (_root, _args, ctx) => notificationsFeed(ctx.services.bus, ctx.viewer!.id, () => listFor(ctx.services.prisma, ctx.viewer!.id, true, 50), ctx.services.stream.retry),
    resolve: (list) => list,
  }),
);
