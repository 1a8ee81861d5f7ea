// Outcome indicators: per community and period, comparable across communities (the pilot
// view), each figure traceable to the needs behind it.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { forbidden } from '../errors.ts';
import { householdIndicators, householdsBehind, needIndicators, needsBehind, volunteerIndicators, type HouseholdRow, type IndicatorRow, type VolunteerRow } from '../domain/indicators.ts';
import { isCoordinatorOf } from '../auth/viewer.ts';
import { BeneficiaryGroupEnum } from './households.ts';
import { CommunityRef } from './communities.ts';
import { NeedCategoryEnum } from './enums.ts';
import { canSeeHousehold, scopeCommunities } from '../domain/privacy.ts';
import { needsOldestFirst } from '../domain/orders.ts';
import type { Context } from '../context.ts';

const PeriodEnum = builder.enumType('IndicatorPeriod', { values: ['WEEK', 'MONTH', 'QUARTER'] as const });
const MeasureEnum = builder.enumType('IndicatorMeasure', { values: ['RECEIVED', 'MET', 'CRITICAL_RECEIVED', 'CRITICAL_MET_24H'] as const });

const NeedIndicatorRef = builder.objectRef<IndicatorRow>('NeedIndicator').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    community: t.prismaField({ type: 'Community', authScopes: { figures: true }, resolve: (q, r, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: r.communityId } }) }),
    periodStart: t.expose('periodStart', { type: 'DateTime', authScopes: { figures: true } }),
    category: t.expose('category', { type: NeedCategoryEnum, nullable: true, authScopes: { figures: true }, description: 'Null: all categories.' }),
    needsReceived: t.exposeInt('needsReceived', { authScopes: { figures: true } }),
    needsMet: t.exposeInt('needsMet', { authScopes: { figures: true } }),
    medianMinutesToClaim: t.exposeFloat('medianMinutesToClaim', { nullable: true, authScopes: { figures: true } }),
    medianMinutesToComplete: t.exposeFloat('medianMinutesToComplete', { nullable: true, authScopes: { figures: true } }),
    criticalReceived: t.exposeInt('criticalReceived', { authScopes: { figures: true } }),
    criticalMetWithin24h: t.exposeInt('criticalMetWithin24h', { authScopes: { figures: true } }),
    criticalMetWithin24hShare: t.float({
      nullable: true,
      authScopes: { figures: true },
      resolve: (r) => (r.criticalReceived ? r.criticalMetWithin24h / r.criticalReceived : null),
    }),
  }),
});

const VolunteerIndicatorRef = builder.objectRef<VolunteerRow>('VolunteerIndicator').implement({
  authScopes: { figures: true },
  fields: (t) => ({
    community: t.prismaField({ type: 'Community', authScopes: { figures: true }, resolve: (q, r, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: r.communityId } }) }),
    periodStart: t.expose('periodStart', { type: 'DateTime', authScopes: { figures: true } }),
    active: t.exposeInt('active', { authScopes: { figures: true }, description: 'Volunteers who claimed in the period.' }),
    returning: t.exposeInt('returning', { authScopes: { figures: true }, description: 'Of them, those who had claimed in an earlier period.' }),
  }),
});

const HouseholdMeasureEnum = builder.enumType('HouseholdMeasure', { values: ['HELPED', 'RETURNING'] as const });

const HouseholdIndicatorRef = builder.objectRef<HouseholdRow>('HouseholdIndicator').implement({
  description: 'Households helped (a need of theirs received in the period and met), each once however many needs it had.',
  authScopes: { figures: true },
  fields: (t) => ({
    community: t.prismaField({ type: 'Community', authScopes: { figures: true }, resolve: (q, r, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: r.communityId } }) }),
    periodStart: t.expose('periodStart', { type: 'DateTime', authScopes: { figures: true } }),
    beneficiaryGroup: t.expose('group', { type: BeneficiaryGroupEnum, nullable: true, authScopes: { figures: true }, description: 'Null: all households.' }),
    householdsHelped: t.exposeInt('householdsHelped', { authScopes: { figures: true } }),
    peopleHelped: t.exposeInt('peopleHelped', { authScopes: { figures: true }, description: 'The sizes of the households helped, added up.' }),
    returningHouseholds: t.exposeInt('returningHouseholds', { authScopes: { figures: true }, description: 'Of them, those helped in an earlier period too.' }),
    peopleAged0to5: t.exposeInt('ages0to5', { authScopes: { figures: true } }),
    peopleAged6to17: t.exposeInt('ages6to17', { authScopes: { figures: true } }),
    peopleAged18to64: t.exposeInt('ages18to64', { authScopes: { figures: true } }),
    peopleAged65plus: t.exposeInt('ages65plus', { authScopes: { figures: true } }),
  }),
});

