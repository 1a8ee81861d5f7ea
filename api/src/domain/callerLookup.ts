// Intake on a call: what the operator sees while the caller is still on the line. As soon as the
// caller's number is a valid one, their open and recent needs in the communities the operator
// coordinates; while the need is typed, the needs it likely repeats (scored as the duplicate
// queue scores them, duplicates.ts); and a call about a need already recorded attached to it as
// a note instead of becoming a second need.
//
// Why a note and not a slot: a second call about the same need is the same request asked again,
// not a request for one more volunteer (a slot would send a second volunteer to the same
// errand). The need's history already carries people's words privately: an event's reason is
// read only by the community's coordinators and whoever acted (privacy.ts, canSeeEventReason),
// so the caller's words reach the coordinators and never the board.
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { forbidden } from '../errors.ts';
import type { NeedCategory } from '../generated/prisma/enums.ts';
import { takesIntakeFor, type Viewer } from '../auth/viewer.ts';
import { LIVE_STATUSES } from '../shared/boardFilter.ts';
import { validPhone } from '../shared/phone.ts';
import { likelyDuplicates, needsWithContact } from './duplicates.ts';
import { lockNeed } from './locks.ts';
import { assertNeedAction } from './needStatus.ts';
import { scopeCommunities } from './privacy.ts';
import type { Selection } from './selection.ts';

export const CALLER_RULES = {
  /** A caller's needs of any status this recent are shown, and open ones of any age. */
  recentDays: 90,
  shown: 20,
  duplicatesShown: 10,
};

/**
 * The caller's open needs and recent ones (newest first) in the communities asked for (as
 * `scopeCommunities` allows them: only communities the viewer takes needs in for), by the number's
 * key; nothing until the number is a valid one.
 */
export async function callerNeeds(s: Services, viewer: Viewer, phone: string, requested: string[] | undefined, query: Selection = {}) {
  const ids = await scopeCommunities(s, viewer, requested, 'intake');
  const matching = validPhone(phone) ? await needsWithContact(s.prisma, ids, { phone, email: null }, new Date(0)) : [];
  const recent = new Date(s.clock.now().getTime() - CALLER_RULES.recentDays * 24 * 3_600_000);
  return s.prisma.need.findMany({
    ...query,
    where: { id: { in: matching }, OR: [{ status: { in: [...LIVE_STATUSES] } }, { createdAt: { gte: recent } }] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: CALLER_RULES.shown,
  });
}

/** A need as the operator is typing it: any field may still be empty. */
export type NeedDraft = {
  communityId: string;
  title?: string | null;
  description?: string | null;
  category?: NeedCategory | null;
  lat?: number | null;
  lng?: number | null;
  requesterPhone?: string | null;
  requesterEmail?: string | null;
};

/**
 * The still-open needs of the draft's community that the draft likely repeats, most likely
 * first, one per recurring series. Only a coordinator of that community may ask: the answer
 * depends on its needs' private contact and exact place.
 */
export async function possibleDuplicates(s: Services, viewer: Viewer, draft: NeedDraft) {
  if (!takesIntakeFor(viewer, draft.communityId)) throw forbidden('check for duplicates in this community');
  const found = await likelyDuplicates(s.prisma, {
    id: null,
    communityId: draft.communityId,
    seriesId: null,
    title: draft.title ?? '',
    description: draft.description ?? '',
    category: draft.category ?? null,
    lat: draft.lat ?? null,
    lng: draft.lng ?? null,
    requesterPhone: draft.requesterPhone ?? null,
    requesterEmail: draft.requesterEmail ?? null,
    createdAt: s.clock.now(),
  });
  const series = new Set<string>();
  return found
    .filter(({ need }) => (LIVE_STATUSES as readonly string[]).includes(need.status) && !need.mergedIntoId)
    .filter(({ need }) => !need.seriesId || (!series.has(need.seriesId) && !!series.add(need.seriesId)))
    .slice(0, CALLER_RULES.duplicatesShown)
    .map(({ need, score }) => ({ need, score: score.score, reasons: score.reasons }));
}

/** Another call about a need still being met: the caller's words as a note in its history (a CALL_ATTACHED event). */
export async function attachCall(s: Services, viewer: Viewer, needId: string, note: string) {
  return commit(s, async (tx, w) => {
    const need = await lockNeed(tx, needId);
    if (!takesIntakeFor(viewer, need.communityId)) throw forbidden('add a call to this need');
    assertNeedAction('attachCall', need.status);
    await w.event({
      needId,
      communityId: need.communityId,
      type: 'CALL_ATTACHED',
      fromStatus: need.status,
      toStatus: need.status,
      actorId: viewer.id,
      at: s.clock.now(),
      payload: { reason: note },
    });
    return need;
  });
}
