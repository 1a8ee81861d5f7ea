// Need.viewerCan: what the viewer may do with a need, by the rules in domain/permissions.ts, so that
// clients show an action when the API would take it instead of restating the rules.
import { builder } from './builder.ts';
import { readsNeed } from './needs.ts';
import { viewerMissing } from './vetting.ts';
import { needPermissions, permissionDescriptions, type NeedPermission, type NeedPermissions } from '../domain/permissions.ts';
import { operatorWindowStart } from '../domain/privacy.ts';

const NeedPermissionsRef = builder.objectRef<NeedPermissions>('NeedPermissions').implement({
  description:
    'What the viewer may do with the need now, by the rules its mutations apply: show an action when it is true. The mutation still decides, under the need\'s lock (the last place may go a moment earlier).',
  authScopes: { public: true },
  fields: (t) =>
    Object.fromEntries(
      Object.entries(permissionDescriptions).map(([name, description]) => [name, t.exposeBoolean(name as NeedPermission, { description, authScopes: { public: true } })]),
    ),
});

builder.prismaObjectFields('Need', (t) => ({
  viewerCan: t.field({
    type: NeedPermissionsRef,
    authScopes: { public: true },
    description: 'What the viewer may do with this need now.',
    extensions: readsNeed('id', 'communityId', 'status', 'slots', 'activeClaims', 'mergedIntoId', 'createdById', 'createdAt', 'requiresIdentityCheck', 'requiresBackgroundCheck', 'requiredTrainings'),
    // The viewer's claims and vetting: one query each per request (and per subscription event), shared with privateDetails and viewerLacks.
    resolve: async (need, _args, ctx) =>
      needPermissions(ctx.viewer, need, ctx.viewer ? ((await ctx.liveClaims()).get(need.id) ?? null) : null, await viewerMissing(need, ctx), operatorWindowStart(ctx.services)),
  }),
}));
