// Handover: someone asks to take over a claim another volunteer holds; the holder (or a
// coordinator) accepts or declines; silence past `respondBy` approves. Every step is in
// the need's history.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { HandoverRequest } from '../generated/prisma/client.ts';
import type { NeedEventType } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, isMemberOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { lockNeed } from './locks.ts';
import { notify } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';
import { claimExpiresAt } from './rules.ts';
import { liveClaim } from './needStatus.ts';
import { assertQualified, missingFor } from './vettingRecords.ts';
import { notQualified } from './vetting.ts';

export async function requestHandover(s: Services, viewer: Viewer, claimId: string, note: string | null): Promise<HandoverRequest> {
  return commit(s, async (tx, w) => {
    const found = await tx.claim.findUnique({ where: { id: claimId }, select: { needId: true } });
    if (!found) throw notFound('Claim');
    const need = await lockNeed(tx, found.needId);
    const claim = await tx.claim.findUniqueOrThrow({ where: { id: claimId } });
    if (!isMemberOf(viewer, need.communityId)) throw forbidden('ask to take over needs of a community you have not joined');
    if (claim.volunteerId === viewer.id) throw new AppError(ErrorCode.BAD_USER_INPUT, 'You already hold this claim.', { field: 'claimId' });
    if (claim.status !== 'ACTIVE' && claim.status !== 'STARTED') {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `Cannot hand over a claim that is ${claim.status.toLowerCase()}.`, { currentStatus: claim.status });
    }
    // A group's places go with its leader and the people they named: not to one volunteer.
    if (await tx.volunteerGroup.findUnique({ where: { claimId }, select: { id: true } })) {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'A group’s claim is not handed over: its leader makes the group smaller or releases it.', { currentStatus: claim.status, action: 'handover' });
    }
    await assertQualified(w, need, viewer.id, 'you');
    const pending = await tx.handoverRequest.findFirst({ where: { claimId, status: 'PENDING' }, select: { id: true } });
    if (pending) throw new AppError(ErrorCode.CONFLICT_PENDING, 'A handover of this claim is already waiting for an answer.');
    const at = s.clock.now();
    const request = await tx.handoverRequest.create({
      data: {
        needId: need.id,
        claimId,
        requestedById: viewer.id,
        holderId: claim.volunteerId,
        note,
        createdAt: at,
        respondBy: new Date(at.getTime() + s.rules.handover.autoApproveMinutes * 60_000),
      },
    });
    await w.event({
      needId: need.id, communityId: need.communityId, type: 'HANDOVER_REQUESTED', fromStatus: need.status, toStatus: need.status,
      actorId: viewer.id, claimId, at, payload: { handoverId: request.id },
    });
    await notify(w, [claim.volunteerId], 'HANDOVER_REQUESTED', need, {
      title: text('notify.handover.title', { name: viewer.name, title: need.title }),
      body: text('notify.handover.body', { time: request.respondBy }),
    });
    return request;
  });
}

