// Duplicates: when a need comes in, score the needs it may repeat; coordinators merge or
// dismiss, and a dismissed pair is not flagged again.
import { diceCoefficient } from 'dice-coefficient';
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, forbidden, notFound } from '../errors.ts';
import type { Tx } from '../events/outbox.ts';
import type { Need } from '../generated/prisma/client.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { bboxAround, distanceKm } from './geo.ts';
import { lockNeed } from './locks.ts';
import { statusFromClaims, liveClaim } from './needStatus.ts';
import { missingFor } from './vettingRecords.ts';
import { validPhone } from '../shared/phone.ts';

export const DUPLICATE_RULES = {
  /** Same requester contact within this many days. */
  contactWindowDays: 30,
  /** Same category, this close, this recent, and this similar in text. */
  radiusKm: 0.15,
  windowHours: 72,
  minTextSimilarity: 0.45,
};

/**
 * One key per phone number, in E.164 (libphonenumber-js, read as an Israeli number unless it
 * says otherwise): 050-123-4567, +972 50 123 4567 and 0501234567 are one number, and so are the
 * landline 08-661-2345 and +972 8 661 2345. Something that is not a phone number but has seven
 * digits or more keys on its last nine digits.
 */
export function phoneKey(phone: string | null | undefined): string | null {
  const valid = validPhone(phone);
  if (valid) return valid;
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 7 ? digits.slice(-9) : null;
}

/** The last seven digits of a key: the SQL side's coarse filter (the key itself decides). */
export function phoneTail(key: string): string {
  return key.replace(/\D/g, '').slice(-7);
}

/** What scoring reads of a need. */
type Comparable = Pick<Need, 'seriesId' | 'requesterPhone' | 'requesterEmail' | 'createdAt' | 'title' | 'description'> & {
  /** Remote work has no place: never near anything (its point is only its community's centre). */
  remote?: boolean;
  /** Null in a need still being typed at intake (possibleDuplicates): then it is near nothing and of no category. */
  category: Need['category'] | null;
  lat: number | null;
  lng: number | null;
};

