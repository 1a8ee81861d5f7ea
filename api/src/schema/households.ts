// Households: the requesters' households, recorded with consent, private to those who take the
// community's needs in (domain/households.ts); the need's link to its household.
import { z } from 'zod';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { phoneRule } from '../domain/needRules.ts';
import { badInput } from '../errors.ts';
import { canSeeHousehold } from '../domain/privacy.ts';
import { createHousehold, deleteHousehold, householdsOf, linkNeedToHousehold, updateHousehold, type HouseholdFields } from '../domain/households.ts';
import { CommunityRef } from './communities.ts';
import { NeedRef, readsNeed } from './needs.ts';

export const BeneficiaryGroupEnum = builder.enumType('BeneficiaryGroup', {
  values: ['EVACUEES', 'RESERVISTS_FAMILIES', 'HOSTAGES_FAMILIES', 'ELDERLY', 'INJURED', 'OTHER'] as const,
});

const intake = { anyIntake: true } as const;

export const HouseholdRef = builder.prismaNode('Household', {
  id: { field: 'id' },
  nullable: true,
  description: "A requester's household, recorded with their consent. Only those who take the community's needs in (its coordinators, its hotline operators) may see it.",
  authScopes: (h, ctx) => canSeeHousehold(ctx.viewer, h),
  fields: (t) => ({
    community: t.relation('community', { authScopes: intake }),
    name: t.exposeString('name', { authScopes: intake }),
    phone: t.exposeString('phone', { nullable: true, authScopes: intake }),
    languages: t.exposeStringList('languages', { authScopes: intake }),
    accessibilityNeeds: t.exposeString('accessibilityNeeds', { authScopes: intake }),
    size: t.exposeInt('size', { authScopes: intake, description: 'People in the household.' }),
    ages0to5: t.exposeInt('ages0to5', { authScopes: intake }),
    ages6to17: t.exposeInt('ages6to17', { authScopes: intake }),
    ages18to64: t.exposeInt('ages18to64', { authScopes: intake }),
    ages65plus: t.exposeInt('ages65plus', { authScopes: intake }),
    beneficiaryGroups: t.field({ type: [BeneficiaryGroupEnum], authScopes: intake, resolve: (h) => h.groups }),
    homeCommunity: t.relation('homeCommunity', { nullable: true, authScopes: intake, description: 'For evacuees: the community they come from.' }),
    currentLocation: t.exposeString('currentLocation', { nullable: true, authScopes: intake, description: 'For evacuees: where they stay now.' }),
    consentRecordedAt: t.expose('consentAt', { type: 'DateTime', authScopes: intake }),
    consentRecordedBy: t.relation('consentBy', { nullable: true, authScopes: intake }),
    needs: t.relation('needs', { authScopes: intake, query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

builder.prismaObjectField('Need', 'household', (t) =>
  t.relation('household', {
    nullable: true,
    description: "The requester's household: only for those who take the community's needs in; others get FORBIDDEN.",
    authScopes: (n, _args, ctx) => canSeeHousehold(ctx.viewer, n),
    extensions: readsNeed('communityId', 'householdId'),
  }),
);

const count = z.number().int().min(0).max(50);
const householdFields = {
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  languages: z.array(z.string().trim().min(1).max(35)).max(10),
  accessibilityNeeds: z.string().trim().max(1000),
  size: z.number().int().min(1, 'A household has at least one person.').max(50),
  currentLocation: z.string().trim().max(300),
};

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The optional fields of a household's inputs (name and size are required on create only). */
const fieldsOf = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  phone: t.string({ validate: phoneRule, description: "The requester's phone: intake finds the household by it (one household per phone in a community)." }),
  languages: t.stringList({ validate: householdFields.languages }),
  accessibilityNeeds: t.string({ validate: householdFields.accessibilityNeeds }),
  ages0to5: t.int({ validate: count }),
  ages6to17: t.int({ validate: count }),
  ages18to64: t.int({ validate: count }),
  ages65plus: t.int({ validate: count }),
  beneficiaryGroups: t.field({ type: [BeneficiaryGroupEnum] }),
  homeCommunityId: t.globalID({ for: CommunityRef, validate: uuidId }),
  currentLocation: t.string({ validate: householdFields.currentLocation }),
});

const CreateHouseholdInput = builder.inputType('CreateHouseholdInput', {
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: CommunityRef, validate: uuidId }),
    consent: t.boolean({ required: true, description: 'The requester agreed to be recorded. Without it nothing is recorded (BAD_USER_INPUT).' }),
    name: t.string({ required: true, validate: householdFields.name }),
    size: t.int({ required: true, validate: householdFields.size }),
    ...fieldsOf(t),
  }),
});

