// Retention: a requester's contact and exact place are kept only while they serve the task.
// RETENTION_DAYS after a need closed (done or cancelled) the worker erases them; an admin can
// erase a requester's data at once on request. What stays is the public record (title,
// category, urgency, status, times, the public point) and so every count and indicator.
//
// Erased: the requester's name, phone, e-mail and address text; the exact point (it becomes
// the public point, which everyone saw anyway); the SMS draft that became the need (the
// texter's number and words); and people's words that may hold contact details ("call her
// daughter on 050…"): the reasons in the need's event payloads, claims' release reasons and
// completion notes, handover notes. Kept: who read the private details and when
// (PrivateAccessLog, DraftAccessLog hold no values), the events themselves (the outbox is
// append-only; only their free-text reasons are blanked). A request also deletes the requester's
// household records (recorded with their consent, which the request withdraws); retention keeps
// them, as consented records that the indicators of returning households read. Each erasure is
// a need event, PRIVATE_DATA_ERASED with the reason RETENTION or REQUEST, published through `commit`.
// An offer's exact place, address and contact go the same way RETENTION_DAYS after it expired.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { badInput, forbidden } from '../errors.ts';
import type { Need } from '../generated/prisma/client.ts';
import type { NeedStatus } from '../generated/prisma/enums.ts';
import type { Viewer } from '../auth/viewer.ts';
import { lockNeed } from './locks.ts';
import { phoneKey, phoneTail } from './duplicates.ts';
import { mayEraseRequesterData } from './privacy.ts';
import { validPhone } from '../shared/phone.ts';

export type Erasure = 'RETENTION' | 'REQUEST';

const CLOSED: readonly NeedStatus[] = ['DONE', 'CANCELLED'];
const DAY_MS = 86_400_000;
/** Needs erased per transaction; a round of the job takes at most ROUNDS of them. */
const BATCH = 100;
const ROUNDS = 10;

/** Needs that closed at or before this moment are due for erasure. */
export const retentionCutoff = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/** Whether a need, closed at `closedAt` (null: never), is due for erasure at `now`. */
export function dueForErasure(need: Pick<Need, 'status' | 'privateErasedAt'>, closedAt: Date | null, now: Date, days: number): boolean {
  return !need.privateErasedAt && CLOSED.includes(need.status) && !!closedAt && closedAt <= retentionCutoff(now, days);
}

/** A need's columns after erasure: no requester, no address, the exact point on the public one. */
export function erasedNeedColumns(need: Pick<Need, 'publicLat' | 'publicLng'> & Partial<Pick<Need, 'destinationPublicLat' | 'destinationPublicLng'>>, at: Date) {
  // A destination goes the same way: its exact point on its public one, no address.
  const destination =
    need.destinationPublicLat != null && need.destinationPublicLng != null
      ? { destinationAddress: '', destinationLat: need.destinationPublicLat, destinationLng: need.destinationPublicLng }
      : {};
  return {
    ...destination,
    requesterName: '',
    requesterPhone: null,
    requesterEmail: null,
    address: '',
    lat: need.publicLat,
    lng: need.publicLng,
    privateErasedAt: at,
  };
}

/**
 * Erases one need's requester data under its row lock, with its event. False when there was
 * nothing to do: already erased, or (for RETENTION) no longer closed — reopened meanwhile.
 */
async function eraseNeed(w: UnitOfWork, needId: string, erasure: Erasure, actorId: string | null): Promise<boolean> {
  const { tx, s } = w;
  const need = await lockNeed(tx, needId);
  if (need.privateErasedAt) return false;
  if (erasure === 'RETENTION' && !CLOSED.includes(need.status)) return false;
  const at = s.clock.now();
  await tx.need.update({ where: { id: needId }, data: erasedNeedColumns(need, at) });
  await tx.claim.updateMany({ where: { needId }, data: { releaseReason: null, note: null } });
  await tx.handoverRequest.updateMany({ where: { needId }, data: { note: null } });
  const drafts = await tx.intakeDraft.findMany({ where: { needId }, select: { communityId: true } });
  if (drafts.length) {
    await tx.intakeDraft.updateMany({ where: { needId }, data: { fromNumber: '', body: '' } });
    for (const d of drafts) w.draftsChanged(d.communityId);
  }
  await tx.$executeRaw`
    UPDATE "NeedEvent" SET payload = payload || '{"reason": null}'::jsonb
    WHERE "needId" = ${needId}::uuid AND payload->>'reason' IS NOT NULL`;
  await w.event({
    needId,
    communityId: need.communityId,
    type: 'PRIVATE_DATA_ERASED',
    fromStatus: need.status,
    toStatus: need.status,
    actorId,
    at,
    payload: { reason: erasure },
  });
  return true;
}

/**
 * The worker's job: erases the requester data of needs closed at least RETENTION_DAYS ago
 * (closed: the last event that moved the need into DONE or CANCELLED), in batches, each in one
 * transaction. Idempotent and safe in several processes at once: each need is re-checked under
 * its row lock, and an erased need is marked and never looked at again.
 */
