// Drives and stock: collection points (public, with their stock), the item catalogue, the ledger
// of movements (coordinators; donations also by members), and the live stock of a point.
import { z } from 'zod';
import { builder } from './builder.ts';
import { uuidId } from './ids.ts';
import { CommunityRef } from './communities.ts';
import { NeedRef } from './needs.ts';
import {
  WEEKDAYS,
  adjustStock,
  createCollectionPoint,
  createStockItem,
  recordDelivery,
  recordDonation,
  recordPacking,
  setLowStockThreshold,
  updateCollectionPoint,
  type OpeningHours,
} from '../domain/stock.ts';
import { phoneRule } from '../domain/needRules.ts';
import { stockFeed } from '../events/feeds.ts';
import { StockMovementKind, StockUnit } from '../generated/prisma/enums.ts';
import type { StockMovement } from '../generated/prisma/client.ts';
import type { Context } from '../context.ts';
import { AppError, ErrorCode, notFound } from '../errors.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { isCoordinatorOf } from '../auth/viewer.ts';

export const StockUnitEnum = builder.enumType(StockUnit, { name: 'StockUnit', description: 'What an item is counted in.' });
export const StockMovementKindEnum = builder.enumType(StockMovementKind, { name: 'StockMovementKind' });
const WeekdayEnum = builder.enumType('Weekday', { values: WEEKDAYS });

const OpeningHoursRef = builder.objectRef<OpeningHours>('OpeningHours').implement({
  authScopes: { public: true },
  description: 'One opening of the week, on Israel’s clock.',
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, authScopes: { public: true }, resolve: (h) => h.weekday }),
    opens: t.exposeString('opens', { authScopes: { public: true }, description: '"HH:MM"' }),
    closes: t.exposeString('closes', { authScopes: { public: true }, description: '"HH:MM", after `opens`.' }),
  }),
});

const levelOrder = [{ item: { name: 'asc' as const } }, { itemId: 'asc' as const }];

