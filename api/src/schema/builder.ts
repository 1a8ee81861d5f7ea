// Pothos builder configuration only: plugins, scalars, scopes, and the empty root types.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ValidationPlugin from '@pothos/plugin-validation';
import SyncNodeIdsPlugin from './syncNodeIds.ts';
// Scope-auth, without running the checks of `{ public: true }`, which cannot fail (publicScopes.ts).
import PublicScopeAuthPlugin from './publicScopes.ts';
import { DateTimeResolver } from 'graphql-scalars';
import { AppError, ErrorCode } from '../errors.ts';
import { processSettings } from '../config.ts';
import type { Context } from '../context.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import { isAnyCoordinator, isCoordinatorOf, isMemberOf, takesAnyIntake, takesIntakeFor } from '../auth/viewer.ts';
import { partneredCommunityIds } from '../domain/partnerships.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: { DateTime: { Input: Date; Output: Date } };
  AuthScopes: {
    /** Anyone, signed in or not: stated explicitly so that no field is unscoped by accident. */
    public: boolean;
    signedIn: boolean;
    admin: boolean;
    /** Coordinator of the given community (or admin). */
    coordinatorOf: string;
    /** Member, any role, of the given community (or admin). */
    memberOf: string;
    /** Coordinator of at least one community (or admin). */
    anyCoordinator: boolean;
    /**
     * Reads figures (dashboard, indicators): a coordinator of any community (or admin), or an account
     * on the abroad side of a partnership's joint team (domain/partnerships.ts, `partneredCommunityIds`).
     */
    figures: boolean;
    /** Takes needs in for the given community: its coordinators, its hotline operators, admins (auth/roles.ts). */
    intakeFor: string;
    /** Takes needs in for at least one community: a coordinator, a hotline operator, or admin. */
    anyIntake: boolean;
  };
  DefaultFieldNullability: false;
}>({
  plugins: [PublicScopeAuthPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin, SyncNodeIdsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // Loaders, not values: read when first needed, so a sign-in earlier in the same
    // mutation is seen by the fields of its payload.
    authScopes: (ctx) => ({
      public: true,
      signedIn: () => !!ctx.viewer,
      admin: () => !!ctx.viewer?.isAdmin,
      coordinatorOf: (communityId) => isCoordinatorOf(ctx.viewer, communityId),
      memberOf: (communityId) => isMemberOf(ctx.viewer, communityId),
      anyCoordinator: () => isAnyCoordinator(ctx.viewer),
      figures: async () => isAnyCoordinator(ctx.viewer) || (!!ctx.viewer && !ctx.viewer.apiKey && (await partneredCommunityIds(ctx.services, ctx.viewer)).length > 0),
      intakeFor: (communityId) => takesIntakeFor(ctx.viewer, communityId),
      anyIntake: () => takesAnyIntake(ctx.viewer),
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer
        ? new AppError(ErrorCode.FORBIDDEN, 'You are not allowed to see or do this.')
        : new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to see or do this.'),
  },
  validation: {
    validationError: (result) => {
      const issues = result.issues.map((i) => ({
        field: (i.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'),
        message: i.message,
      }));
      return new AppError(ErrorCode.BAD_USER_INPUT, issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '), {
        issues,
      });
    },
  },
  prisma: {
    client: (ctx) => ctx.services.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: processSettings.warnUnusedQueries ? 'warn' : null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { authScopes: { public: true } },
    nodesQueryOptions: { authScopes: { public: true } },
    nodeTypeOptions: {},
    pageInfoTypeOptions: {},
  },
});

builder.addScalarType('DateTime', DateTimeResolver);

builder.queryType({ authScopes: { public: true } });
builder.mutationType({ authScopes: { public: true } });
builder.subscriptionType({ authScopes: { public: true } });
