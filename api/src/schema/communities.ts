// Communities and memberships.
import { sameForEveryViewer } from '../events/sharedExecution.ts';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { z } from 'zod';
import { badInput } from '../errors.ts';
import { setMembershipRole } from '../domain/accounts.ts';
import { setCentreCoverage } from '../domain/centres.ts';
import { ALIAS_LIMITS, cleanAliases, setCommunityAliases } from '../domain/communityNames.ts';
import { coordinatedCommunityIds, intakeCommunityIds } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { CommunityKindEnum, MembershipRoleEnum } from './enums.ts';
import { UserRef } from './users.ts';

export const CommunityRef = builder.prismaNode('Community', {
  id: { field: 'id', extensions: sameForEveryViewer },
  nullable: true,
  authScopes: { public: true },
  fields: (t) => ({
    slug: t.exposeString('slug', { authScopes: { public: true } }),
    name: t.exposeString('name', { authScopes: { public: true } }),
    kind: t.expose('kind', { type: CommunityKindEnum, authScopes: { public: true } }),
    area: t.exposeString('area', { authScopes: { public: true } }),
    country: t.exposeString('country', { authScopes: { public: true } }),
    centerLat: t.exposeFloat('centerLat', { authScopes: { public: true } }),
    centerLng: t.exposeFloat('centerLng', { authScopes: { public: true } }),
    aliases: t.exposeStringList('aliases', { authScopes: { public: true }, description: "Other names of the community's place (Hebrew, Arabic, Russian, a short form): the offline geocoder finds it by each." }),
    viewerRole: t.field({
      type: MembershipRoleEnum,
      nullable: true,
      authScopes: { public: true },
      description: "The viewer's role in this community, if any.",
      resolve: (c, _a, ctx) => ctx.viewer?.roles.get(c.id) ?? null,
    }),
    covers: t.prismaField({
      type: ['Community'],
      authScopes: { public: true },
      description: 'An operations centre: the communities it covers (its coordinators coordinate them, its hotline operators take their calls). Empty for any other community.',
      resolve: (query, c, _a, ctx) =>
        ctx.services.prisma.community.findMany({ ...query, where: { coveredBy: { some: { centreId: c.id } } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    }),
    coveredBy: t.prismaField({
      type: ['Community'],
      authScopes: { public: true },
      description: 'The operations centres that cover this community.',
      resolve: (query, c, _a, ctx) =>
        ctx.services.prisma.community.findMany({ ...query, where: { covers: { some: { communityId: c.id } } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    }),
    members: t.relatedConnection('memberships', {
      cursor: 'userId_communityId',
      description: 'The ACTIVE members (applicants: `applications`).',
      query: { where: { status: 'ACTIVE' } },
      authScopes: (c) => ({ coordinatorOf: c.id }),
    }),
  }),
});

export const MembershipRef = builder.prismaObject('Membership', {
  authScopes: { signedIn: true },
  fields: (t) => ({
    role: t.expose('role', { type: MembershipRoleEnum, authScopes: { signedIn: true } }),
    since: t.expose('createdAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    user: t.relation('user', { authScopes: { signedIn: true } }),
    community: t.relation('community', { authScopes: { signedIn: true } }),
  }),
});

builder.queryField('communities', (t) =>
  t.prismaField({
    type: ['Community'],
    authScopes: { public: true },
    resolve: (query, _parent, _args, ctx) => ctx.services.prisma.community.findMany({ ...query, orderBy: [{ area: 'asc' }, { name: 'asc' }, { id: 'asc' }] }),
  }),
);

const aliasesRule = z
  .array(z.string().trim().min(1, 'A name cannot be blank.').max(ALIAS_LIMITS.length, `At most ${ALIAS_LIMITS.length} characters a name.`))
  .max(ALIAS_LIMITS.count, `At most ${ALIAS_LIMITS.count} names.`);

const CreateCommunityInput = builder.inputType('CreateCommunityInput', {
  fields: (t) => ({
    slug: t.string({ required: true, validate: z.string().regex(/^[a-z0-9-]{2,60}$/, 'Use 2–60 lowercase letters, digits and dashes.') }),
    name: t.string({ required: true, validate: z.string().trim().min(1).max(120) }),
    kind: t.field({ type: CommunityKindEnum, required: true }),
    area: t.string({ required: true, validate: z.string().trim().min(1).max(100) }),
    country: t.string({ validate: z.string().regex(/^[A-Z]{2}$/, 'Use a two-letter country code.') }),
    centerLat: t.float({ required: true, validate: z.number().min(-90).max(90) }),
    centerLng: t.float({ required: true, validate: z.number().min(-180).max(180) }),
    aliases: t.stringList({ description: "Other names of the community's place, as people write them.", validate: aliasesRule }),
    smsNumber: t.string({ description: 'Texts to this number become intake drafts for this community.', validate: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'Enter a valid phone number.') }),
  }),
});

builder.mutationField('createCommunity', (t) =>
  t.prismaField({
    type: 'Community',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateCommunityInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const taken = await ctx.services.prisma.community.findUnique({ where: { slug: input.slug }, select: { id: true } });
      if (taken) throw badInput('A community with this slug already exists.', 'slug');
      return ctx.services.prisma.community.create({ ...query, data: { ...input, country: input.country ?? 'IL', aliases: cleanAliases(input.aliases ?? []) } });
    },
  }),
);

builder.mutationField('setCommunityAliases', (t) =>
  t.prismaField({
    type: 'Community',
    authScopes: { anyCoordinator: true },
    description: "Sets the other names of the community's place (its coordinators and admins); the offline geocoder finds it by each.",
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      names: t.arg.stringList({ required: true, validate: aliasesRule, description: 'Every other name, replacing those it had.' }),
    },
    resolve: (query, _root, args, ctx) => setCommunityAliases(ctx.services, ctx.viewer!, args.communityId.id, args.names, query),
  }),
);

builder.mutationField('setMembershipRole', (t) =>
  t.prismaField({
    type: 'Membership',
    authScopes: { anyCoordinator: true },
    description:
      "Admins give any role in any community: they alone grant and remove COORDINATOR. A community's coordinators manage its VOLUNTEER memberships only: they add a user as a volunteer (a volunteer stays one); granting COORDINATOR, or changing a coordinator's role, is FORBIDDEN to them and changes nothing.",
    args: {
      communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      userId: t.arg.globalID({ required: true, for: UserRef, validate: uuidId }),
      role: t.arg({ type: MembershipRoleEnum, required: true }),
    },
    resolve: (query, _root, args, ctx) =>
      setMembershipRole(ctx.services, ctx.viewer!, { communityId: args.communityId.id, userId: args.userId.id, role: args.role }, query),
  }),
);

builder.mutationField('setCentreCoverage', (t) =>
  t.prismaField({
    type: 'Community',
    authScopes: { admin: true },
    description:
      "Admins: the communities an operations centre covers (replacing the list). Its coordinators then coordinate each of them, and its HOTLINE_OPERATORs take their calls and texts in.",
    args: {
      centreId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }),
      communityIds: t.arg.globalIDList({ required: true, for: CommunityRef, validate: uuidIds(200) }),
    },
    resolve: (query, _root, args, ctx) => setCentreCoverage(ctx.services, ctx.viewer!, args.centreId.id, args.communityIds.map((c) => c.id), query),
  }),
);

/** Only the user themself, signed in (not an API key): what their own roles give them. */
const isSelf = (u: { id: string }, ctx: Context) => !!ctx.viewer && !ctx.viewer.apiKey && ctx.viewer.id === u.id;

/** The viewer's communities by what they may do there, from auth/roles.ts (an admin's by their roles too: admins reach every community anyway). */
const communitiesOf = (ctx: Context, ids: (v: NonNullable<Context['viewer']>) => string[], query: object) =>
  ctx.services.prisma.community.findMany({ ...query, where: { id: { in: ids(ctx.viewer!) } }, orderBy: [{ area: 'asc' }, { name: 'asc' }, { id: 'asc' }] });

builder.prismaObjectFields('User', (t) => ({
  coordinatedCommunities: t.prismaField({
    type: ['Community'],
    // Nullable: asked about someone else (an admin reading a user), it is refused alone, not the whole user.
    nullable: true,
    authScopes: (u, _a, ctx) => isSelf(u, ctx),
    description: "Yourself only (null for anyone else): the communities you coordinate, directly or through an operations centre that covers them. An admin's are those they hold the role in; admins coordinate every community anyway.",
    resolve: (query, _u, _a, ctx) => communitiesOf(ctx, coordinatedCommunityIds, query),
  }),
  intakeCommunities: t.prismaField({
    type: ['Community'],
    nullable: true,
    authScopes: (u, _a, ctx) => isSelf(u, ctx),
    description: "Yourself only (null for anyone else): the communities whose needs you take in (calls, texts): those you coordinate and those whose operations centre's hotline you answer.",
    resolve: (query, _u, _a, ctx) => communitiesOf(ctx, intakeCommunityIds, query),
  }),
}));
