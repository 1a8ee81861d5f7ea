// Drives and stock: collection points, the items they count, and an append-only ledger of
// movements (donations in, packing, deliveries out for needs, coordinators' corrections). The
// stock of an item at a point is the sum of its ledger lines, kept in StockLevel in the same
// transaction by a conditional UPDATE that never takes it below zero: a movement that would is
// refused (INSUFFICIENT_STOCK) and nothing of it is written. The UPDATE locks the row, so two
// deliveries of the last units are decided one after the other and exactly one wins. A movement
// that takes stock from above its threshold to at or below it tells the community's
// coordinators, in the same unit of work; every movement wakes the point's live stock view.
import type { Services } from '../services.ts';
import { commit, type UnitOfWork } from '../events/unitOfWork.ts';
import { AppError, ErrorCode, badInput, forbidden, notFound } from '../errors.ts';
import { isCoordinatorOf, isMemberOf, withinKeyScope, type Viewer } from '../auth/viewer.ts';
import { coordinatorsOf } from '../auth/roles.ts';
import type { CollectionPoint, StockMovementKind, StockUnit } from '../generated/prisma/client.ts';
import { lockNeed } from './locks.ts';
import { assertNeedAction, liveClaim } from './needStatus.ts';
import { settleNeed } from './claims.ts';
import { notify } from './notifications.ts';
import { text } from '../shared/i18n/translate.ts';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** One opening of a week: `opens` and `closes` as "HH:MM" on the point's (Israel's) clock, `opens` first. */
export type OpeningHours = { weekday: Weekday; opens: string; closes: string };

/** Opening hours as stored (JSON): a day's openings in order, the days in the week's order. */
export function normalizeOpeningHours(hours: readonly OpeningHours[]): OpeningHours[] {
  const sorted = [...hours].sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.opens.localeCompare(b.opens));
  for (const [i, h] of sorted.entries()) {
    if (h.closes <= h.opens) throw badInput(`${h.weekday}: a point closes after it opens.`, `openingHours.${i}.closes`);
    const next = sorted[i + 1];
    if (next && next.weekday === h.weekday && next.opens < h.closes) throw badInput(`${h.weekday}: two openings overlap.`, `openingHours.${i + 1}.opens`);
  }
  return sorted.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes }));
}

export type PointInput = { communityId: string; name: string; address: string; lat: number; lng: number; openingHours: OpeningHours[] };
export type PointPatch = Partial<Omit<PointInput, 'communityId'>> & { active?: boolean };

export async function createCollectionPoint(s: Services, viewer: Viewer, input: PointInput) {
  if (!isCoordinatorOf(viewer, input.communityId) || !withinKeyScope(viewer, input.communityId)) throw forbidden('add collection points to this community');
  const openingHours = normalizeOpeningHours(input.openingHours);
  return commit(s, (tx) => tx.collectionPoint.create({ data: { ...input, openingHours } }));
}

export async function updateCollectionPoint(s: Services, viewer: Viewer, pointId: string, patch: PointPatch) {
  const point = await s.prisma.collectionPoint.findUnique({ where: { id: pointId } });
  if (!point) throw notFound('Collection point');
  if (!isCoordinatorOf(viewer, point.communityId) || !withinKeyScope(viewer, point.communityId)) throw forbidden('change this collection point');
  const openingHours = patch.openingHours ? normalizeOpeningHours(patch.openingHours) : undefined;
  return commit(s, (tx) => tx.collectionPoint.update({ where: { id: pointId }, data: { ...patch, openingHours } }));
}

/** A community's item (its coordinators), or a global one every community counts (admins). */
export async function createStockItem(s: Services, viewer: Viewer, input: { communityId: string | null; name: string; unit: StockUnit }) {
  if (input.communityId ? !isCoordinatorOf(viewer, input.communityId) || !withinKeyScope(viewer, input.communityId) : !viewer.isAdmin) {
    throw forbidden(input.communityId ? 'add items to this community' : 'add global items');
  }
  return commit(s, async (tx) => {
    const same = await tx.stockItem.findFirst({ where: { communityId: input.communityId, name: { equals: input.name, mode: 'insensitive' } }, select: { id: true } });
    if (same) throw badInput(`There is already an item called “${input.name}”.`, 'name');
    return tx.stockItem.create({ data: input });
  });
}

async function pointFor(s: Services, pointId: string) {
  const point = await s.prisma.collectionPoint.findUnique({ where: { id: pointId } });
  if (!point) throw notFound('Collection point');
  return point;
}

