// One-off: public points that were derived from the need's id are drawn again.
//
// Until commit 4d65d3a a need's public point was its exact point moved by an offset computed
// from a hash of its id; anyone can recompute that offset from the public id and subtract it,
// finding the door to within a metre. New needs get drawn points, but rows written before keep
// theirs until this job runs: it finds every need whose stored public point still equals the
// old formula and gives it the point `publicPointFor` gives today (so all needs at one place,
// the shifts of a series among them, share one drawn point), with an UPDATED event so the
// board and partners learn of the move. It runs once per database: a migration cannot run
// TypeScript, so the worker runs it and records it in DataJob; several processes running it at
// once do no harm (each need is re-checked under its row lock).
import { createHash } from 'node:crypto';
import type { Services } from '../services.ts';
import { commit } from '../events/unitOfWork.ts';
import { lockNeed } from './locks.ts';
import { publicPointFor, type SamePlaceNeed } from './needRecords.ts';
import type { Point } from './geo.ts';

export const REDRAW_JOB = 'redraw-id-derived-public-points';
const BATCH = 500;

const rad = (d: number) => (d * Math.PI) / 180;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The public point as the code before 4d65d3a derived it from the need's id (kept only to find such points). */
export function idDerivedPublicPoint(needId: string, exact: Point): Point {
  const h = createHash('sha256').update(`public-location:${needId}`).digest();
  const angle = (h.readUInt32BE(0) / 0xffffffff) * 2 * Math.PI;
  const distanceM = 250 + (h.readUInt32BE(4) / 0xffffffff) * 250;
  const dLat = (distanceM * Math.cos(angle)) / 111_320;
  const dLng = (distanceM * Math.sin(angle)) / (111_320 * Math.max(0.01, Math.cos(rad(exact.lat))));
  return { lat: round6(exact.lat + dLat), lng: round6(exact.lng + dLng) };
}

/** Whether a need's stored public point is the one its id gives (to a micro-degree). */
export function hasIdDerivedPoint(n: SamePlaceNeed): boolean {
  const old = idDerivedPublicPoint(n.id, n);
  return Math.abs(old.lat - n.publicLat) < 5e-7 && Math.abs(old.lng - n.publicLng) < 5e-7;
}

/** The job: null when it has run on this database before, else how many needs it moved. */
export async function redrawIdDerivedPublicPoints(s: Services): Promise<number | null> {
  if (await s.prisma.dataJob.findUnique({ where: { name: REDRAW_JOB } })) return null;
  let moved = 0;
  let after: string | null = null;
  for (;;) {
    const batch: (SamePlaceNeed & { communityId: string })[] = await s.prisma.need.findMany({
      where: { privateErasedAt: null, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, lat: true, lng: true, publicLat: true, publicLng: true, communityId: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    const old = batch.filter(hasIdDerivedPoint);
    if (old.length === 0) continue;
    moved += await commit(s, async (tx, w) => {
      let n = 0;
      for (const { id } of old) {
        const need = await lockNeed(tx, id);
        if (need.privateErasedAt || !hasIdDerivedPoint(need)) continue;
        // Never share a point still derived from an id: the first need at a place draws, the rest share its draw.
        const pub = await publicPointFor(tx, need.communityId, need, undefined, (m) => !hasIdDerivedPoint(m));
        await tx.need.update({ where: { id }, data: { publicLat: pub.lat, publicLng: pub.lng } });
        await w.event({
          needId: id,
          communityId: need.communityId,
          type: 'UPDATED',
          fromStatus: need.status,
          toStatus: need.status,
          actorId: null,
          at: s.clock.now(),
          payload: { fields: 'publicLat,publicLng' },
        });
        n++;
      }
      return n;
    });
  }
  await s.prisma.dataJob.upsert({ where: { name: REDRAW_JOB }, create: { name: REDRAW_JOB, ranAt: s.clock.now() }, update: {} });
  return moved;
}
