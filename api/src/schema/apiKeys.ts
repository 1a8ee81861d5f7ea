// API keys for partner systems (domain/apiKeys.ts): create (the token shown once), list, revoke.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import { CommunityRef } from './communities.ts';
import { apiKeysWhere, createApiKey, mayManageApiKey, revokeApiKey } from '../domain/apiKeys.ts';

const manager = { signedIn: true } as const;

const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (k, ctx) => mayManageApiKey(ctx.viewer, k),
  fields: (t) => ({
    name: t.exposeString('name', { authScopes: manager }),
    hint: t.exposeString('hint', { authScopes: manager, description: 'The first characters of the token (mab_…), to tell keys apart.' }),
    createdBy: t.relation('createdBy', { authScopes: manager }),
    communities: t.prismaField({
      type: ['Community'],
      authScopes: manager,
      description: 'What the key may reach: within these, what its creator may, as they are now.',
      resolve: (query, k, _args, ctx) => ctx.services.prisma.community.findMany({ ...query, where: { id: { in: k.communityIds } }, orderBy: { name: 'asc' } }),
    }),
    readOnly: t.boolean({ authScopes: manager, description: 'No mutation is allowed.', resolve: (k) => k.allowedMutations.length === 0 }),
    allowedMutations: t.exposeStringList('allowedMutations', { authScopes: manager, description: 'The mutations the key may run; empty: read-only.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', authScopes: manager }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, authScopes: manager, description: 'To the minute.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, authScopes: manager }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, authScopes: manager }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ apiKey: { id: string }; token: string }>('CreateApiKeyPayload').implement({
  authScopes: manager,
  fields: (t) => ({
    apiKey: t.prismaField({
      type: 'ApiKey',
      authScopes: manager,
      resolve: (query, p, _args, ctx) => ctx.services.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: p.apiKey.id } }),
    }),
    token: t.exposeString('token', { authScopes: manager, description: 'Shown this once; only its hash is kept. Send it as `Authorization: Bearer <token>` or as graphql-ws `connectionParams.authToken`.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().trim().min(1, 'Name the key.').max(100) }),
    communityIds: t.globalIDList({ for: CommunityRef, required: true, validate: uuidIds(50) }),
    allowedMutations: t.stringList({ description: 'Mutations the key may run (their names); omit or empty for a read-only key.', validate: z.array(z.string().max(64)).max(50) }),
    expiresAt: t.field({ type: 'DateTime', description: 'Omit for a key that does not expire.' }),
  }),
});

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    authScopes: { anyCoordinator: true },
    description: 'A key for a partner system, for communities you coordinate (admins: any). Its token is in the answer, and only there.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createApiKey(ctx.services, ctx.viewer!, {
        name: input.name,
        communityIds: input.communityIds.map((c) => c.id),
        allowedMutations: input.allowedMutations ?? [],
        expiresAt: input.expiresAt ?? null,
      }),
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    authScopes: { signedIn: true },
    description: 'Its creator, admins and coordinators of its communities: the key is refused from now on, its open sockets closed at their next event.',
    args: { id: t.arg.globalID({ for: ApiKeyRef, required: true, validate: uuidId }) },
    resolve: (_root, args, ctx) => revokeApiKey(ctx.services, ctx.viewer!, args.id.id),
  }),
}));

builder.queryField('apiKeys', (t) =>
  t.prismaField({
    type: ['ApiKey'],
    authScopes: { signedIn: true },
    description: 'The keys you created, and those of the communities you coordinate (admins: all), newest first.',
    resolve: (query, _root, _args, ctx) => ctx.services.prisma.apiKey.findMany({ ...query, where: apiKeysWhere(ctx.viewer!), orderBy: { createdAt: 'desc' } }),
  }),
);