export const CollectionPointRef = builder.prismaNode('CollectionPoint', {
  id: { field: 'id' },
  authScopes: { public: true },
  description: 'A place where a community collects and hands out goods. Its address, point and stock are public.',
  fields: (t) => ({
    name: t.exposeString('name', { authScopes: { public: true } }),
    address: t.exposeString('address', { authScopes: { public: true } }),
    lat: t.exposeFloat('lat', { authScopes: { public: true } }),
    lng: t.exposeFloat('lng', { authScopes: { public: true } }),
    active: t.exposeBoolean('active', { authScopes: { public: true } }),
    openingHours: t.field({ type: [OpeningHoursRef], authScopes: { public: true }, select: { openingHours: true }, resolve: (p) => p.openingHours as OpeningHours[] }),
    community: t.relation('community', { authScopes: { public: true } }),
    stock: t.relation('levels', { authScopes: { public: true }, description: 'What is in stock here, by item name.', query: { orderBy: levelOrder } }),
    movements: t.relatedConnection('movements', {
      cursor: 'id',
      authScopes: (p) => ({ coordinatorOf: p.communityId }),
      description: 'The ledger, newest first (the coordinators of the community).',
      query: { orderBy: [{ at: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

export const StockItemRef = builder.prismaNode('StockItem', {
  id: { field: 'id' },
  authScopes: { public: true },
  fields: (t) => ({
    name: t.exposeString('name', { authScopes: { public: true } }),
    unit: t.expose('unit', { type: StockUnitEnum, authScopes: { public: true } }),
    global: t.boolean({ authScopes: { public: true }, description: 'Every community counts it.', select: { communityId: true }, resolve: (i) => i.communityId === null }),
  }),
});

builder.prismaObject('StockLevel', {
  authScopes: { public: true },
  description: 'How much of an item a point has: the sum of its ledger.',
  fields: (t) => ({
    item: t.relation('item', { authScopes: { public: true } }),
    point: t.relation('point', { authScopes: { public: true } }),
    quantity: t.exposeInt('quantity', { authScopes: { public: true } }),
    lowThreshold: t.exposeInt('lowThreshold', { nullable: true, authScopes: { public: true } }),
    low: t.boolean({
      authScopes: { public: true },
      description: 'At or below its low-stock threshold.',
      select: { quantity: true, lowThreshold: true },
      resolve: (l) => l.lowThreshold !== null && l.quantity <= l.lowThreshold,
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', authScopes: { public: true } }),
  }),
});

/** Whether the viewer coordinates the community of the movement's point (the ledger's readers). */
async function coordinatesPoint(m: Pick<StockMovement, 'pointId'>, ctx: Context): Promise<boolean> {
  const point = await ctx.services.prisma.collectionPoint.findUnique({ where: { id: m.pointId }, select: { communityId: true } });
  return !!point && isCoordinatorOf(ctx.viewer, point.communityId);
}

export const StockMovementRef = builder.prismaNode('StockMovement', {
  id: { field: 'id' },
  nullable: true,
  authScopes: (m, ctx) => coordinatesPoint(m, ctx),
  description: 'One entry of a point’s ledger (the coordinators of its community).',
  fields: (t) => ({
    kind: t.expose('kind', { type: StockMovementKindEnum, authScopes: { signedIn: true } }),
    at: t.expose('at', { type: 'DateTime', authScopes: { signedIn: true } }),
    point: t.relation('point', { authScopes: { signedIn: true } }),
    actor: t.relation('actor', { nullable: true, authScopes: { signedIn: true } }),
    need: t.relation('need', { nullable: true, authScopes: { signedIn: true } }),
    donorName: t.exposeString('donorName', { nullable: true, authScopes: { signedIn: true } }),
    donorPhone: t.exposeString('donorPhone', { nullable: true, authScopes: { signedIn: true } }),
    drive: t.exposeString('drive', { nullable: true, authScopes: { signedIn: true } }),
    reason: t.exposeString('reason', { nullable: true, authScopes: { signedIn: true } }),
    lines: t.relation('lines', { authScopes: { signedIn: true }, query: { orderBy: { itemId: 'asc' } } }),
  }),
});

builder.prismaObject('StockMovementLine', {
  authScopes: { signedIn: true },
  fields: (t) => ({
    item: t.relation('item', { authScopes: { signedIn: true } }),
    delta: t.exposeInt('delta', { authScopes: { signedIn: true }, description: 'Positive in, negative out.' }),
    balanceAfter: t.exposeInt('balanceAfter', { authScopes: { signedIn: true } }),
  }),
});

builder.queryFields((t) => ({
  collectionPoints: t.prismaField({
    type: ['CollectionPoint'],
    authScopes: { public: true },
    description: "A community's collection points, open ones first, by name.",
    args: { communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }) },
    resolve: (query, _r, { communityId }, ctx) =>
      ctx.services.prisma.collectionPoint.findMany({ ...query, where: { communityId: String(communityId.id) }, orderBy: [{ active: 'desc' }, { name: 'asc' }, { id: 'asc' }], take: 200 }),
  }),
  stockItems: t.prismaField({
    type: ['StockItem'],
    authScopes: { public: true },
    description: "The items a community counts: its own and the global ones, by name.",
    args: { communityId: t.arg.globalID({ required: true, for: CommunityRef, validate: uuidId }) },
    resolve: (query, _r, { communityId }, ctx) =>
      ctx.services.prisma.stockItem.findMany({
        ...query,
        where: { OR: [{ communityId: String(communityId.id) }, { communityId: null }] },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        take: 500,
      }),
  }),
}));

builder.subscriptionField('stockChanged', (t) =>
  t.prismaField({
    type: ['StockLevel'],
    authScopes: { public: true },
    description: "A collection point's stock, as `CollectionPoint.stock` lists it: now, and again after each movement there.",
    args: { collectionPointId: t.arg.globalID({ required: true, for: CollectionPointRef, validate: uuidId }) },
    subscribe: async (_root, { collectionPointId }, ctx) => {
      const pointId = String(collectionPointId.id);
      if (!(await ctx.services.prisma.collectionPoint.findUnique({ where: { id: pointId }, select: { id: true } }))) throw notFound('Collection point');
      return stockFeed(ctx.services.bus, pointId, async () => pointId, ctx.services.stream.retry);
    },
    resolve: (query, pointId: string, _args, ctx) => ctx.services.prisma.stockLevel.findMany({ ...query, where: { pointId }, orderBy: levelOrder }),
  }),
);

// ─── Mutations ───────────────────────────────────────────────────────────────────────────────

const name = z.string().trim().min(1, 'Enter a name.').max(120, 'At most 120 characters.');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'A time as HH:MM.');
const quantity = z.number().int('A whole number.').positive('A quantity is more than zero.').max(1_000_000, 'At most 1,000,000.');
const note = z.string().trim().max(500, 'At most 500 characters.');

const OpeningHoursInput = builder.inputType('OpeningHoursInput', {
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum, required: true }),
    opens: t.string({ required: true, validate: hhmm }),
    closes: t.string({ required: true, validate: hhmm }),
  }),
});

const pointRules = {
  address: z.string().trim().min(1, 'Enter the address.').max(300),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  openingHours: z.array(z.unknown()).max(50, 'At most 50 openings a week.'),
};

const CreateCollectionPointInput = builder.inputType('CreateCollectionPointInput', {
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: CommunityRef, validate: uuidId }),
    name: t.string({ required: true, validate: name }),
    address: t.string({ required: true, validate: pointRules.address, description: 'Public, like the point.' }),
    lat: t.float({ required: true, validate: pointRules.lat }),
    lng: t.float({ required: true, validate: pointRules.lng }),
    openingHours: t.field({ type: [OpeningHoursInput], validate: pointRules.openingHours }),
  }),
});
const UpdateCollectionPointInput = builder.inputType('UpdateCollectionPointInput', {
  fields: (t) => ({
    name: t.string({ validate: name }),
    address: t.string({ validate: pointRules.address }),
    lat: t.float({ validate: pointRules.lat }),
    lng: t.float({ validate: pointRules.lng }),
    openingHours: t.field({ type: [OpeningHoursInput], validate: pointRules.openingHours }),
    active: t.boolean({ description: 'False: closed, no donations recorded here.' }),
  }),
});