function normalizedText(n: Pick<Need, 'title' | 'description'>): string {
  return `${n.title} ${n.description}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export type DuplicateScore = { score: number; reasons: string[] };

/** How likely `b` repeats `a`, or null when not likely. Pure: tests call it directly. */
export function scoreDuplicate(a: Comparable, b: Comparable): DuplicateScore | null {
  // Shifts of one recurring series share their place, words and requester by design.
  if (a.seriesId && a.seriesId === b.seriesId) return null;
  const reasons: string[] = [];
  const samePhone = !!phoneKey(a.requesterPhone) && phoneKey(a.requesterPhone) === phoneKey(b.requesterPhone);
  const sameEmail = !!a.requesterEmail && a.requesterEmail.trim().toLowerCase() === b.requesterEmail?.trim().toLowerCase();
  if (samePhone) reasons.push('SAME_PHONE');
  if (sameEmail) reasons.push('SAME_EMAIL');
  const sameCategory = a.category !== null && a.category === b.category;
  const near = !a.remote && !b.remote && a.lat !== null && a.lng !== null && b.lat !== null && b.lng !== null && distanceKm({ lat: a.lat, lng: a.lng }, { lat: b.lat, lng: b.lng }) <= DUPLICATE_RULES.radiusKm;
  const hours = Math.abs(a.createdAt.getTime() - b.createdAt.getTime()) / 3_600_000;
  const [textA, textB] = [normalizedText(a), normalizedText(b)];
  // Two texts with no letter or digit (a title of only emoji) have nothing to compare: 0, not 0/0.
  const similarity = textA && textB ? diceCoefficient(textA, textB) : 0;
  if (sameCategory) reasons.push('SAME_CATEGORY');
  if (near) reasons.push('NEARBY');
  if (similarity >= DUPLICATE_RULES.minTextSimilarity) reasons.push('SIMILAR_TEXT');
  if (samePhone || sameEmail) {
    // The same person asking twice; a different category may still be a second, real need.
    return { score: Math.round(Math.min(1, 0.7 + (sameCategory ? 0.2 : 0) + similarity * 0.1) * 1000) / 1000, reasons };
  }
  if (sameCategory && near && hours <= DUPLICATE_RULES.windowHours && similarity >= DUPLICATE_RULES.minTextSimilarity) {
    return { score: Math.round((0.4 + 0.6 * similarity) * 1000) / 1000, reasons };
  }
  return null;
}

/** What a duplicate check compares: a need, or a need still being typed at intake. */
export type DuplicateProbe = Comparable & Pick<Need, 'communityId'> & { id: string | null };

/**
 * The needs of the probe's community with the same requester contact (phone by its key, e-mail)
 * within `since`, newest first. The SQL filters coarsely on the phone's last seven digits;
 * the key decides.
 */
export async function needsWithContact(
  db: Tx | Services['prisma'],
  communityIds: string[],
  contact: { phone: string | null; email: string | null },
  since: Date,
  exceptId: string | null = null,
): Promise<string[]> {
  const key = phoneKey(contact.phone);
  const email = contact.email?.trim().toLowerCase() || null;
  if ((!key && !email) || communityIds.length === 0) return [];
  const tail = key ? phoneTail(key) : null;
  const rows = await db.$queryRaw<{ id: string; requesterPhone: string | null; requesterEmail: string | null }[]>`
    SELECT id, "requesterPhone", "requesterEmail" FROM "Need"
    WHERE (${exceptId}::uuid IS NULL OR id <> ${exceptId}::uuid) AND "communityId" = ANY(${communityIds}::uuid[]) AND "mergedIntoId" IS NULL AND "createdAt" >= ${since}
      AND ((${tail}::text IS NOT NULL AND right(regexp_replace(coalesce("requesterPhone", ''), '\\D', '', 'g'), 7) = ${tail})
        OR (${email}::text IS NOT NULL AND lower("requesterEmail") = ${email}))
    ORDER BY "createdAt" DESC, id DESC
    LIMIT 50`;
  return rows.filter((r) => (key !== null && phoneKey(r.requesterPhone) === key) || (email !== null && r.requesterEmail?.trim().toLowerCase() === email)).map((r) => r.id);
}

/**
 * The needs of the probe's own community it likely repeats, scored (`scoreDuplicate`), most
 * likely first: those with the same contact within the contact window, and those of the same
 * category, this near and this recent. Only within the community: see `flagDuplicates`.
 */
export async function likelyDuplicates(db: Tx | Services['prisma'], probe: DuplicateProbe): Promise<{ need: Need; score: DuplicateScore }[]> {
  const since = new Date(probe.createdAt.getTime() - DUPLICATE_RULES.contactWindowDays * 24 * 3_600_000);
  const place = probe.category !== null && probe.lat !== null && probe.lng !== null && !probe.remote ? { category: probe.category, lat: probe.lat, lng: probe.lng } : null;
  const box = place ? bboxAround(place, DUPLICATE_RULES.radiusKm) : null;
  const windowStart = new Date(probe.createdAt.getTime() - DUPLICATE_RULES.windowHours * 3_600_000);
  const contactMatches = await needsWithContact(db, [probe.communityId], { phone: probe.requesterPhone, email: probe.requesterEmail }, since, probe.id);
  const candidates = await db.need.findMany({
    where: {
      ...(probe.id ? { id: { not: probe.id } } : {}),
      communityId: probe.communityId,
      mergedIntoId: null,
      OR: [
        { id: { in: contactMatches } },
        ...(place && box
          ? [{ category: place.category, createdAt: { gte: windowStart }, lat: { gte: box.minLat, lte: box.maxLat }, lng: { gte: box.minLng, lte: box.maxLng } }]
          : []),
      ],
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 100,
  });
  return candidates
    .flatMap((other) => {
      const score = scoreDuplicate(other, probe);
      return score ? [{ need: other, score }] : [];
    })
    .sort((a, b) => b.score.score - a.score.score);
}

/**
 * Records likely duplicates of a new need (inside its creating transaction), compared only
 * with needs of its own community. Across communities the check would be an oracle: a
 * coordinator of B entering a guessed phone, e-mail or position would learn from the pair (or
 * from the count in the CREATED event, createNeed's answer or an import report) that A has a
 * need with that contact or at that exact place. A pair that crosses communities is not
 * wanted now; if it ever is, it must go to the other community's coordinators with public
 * data only, never back to the coordinator who entered the need.
 */
export async function flagDuplicates(tx: Tx, need: Need): Promise<number> {
  const scored = (await likelyDuplicates(tx, need)).map(({ need: other, score: s }) => ({
    needId: need.id,
    otherNeedId: other.id,
    communityId: need.communityId,
    score: s.score,
    reasons: s.reasons,
  }));
  if (scored.length) await tx.duplicateCandidate.createMany({ data: scored, skipDuplicates: true });
  return scored.length;
}

export async function dismissDuplicate(s: Services, viewer: Viewer, candidateId: string) {
  const c = await s.prisma.duplicateCandidate.findUnique({ where: { id: candidateId } });
  if (!c) throw notFound('Duplicate candidate');
  if (!isCoordinatorOf(viewer, c.communityId)) throw forbidden('decide on duplicates in this community');
  const updated = await s.prisma.duplicateCandidate.updateMany({
    where: { id: candidateId, status: 'OPEN' },
    data: { status: 'DISMISSED', decidedAt: s.clock.now(), decidedById: viewer.id },
  });
  if (updated.count === 0) throw new AppError(ErrorCode.ILLEGAL_TRANSITION, `This pair was already ${c.status.toLowerCase()}.`, { currentStatus: c.status });
  return s.prisma.duplicateCandidate.findUniqueOrThrow({ where: { id: candidateId } });
}

/**
 * Merges `duplicateId` into `survivorId`: the duplicate's live claims move to the survivor
 * (slots grow to hold them), the duplicate is closed with a redirect, both get a MERGED
 * event, and both histories stay readable from the survivor.
 */
export async function mergeNeeds(s: Services, viewer: Viewer, survivorId: string, duplicateId: string) {
  if (survivorId === duplicateId) throw new AppError(ErrorCode.BAD_USER_INPUT, 'A need cannot be merged into itself.', { field: 'duplicateId' });
  const result = await commit(s, async (tx, w) => {
    // Lock in a fixed order so that two opposite merges cannot deadlock.
    const [first, second] = [survivorId, duplicateId].sort();
    const locked = new Map([
      [first!, await lockNeed(tx, first!)],
      [second!, await lockNeed(tx, second!)],
    ]);
    const survivor = locked.get(survivorId)!;
    const duplicate = locked.get(duplicateId)!;
    for (const n of [survivor, duplicate]) {
      if (!isCoordinatorOf(viewer, n.communityId)) throw forbidden('merge needs of a community you do not coordinate');
      if (n.mergedIntoId) throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This need was already merged into another.', { currentStatus: n.status });
    }
    if (survivor.status === 'CANCELLED') {
      throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'Cannot merge into a cancelled need.', { currentStatus: survivor.status });
    }
    const at = s.clock.now();
    const survivorVolunteers = new Set(
      (await tx.claim.findMany({ where: { needId: survivorId, status: liveClaim }, select: { volunteerId: true } })).map((c) => c.volunteerId),
    );
    const moving = await tx.claim.findMany({ where: { needId: duplicateId, status: liveClaim } });
    for (const claim of moving) {
      if (survivorVolunteers.has(claim.volunteerId)) {
        await tx.claim.update({ where: { id: claim.id }, data: { status: 'RELEASED', releasedAt: at, releaseReason: 'Merged into a need this volunteer already holds' } });
      } else if ((await missingFor({ tx, s }, survivor, claim.volunteerId)).length) {
        // A merge makes no one a claimant of a need they are not vetted for.
        await tx.claim.update({ where: { id: claim.id }, data: { status: 'RELEASED', releasedAt: at, releaseReason: 'Not vetted for the need it was merged into' } });
      } else {
        await tx.claim.update({ where: { id: claim.id }, data: { needId: survivorId } });
        await tx.volunteerGroup.updateMany({ where: { claimId: claim.id }, data: { needId: survivorId } });
      }
    }
    const live = await tx.claim.groupBy({ by: ['status'], where: { needId: survivorId, status: liveClaim }, _count: true, _sum: { places: true } });
    const active = live.reduce((n, g) => n + (g._sum.places ?? 0), 0);
    const started = live.find((g) => g.status === 'STARTED')?._count ?? 0;
    const slots = Math.max(survivor.slots, active);
    const survivorStatus = survivor.status === 'DONE' && active === 0 ? 'DONE' : statusFromClaims({ active, started, slots });
    const merged = await tx.need.update({ where: { id: survivorId }, data: { slots, activeClaims: active, status: survivorStatus } });
    await tx.need.update({ where: { id: duplicateId }, data: { status: 'CANCELLED', activeClaims: 0, mergedIntoId: survivorId } });
    await tx.duplicateCandidate.updateMany({
      where: { OR: [{ needId: duplicateId, otherNeedId: survivorId }, { needId: survivorId, otherNeedId: duplicateId }] },
      data: { status: 'MERGED', decidedAt: at, decidedById: viewer.id },
    });
    await carryOpenPairs(tx, duplicateId, survivorId, { decidedAt: at, decidedById: viewer.id });
    await w.event({
      needId: duplicateId, communityId: duplicate.communityId, type: 'MERGED', fromStatus: duplicate.status, toStatus: 'CANCELLED', actorId: viewer.id, at,
      payload: { into: survivorId, movedClaims: moving.length },
    });
    await w.event({
      needId: survivorId, communityId: survivor.communityId, type: 'MERGED', fromStatus: survivor.status, toStatus: survivorStatus, actorId: viewer.id, at,
      payload: { from: duplicateId, movedClaims: moving.length },
    });
    return merged;
  });
  return result;
}

/**
 * Other open pairs of the merged need still ask a question, now about the survivor: "is C the same as
 * the need B was merged into?". Each is moved onto the survivor, unless the survivor already has its
 * own pair with C, which then stands for both (the moved one is closed as merged).
 */
async function carryOpenPairs(tx: Tx, duplicateId: string, survivorId: string, decision: { decidedAt: Date; decidedById: string }) {
  const open = await tx.duplicateCandidate.findMany({ where: { status: 'OPEN', OR: [{ needId: duplicateId }, { otherNeedId: duplicateId }] } });
  for (const pair of open) {
    const other = pair.needId === duplicateId ? pair.otherNeedId : pair.needId;
    const existing = await tx.duplicateCandidate.findFirst({
      where: { OR: [{ needId: survivorId, otherNeedId: other }, { needId: other, otherNeedId: survivorId }] },
      select: { id: true },
    });
    if (other === survivorId || existing) {
      await tx.duplicateCandidate.update({ where: { id: pair.id }, data: { status: 'MERGED', ...decision } });
    } else {
      await tx.duplicateCandidate.update({ where: { id: pair.id }, data: pair.needId === duplicateId ? { needId: survivorId } : { otherNeedId: survivorId } });
    }
  }
}

/** Follows merge redirects to the surviving need (a few hops at most). */
export async function survivorOf(s: Services, needId: string): Promise<string> {
  let id = needId;
  for (let hops = 0; hops < 10; hops++) {
    const n = await s.prisma.need.findUnique({ where: { id }, select: { mergedIntoId: true } });
    if (!n?.mergedIntoId) return id;
    id = n.mergedIntoId;
  }
  return id;
}

/** The need and every need merged into it, transitively: whose events make its history. */
export async function historyNeedIds(s: Services, needId: string): Promise<string[]> {
  const ids = [needId];
  for (let i = 0; i < ids.length && ids.length < 200; i++) {
    const from = await s.prisma.need.findMany({ where: { mergedIntoId: ids[i]! }, select: { id: true } });
    ids.push(...from.map((n) => n.id));
  }
  return ids;
}
