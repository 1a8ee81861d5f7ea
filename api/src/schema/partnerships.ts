// Partnerships, their teams, the recovery road map, pledges and disbursements.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import {
  addTeamMember,
  canManagePartnership,
  createPartnership,
  CURRENCY,
  goalProgress,
  partnershipFinances,
  partnershipsOf,
  partnershipTotals,
  recordDisbursement,
  setPledge,
  type Money,
  type PartnershipTotal,
} from '../domain/partnerships.ts';
import { addMilestone, completeMilestone, createRecoveryGoal, linkNeedToGoal, setGoalStatus } from '../domain/recovery.ts';
import { CommunityRef } from './communities.ts';
import { NeedRef } from './needs.ts';
import { UserRef } from './users.ts';
import type { Context } from '../context.ts';
import { needsOldestFirst } from '../domain/orders.ts';

const PartnershipStatusEnum = builder.enumType('PartnershipStatus', { values: ['PROPOSED', 'ACTIVE', 'PAUSED', 'ENDED'] as const });
const TeamSideEnum = builder.enumType('TeamSide', { values: ['ISRAEL', 'ABROAD', 'COORDINATOR'] as const });
const GoalDomainEnum = builder.enumType('GoalDomain', {
  values: ['HOUSING', 'EDUCATION', 'INFRASTRUCTURE', 'SOCIAL_FABRIC', 'ECONOMY', 'HEALTH', 'AGRICULTURE', 'OTHER'] as const,
});
const GoalStatusEnum = builder.enumType('GoalStatus', { values: ['PLANNED', 'IN_PROGRESS', 'DONE', 'BLOCKED'] as const });
const PartnershipTotalEnum = builder.enumType('PartnershipTotal', {
  description: 'Which sum of partnership money.',
  values: {
    PLEDGED: { value: 'pledged', description: 'Promised, every year of every pledge.' },
    DISBURSED: { value: 'disbursed', description: 'Paid out.' },
    REMAINING: { value: 'remaining', description: 'Pledged minus disbursed.' },
  } as const,
});

const minorUnits = z.string().regex(/^-?\d{1,18}$/, 'An amount in minor units (agorot, cents): digits only.');
const currency = z.string().regex(CURRENCY, 'A three-letter ISO 4217 currency code, such as ILS or USD.');

export const MoneyRef = builder.objectRef<Money>('Money').implement({
  description: 'An exact amount: integer minor units (agorot, cents) and the currency.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    amountMinor: t.string({ authScopes: { signedIn: true }, resolve: (m) => m.amountMinor.toString() }),
    currency: t.exposeString('currency', { authScopes: { signedIn: true } }),
  }),
});

const canSee = (p: { israeliCommunityId: string; abroadCommunityId: string }, ctx: Context) => canManagePartnership(ctx.viewer, p);

const PartnershipRef = builder.prismaNode('Partnership', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (p, ctx) => canSee(p, ctx),
  fields: (t) => ({
    israeliCommunity: t.prismaField({ type: 'Community', authScopes: { signedIn: true }, resolve: (q, p, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: p.israeliCommunityId } }) }),
    abroadCommunity: t.prismaField({ type: 'Community', authScopes: { signedIn: true }, resolve: (q, p, _args, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...q, where: { id: p.abroadCommunityId } }) }),
    startDate: t.expose('startDate', { type: 'DateTime', authScopes: { signedIn: true } }),
    termYears: t.exposeInt('termYears', { authScopes: { signedIn: true } }),
    endDate: t.field({
      type: 'DateTime',
      authScopes: { signedIn: true },
      resolve: (p) => new Date(Date.UTC(p.startDate.getUTCFullYear() + p.termYears, p.startDate.getUTCMonth(), p.startDate.getUTCDate())),
    }),
    yearlyPledge: t.field({ type: MoneyRef, authScopes: { signedIn: true }, resolve: (p) => ({ amountMinor: p.yearlyPledgeMinor, currency: p.currency }) }),
    status: t.expose('status', { type: PartnershipStatusEnum, authScopes: { signedIn: true } }),
    team: t.relation('team', { authScopes: { signedIn: true } }),
    goals: t.relation('goals', { authScopes: { signedIn: true }, query: { orderBy: { createdAt: 'asc' } } }),
    pledges: t.relation('pledges', { authScopes: { signedIn: true }, query: { orderBy: [{ year: 'asc' }, { currency: 'asc' }] } }),
    disbursements: t.relation('disbursements', { authScopes: { signedIn: true }, query: { orderBy: { paidAt: 'asc' } } }),
    pledged: t.field({ type: [MoneyRef], authScopes: { signedIn: true }, resolve: async (p, _args, ctx) => (await partnershipFinances(ctx.services, p.id)).pledged }),
    disbursed: t.field({ type: [MoneyRef], authScopes: { signedIn: true }, resolve: async (p, _args, ctx) => (await partnershipFinances(ctx.services, p.id)).disbursed }),
    remaining: t.field({ type: [MoneyRef], authScopes: { signedIn: true }, description: 'Pledged minus disbursed, per currency.', resolve: async (p, _args, ctx) => (await partnershipFinances(ctx.services, p.id)).remaining }),
  }),
});