const ItemQuantityInput = builder.inputType('ItemQuantityInput', {
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: StockItemRef, validate: uuidId }),
    quantity: t.int({ required: true, validate: quantity }),
  }),
});

const RecordDonationInput = builder.inputType('RecordDonationInput', {
  fields: (t) => ({
    collectionPointId: t.globalID({ required: true, for: CollectionPointRef, validate: uuidId }),
    itemId: t.globalID({ required: true, for: StockItemRef, validate: uuidId }),
    quantity: t.int({ required: true, validate: quantity }),
    donorName: t.string({ validate: z.string().trim().max(120) }),
    donorPhone: t.string({ validate: phoneRule, description: 'Private: only the coordinators of the community read it.' }),
    drive: t.string({ validate: z.string().trim().max(120), description: 'The drive it came in.' }),
  }),
});

const RecordPackingInput = builder.inputType('RecordPackingInput', {
  fields: (t) => ({
    collectionPointId: t.globalID({ required: true, for: CollectionPointRef, validate: uuidId }),
    consumed: t.field({ type: [ItemQuantityInput], required: true, validate: z.array(z.unknown()).min(1, 'Name what went into the packs.').max(50) }),
    producedItemId: t.globalID({ required: true, for: StockItemRef, validate: uuidId }),
    producedQuantity: t.int({ required: true, validate: quantity }),
    note: t.string({ validate: note }),
  }),
});

