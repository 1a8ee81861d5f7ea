// Vetting: what a need requires of whoever takes it (public), what the viewer lacks for it, a
// community's trainings and per-category requirements, its volunteers' records and their audit.
import { sameForEveryViewer } from '../events/sharedExecution.ts';
import { z } from 'zod';
import { builder } from './builder.ts';
import { reads } from './columns.ts';
import { uuidId } from './ids.ts';
import { NeedCategoryEnum } from './enums.ts';
import { CommunityRef } from './communities.ts';
import { UserRef } from './users.ts';
import type { Context } from '../context.ts';
import type { Need } from '../generated/prisma/client.ts';
import { VettingChange } from '../generated/prisma/enums.ts';
import { hasRequirements, missingForNeed, missingLabel, needRequirements, stillValid, type Missing, type Requirements } from '../domain/vetting.ts';
import {
  addTraining,
  communityRequirements,
  communityTrainings,
  communityVetting,
  memberVetting,
  recordVetting,
  setCategoryRequirements,
  setTrainingRetired,
  vettingEvents,
  type CategoryLack,
  type CategoryRequirements,
  type Training,
  type VolunteerVetting,
} from '../domain/vettingRecords.ts';

const requirementColumns = ['communityId', 'requiresIdentityCheck', 'requiresBackgroundCheck', 'requiredTrainings'] as const;
type RequirementNeed = Pick<Need, (typeof requirementColumns)[number]>;

/**
 * What the viewer lacks for the need now. Their vetting is read once per request (whether or not
 * this need asks for any), so a board costs the same statements whatever needs it shows.
 */
export async function viewerMissing(need: RequirementNeed, ctx: Context): Promise<Missing[]> {
  const vetting = await ctx.vetting();
  return missingForNeed(need, vetting.get(need.communityId), ctx.services.clock.now());
}

const VettingRequirementEnum = builder.enumType('VettingRequirement', {
  values: {
    IDENTITY_CHECK: { description: 'A coordinator checked the volunteer\'s identity.' },
    BACKGROUND_CHECK: { description: 'A background check (for work with children or vulnerable adults) that has not expired.' },
    TRAINING: { description: 'A training of the community\'s list, not expired.' },
  } as const,
});
const VettingChangeEnum = builder.enumType(VettingChange, { name: 'VettingChange' });

const trainingKey = z.string().regex(/^[a-z0-9-]{2,40}$/, 'Use 2–40 lowercase letters, digits and dashes.');

export const NeedRequirementsInput = builder.inputType('NeedRequirementsInput', {
  description: 'What whoever takes the need must have: absent at intake, the community\'s defaults for the category.',
  fields: (t) => ({
    identityCheck: t.boolean({ required: true }),
    backgroundCheck: t.boolean({ required: true }),
    trainings: t.stringList({ required: true, description: 'Keys of the community\'s trainings.', validate: z.array(trainingKey).max(10) }),
  }),
});

const NeedRequirementsRef = builder.objectRef<Requirements>('NeedRequirements').implement({
  description: 'What whoever takes the need must have. Public: anyone may know a task needs a vetted volunteer.',
  authScopes: { public: true },
  fields: (t) => ({
    identityCheck: t.exposeBoolean('identityCheck', { authScopes: { public: true } }),
    backgroundCheck: t.exposeBoolean('backgroundCheck', { authScopes: { public: true } }),
    trainings: t.exposeStringList('trainings', { authScopes: { public: true }, description: "Keys of the community's trainings (Community.trainings names them)." }),
    vettedVolunteer: t.boolean({ authScopes: { public: true }, extensions: sameForEveryViewer, description: 'True when it asks anything: "needs a vetted volunteer".', resolve: hasRequirements }),
  }),
});

