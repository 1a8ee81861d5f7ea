// The coordinator's dashboard: live figures for the communities they coordinate.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { boardStats, type BoardStats } from '../domain/stats.ts';
import { privateAccessLog, scopeCommunities } from '../domain/privacy.ts';
import { refreshOn } from '../events/stream.ts';
import { NeedCategoryEnum, UrgencyEnum } from './enums.ts';
import { CommunityRef } from './communities.ts';
import { needsOldestFirst, needsUrgentFirst } from '../domain/orders.ts';

const CategoryCount = builder.objectRef<{ category: string; count: number }>('CategoryCount').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    category: t.field({ type: NeedCategoryEnum, authScopes: { figures: true }, resolve: (c) => c.category as never }),
    count: t.exposeInt('count', { authScopes: { figures: true } }),
  }),
});
const UrgencyCount = builder.objectRef<{ urgency: string; count: number }>('UrgencyCount').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    urgency: t.field({ type: UrgencyEnum, authScopes: { figures: true }, resolve: (c) => c.urgency as never }),
    count: t.exposeInt('count', { authScopes: { figures: true } }),
  }),
});
const CommunityCount = builder.objectRef<{ communityId: string; count: number }>('CommunityCount').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    community: t.prismaField({
      type: 'Community',
      authScopes: { figures: true },
      resolve: (query, c, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...query, where: { id: c.communityId } }),
    }),
    count: t.exposeInt('count', { authScopes: { figures: true } }),
  }),
});
const HourCount = builder.objectRef<{ hour: Date; count: number }>('HourCount').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    hour: t.expose('hour', { type: 'DateTime', authScopes: { figures: true } }),
    count: t.exposeInt('count', { authScopes: { figures: true } }),
  }),
});

const BoardStatsRef = builder.objectRef<BoardStats>('BoardStats').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    asOf: t.expose('asOf', { type: 'DateTime', authScopes: { figures: true } }),
    cursor: t.exposeString('cursor', { nullable: true, authScopes: { figures: true } }),
    open: t.exposeInt('open', { authScopes: { figures: true } }),
    claimed: t.exposeInt('claimed', { authScopes: { figures: true } }),
    inProgress: t.exposeInt('inProgress', { authScopes: { figures: true } }),
    doneToday: t.exposeInt('doneToday', { authScopes: { figures: true } }),
    medianMinutesToClaim: t.exposeFloat('medianMinutesToClaim', { nullable: true, authScopes: { figures: true } }),
    openByCategory: t.field({ type: [CategoryCount], authScopes: { figures: true }, resolve: (s) => s.openByCategory }),
    openByUrgency: t.field({ type: [UrgencyCount], authScopes: { figures: true }, resolve: (s) => s.openByUrgency }),
    openByCommunity: t.field({ type: [CommunityCount], authScopes: { figures: true }, resolve: (s) => s.openByCommunity }),
    claimsPerHour: t.field({ type: [HourCount], authScopes: { figures: true }, resolve: (s) => s.claimsPerHour }),
    unclaimedCritical: t.prismaField({
      type: ['Need'],
      authScopes: { figures: true },
      description: 'Open critical needs nobody has claimed, oldest first.',
      args: { first: t.arg.int({ defaultValue: 20, validate: z.number().int().min(1).max(200) }) },
      resolve: (query, s, args, ctx) =>
        ctx.services.prisma.need.findMany({
          ...query,
          where: { communityId: { in: s.communityIds }, status: 'OPEN', urgency: 'CRITICAL', activeClaims: 0 },
          orderBy: needsOldestFirst,
          take: args.first ?? 20,
        }),
    }),
    staleNeeds: t.prismaField({
      type: ['Need'],
      authScopes: { figures: true },
      description: 'Needs still open after `olderThanHours`, most urgent and oldest first.',
      args: {
        olderThanHours: t.arg.int({ defaultValue: 24, validate: z.number().int().min(1).max(24 * 90) }),
        first: t.arg.int({ defaultValue: 20, validate: z.number().int().min(1).max(200) }),
      },
      resolve: (query, s, args, ctx) =>
        ctx.services.prisma.need.findMany({
          ...query,
          where: {
            communityId: { in: s.communityIds },
            status: 'OPEN',
            createdAt: { lt: new Date(ctx.services.clock.now().getTime() - (args.olderThanHours ?? 24) * 3_600_000) },
          },
          orderBy: needsUrgentFirst,
          take: args.first ?? 20,
        }),
    }),
  }),
});

builder.queryField('boardStats', (t) =>
  t.field({
    type: BoardStatsRef,
    authScopes: { figures: true },
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    resolve: async (_root, args, ctx) => boardStats(ctx.services, await scopeCommunities(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id), 'figures')),
  }),
);

builder.subscriptionField('boardStats', (t) =>
  t.field({
    type: BoardStatsRef,
    authScopes: { figures: true },
    description: 'The dashboard figures now, then again whenever a need in these communities changes (at most twice a second).',
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    subscribe: async (_root, args, ctx) => {
      const ids = await scopeCommunities(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id), 'figures');
      return refreshOn(ctx.services.stream.subscribe({ communityIds: ids }, null), () => boardStats(ctx.services, ids), 500, ctx.services.stream.retry, ctx.services.log);
    },
    resolve: (s: BoardStats) => s,
  }),
);

builder.queryField('privateAccessLog', (t) =>
  t.prismaConnection({
    type: 'PrivateAccessLog',
    cursor: 'id',
    authScopes: { anyCoordinator: true },
    description: "Who read private details of needs in the viewer's communities, newest first.",
    args: { communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }) },
    resolve: (query, _root, args, ctx) => privateAccessLog(ctx.services, ctx.viewer!, args.communityIds?.map((c) => c.id), query),
  }),
);

builder.prismaObject('PrivateAccessLog', {
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    user: t.relation('user', { authScopes: { anyCoordinator: true } }),
    need: t.relation('need', { authScopes: { anyCoordinator: true } }),
  }),
});