const RecordDeliveryInput = builder.inputType('RecordDeliveryInput', {
  fields: (t) => ({
    collectionPointId: t.globalID({ required: true, for: CollectionPointRef, validate: uuidId }),
    needId: t.globalID({ required: true, for: NeedRef, validate: uuidId }),
    items: t.field({ type: [ItemQuantityInput], required: true, validate: z.array(z.unknown()).min(1, 'Name what was delivered.').max(50) }),
    completesNeed: t.boolean({ defaultValue: true, description: 'The need is done by this delivery, unless a volunteer holds a live claim on it (they complete it).' }),
  }),
});

const AdjustStockInput = builder.inputType('AdjustStockInput', {
  fields: (t) => ({
    collectionPointId: t.globalID({ required: true, for: CollectionPointRef, validate: uuidId }),
    itemId: t.globalID({ required: true, for: StockItemRef, validate: uuidId }),
    delta: t.int({ required: true, validate: z.number().int().refine((d) => d !== 0, 'A correction changes the count.').refine((d) => Math.abs(d) <= 1_000_000, 'At most 1,000,000.') }),
    reason: t.string({ required: true, validate: z.string().trim().min(1, 'Say why the count is corrected.').max(500) }),
  }),
});

const StockMovementPayload = builder.objectRef<StockMovement>('StockMovementPayload').implement({
  authScopes: { signedIn: true },
  fields: (t) => ({
    movement: t.field({
      type: StockMovementRef,
      nullable: true,
      authScopes: { signedIn: true },
      description: 'The ledger entry: null for a member who is not a coordinator (they record donations, they do not read the ledger).',
      resolve: async (m, _args, ctx) => ((await coordinatesPoint(m, ctx)) ? m : null),
    }),
    point: t.prismaField({
      type: 'CollectionPoint',
      authScopes: { signedIn: true },
      description: 'The point, with its stock after the movement.',
      resolve: (query, m, _args, ctx) => ctx.services.prisma.collectionPoint.findUniqueOrThrow({ ...query, where: { id: m.pointId } }),
    }),
  }),
});

const ids = <T extends { id: unknown }>(g: T) => String(g.id);

/** INSUFFICIENT_STOCK names the item that ran short as the API names it everywhere: by its global ID. */
const itemByGlobalId = <T>(done: Promise<T>): Promise<T> =>
  done.catch((err: unknown) => {
    const ext = err instanceof AppError ? (err.extensions as Record<string, unknown>) : null;
    if (ext?.code === ErrorCode.INSUFFICIENT_STOCK && typeof ext.itemId === 'string') ext.itemId = encodeGlobalID('StockItem', ext.itemId);
    throw err;
  });