const MissingRef = builder.objectRef<Missing>('MissingRequirement').implement({
  description: 'Something a volunteer lacks for a need; a coordinator of the community records it.',
  authScopes: { public: true },
  fields: (t) => ({
    requirement: t.expose('requirement', { type: VettingRequirementEnum, authScopes: { public: true } }),
    training: t.exposeString('training', { nullable: true, authScopes: { public: true }, description: 'The training\'s key (TRAINING).' }),
    expiredAt: t.expose('expiredAt', { type: 'DateTime', nullable: true, authScopes: { public: true }, description: 'Set when they had it and it expired.' }),
    label: t.string({ authScopes: { public: true }, description: 'As in NOT_QUALIFIED\'s extensions.missing.', resolve: missingLabel }),
  }),
});

builder.prismaObjectFields('Need', (t) => ({
  requirements: t.field({
    type: NeedRequirementsRef,
    authScopes: { public: true },
    extensions: { ...reads(...requirementColumns), ...sameForEveryViewer },
    resolve: needRequirements,
  }),
  viewerLacks: t.field({
    type: [MissingRef],
    authScopes: { public: true },
    description: "What the viewer lacks of the need's requirements (for someone signed out: all of them); empty when they may take it.",
    extensions: reads(...requirementColumns),
    resolve: (n, _a, ctx) => viewerMissing(n, ctx),
  }),
}));

const TrainingRef = builder.objectRef<Training>('Training').implement({
  authScopes: { public: true },
  fields: (t) => ({
    key: t.exposeString('key', { authScopes: { public: true } }),
    name: t.exposeString('name', { authScopes: { public: true }, description: 'As the community named it; the defaults are named in English (clients may translate them by key).' }),
    retired: t.exposeBoolean('retired', { authScopes: { public: true } }),
    isDefault: t.exposeBoolean('isDefault', { authScopes: { public: true }, description: 'One of the trainings every community starts with.' }),
  }),
});

const CategoryRequirementsRef = builder.objectRef<CategoryRequirements>('CategoryRequirements').implement({
  authScopes: { public: true },
  fields: (t) => ({
    category: t.expose('category', { type: NeedCategoryEnum, authScopes: { public: true } }),
    identityCheck: t.exposeBoolean('identityCheck', { authScopes: { public: true } }),
    backgroundCheck: t.exposeBoolean('backgroundCheck', { authScopes: { public: true } }),
    trainings: t.exposeStringList('trainings', { authScopes: { public: true } }),
  }),
});

