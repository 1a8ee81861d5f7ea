// The need record itself: its fields, and its insertion with the CREATED event, duplicate
// flags and critical alerts. Used by intake, recurring series and SMS drafts alike.
import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../events/unitOfWork.ts';
import type { NeedCategory, Urgency } from '../generated/prisma/enums.ts';
import type { Viewer } from '../auth/viewer.ts';
import { publicLocation } from './geo.ts';
import { flagDuplicates } from './duplicates.ts';
import { notify } from './notifications.ts';

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

/** Records a need and its CREATED event, flags likely duplicates and alerts volunteers to critical ones. */
export async function insertNeed(
  w: UnitOfWork,
  viewer: Viewer,
  input: NeedInput,
  extra: { seriesId?: string; occurrenceAt?: Date; onBoard?: boolean; alertVolunteers?: boolean } = {},
) {
  const { tx, s } = w;
  const id = randomUUID();
  const at = s.clock.now();
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
  await w.event({
    needId: id,
    communityId: need.communityId,
    type: 'CREATED',
    fromStatus: null,
    toStatus: 'OPEN',
    actorId: viewer.id,
    at,
    payload: { category: need.category, urgency: need.urgency, duplicates },
  });
  if (need.urgency === 'CRITICAL' && (extra.alertVolunteers ?? true)) {
    const volunteers = await tx.membership.findMany({
      where: { communityId: need.communityId, role: 'VOLUNTEER', userId: { not: viewer.id } },
      select: { userId: true },
      take: s.rules.notifications.maxRecipients,
    });
    await notify(w, volunteers.map((m) => m.userId), 'NEW_CRITICAL_NEED', need, `Critical: ${need.title}`, 'A critical need was just posted in your community. Open the board to help.');
  }
  return need;
}