builder.mutationFields((t) => ({
  createCollectionPoint: t.prismaField({
    type: 'CollectionPoint',
    authScopes: { anyCoordinator: true },
    args: { input: t.arg({ type: CreateCollectionPointInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const point = await createCollectionPoint(ctx.services, ctx.viewer!, { ...input, communityId: ids(input.communityId), openingHours: (input.openingHours ?? []) as OpeningHours[] });
      return ctx.services.prisma.collectionPoint.findUniqueOrThrow({ ...query, where: { id: point.id } });
    },
  }),
  updateCollectionPoint: t.prismaField({
    type: 'CollectionPoint',
    authScopes: { anyCoordinator: true },
    args: { id: t.arg.globalID({ required: true, for: CollectionPointRef, validate: uuidId }), input: t.arg({ type: UpdateCollectionPointInput, required: true }) },
    resolve: async (query, _r, { id, input }, ctx) => {
      const point = await updateCollectionPoint(ctx.services, ctx.viewer!, ids(id), {
        name: input.name ?? undefined,
        address: input.address ?? undefined,
        lat: input.lat ?? undefined,
        lng: input.lng ?? undefined,
        openingHours: (input.openingHours ?? undefined) as OpeningHours[] | undefined,
        active: input.active ?? undefined,
      });
      return ctx.services.prisma.collectionPoint.findUniqueOrThrow({ ...query, where: { id: point.id } });
    },
  }),
  createStockItem: t.prismaField({
    type: 'StockItem',
    authScopes: { anyCoordinator: true },
    description: "An item of a community's catalogue; without `communityId`, a global item (admins).",
    args: {
      communityId: t.arg.globalID({ for: CommunityRef, validate: uuidId }),
      name: t.arg.string({ required: true, validate: name }),
      unit: t.arg({ type: StockUnitEnum, required: true }),
    },
    resolve: async (query, _r, args, ctx) => {
      const item = await createStockItem(ctx.services, ctx.viewer!, { communityId: args.communityId ? ids(args.communityId) : null, name: args.name, unit: args.unit });
      return ctx.services.prisma.stockItem.findUniqueOrThrow({ ...query, where: { id: item.id } });
    },
  }),
  setLowStockThreshold: t.prismaField({
    type: 'StockLevel',
    authScopes: { anyCoordinator: true },
    description: 'The level at or below which the coordinators are told (null: never).',
    args: {
      collectionPointId: t.arg.globalID({ required: true, for: CollectionPointRef, validate: uuidId }),
      itemId: t.arg.globalID({ required: true, for: StockItemRef, validate: uuidId }),
      threshold: t.arg.int({ validate: z.number().int().min(0, 'At least 0.').max(1_000_000) }),
    },
    resolve: async (query, _r, args, ctx) => {
      const level = await setLowStockThreshold(ctx.services, ctx.viewer!, { pointId: ids(args.collectionPointId), itemId: ids(args.itemId), threshold: args.threshold ?? null });
      return ctx.services.prisma.stockLevel.findUniqueOrThrow({ ...query, where: { pointId_itemId: { pointId: level.pointId, itemId: level.itemId } } });
    },
  }),
  recordDonation: t.field({
    type: StockMovementPayload,
    authScopes: { signedIn: true },
    description: 'Goods in at a collection point (members of its community).',
    args: { input: t.arg({ type: RecordDonationInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      recordDonation(ctx.services, ctx.viewer!, {
        pointId: ids(input.collectionPointId),
        itemId: ids(input.itemId),
        quantity: input.quantity,
        donorName: input.donorName ?? null,
        donorPhone: input.donorPhone ?? null,
        drive: input.drive ?? null,
      }),
  }),
  recordPacking: t.field({
    type: StockMovementPayload,
    authScopes: { anyCoordinator: true },
    description: 'Items consumed into packs at a point (coordinators). INSUFFICIENT_STOCK when an item runs short.',
    args: { input: t.arg({ type: RecordPackingInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      itemByGlobalId(recordPacking(ctx.services, ctx.viewer!, {
        pointId: ids(input.collectionPointId),
        consumed: input.consumed.map((c) => ({ itemId: ids(c.itemId), quantity: c.quantity })),
        producedItemId: ids(input.producedItemId),
        producedQuantity: input.producedQuantity,
        note: input.note ?? null,
      })),
  }),
  recordDelivery: t.field({
    type: StockMovementPayload,
    authScopes: { anyCoordinator: true },
    description: 'Goods out of stock for a need (coordinators), with the need’s event. INSUFFICIENT_STOCK when an item runs short.',
    args: { input: t.arg({ type: RecordDeliveryInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      itemByGlobalId(recordDelivery(ctx.services, ctx.viewer!, {
        pointId: ids(input.collectionPointId),
        needId: ids(input.needId),
        items: input.items.map((c) => ({ itemId: ids(c.itemId), quantity: c.quantity })),
        completesNeed: input.completesNeed ?? true,
      })),
  }),
  adjustStock: t.field({
    type: StockMovementPayload,
    authScopes: { anyCoordinator: true },
    description: 'A count correction with its reason (coordinators). INSUFFICIENT_STOCK when it would go below zero.',
    args: { input: t.arg({ type: AdjustStockInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      itemByGlobalId(adjustStock(ctx.services, ctx.viewer!, { pointId: ids(input.collectionPointId), itemId: ids(input.itemId), delta: input.delta, reason: input.reason })),
  }),
}));