/** The coordinators of the point's community (and admins) manage its stock. */
function assertManages(viewer: Viewer, point: CollectionPoint, what: string) {
  if (!isCoordinatorOf(viewer, point.communityId) || !withinKeyScope(viewer, point.communityId)) throw forbidden(what);
}

/** The items exist and may be counted at the point (global, or the point's community's): else bad input naming the field. */
async function assertItems(w: UnitOfWork, point: CollectionPoint, lines: readonly { itemId: string; field: string }[]) {
  const ids = [...new Set(lines.map((l) => l.itemId))];
  const known = await w.tx.stockItem.findMany({ where: { id: { in: ids }, OR: [{ communityId: null }, { communityId: point.communityId }] }, select: { id: true, name: true } });
  const missing = lines.find((l) => !known.some((k) => k.id === l.itemId));
  if (missing) throw badInput('No such item in this community’s catalogue.', missing.field);
  return new Map(known.map((k) => [k.id, k.name]));
}

type Line = { itemId: string; delta: number; field: string };

/**
 * Writes the movement and its lines, each applied to its stock row by a conditional UPDATE (in
 * item order, so two movements lock rows in the same order). Any line that would go below zero
 * refuses the whole movement.
 */
async function applyMovement(
  w: UnitOfWork,
  viewer: Viewer,
  point: CollectionPoint,
  kind: StockMovementKind,
  lines: Line[],
  details: { needId?: string | null; donorName?: string | null; donorPhone?: string | null; drive?: string | null; reason?: string | null },
) {
  const { tx, s } = w;
  const names = await assertItems(w, point, lines);
  const at = s.clock.now();
  const movement = await tx.stockMovement.create({ data: { kind, pointId: point.id, actorId: viewer.id, at, ...details } });
  const ordered = [...lines].sort((a, b) => a.itemId.localeCompare(b.itemId));
  const crossed: { item: string; quantity: number; threshold: number }[] = [];
  for (const line of ordered) {
    if (line.delta > 0) {
      await tx.$executeRaw`INSERT INTO "StockLevel" ("pointId", "itemId") VALUES (${point.id}::uuid, ${line.itemId}::uuid) ON CONFLICT DO NOTHING`;
    }
    const rows = await tx.$queryRaw<{ quantity: number; lowThreshold: number | null }[]>`
      UPDATE "StockLevel" SET quantity = quantity + ${line.delta}, "updatedAt" = ${at}
      WHERE "pointId" = ${point.id}::uuid AND "itemId" = ${line.itemId}::uuid AND quantity + ${line.delta} >= 0
      RETURNING quantity, "lowThreshold"`;
    const row = rows[0];
    if (!row) {
      const level = await tx.stockLevel.findUnique({ where: { pointId_itemId: { pointId: point.id, itemId: line.itemId } }, select: { quantity: true } });
      throw new AppError(ErrorCode.INSUFFICIENT_STOCK, `Only ${level?.quantity ?? 0} of “${names.get(line.itemId)}” in stock here; ${-line.delta} asked for.`, {
        field: line.field,
        itemId: line.itemId,
        available: level?.quantity ?? 0,
        requested: -line.delta,
      });
    }
    await tx.stockMovementLine.create({ data: { movementId: movement.id, itemId: line.itemId, delta: line.delta, balanceAfter: row.quantity } });
    const before = row.quantity - line.delta;
    if (row.lowThreshold !== null && before > row.lowThreshold && row.quantity <= row.lowThreshold) {
      crossed.push({ item: names.get(line.itemId)!, quantity: row.quantity, threshold: row.lowThreshold });
    }
  }
  if (crossed.length) {
    const coordinators = await tx.membership.findMany({ where: coordinatorsOf(point.communityId), select: { userId: true } });
    const ids = [...new Set(coordinators.map((c) => c.userId))];
    for (const c of crossed) {
      await notify(w, ids, 'LOW_STOCK', null, {
        title: text('notify.lowStock.title', { item: c.item, point: point.name }),
        body: text('notify.lowStock.body', { quantity: c.quantity, threshold: c.threshold }),
      });
    }
  }
  w.stockChanged(point.id);
  return movement;
}

export type DonationInput = { pointId: string; itemId: string; quantity: number; donorName: string | null; donorPhone: string | null; drive: string | null };

