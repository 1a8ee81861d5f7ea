// Claims: claim, release, start, complete, extend; coordinator assign, unassign, verify.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId, uuidIds } from './ids.ts';
import {
  assignNeed,
  claimNeed,
  completeClaim,
  extendClaim,
  releaseClaim,
  startClaim,
  unassignClaim,
  verifyCompletion,
} from '../domain/claims.ts';
import { viewerCanSeeClaim } from '../domain/privacy.ts';
import { ClaimStatusEnum } from './enums.ts';
import { NeedRef } from './needs.ts';
import { UserRef } from './users.ts';
import type { Claim } from '../generated/prisma/client.ts';
import { liveClaim } from '../domain/needStatus.ts';

export const ClaimRef = builder.prismaNode('Claim', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (claim, ctx) => viewerCanSeeClaim(ctx.services, ctx.viewer, claim),
  fields: (t) => ({
    status: t.expose('status', { type: ClaimStatusEnum, authScopes: { signedIn: true } }),
    claimedAt: t.expose('claimedAt', { type: 'DateTime', authScopes: { signedIn: true } }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    secondsLeft: t.int({
      nullable: true,
      authScopes: { signedIn: true },
      description: 'Time left before an unstarted claim expires and its slot reopens.',
      resolve: (c, _args, ctx) =>
        c.status === 'ACTIVE' && c.expiresAt ? Math.max(0, Math.round((c.expiresAt.getTime() - ctx.services.clock.now().getTime()) / 1000)) : null,
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    releasedAt: t.expose('releasedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    releaseReason: t.exposeString('releaseReason', { nullable: true, authScopes: { signedIn: true } }),
    note: t.exposeString('note', { nullable: true, authScopes: { signedIn: true } }),
    verifiedAt: t.expose('verifiedAt', { type: 'DateTime', nullable: true, authScopes: { signedIn: true } }),
    need: t.relation('need', { authScopes: { signedIn: true } }),
    volunteer: t.relation('volunteer', { authScopes: { signedIn: true } }),
  }),
});

builder.queryField('myClaims', (t) =>
  t.prismaField({
    type: ['Claim'],
    authScopes: { signedIn: true },
    description: "The viewer's claims, live ones first.",
    args: { live: t.arg.boolean({ defaultValue: true, description: 'Only ACTIVE and STARTED claims.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.services.prisma.claim.findMany({
        ...query,
        where: { volunteerId: ctx.viewer!.id, ...(args.live ? { status: liveClaim } : {}) },
        orderBy: [{ claimedAt: 'desc' }, { id: 'desc' }],
        take: 200,
      }),
  }),
);

const ClaimPayload = builder.objectRef<{ claim: Claim }>('ClaimPayload').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({
    claim: t.field({ type: ClaimRef, authScopes: { signedIn: true }, resolve: (p) => p.claim }),
  }),
});

const reason = z.string().trim().max(500, 'At most 500 characters.');

builder.mutationFields((t) => ({
  claimNeed: t.field({
    type: ClaimPayload,
    authScopes: { signedIn: true },
    description: 'Take one slot of a need. Fails with CLAIM_CONFLICT when every slot is taken.',
    args: { needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }) },
    resolve: async (_r, { needId }, ctx) => ({ claim: await claimNeed(ctx.services, ctx.viewer!, needId.id) }),
  }),
  assignNeed: t.field({
    type: ClaimPayload,
    authScopes: { anyCoordinator: true },
    args: {
      needId: t.arg.globalID({ required: true, for: NeedRef, validate: uuidId }),
      volunteerId: t.arg.globalID({ required: true, for: UserRef, validate: uuidId }),
    },
    resolve: async (_r, args, ctx) => ({ claim: await assignNeed(ctx.services, ctx.viewer!, args.needId.id, args.volunteerId.id) }),
  }),
  releaseClaim: t.field({
    type: ClaimPayload,
    authScopes: { signedIn: true },
    args: { claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }), reason: t.arg.string({ validate: reason }) },
    resolve: async (_r, args, ctx) => ({ claim: await releaseClaim(ctx.services, ctx.viewer!, args.claimId.id, args.reason ?? null) }),
  }),
  unassignClaim: t.field({
    type: ClaimPayload,
    authScopes: { anyCoordinator: true },
    args: { claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }), reason: t.arg.string({ validate: reason }) },
    resolve: async (_r, args, ctx) => ({ claim: await unassignClaim(ctx.services, ctx.viewer!, args.claimId.id, args.reason ?? null) }),
  }),
  startClaim: t.field({
    type: ClaimPayload,
    authScopes: { signedIn: true },
    args: { claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }) },
    resolve: async (_r, args, ctx) => ({ claim: await startClaim(ctx.services, ctx.viewer!, args.claimId.id) }),
  }),
  completeClaim: t.field({
    type: ClaimPayload,
    authScopes: { signedIn: true },
    args: {
      claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }),
      note: t.arg.string({ validate: z.string().trim().max(2_000, 'At most 2000 characters.') }),
    },
    resolve: async (_r, args, ctx) => ({ claim: await completeClaim(ctx.services, ctx.viewer!, args.claimId.id, args.note ?? null) }),
  }),
  extendClaim: t.field({
    type: ClaimPayload,
    authScopes: { signedIn: true },
    args: { claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }) },
    resolve: async (_r, args, ctx) => ({ claim: await extendClaim(ctx.services, ctx.viewer!, args.claimId.id) }),
  }),
  verifyCompletion: t.field({
    type: ClaimPayload,
    authScopes: { anyCoordinator: true },
    args: { claimId: t.arg.globalID({ required: true, for: ClaimRef, validate: uuidId }) },
    resolve: async (_r, args, ctx) => ({ claim: await verifyCompletion(ctx.services, ctx.viewer!, args.claimId.id) }),
  }),
}));