export async function eraseExpiredPrivateData(s: Services): Promise<number> {
  let erased = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const cutoff = retentionCutoff(s.clock.now(), s.rules.retention.days);
    const due = await s.prisma.$queryRaw<{ id: string }[]>`
      SELECT n.id FROM "Need" n
      WHERE n.status IN ('DONE', 'CANCELLED') AND n."privateErasedAt" IS NULL
        AND (SELECT max(e.at) FROM "NeedEvent" e
             WHERE e."needId" = n.id AND e."toStatus" = n.status AND e."fromStatus" IS DISTINCT FROM e."toStatus") <= ${cutoff}
      ORDER BY n.id
      LIMIT ${BATCH}`;
    if (due.length === 0) break;
    erased += await commit(s, async (_tx, w) => {
      let n = 0;
      for (const { id } of due) if (await eraseNeed(w, id, 'RETENTION', null)) n++;
      return n;
    });
    if (due.length < BATCH) break;
  }
  return erased;
}

/**
 * The worker's job for offers: RETENTION_DAYS after an offer expired (or was withdrawn, which
 * expires it), its exact place and a ride's exact destination become their public points, and
 * its address and contact phone are erased. One statement; an erased offer is marked and never
 * looked at again. What stays is what was public: kind, title, capacity, times, public points.
 */
export async function eraseExpiredOfferDetails(s: Services): Promise<number> {
  const now = s.clock.now();
  return s.prisma.$executeRaw`
    UPDATE "Offer" SET
      address = '', "contactPhone" = NULL, lat = "publicLat", lng = "publicLng",
      "destinationAddress" = CASE WHEN "destinationAddress" IS NULL THEN NULL ELSE '' END,
      "destinationLat" = "destinationPublicLat", "destinationLng" = "destinationPublicLng",
      "privateErasedAt" = ${now}
    WHERE "privateErasedAt" IS NULL AND "expiresAt" <= ${retentionCutoff(now, s.rules.retention.days)}`;
}

export type ErasureRequest = { needId?: string | null; phone?: string | null; email?: string | null };

/**
 * A data-protection request: an admin erases a requester's data at once, whatever the needs'
 * status — the need named, and every need (in every community) with the requester's phone
 * (compared as the duplicate check does, by its E.164 key) or e-mail, with the SMS
 * drafts sent from that phone that never became a need. A live need stays on the board
 * without its address: its coordinators decide whether it can still be done.
 */
export async function eraseRequesterData(s: Services, viewer: Viewer, request: ErasureRequest): Promise<{ needIds: string[]; drafts: number; households: number }> {
  if (!mayEraseRequesterData(viewer)) throw forbidden("erase a requester's data");
  const key = phoneKey(request.phone);
  const email = request.email?.trim().toLowerCase() || null;
  if (request.phone && !key) throw badInput('That is not a phone number.', 'phone');
  if (!request.needId && !key && !email) throw badInput('Name a need, a phone number or an e-mail address.');
  const tail = key ? phoneTail(key) : null;
  const found = key || email
    ? await s.prisma.$queryRaw<{ id: string; requesterPhone: string | null; requesterEmail: string | null }[]>`
        SELECT id, "requesterPhone", "requesterEmail" FROM "Need"
        WHERE "privateErasedAt" IS NULL
          AND ((${tail}::text IS NOT NULL AND right(regexp_replace(coalesce("requesterPhone", ''), '\\D', '', 'g'), 7) = ${tail})
            OR (${email}::text IS NOT NULL AND lower("requesterEmail") = ${email}))`
    : [];
  // The tail only narrows; the key decides (two numbers can share their last seven digits).
  const matching = found.filter((r) => (key && phoneKey(r.requesterPhone) === key) || (email && r.requesterEmail?.trim().toLowerCase() === email));
  const ids = [...new Set([...(request.needId ? [request.needId] : []), ...matching.map((r) => r.id)])];
  return commit(s, async (tx, w) => {
    const needIds: string[] = [];
    for (const id of ids) if (await eraseNeed(w, id, 'REQUEST', viewer.id)) needIds.push(id);
    let drafts = 0;
    if (key) {
      const sent = await tx.$queryRaw<{ id: string; fromNumber: string }[]>`
        SELECT id, "fromNumber" FROM "IntakeDraft"
        WHERE "fromNumber" <> '' AND right(regexp_replace("fromNumber", '\\D', '', 'g'), 7) = ${tail}`;
      const draftIds = sent.filter((d) => phoneKey(d.fromNumber) === key).map((d) => d.id);
      const rows = draftIds.length
        ? await tx.intakeDraft.updateManyAndReturn({ where: { id: { in: draftIds } }, data: { fromNumber: '', body: '' }, select: { id: true, communityId: true } })
        : [];
      for (const d of rows) w.draftsChanged(d.communityId);
      drafts = rows.length;
    }
    // Their household records too (domain/households.ts), in every community: those of the needs
    // named and those of the phone. Their needs stay, unlinked (the foreign key sets it null).
    const householdKey = validPhone(request.phone);
    const households = await tx.household.deleteMany({
      where: { OR: [{ needs: { some: { id: { in: ids } } } }, ...(householdKey ? [{ phoneKey: householdKey }] : [])] },
    });
    return { needIds, drafts, households: households.count };
  });
}