/** Moves the claim to the requester: the holder's claim ends, the requester's begins. */
async function transfer(w: UnitOfWork, request: HandoverRequest, outcome: 'ACCEPTED' | 'AUTO_APPROVED', actorId: string | null, at: Date) {
  const { tx, s } = w;
  const need = await lockNeed(tx, request.needId);
  const claim = await tx.claim.findUniqueOrThrow({ where: { id: request.claimId } });
  if (claim.status !== 'ACTIVE' && claim.status !== 'STARTED') {
    // The holder finished or let go meanwhile: nothing to hand over.
    await tx.handoverRequest.update({ where: { id: request.id }, data: { status: 'CANCELLED', decidedAt: at } });
    return false;
  }
  const mine = await tx.claim.findFirst({ where: { needId: need.id, volunteerId: request.requestedById, status: liveClaim }, select: { id: true } });
  if (!mine) {
    // The requester must be vetted for the need when the claim becomes theirs (a check may have
    // expired since they asked): an answer is refused; silence lets the request lapse.
    const missing = await missingFor(w, need, request.requestedById);
    if (missing.length && outcome === 'ACCEPTED') throw notQualified(missing, 'volunteer');
    if (missing.length) {
      await tx.handoverRequest.update({ where: { id: request.id }, data: { status: 'CANCELLED', decidedAt: at } });
      return false;
    }
  }
  await tx.claim.update({ where: { id: claim.id }, data: { status: 'RELEASED', releasedAt: at, releaseReason: 'Handed over', expiresAt: null } });
  if (!mine) {
    await tx.claim.create({
      data: {
        needId: need.id,
        volunteerId: request.requestedById,
        claimedAt: at,
        status: claim.status,
        places: claim.places,
        startedAt: claim.status === 'STARTED' ? at : null,
        expiresAt: claim.status === 'ACTIVE' ? claimExpiresAt(s.rules, at) : null,
      },
    });
  }
  await tx.handoverRequest.update({ where: { id: request.id }, data: { status: outcome, decidedAt: at } });
  const live = await tx.claim.aggregate({ where: { needId: need.id, status: liveClaim }, _sum: { places: true } });
  await tx.need.update({ where: { id: need.id }, data: { activeClaims: live._sum.places ?? 0 } });
  const type: NeedEventType = outcome === 'ACCEPTED' ? 'HANDOVER_ACCEPTED' : 'HANDOVER_AUTO_APPROVED';
  await w.event({
    needId: need.id, communityId: need.communityId, type, fromStatus: need.status, toStatus: need.status,
    actorId, claimId: claim.id, at, payload: { handoverId: request.id },
  });
  return true;
}

export async function respondToHandover(s: Services, viewer: Viewer, requestId: string, accept: boolean): Promise<HandoverRequest> {
  return commit(s, async (tx, w) => {
    const found = await tx.handoverRequest.findUnique({ where: { id: requestId } });
    if (!found) throw notFound('Handover request');
    const need = await lockNeed(tx, found.needId);
    const request = await tx.handoverRequest.findUniqueOrThrow({ where: { id: requestId } });
    const mayAnswer = request.holderId === viewer.id || isCoordinatorOf(viewer, need.communityId);
    if (!withinKeyScope(viewer, need.communityId) || !mayAnswer) throw forbidden('answer this handover request');
    if (request.status !== 'PENDING') {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `This handover request is already ${request.status.toLowerCase().replace('_', ' ')}.`, { currentStatus: request.status });
    }
    const at = s.clock.now();
    if (accept) {
      await transfer(w, request, 'ACCEPTED', viewer.id, at);
    } else {
      await tx.handoverRequest.update({ where: { id: requestId }, data: { status: 'DECLINED', decidedAt: at } });
      await w.event({
        needId: need.id, communityId: need.communityId, type: 'HANDOVER_DECLINED', fromStatus: need.status, toStatus: need.status,
        actorId: viewer.id, claimId: request.claimId, at, payload: { handoverId: request.id },
      });
    }
    return tx.handoverRequest.findUniqueOrThrow({ where: { id: requestId } });
  });
}

/** Approves every handover whose holder let the time pass; safe to run from several processes. */
export async function autoApproveHandovers(s: Services, now = s.clock.now()): Promise<number> {
  const due = await s.prisma.handoverRequest.findMany({ where: { status: 'PENDING', respondBy: { lte: now } }, select: { id: true }, take: 500 });
  let approved = 0;
  for (const { id } of due) {
    const did = await commit(s, async (tx, w) => {
      const r = await tx.handoverRequest.findUniqueOrThrow({ where: { id } });
      await lockNeed(tx, r.needId);
      const request = await tx.handoverRequest.findUniqueOrThrow({ where: { id } });
      if (request.status !== 'PENDING' || request.respondBy > now) return false;
      return transfer(w, request, 'AUTO_APPROVED', null, now);
    });
    if (did) approved++;
  }
  return approved;
}
