// Groups: a leader signs a named group up for several slots of a need in one claim, and may shrink it.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { NeedRef } from './needs.ts';
import { UserRef } from './users.ts';
import { claimNeedAsGroup, reduceGroup } from '../domain/groups.ts';
import { isCoordinatorOf } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import type { VolunteerGroup } from '../generated/prisma/client.ts';

/** The leader, and the coordinators of the need's community. */
async function mayManageGroup(g: Pick<VolunteerGroup, 'leaderId' | 'needId'>, ctx: Context): Promise<boolean> {
  if (!ctx.viewer) return false;
  if (g.leaderId === ctx.viewer.id) return true;
  const need = await ctx.services.prisma.need.findUnique({ where: { id: g.needId }, select: { communityId: true } });
  return !!need && isCoordinatorOf(ctx.viewer, need.communityId);
}

export const VolunteerGroupRef = builder.prismaNode('VolunteerGroup', {
  id: { field: 'id' },
  nullable: true,
  description: 'A named group that took several slots of a need in one claim: its leader and the coordinators of the community see it.',
  authScopes: (g, ctx) => mayManageGroup(g, ctx),
  fields: (t) => ({
    name: t.exposeString('name', { authScopes: { signedIn: true } }),
    size: t.exposeInt('size', { authScopes: { signedIn: true }, description: 'How many come: the slots the group holds.' }),
    languages: t.exposeStringList('languages', { authScopes: { signedIn: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    need: t.relation('need', { authScopes: { signedIn: true } }),
    leader: t.relation('leader', { authScopes: { signedIn: true } }),
    claim: t.relation('claim', { authScopes: { signedIn: true } }),
    members: t.relation('members', { authScopes: { signedIn: true }, description: 'Who comes, as the leader named them.' }),
  }),
});

builder.prismaObject('VolunteerGroupMember', {
  authScopes: { signedIn: true },
  fields: (t) => ({
    name: t.exposeString('name', { authScopes: { signedIn: true } }),
    user: t.relation('user', { nullable: true, authScopes: { signedIn: true }, description: 'The member’s account, when they were named by it.' }),
  }),
});

builder.prismaObjectFields('Claim', (t) => ({
  places: t.exposeInt('places', { authScopes: { signedIn: true }, description: 'Slots of the need this claim holds: 1, or a group’s size.' }),
  group: t.relation('group', { nullable: true, authScopes: { signedIn: true }, description: 'The group whose claim this is (its leader holds it).' }),
}));

builder.queryField('myGroups', (t) =>
  t.prismaField({
    type: ['VolunteerGroup'],
    authScopes: { signedIn: true },
    description: 'The groups the viewer leads, newest first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.services.prisma.volunteerGroup.findMany({ ...query, where: { leaderId: ctx.viewer!.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 100 }),
  }),
);

const name = z.string().trim().min(1, 'Enter a name.').max(120, 'At most 120 characters.');

const GroupMemberInput = builder.inputType('GroupMemberInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: name }),
    userId: t.globalID({ for: UserRef, validate: uuidId, description: 'Their account, if they have one (required for each member when the need asks for vetting).' }),
  }),
});

const ClaimNeedAsGroupInput = builder.inputType('ClaimNeedAsGroupInput', {
  fields: (t) => ({
    needId: t.globalID({ required: true, for: NeedRef, validate: uuidId }),
    name: t.string({ required: true, validate: name }),
    size: t.int({ required: true, validate: z.number().int().min(2, 'A group has at least 2 people.').max(500, 'At most 500 people.'), description: 'How many come, the leader included: the slots taken.' }),
    languages: t.stringList({ validate: z.array(z.string().trim().min(2).max(35)).max(20, 'At most 20 languages.') }),
    members: t.field({ type: [GroupMemberInput], validate: z.array(z.unknown()).max(500, 'At most 500 members.') }),
  }),
});

const GroupPayload = builder.objectRef<{ group: VolunteerGroup }>('GroupPayload').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({ group: t.field({ type: VolunteerGroupRef, authScopes: { signedIn: true }, resolve: (p) => p.group }) }),
});

builder.mutationFields((t) => ({
  claimNeedAsGroup: t.field({
    type: GroupPayload,
    authScopes: { signedIn: true },
    description: 'Take `size` slots of a need for a named group, in one claim held by the leader (the viewer). CLAIM_CONFLICT when fewer slots are open.',
    args: { input: t.arg({ type: ClaimNeedAsGroupInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({
      group: await claimNeedAsGroup(ctx.services, ctx.viewer!, {
        needId: String(input.needId.id),
        name: input.name,
        size: input.size,
        languages: input.languages ?? [],
        members: (input.members ?? []).map((m) => ({ name: m.name, userId: m.userId ? String(m.userId.id) : null })),
      }),
    }),
  }),
  reduceGroup: t.field({
    type: GroupPayload,
    authScopes: { signedIn: true },
    description: 'Make a group smaller (its leader or a coordinator): the slots it gives up open for others.',
    args: {
      groupId: t.arg.globalID({ required: true, for: VolunteerGroupRef, validate: uuidId }),
      size: t.arg.int({ required: true, validate: z.number().int().min(1, 'A group keeps at least 1 place.').max(500) }),
    },
    resolve: async (_r, args, ctx) => ({ group: await reduceGroup(ctx.services, ctx.viewer!, String(args.groupId.id), args.size) }),
  }),
}));