builder.prismaObject('PartnershipMember', {
  authScopes: { signedIn: true },
  fields: (t) => ({
    id: t.exposeID('id', { authScopes: { signedIn: true } }),
    name: t.exposeString('name', { authScopes: { signedIn: true } }),
    role: t.exposeString('role', { authScopes: { signedIn: true } }),
    side: t.expose('side', { type: TeamSideEnum, authScopes: { signedIn: true } }),
    user: t.relation('user', {
      nullable: true,
      authScopes: { signedIn: true },
      description: "The member's account, if linked. An ABROAD-side member's account reads the Israeli community's public figures (boardStats, needIndicators) as its partner abroad's coordinators do.",
    }),
  }),
});

builder.prismaObject('Pledge', {
  authScopes: { signedIn: true },
  fields: (t) => ({
    year: t.exposeInt('year', { authScopes: { signedIn: true } }),
    amount: t.field({ type: MoneyRef, authScopes: { signedIn: true }, resolve: (p) => ({ amountMinor: p.amountMinor, currency: p.currency }) }),
  }),
});

builder.prismaObject('Disbursement', {
  authScopes: { signedIn: true },
  fields: (t) => ({
    id: t.exposeID('id', { authScopes: { signedIn: true } }),
    amount: t.field({ type: MoneyRef, authScopes: { signedIn: true }, resolve: (d) => ({ amountMinor: d.amountMinor, currency: d.currency }) }),
    paidAt: t.expose('paidAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    note: t.exposeString('note', { nullable: true, authScopes: { signedIn: true } }),
    goal: t.relation('goal', { nullable: true, authScopes: { signedIn: true } }),
  }),
});

const GoalRef = builder.prismaNode('RecoveryGoal', {
  id: { field: 'id' },
  nullable: true,
  authScopes: { public: true },
  fields: (t) => ({
    title: t.exposeString('title', { authScopes: { public: true } }),
    domain: t.expose('domain', { type: GoalDomainEnum, authScopes: { public: true } }),
    ownerName: t.exposeString('ownerName', { nullable: true, authScopes: { public: true } }),
    targetDate: t.expose('targetDate', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    status: t.expose('status', { type: GoalStatusEnum, authScopes: { public: true } }),
    budget: t.field({ type: MoneyRef, authScopes: { signedIn: true }, resolve: (g) => ({ amountMinor: g.budgetMinor, currency: g.currency }) }),
    disbursed: t.field({
      type: [MoneyRef],
      authScopes: { signedIn: true },
      resolve: async (g, _args, ctx) => {
        const rows = await ctx.services.prisma.disbursement.groupBy({ by: ['currency'], where: { goalId: g.id }, _sum: { amountMinor: true } });
        return rows.map((r) => ({ currency: r.currency, amountMinor: r._sum.amountMinor ?? 0n }));
      },
    }),
    milestones: t.relation('milestones', { authScopes: { public: true }, query: { orderBy: [{ dueDate: 'asc' }, { id: 'asc' }] } }),
    progress: t.float({
      authScopes: { public: true },
      description: 'Share of milestones done, 0–1.',
      resolve: async (g, _args, ctx) => goalProgress(await ctx.services.prisma.milestone.findMany({ where: { goalId: g.id }, select: { doneAt: true } })),
    }),
    needs: t.prismaField({
      type: ['Need'],
      authScopes: { public: true },
      description: 'Immediate needs that serve this goal.',
      resolve: (q, g, _args, ctx) => ctx.services.prisma.need.findMany({ ...q, where: { goals: { some: { goalId: g.id } } }, orderBy: needsOldestFirst }),
    }),
  }),
});

builder.prismaObject('Milestone', {
  authScopes: { public: true },
  fields: (t) => ({
    id: t.exposeID('id', { authScopes: { public: true } }),
    title: t.exposeString('title', { authScopes: { public: true } }),
    dueDate: t.expose('dueDate', { type: 'DateTime', authScopes: { public: true } }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    onTime: t.boolean({ nullable: true, authScopes: { public: true }, resolve: (m) => (m.doneAt ? m.doneAt <= m.dueDate : null) }),
    ownerName: t.exposeString('ownerName', { nullable: true, authScopes: { public: true } }),
  }),
});

builder.queryFields((t) => ({
  partnerships: t.prismaField({
    type: ['Partnership'],
    authScopes: { anyCoordinator: true },
    description: 'Partnerships of the communities the viewer coordinates (all, for admins).',
    resolve: (query, _root, _args, ctx) => partnershipsOf(ctx.services, ctx.viewer!, query),
  }),
  recoveryRoadmap: t.prismaField({
    type: ['RecoveryGoal'],
    authScopes: { public: true },
    description: "A community's long-term goals, with their milestones and progress.",
    args: { communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }) },
    resolve: (query, _root, args, ctx) => ctx.services.prisma.recoveryGoal.findMany({ ...query, where: { communityId: args.communityId.id }, orderBy: [{ targetDate: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] }),
  }),
  partnershipTotals: t.field({
    type: [MoneyRef],
    authScopes: { admin: true },
    args: { of: t.arg({ type: PartnershipTotalEnum, required: true }) },
    description: 'Across every partnership, per currency.',
    resolve: (_root, args, ctx) => partnershipTotals(ctx.services, args.of),
  }),
}));

builder.mutationFields((t) => ({
  createPartnership: t.prismaField({
    type: 'Partnership',
    authScopes: { anyCoordinator: true },
    args: {
      israeliCommunityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      abroadCommunityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      startDate: t.arg({ type: 'DateTime', required: true }),
      termYears: t.arg.int({ validate: z.number().int().min(1).max(10) }),
      yearlyPledgeMinor: t.arg.string({ required: true, validate: minorUnits }),
      currency: t.arg.string({ required: true, validate: currency }),
    },
    resolve: (query, _root, a, ctx) =>
      createPartnership(
        ctx.services,
        ctx.viewer!,
        {
          israeliCommunityId: a.israeliCommunityId.id,
          abroadCommunityId: a.abroadCommunityId.id,
          startDate: a.startDate,
          termYears: a.termYears,
          yearlyPledgeMinor: BigInt(a.yearlyPledgeMinor),
          currency: a.currency,
        },
        query,
      ),
  }),
  addTeamMember: t.prismaField({
    type: 'PartnershipMember',
    authScopes: { anyCoordinator: true },
    args: {
      partnershipId: t.arg.globalID({ required: true, for: PartnershipRef, validate: uuidId }),
      name: t.arg.string({ required: true, validate: z.string().trim().min(1).max(120) }),
      role: t.arg.string({ required: true, validate: z.string().trim().min(1).max(120) }),
      side: t.arg({ type: TeamSideEnum, required: true }),
      userId: t.arg.globalID({ for: UserRef, validate: uuidId, description: "The member's account, if they have one." }),
    },
    resolve: (query, _root, a, ctx) => addTeamMember(ctx.services, ctx.viewer!, { partnershipId: a.partnershipId.id, name: a.name, role: a.role, side: a.side, userId: a.userId?.id ?? null }, query),
  }),
  setPledge: t.prismaField({
    type: 'Pledge',
    authScopes: { anyCoordinator: true },
    args: {
      partnershipId: t.arg.globalID({ required: true, for: PartnershipRef, validate: uuidId }),
      year: t.arg.int({ required: true, validate: z.number().int().min(2000).max(2100) }),
      amountMinor: t.arg.string({ required: true, validate: minorUnits }),
      currency: t.arg.string({ required: true, validate: currency }),
    },
    resolve: (query, _root, a, ctx) =>
      setPledge(ctx.services, ctx.viewer!, { partnershipId: a.partnershipId.id, year: a.year, amountMinor: BigInt(a.amountMinor), currency: a.currency }, query),
  }),
  recordDisbursement: t.prismaField({
    type: 'Disbursement',
    authScopes: { anyCoordinator: true },
    args: {
      partnershipId: t.arg.globalID({ required: true, for: PartnershipRef, validate: uuidId }),
      amountMinor: t.arg.string({ required: true, validate: minorUnits }),
      currency: t.arg.string({ required: true, validate: currency }),
      goalId: t.arg.globalID({ for: GoalRef, validate: uuidId }),
      paidAt: t.arg({ type: 'DateTime' }),
      note: t.arg.string({ validate: z.string().trim().max(500) }),
    },
    resolve: (query, _root, a, ctx) =>
      recordDisbursement(
        ctx.services,
        ctx.viewer!,
        { partnershipId: a.partnershipId.id, amountMinor: BigInt(a.amountMinor), currency: a.currency, goalId: a.goalId?.id, paidAt: a.paidAt, note: a.note },
        query,
      ),
  }),
  createRecoveryGoal: t.prismaField({
    type: 'RecoveryGoal',
    authScopes: { anyCoordinator: true },
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      partnershipId: t.arg.globalID({ for: PartnershipRef, validate: uuidId, description: "A partnership the viewer manages whose Israeli community is `communityId`." }),
      title: t.arg.string({ required: true, validate: z.string().trim().min(1).max(200) }),
      domain: t.arg({ type: GoalDomainEnum, required: true }),
      ownerName: t.arg.string({ validate: z.string().trim().max(120) }),
      targetDate: t.arg({ type: 'DateTime' }),
      budgetMinor: t.arg.string({ validate: minorUnits }),
      currency: t.arg.string({ validate: currency }),
    },
    resolve: (query, _root, a, ctx) =>
      createRecoveryGoal(
        ctx.services,
        ctx.viewer!,
        { ...a, communityId: a.communityId.id, partnershipId: a.partnershipId?.id, budgetMinor: a.budgetMinor ? BigInt(a.budgetMinor) : null },
        query,
      ),
  }),
  setGoalStatus: t.prismaField({
    type: 'RecoveryGoal',
    authScopes: { anyCoordinator: true },
    args: { goalId: t.arg.globalID({ required: true, for: GoalRef, validate: uuidId }), status: t.arg({ type: GoalStatusEnum, required: true }) },
    resolve: (query, _root, a, ctx) => setGoalStatus(ctx.services, ctx.viewer!, a.goalId.id, a.status, query),
  }),
  addMilestone: t.prismaField({
    type: 'Milestone',
    authScopes: { anyCoordinator: true },
    args: {
      goalId: t.arg.globalID({ required: true, for: GoalRef, validate: uuidId }),
      title: t.arg.string({ required: true, validate: z.string().trim().min(1).max(200) }),
      dueDate: t.arg({ type: 'DateTime', required: true }),
      ownerName: t.arg.string({ validate: z.string().trim().max(120) }),
    },
    resolve: (query, _root, a, ctx) => addMilestone(ctx.services, ctx.viewer!, { ...a, goalId: a.goalId.id }, query),
  }),
  completeMilestone: t.prismaField({
    type: 'Milestone',
    authScopes: { anyCoordinator: true },
    args: { milestoneId: t.arg.id({ required: true, validate: z.uuid('Malformed id.') }), doneAt: t.arg({ type: 'DateTime' }) },
    resolve: (query, _root, a, ctx) => completeMilestone(ctx.services, ctx.viewer!, String(a.milestoneId), a.doneAt, query),
  }),
  linkNeedToGoal: t.boolean({
    authScopes: { anyCoordinator: true },
    description: "Record that an immediate need serves a long-term goal of its own community's road map (by that community's coordinators, and admins).",
    args: { needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }), goalId: t.arg.globalID({ required: true, for: GoalRef, validate: uuidId }) },
    resolve: (_root, a, ctx) => linkNeedToGoal(ctx.services, ctx.viewer!, a.needId.id, a.goalId.id),
  }),
}));