type TrainingRecord = VolunteerVetting['trainings'][number] & { now: Date };
const TrainingRecordRef = builder.objectRef<TrainingRecord>('TrainingRecord').implement({
  authScopes: { public: true },
  fields: (t) => ({
    key: t.exposeString('key', { authScopes: { public: true } }),
    completedAt: t.expose('completedAt', { type: 'DateTime', authScopes: { public: true } }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    valid: t.boolean({ authScopes: { public: true }, resolve: (r) => stillValid(r.expiresAt, r.now) }),
  }),
});

const CategoryLackRef = builder.objectRef<CategoryLack>('CategoryLack').implement({
  authScopes: { public: true },
  fields: (t) => ({
    category: t.expose('category', { type: NeedCategoryEnum, authScopes: { public: true } }),
    missing: t.field({ type: [MissingRef], authScopes: { public: true }, resolve: (l) => l.missing }),
  }),
});

// The types below are reached only through fields that decide who may (Community.vettingRecords and
// vettingEvents: its coordinators; Membership.vetting: the member and they; recordVetting): their own
// scope is public so that the one rule is the field's, as the domain functions behind them check again.
const VolunteerVettingRef = builder.objectRef<VolunteerVetting>('VolunteerVetting').implement({
  description: "A member's vetting in one community: for the member and the community's coordinators.",
  authScopes: { public: true },
  fields: (t) => ({
    volunteer: t.prismaField({
      type: 'User',
      authScopes: { public: true },
      resolve: (query, v, _a, ctx) => ctx.services.prisma.user.findUniqueOrThrow({ ...query, where: { id: v.userId } }),
    }),
    volunteerName: t.exposeString('volunteerName', { authScopes: { public: true } }),
    community: t.prismaField({
      type: 'Community',
      authScopes: { public: true },
      resolve: (query, v, _a, ctx) => ctx.services.prisma.community.findUniqueOrThrow({ ...query, where: { id: v.communityId } }),
    }),
    identityCheckedAt: t.expose('identityCheckedAt', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    identityCheckedBy: t.exposeString('identityCheckedBy', { nullable: true, authScopes: { public: true }, description: 'The coordinator who checked it.' }),
    backgroundCheckedAt: t.expose('backgroundCheckedAt', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    backgroundExpiresAt: t.expose('backgroundExpiresAt', { type: 'DateTime', nullable: true, authScopes: { public: true } }),
    backgroundValid: t.boolean({
      authScopes: { public: true },
      resolve: (v, _a, ctx) => !!v.backgroundCheckedAt && stillValid(v.backgroundExpiresAt, ctx.services.clock.now()),
    }),
    trainings: t.field({
      type: [TrainingRecordRef],
      authScopes: { public: true },
      resolve: (v, _a, ctx) => v.trainings.map((r) => ({ ...r, now: ctx.services.clock.now() })),
    }),
    lacks: t.field({
      type: [CategoryLackRef],
      authScopes: { public: true },
      description: 'For each category whose needs ask for vetting in this community: what is missing (only categories where something is).',
      resolve: (v) => v.lacks,
    }),
  }),
});

const VettingEventRef = builder
  .objectRef<Awaited<ReturnType<typeof vettingEvents>>[number]>('VettingEvent')
  .implement({
    description: 'One change of vetting, kept for good (the table refuses updates and deletes).',
    authScopes: { public: true },
    fields: (t) => ({
      id: t.exposeID('id', { authScopes: { public: true } }),
      at: t.expose('at', { type: 'DateTime', authScopes: { public: true } }),
      change: t.expose('change', { type: VettingChangeEnum, authScopes: { public: true } }),
      actorName: t.exposeString('actorName', { authScopes: { public: true } }),
      volunteerName: t.exposeString('volunteerName', { nullable: true, authScopes: { public: true } }),
      detail: t.string({ authScopes: { public: true }, description: 'What changed, as JSON (dates, training, category).', resolve: (e) => JSON.stringify(e.detail) }),
    }),
  });

builder.prismaObjectFields('Community', (t) => ({
  trainings: t.field({
    type: [TrainingRef],
    authScopes: { public: true },
    args: { includeRetired: t.arg.boolean({ defaultValue: false }) },
    resolve: (c, args, ctx) => communityTrainings(ctx.services.prisma, c.id, args.includeRetired ?? false),
  }),
  categoryRequirements: t.field({
    type: [CategoryRequirementsRef],
    authScopes: { public: true },
    description: 'What a new need of each category asks here, unless intake says otherwise.',
    resolve: (c, _a, ctx) => communityRequirements(ctx.services.prisma, c.id),
  }),
}));

// Root fields rather than Community's, so the community's records are not one more thing every
// need (and every live event about one) can reach: only its coordinators ask for them.
builder.queryFields((t) => ({
  vettingRecords: t.field({
    type: [VolunteerVettingRef],
    authScopes: { anyCoordinator: true },
    description: "Every member's vetting in a community, by name: for its coordinators.",
    args: { communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }) },
    resolve: (_r, args, ctx) => communityVetting(ctx.services, ctx.viewer!, args.communityId.id),
  }),
  vettingEvents: t.field({
    type: [VettingEventRef],
    authScopes: { anyCoordinator: true },
    description: "The audit of a community's vetting changes, newest first: for its coordinators.",
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      volunteerId: t.arg.globalID({ for: UserRef, validate: uuidId }),
      first: t.arg.int({ defaultValue: 50, validate: z.number().int().min(1).max(500) }),
    },
    resolve: (_r, args, ctx) => vettingEvents(ctx.services, ctx.viewer!, args.communityId.id, args.volunteerId?.id ?? null, args.first ?? 50),
  }),
}));

