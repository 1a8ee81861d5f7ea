// Need.viewerCan: what the viewer may do with a need, by the rules in domain/permissions.ts, so that
// clients show an action when the API would take it instead of restating the rules.
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from './builder.ts';
import { readsNeed } from './needs.ts';
import { needPermissions, permissionDescriptions, type NeedPermission, type NeedPermissions, type ViewerClaim } from '../domain/permissions.ts';
import type { Context } from '../context.ts';

const NeedPermissionsRef = builder.objectRef<NeedPermissions>('NeedPermissions').implement({
  description:
    'What the viewer may do with the need now, by the rules its mutations apply: show an action when it is true. The mutation still decides, under the need\'s lock (the last place may go a moment earlier).',
  authScopes: { public: true },
  fields: (t) =>
    Object.fromEntries(
      Object.entries(permissionDescriptions).map(([name, description]) => [name, t.exposeBoolean(name as NeedPermission, { description, authScopes: { public: true } })]),
    ),
});

type LiveClaims = { viewerId: string; root: unknown; claims: Promise<ReadonlyMap<string, ViewerClaim>> };
const loaded = new WeakMap<Context, LiveClaims>();

/**
 * The viewer's live claims by need: one query per request, however many needs ask. A subscription's
 * context lasts as long as it does, so there the claims are read again for each event (each event is
 * executed with its own root value).
 */
function viewerLiveClaims(ctx: Context, info: GraphQLResolveInfo): Promise<ReadonlyMap<string, ViewerClaim>> {
  const viewer = ctx.viewer;
  if (!viewer) return Promise.resolve(new Map());
  const cached = loaded.get(ctx);
  if (cached?.viewerId === viewer.id && cached.root === info.rootValue) return cached.claims;
  const claims = ctx.services.prisma
    .claim.findMany({ where: { volunteerId: viewer.id, status: { in: ['ACTIVE', 'STARTED'] } }, select: { needId: true, status: true } })
    .then((rows) => new Map(rows.map((r) => [r.needId, { status: r.status }])));
  loaded.set(ctx, { viewerId: viewer.id, root: info.rootValue, claims });
  return claims;
}

builder.prismaObjectFields('Need', (t) => ({
  viewerCan: t.field({
    type: NeedPermissionsRef,
    authScopes: { public: true },
    description: 'What the viewer may do with this need now.',
    extensions: readsNeed('id', 'communityId', 'status', 'slots', 'activeClaims', 'mergedIntoId'),
    resolve: async (need, _args, ctx, info) => needPermissions(ctx.viewer, need, ctx.viewer ? ((await viewerLiveClaims(ctx, info)).get(need.id) ?? null) : null),
  }),
}));