/** `to` after `from`: a period range of the figures queries. */
const fromBeforeTo = z.looseObject({ from: z.date(), to: z.date() }).refine((a) => a.to > a.from, { message: 'to must be after from.', path: ['to'] });

/** The communities of a figures query: those asked for that the viewer coordinates or partners (privacy.ts, `figures`). */
const figuresOf = async (ctx: Context, communityIds: { id: string }[] | null | undefined) => scopeCommunities(ctx.services, ctx.viewer!, communityIds?.map((c) => c.id), 'figures');

builder.queryFields((t) => {
  const figureArgs = () => ({
    communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }),
    period: t.arg({ type: PeriodEnum, required: true }),
    from: t.arg({ type: 'DateTime', required: true, description: 'Any instant: the figures start with the period it falls in.' }),
    to: t.arg({ type: 'DateTime', required: true }),
  });
  return {
    needIndicators: t.field({
      type: [NeedIndicatorRef],
      authScopes: { figures: true },
      description: 'Needs received and met, medians of time to claim and to done, critical needs met within 24 h: per community, period and category (and all categories).',
      args: figureArgs(),
      validate: fromBeforeTo,
      resolve: async (_root, a, ctx) => needIndicators(ctx.services, await figuresOf(ctx, a.communityIds), a.period, a.from, a.to),
    }),
    volunteerIndicators: t.field({
      type: [VolunteerIndicatorRef],
      authScopes: { figures: true },
      args: figureArgs(),
      validate: fromBeforeTo,
      resolve: async (_root, a, ctx) => volunteerIndicators(ctx.services, await figuresOf(ctx, a.communityIds), a.period, a.from, a.to),
    }),
    householdIndicators: t.field({
      type: [HouseholdIndicatorRef],
      authScopes: { figures: true },
      description: 'Households and people helped, returning households and people by age band: per community and period, for all households and per beneficiary group.',
      args: figureArgs(),
      validate: fromBeforeTo,
      resolve: async (_root, a, ctx) => householdIndicators(ctx.services, await figuresOf(ctx, a.communityIds), a.period, a.from, a.to),
    }),
    indicatorHouseholds: t.prismaField({
      type: ['Household'],
      authScopes: { anyIntake: true },
      description: "The households behind one figure of householdIndicators (`periodStart`: any instant in the period). Only for those who may see the community's households.",
      args: {
        communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
        period: t.arg({ type: PeriodEnum, required: true }),
        periodStart: t.arg({ type: 'DateTime', required: true }),
        measure: t.arg({ type: HouseholdMeasureEnum, required: true }),
        beneficiaryGroup: t.arg({ type: BeneficiaryGroupEnum }),
      },
      resolve: async (query, _root, a, ctx) => {
        if (!canSeeHousehold(ctx.viewer, { communityId: a.communityId.id })) throw forbidden("see this community's households");
        const ids = await householdsBehind(ctx.services, a.communityId.id, a.period, a.periodStart, a.measure, a.beneficiaryGroup ?? null);
        const rows = await ctx.services.prisma.household.findMany({ ...query, where: { id: { in: ids } } });
        const order = new Map(ids.map((id, i) => [id, i]));
        return rows.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
      },
    }),
    indicatorNeeds: t.prismaField({
      type: ['Need'],
      authScopes: { anyCoordinator: true },
      description: 'The needs behind one figure of needIndicators (`periodStart`: any instant in the period).',
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
  };
});