/** A donation in: the community's coordinators, and its volunteers (who staff the points). */
export async function recordDonation(s: Services, viewer: Viewer, input: DonationInput) {
  const point = await pointFor(s, input.pointId);
  if (!isMemberOf(viewer, point.communityId) || !withinKeyScope(viewer, point.communityId)) throw forbidden('record donations at this point');
  if (!point.active) throw new AppError(ErrorCode.ILLEGAL_TRANSITION, 'This collection point is closed.', { currentStatus: 'INACTIVE', action: 'donate' });
  return commit(s, (_tx, w) =>
    applyMovement(w, viewer, point, 'DONATION', [{ itemId: input.itemId, delta: input.quantity, field: 'itemId' }], {
      donorName: input.donorName,
      donorPhone: input.donorPhone,
      drive: input.drive,
    }),
  );
}

export type PackingInput = { pointId: string; consumed: { itemId: string; quantity: number }[]; producedItemId: string; producedQuantity: number; note: string | null };

/** Items consumed into packs at one point: out and in, one movement. */
export async function recordPacking(s: Services, viewer: Viewer, input: PackingInput) {
  const point = await pointFor(s, input.pointId);
  assertManages(viewer, point, 'record packing at this point');
  if (input.consumed.some((c) => c.itemId === input.producedItemId)) throw badInput('Packs are a different item from what goes into them.', 'producedItemId');
  if (new Set(input.consumed.map((c) => c.itemId)).size !== input.consumed.length) throw badInput('Each item once.', 'consumed');
  return commit(s, (_tx, w) =>
    applyMovement(
      w,
      viewer,
      point,
      'PACK',
      [
        ...input.consumed.map((c, i) => ({ itemId: c.itemId, delta: -c.quantity, field: `consumed.${i}.itemId` })),
        { itemId: input.producedItemId, delta: input.producedQuantity, field: 'producedItemId' },
      ],
      { reason: input.note },
    ),
  );
}

export type DeliveryInput = { pointId: string; needId: string; items: { itemId: string; quantity: number }[]; completesNeed: boolean };

/**
 * Goods out of stock for a need of the point's community, with a need event in the same unit of
 * work. `completesNeed`: the need is done by this delivery when no one holds a live claim on it
 * (else the volunteer on it completes it as usual); the state machine decides as for an update.
 */
export async function recordDelivery(s: Services, viewer: Viewer, input: DeliveryInput) {
  const point = await pointFor(s, input.pointId);
  assertManages(viewer, point, 'record deliveries from this point');
  if (new Set(input.items.map((c) => c.itemId)).size !== input.items.length) throw badInput('Each item once.', 'items');
  return commit(s, async (tx, w) => {
    const need = await lockNeed(tx, input.needId);
    if (need.communityId !== point.communityId) throw badInput('The need is in another community than the collection point.', 'needId');
    assertNeedAction('update', need.status);
    const movement = await applyMovement(
      w,
      viewer,
      point,
      'DELIVERY',
      input.items.map((c, i) => ({ itemId: c.itemId, delta: -c.quantity, field: `items.${i}.itemId` })),
      { needId: need.id },
    );
    const held = await tx.claim.count({ where: { needId: need.id, status: liveClaim } });
    const done = input.completesNeed && held === 0;
    await settleNeed(w, need, done ? 'COMPLETED' : 'UPDATED', viewer.id, null, movement.at, { stockMovementId: movement.id, collectionPointId: point.id }, { done });
    return movement;
  });
}

/** A count correction: coordinators only, with the reason it is kept for. */
export async function adjustStock(s: Services, viewer: Viewer, input: { pointId: string; itemId: string; delta: number; reason: string }) {
  const point = await pointFor(s, input.pointId);
  assertManages(viewer, point, 'correct the stock of this point');
  return commit(s, (_tx, w) => applyMovement(w, viewer, point, 'ADJUSTMENT', [{ itemId: input.itemId, delta: input.delta, field: 'itemId' }], { reason: input.reason }));
}

/** The low-stock threshold of an item at a point (null: none). */
export async function setLowStockThreshold(s: Services, viewer: Viewer, input: { pointId: string; itemId: string; threshold: number | null }) {
  const point = await pointFor(s, input.pointId);
  assertManages(viewer, point, 'set thresholds at this point');
  return commit(s, async (tx, w) => {
    await assertItems(w, point, [{ itemId: input.itemId, field: 'itemId' }]);
    const level = await tx.stockLevel.upsert({
      where: { pointId_itemId: { pointId: point.id, itemId: input.itemId } },
      create: { pointId: point.id, itemId: input.itemId, lowThreshold: input.threshold },
      update: { lowThreshold: input.threshold },
    });
    w.stockChanged(point.id);
    return level;
  });
}
