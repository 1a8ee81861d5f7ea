// Needs: intake, edits, cancel and reopen. Each runs in one transaction with its event;
// listeners are told only after the commit.
import { randomUUID } from 'node:crypto';
import { prisma } from '../db/client.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import { appendEvent, type Tx } from '../events/outbox.ts';
import { announceCommitted } from '../events/stream.ts';
import type { NeedCategory, Urgency } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { clock } from './clock.ts';
import { publicLocation } from './geo.ts';
import { flagDuplicates } from './duplicates.ts';
import { AfterCommit, notificationRules, notify } from './notifications.ts';
import { refreshSeriesBoard } from './recurrence.ts';
import { assertNeedAction, statusFromClaims } from './needStatus.ts';

export type NeedInput = {
  title: string;
  description?: string | null;
  category: NeedCategory;
  urgency: Urgency;
  slots?: number | null;
  neededFrom?: Date | null;
  neededBy?: Date | null;
  lat: number;
  lng: number;
  address: string;
  requesterName: string;
  requesterPhone?: string | null;
  requesterEmail?: string | null;
  communityId: string;
};

/** Locks the need's row for the rest of the transaction; the basis of every race-free rule. */
export async function lockNeed(tx: Tx, needId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Need" WHERE id = ${needId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound('Need');
  return tx.need.findUniqueOrThrow({ where: { id: needId } });
}

/** Records a need and its CREATED event, flags likely duplicates and alerts volunteers to critical ones. */
export async function createNeedInTx(
  tx: Tx,
  viewer: Viewer,
  input: NeedInput,
  extra: { seriesId?: string; occurrenceAt?: Date; onBoard?: boolean; after?: AfterCommit } = {},
) {
  const id = randomUUID();
  const at = clock.now();
  const pub = publicLocation(id, input);
  const need = await tx.need.create({
    data: {
      id,
      title: input.title,
      description: input.description ?? '',
      category: input.category,
      urgency: input.urgency,
      slots: input.slots ?? 1,
      neededFrom: input.neededFrom ?? null,
      neededBy: input.neededBy ?? null,
      lat: input.lat,
      lng: input.lng,
      address: input.address,
      publicLat: pub.lat,
      publicLng: pub.lng,
      requesterName: input.requesterName,
      requesterPhone: input.requesterPhone ?? null,
      requesterEmail: input.requesterEmail?.trim().toLowerCase() || null,
      communityId: input.communityId,
      createdById: viewer.id,
      createdAt: at,
      seriesId: extra.seriesId ?? null,
      occurrenceAt: extra.occurrenceAt ?? null,
      onBoard: extra.onBoard ?? true,
    },
  });
  const duplicates = await flagDuplicates(tx, need);
  await appendEvent(tx, {
    needId: id,
    communityId: need.communityId,
    type: 'CREATED',
    fromStatus: null,
    toStatus: 'OPEN',
    actorId: viewer.id,
    at,
    payload: { category: need.category, urgency: need.urgency, duplicates },
  });
  if (need.urgency === 'CRITICAL' && extra.after) {
    const volunteers = await tx.membership.findMany({
      where: { communityId: need.communityId, role: 'VOLUNTEER', userId: { not: viewer.id } },
      select: { userId: true },
      take: notificationRules.maxRecipients,
    });
    await notify(tx, extra.after, volunteers.map((m) => m.userId), 'NEW_CRITICAL_NEED', need, `Critical: ${need.title}`, 'A critical need was just posted in your community. Open the board to help.');
  }
  return need;
}

export async function createNeed(viewer: Viewer, input: NeedInput) {
  if (!isCoordinatorOf(viewer, input.communityId)) throw forbidden('create needs in this community');
  const after = new AfterCommit();
  const need = await prisma().$transaction((tx) => createNeedInTx(tx, viewer, input, { after }));
  announceCommitted();
  after.run();
  return need;
}

export type NeedPatch = Partial<Omit<NeedInput, 'communityId'>>;

export async function updateNeed(viewer: Viewer, needId: string, patch: NeedPatch) {
  const result = await prisma().$transaction(async (tx) => {
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
    const pub = moved ? publicLocation(need.id, { lat, lng }) : { lat: need.publicLat, lng: need.publicLng };
    const started = await tx.claim.count({ where: { needId, status: 'STARTED' } });
    const status = statusFromClaims({ active: need.activeClaims, started, slots });
    const at = clock.now();
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
        requesterName: patch.requesterName ?? undefined,
        requesterPhone: patch.requesterPhone === undefined ? undefined : patch.requesterPhone,
        requesterEmail: patch.requesterEmail === undefined ? undefined : patch.requesterEmail?.trim().toLowerCase() || null,
        publicLat: pub.lat,
        publicLng: pub.lng,
        status,
      },
    });
    const changed = Object.keys(patch).filter((k) => patch[k as keyof NeedPatch] !== undefined);
    await appendEvent(tx, {
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
    if (need.seriesId) await refreshSeriesBoard(tx, need.seriesId, at, viewer.id);
    return updated;
  });
  announceCommitted();
  return result;
}

export async function cancelNeed(viewer: Viewer, needId: string, reason: string | null) {
  const result = await prisma().$transaction(async (tx) => {
    const need = await lockNeed(tx, needId);
    if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('cancel this need');
    assertNeedAction('cancel', need.status);
    const at = clock.now();
    await tx.claim.updateMany({
      where: { needId, status: { in: ['ACTIVE', 'STARTED'] } },
      data: { status: 'RELEASED', releasedAt: at, releaseReason: 'Need cancelled' },
    });
    const updated = await tx.need.update({ where: { id: needId }, data: { status: 'CANCELLED', activeClaims: 0 } });
    await appendEvent(tx, {
      needId,
      communityId: need.communityId,
      type: 'CANCELLED',
      fromStatus: need.status,
      toStatus: 'CANCELLED',
      actorId: viewer.id,
      at,
      payload: { reason },
    });
    if (need.seriesId) await refreshSeriesBoard(tx, need.seriesId, at, viewer.id);
    return updated;
  });
  announceCommitted();
  return result;
}

export async function reopenNeed(viewer: Viewer, needId: string) {
  const result = await prisma().$transaction(async (tx) => {
    const need = await lockNeed(tx, needId);
    if (!isCoordinatorOf(viewer, need.communityId)) throw forbidden('reopen this need');
    assertNeedAction('reopen', need.status);
    if (need.mergedIntoId) throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This need was merged into another; reopen that one instead.', { currentStatus: need.status });
    const updated = await tx.need.update({
      where: { id: needId },
      data: { status: 'OPEN', activeClaims: 0, doneAt: null },
    });
    await appendEvent(tx, {
      needId,
      communityId: need.communityId,
      type: 'REOPENED',
      fromStatus: need.status,
      toStatus: 'OPEN',
      actorId: viewer.id,
      at: clock.now(),
    });
    if (need.seriesId) await refreshSeriesBoard(tx, need.seriesId, clock.now(), viewer.id);
    return updated;
  });
  announceCommitted();
  return result;
}
