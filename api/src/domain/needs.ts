// Needs: intake, edits, cancel and reopen. Each runs in one unit of work with its event.
import type { Services } from '../services.ts';
import type { Need } from '../generated/prisma/client.ts';
import { commit } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden } from '../errors.ts';
import { isCoordinatorOf, takesIntakeFor, type Viewer } from '../auth/viewer.ts';
import { lockNeed } from './locks.ts';
import { destinationColumns, insertNeed, publicPointFor, type NeedInput, type RemoteNeedInput } from './needRecords.ts';
import { refreshSeriesBoard } from './recurrence.ts';
import { assertNeedAction, statusFromClaims, liveClaim } from './needStatus.ts';
import { requirementColumns } from './vetting.ts';
import { assertKnownTrainings, requirementsFor } from './vettingRecords.ts';

export async function createNeed(s: Services, viewer: Viewer, input: NeedInput | RemoteNeedInput) {
  if (!takesIntakeFor(viewer, input.communityId)) throw forbidden('create needs in this community');
  return commit(s, (_tx, w) => insertNeed(w, viewer, input));
}

export type NeedPatch = Partial<Omit<NeedInput, 'communityId'>>;

export async function updateNeed(s: Services, viewer: Viewer, needId: string, patch: NeedPatch) {
  return commit(s, async (tx, w) => {
    const need = await lockNeed(tx, needId);
    if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('edit this need');
    assertNeedAction('update', need.status);
    const slots = patch.slots ?? need.slots;
    if (slots < need.activeClaims) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, `This need already has ${need.activeClaims} volunteers; slots cannot be fewer.`, { field: 'slots' });
    }
    const neededFrom = patch.neededFrom === undefined ? need.neededFrom : patch.neededFrom;
    const neededBy = patch.neededBy === undefined ? need.neededBy : patch.neededBy;
    if (neededFrom && neededBy && neededBy < neededFrom) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'The window must end after it starts.', { field: 'neededBy' });
    }
    const lat = patch.lat ?? need.lat;
    const lng = patch.lng ?? need.lng;
    const moved = lat !== need.lat || lng !== need.lng;
    const current = { lat: need.publicLat, lng: need.publicLng };
    // A move within the offset keeps the public point; a farther one takes the new place's.
    const pub = moved ? await publicPointFor(tx, need.communityId, { lat, lng }, current) : current;
    // New requirements bind the next claim; a category changed without them takes the community's for it.
    if (patch.requirements) await assertKnownTrainings(tx, need.communityId, patch.requirements);
    const requirements =
      patch.requirements ?? (patch.category && patch.category !== need.category ? await requirementsFor(tx, need.communityId, patch.category) : null);
    const destination = await changedDestination(tx, need, patch);
    const started = await tx.claim.count({ where: { needId, status: 'STARTED' } });
    const status = statusFromClaims({ active: need.activeClaims, started, slots });
    const at = s.clock.now();
    const updated = await tx.need.update({
      where: { id: needId },
      data: {
        title: patch.title ?? undefined,
        description: patch.description ?? undefined,
        category: patch.category ?? undefined,
        urgency: patch.urgency ?? undefined,
        slots,
        neededFrom,
        neededBy,
        lat,
        lng,
        address: patch.address ?? undefined,
        // A remote need given a place is a need at that place from now on.
        remote: patch.lat !== undefined && patch.lng !== undefined ? false : undefined,
        requesterName: patch.requesterName ?? undefined,
        requesterPhone: patch.requesterPhone === undefined ? undefined : patch.requesterPhone,
        requesterEmail: patch.requesterEmail === undefined ? undefined : patch.requesterEmail?.trim().toLowerCase() || null,
        contactConsent: patch.contactConsent ?? undefined,
        requesterLocale: patch.requesterLocale ?? undefined,
        people: patch.people === undefined ? undefined : patch.people,
        ...destination,
        needsStepFree: patch.needsStepFree ?? undefined,
        publicLat: pub.lat,
        publicLng: pub.lng,
        status,
        ...(requirements ? requirementColumns(requirements) : {}),
      },
    });
    const changed = Object.keys(patch).filter((k) => patch[k as keyof NeedPatch] !== undefined);
    await w.event({
      needId,
      communityId: need.communityId,
      type: 'UPDATED',
      fromStatus: need.status,
      toStatus: status,
      actorId: viewer.id,
      at,
      // Names of the changed fields only: never private values in the event stream.
      payload: { fields: changed.join(',') },
    });
    if (need.seriesId) await refreshSeriesBoard(w, need.seriesId, at, viewer.id);
    return updated;
  });
}

export async function cancelNeed(s: Services, viewer: Viewer, needId: string, reason: string | null) {
  return commit(s, async (tx, w) => {
    const need = await lockNeed(tx, needId);
    if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('cancel this need');
    assertNeedAction('cancel', need.status);
    const at = s.clock.now();
    await tx.claim.updateMany({
      where: { needId, status: liveClaim },
      data: { status: 'RELEASED', releasedAt: at, releaseReason: 'Need cancelled' },
    });
    const updated = await tx.need.update({ where: { id: needId }, data: { status: 'CANCELLED', activeClaims: 0 } });
    await w.event({
      needId,
      communityId: need.communityId,
      type: 'CANCELLED',
      fromStatus: need.status,
      toStatus: 'CANCELLED',
      actorId: viewer.id,
      at,
      payload: { reason },
    });
    if (need.seriesId) await refreshSeriesBoard(w, need.seriesId, at, viewer.id);
    return updated;
  });
}

export async function reopenNeed(s: Services, viewer: Viewer, needId: string) {
  return commit(s, async (tx, w) => {
    const need = await lockNeed(tx, needId);
    if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('reopen this need');
    assertNeedAction('reopen', need.status);
    if (need.mergedIntoId) throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This need was merged into another; reopen that one instead.', { currentStatus: need.status });
    const updated = await tx.need.update({
      where: { id: needId },
      data: { status: 'OPEN', activeClaims: 0, doneAt: null },
    });
    await w.event({
      needId,
      communityId: need.communityId,
      type: 'REOPENED',
      fromStatus: need.status,
      toStatus: 'OPEN',
      actorId: viewer.id,
      at: s.clock.now(),
    });
    if (need.seriesId) await refreshSeriesBoard(w, need.seriesId, s.clock.now(), viewer.id);
    return updated;
  });
}

/** A TRANSPORT need's destination as the patch changes it: set (its public point kept while it fits), cleared (null), or as it was (absent). */
async function changedDestination(tx: Parameters<typeof destinationColumns>[0], need: Need, patch: NeedPatch) {
  if (patch.destination === undefined) return {};
  if (patch.destination === null) {
    return { destinationLat: null, destinationLng: null, destinationAddress: null, destinationPublicLat: null, destinationPublicLng: null };
  }
  if ((patch.category ?? need.category) !== 'TRANSPORT') throw new AppError(ErrorCode.BAD_USER_INPUT, 'Only a TRANSPORT need has a destination.', { field: 'destination' });
  const current = need.destinationPublicLat != null && need.destinationPublicLng != null ? { lat: need.destinationPublicLat, lng: need.destinationPublicLng } : undefined;
  return destinationColumns(tx, need.communityId, patch.destination, current);
}