builder.prismaObjectFields('Membership', (t) => ({
  vetting: t.field({
    type: VolunteerVettingRef,
    description: 'The member\'s vetting in the community and what they lack: for the member and its coordinators.',
    authScopes: (m, _a, ctx) => m.userId === ctx.viewer?.id || { coordinatorOf: m.communityId },
    resolve: (m, _a, ctx) => memberVetting(ctx.services, ctx.viewer!, m.userId, m.communityId),
  }),
}));

const BackgroundCheckInput = builder.inputType('BackgroundCheckInput', {
  fields: (t) => ({
    checkedAt: t.field({ type: 'DateTime', required: true }),
    expiresAt: t.field({ type: 'DateTime', required: true }),
  }),
});

const TrainingCompletionInput = builder.inputType('TrainingCompletionInput', {
  fields: (t) => ({
    key: t.string({ required: true, validate: trainingKey }),
    completedAt: t.field({ type: 'DateTime', required: true }),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
});

const RecordVettingInput = builder.inputType('RecordVettingInput', {
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: CommunityRef, validate: uuidId }),
    volunteerId: t.globalID({ required: true, for: UserRef, validate: uuidId }),
    identityChecked: t.boolean({ description: 'true: checked now, by you; false: withdrawn.' }),
    backgroundCheck: t.field({ type: BackgroundCheckInput }),
    clearBackgroundCheck: t.boolean(),
    trainings: t.field({ type: [TrainingCompletionInput], validate: z.array(z.unknown()).max(20) }),
    clearTrainings: t.stringList({ validate: z.array(trainingKey).max(20) }),
  }),
});

builder.mutationFields((t) => ({
  recordVetting: t.field({
    type: VolunteerVettingRef,
    authScopes: { anyCoordinator: true },
    description:
      "A coordinator of the community (or an admin) records a member's identity check, background check or trainings; each change is audited (Community.vettingEvents). Nobody records their own.",
    args: { input: t.arg({ type: RecordVettingInput, required: true }) },
    resolve: (_r, { input }, ctx) => recordVetting(ctx.services, ctx.viewer!, { ...input, communityId: input.communityId.id, volunteerId: input.volunteerId.id }),
  }),
  addTraining: t.field({
    type: TrainingRef,
    authScopes: { anyCoordinator: true },
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      name: t.arg.string({ required: true, validate: z.string().trim().min(1, 'Name the training.').max(80) }),
      key: t.arg.string({ validate: trainingKey, description: 'From the name when absent.' }),
    },
    resolve: (_r, args, ctx) => addTraining(ctx.services, ctx.viewer!, args.communityId.id, args.name, args.key),
  }),
  setTrainingRetired: t.field({
    type: TrainingRef,
    authScopes: { anyCoordinator: true },
    description: 'A retired training is no longer offered for requirements or records; records already made stay.',
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      key: t.arg.string({ required: true, validate: trainingKey }),
      retired: t.arg.boolean({ required: true }),
    },
    resolve: (_r, args, ctx) => setTrainingRetired(ctx.services, ctx.viewer!, args.communityId.id, args.key, args.retired),
  }),
  setCategoryRequirements: t.field({
    type: CategoryRequirementsRef,
    authScopes: { anyCoordinator: true },
    description: 'What new needs of a category ask in the community from now on (needs already made keep theirs).',
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      category: t.arg({ type: NeedCategoryEnum, required: true }),
      requirements: t.arg({ type: NeedRequirementsInput, required: true }),
    },
    resolve: (_r, args, ctx) => setCategoryRequirements(ctx.services, ctx.viewer!, args.communityId.id, args.category, args.requirements),
  }),
}));
