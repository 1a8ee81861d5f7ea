// Outcome indicators: per community and period, comparable across communities (the pilot
// view), each figure traceable to the needs behind it.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { forbidden } from '../errors.ts';
import { needIndicators, needsBehind, volunteerIndicators, type IndicatorRow, type VolunteerRow } from '../domain/indicators.ts';
import { isCoordinatorOf } from '../auth/viewer.ts';
import { CommunityRef } from './communities.ts';
import { NeedCategoryEnum } from './enums.ts';
import { scopeCommunities } from '../domain/privacy.ts';
import { needsOldestFirst } from '../domain/orders.ts';

const PeriodEnum = builder.enumType('IndicatorPeriod', { values: ['WEEK', 'MONTH', 'QUARTER'] as const });
const MeasureEnum = builder.enumType('IndicatorMeasure', { values: ['RECEIVED', 'MET', 'CRITICAL_RECEIVED', 'CRITICAL_MET_24H'] as const });

const NeedIndicatorRef = builder.objectRef<IndicatorRow>('NeedIndicator').implement({
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    community: t.prismaField({ type: 'Community', authScopes: { anyCoordinator: true }, resolve: (q, r, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: r.communityId } }) }),
    periodStart: t.expose('periodStart', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    category: t.expose('category', { type: NeedCategoryEnum, nullable: true, authScopes: { anyCoordinator: true }, description: 'Null: all categories.' }),
    needsReceived: t.exposeInt('needsReceived', { authScopes: { anyCoordinator: true } }),
    needsMet: t.exposeInt('needsMet', { authScopes: { anyCoordinator: true } }),
    medianMinutesToClaim: t.exposeFloat('medianMinutesToClaim', { nullable: true, authScopes: { anyCoordinator: true } }),
    medianMinutesToComplete: t.exposeFloat('medianMinutesToComplete', { nullable: true, authScopes: { anyCoordinator: true } }),
    criticalReceived: t.exposeInt('criticalReceived', { authScopes: { anyCoordinator: true } }),
    criticalMetWithin24h: t.exposeInt('criticalMetWithin24h', { authScopes: { anyCoordinator: true } }),
    criticalMetWithin24hShare: t.float({
      nullable: true,
      authScopes: { anyCoordinator: true },
      resolve: (r) => (r.criticalReceived ? r.criticalMetWithin24h / r.criticalReceived : null),
    }),
  }),
});

const VolunteerIndicatorRef = builder.objectRef<VolunteerRow>('VolunteerIndicator').implement({
  authScopes: { anyCoordinator: true },
  fields: (t) => ({
    community: t.prismaField({ type: 'Community', authScopes: { anyCoordinator: true }, resolve: (q, r, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: r.communityId } }) }),
    periodStart: t.expose('periodStart', { type: 'DateTime', authScopes: { anyCoordinator: true } }),
    active: t.exposeInt('active', { authScopes: { anyCoordinator: true }, description: 'Volunteers who claimed in the period.' }),
    returning: t.exposeInt('returning', { authScopes: { anyCoordinator: true }, description: 'Of them, those who had claimed in an earlier period.' }),
  }),
});

const range = {
  from: z.date(),
  to: z.date(),
};

builder.queryFields((t) => ({
  needIndicators: t.field({
    type: [NeedIndicatorRef],
    authScopes: { anyCoordinator: true },
    description: 'Needs received and met, medians of time to claim and to done, critical needs met within 24 h: per community, period and category (and all categories).',
    args: {
      communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }),
      period: t.arg({ type: PeriodEnum, required: true }),
      from: t.arg({ type: 'DateTime', required: true, validate: range.from }),
      to: t.arg({ type: 'DateTime', required: true, validate: range.to }),
    },
    validate: z.looseObject({ from: z.date(), to: z.date() }).refine((a) => a.to > a.from, { message: 'to must be after from.', path: ['to'] }),
    resolve: async (_root, a, ctx) => needIndicators(ctx.services, await scopeCommunities(ctx.services, ctx.viewer!, a.communityIds?.map((c) => c.id)), a.period, a.from, a.to),
  }),
  volunteerIndicators: t.field({
    type: [VolunteerIndicatorRef],
    authScopes: { anyCoordinator: true },
    args: {
      communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }),
      period: t.arg({ type: PeriodEnum, required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: async (_root, a, ctx) => volunteerIndicators(ctx.services, await scopeCommunities(ctx.services, ctx.viewer!, a.communityIds?.map((c) => c.id)), a.period, a.from, a.to),
  }),
  indicatorNeeds: t.prismaField({
    type: ['Need'],
    authScopes: { anyCoordinator: true },
    description: 'The needs behind one figure of needIndicators.',
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      period: t.arg({ type: PeriodEnum, required: true }),
      periodStart: t.arg({ type: 'DateTime', required: true }),
      measure: t.arg({ type: MeasureEnum, required: true }),
      category: t.arg({ type: NeedCategoryEnum }),
    },
    resolve: async (query, _root, a, ctx) => {
      if (!isCoordinatorOf(ctx.viewer, a.communityId.id)) throw forbidden("see this community's figures");
      const ids = await needsBehind(ctx.services, a.communityId.id, a.period, a.periodStart, a.measure, a.category ?? null);
      return ctx.services.prisma.need.findMany({ ...query, where: { id: { in: ids } }, orderBy: needsOldestFirst });
    },
  }),
}));