const UpdateHouseholdInput = builder.inputType('UpdateHouseholdInput', {
  fields: (t) => ({ name: t.string({ validate: householdFields.name }), size: t.int({ validate: householdFields.size }), ...fieldsOf(t) }),
});

/** An input's household fields as the domain takes them: given ones only (null clears a nullable one). */
function householdFieldsOf(input: Record<string, unknown> & { beneficiaryGroups?: HouseholdFields['groups'] | null; homeCommunityId?: { id: string } | null }): Partial<HouseholdFields> {
  const { beneficiaryGroups, homeCommunityId, ...rest } = input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
  if (beneficiaryGroups !== undefined) out.groups = beneficiaryGroups ?? [];
  if (homeCommunityId !== undefined) out.homeCommunityId = homeCommunityId?.id ?? null;
  for (const k of ['languages'] as const) if (out[k] === null) out[k] = [];
  for (const k of ['accessibilityNeeds'] as const) if (out[k] === null) out[k] = '';
  for (const k of ['ages0to5', 'ages6to17', 'ages18to64', 'ages65plus'] as const) if (out[k] === null) out[k] = 0;
  return out as Partial<HouseholdFields>;
}

builder.queryField('households', (t) =>
  t.prismaField({
    type: ['Household'],
    authScopes: intake,
    description: 'The households of the communities the viewer takes needs in for (those asked for), by name; only the one of `phone` when it is given.',
    args: {
      communityIds: t.arg.globalIDList({ for: CommunityRef, validate: uuidIds(100) }),
      phone: t.arg.string({ validate: z.string().max(64) }),
    },
    resolve: (query, _root, a, ctx) => householdsOf(ctx.services, ctx.viewer!, a.communityIds?.map((c) => c.id), a.phone, query),
  }),
);

builder.mutationFields((t) => ({
  createHousehold: t.prismaField({
    type: 'Household',
    authScopes: intake,
    description: "Records a requester's household with their consent (when and by whom is kept).",
    args: { input: t.arg({ type: CreateHouseholdInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => {
      const { communityId, consent, name, size, ...rest } = input;
      return createHousehold(ctx.services, ctx.viewer!, { ...householdFieldsOf(rest), name, size, communityId: communityId.id, consent }, query);
    },
  }),
  updateHousehold: t.prismaField({
    type: 'Household',
    authScopes: intake,
    args: { id: t.arg.globalID({ required: true, for: HouseholdRef, validate: uuidId }), input: t.arg({ type: UpdateHouseholdInput, required: true }) },
    resolve: (query, _root, { id, input }, ctx) => {
      const patch = householdFieldsOf(input);
      if (input.name === null) throw badInput('Enter a name.', 'name');
      if (input.size === null) throw badInput('A household has at least one person.', 'size');
      return updateHousehold(ctx.services, ctx.viewer!, id.id, patch, query);
    },
  }),
  deleteHousehold: t.id({
    authScopes: intake,
    description: 'The requester withdrew their consent: the household is deleted, its needs stay (unlinked). Returns the id.',
    args: { id: t.arg.globalID({ required: true, for: HouseholdRef, validate: uuidId }) },
    resolve: async (_root, { id }, ctx) => {
      await deleteHousehold(ctx.services, ctx.viewer!, id.id);
      return encodeGlobalID('Household', id.id);
    },
  }),
  linkNeedToHousehold: t.field({
    type: NeedRef,
    authScopes: intake,
    description: 'Links a need to a household of its community; without `householdId`, unlinks it.',
    args: {
      needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      householdId: t.arg.globalID({ for: HouseholdRef, validate: uuidId }),
    },
    resolve: (_root, a, ctx) => linkNeedToHousehold(ctx.services, ctx.viewer!, a.needId.id, a.householdId?.id ?? null),
  }),
}));
