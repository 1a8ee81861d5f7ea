// Drives and stock, across the wire: a food drive from donations to deliveries for needs, the
// ledger and the stock that is its sum, the low-stock notification exactly when the threshold is
// crossed, the race for the last units (one winner, the loser changes nothing), bad input that
// writes nothing, who may do what, and the live stock of a point.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';

let s: TestServer;
let coordinator: Api & { userId: string };
let volunteer: Api & { userId: string };
let otherCoordinator: Api & { userId: string };
let community: string;
let other: string;

const POINT = `mutation($input: CreateCollectionPointInput!) { createCollectionPoint(input: $input) { id name address lat lng active openingHours { weekday opens closes } } }`;
const ITEM = `mutation($c: ID, $n: String!, $u: StockUnit!) { createStockItem(communityId: $c, name: $n, unit: $u) { id name unit global } }`;
const DONATE = `mutation($input: RecordDonationInput!) { recordDonation(input: $input) { movement { id kind donorPhone lines { delta balanceAfter } } } }`;
const PACK = `mutation($input: RecordPackingInput!) { recordPacking(input: $input) { movement { id kind lines { item { name } delta balanceAfter } } } }`;
const DELIVER = `mutation($input: RecordDeliveryInput!) { recordDelivery(input: $input) { movement { id kind need { id status } lines { delta balanceAfter } } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { movement { id kind reason lines { delta balanceAfter } } } }`;
const THRESHOLD = `mutation($p: ID!, $i: ID!, $t: Int) { setLowStockThreshold(collectionPointId: $p, itemId: $i, threshold: $t) { quantity lowThreshold low } }`;
const STOCK = `query($id: ID!) { node(id: $id) { ... on CollectionPoint { stock { item { id name } quantity low } } } }`;

const hours = [
  { weekday: 'SUNDAY', opens: '16:00', closes: '19:00' },
  { weekday: 'MONDAY', opens: '09:00', closes: '12:00' },
  { weekday: 'MONDAY', opens: '16:00', closes: '19:00' },
];

async function newPoint(name = 'Community centre hall') {
  return (await coordinator.ok(POINT, { input: { communityId: community, name, address: '3 HaAtzmaut St, Sderot', lat: 31.526, lng: 34.597, openingHours: hours } })).createCollectionPoint;
}
const newItem = async (name: string, unit: string, c: string | null = community, by: Api = coordinator) => (await by.ok(ITEM, { c, n: name, u: unit })).createStockItem;
const stockOf = async (point: string, item: string) => ((await new Api(s.url).ok(STOCK, { id: point })).node.stock as any[]).find((l) => l.item.id === item)?.quantity ?? 0;
const ledger = () => s.app.services.prisma.stockMovement.count();
const lowStockNotes = async (who: Api) =>
  ((await who.ok(`{ myNotifications(first: 50) { kind title body } }`)).myNotifications as any[]).filter((n) => n.kind === 'LOW_STOCK');

beforeAll(async () => {
  s = await startServer();
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  other = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  volunteer = await member(s.url, admin, community, 'VOLUNTEER');
  otherCoordinator = await member(s.url, admin, other, 'COORDINATOR');
}, 60_000);
afterAll(async () => s?.stop());

describe('a food drive', () => {
  it('200 items donated, 150 packed and delivered through needs: stock 50, one low-stock notification when crossing', async () => {
    const point = await newPoint();
    expect(point).toMatchObject({ active: true, openingHours: [hours[1], hours[2], hours[0]] });
    const cans = await newItem('Canned food', 'UNIT');
    const parcels = await newItem('Food parcel', 'PACK');
    expect(parcels).toMatchObject({ unit: 'PACK', global: false });

    // A volunteer staffing the point records one donation, a coordinator the other.
    const first = await volunteer.ok(DONATE, { input: { collectionPointId: point.id, itemId: cans.id, quantity: 120, donorName: 'Grocery on Herzl', donorPhone: '+972-50-765-4321', drive: 'Winter drive' } });
    expect(first.recordDonation.movement).toBeNull(); // a volunteer records, but does not read the ledger
    const second = await coordinator.ok(DONATE, { input: { collectionPointId: point.id, itemId: cans.id, quantity: 80, drive: 'Winter drive' } });
    expect(second.recordDonation.movement).toMatchObject({ kind: 'DONATION', donorPhone: null, lines: [{ delta: 80, balanceAfter: 200 }] });
    expect(await stockOf(point.id, cans.id)).toBe(200);

    await coordinator.ok(THRESHOLD, { p: point.id, i: parcels.id, t: 5 });
    const packed = await coordinator.ok(PACK, { input: { collectionPointId: point.id, consumed: [{ itemId: cans.id, quantity: 150 }], producedItemId: parcels.id, producedQuantity: 15 } });
    expect(packed.recordPacking.movement.lines.map((l: any) => [l.item.name, l.delta, l.balanceAfter]).sort()).toEqual([
      ['Canned food', -150, 50],
      ['Food parcel', 15, 15],
    ]);

    // Three families, five parcels each: 15 → 10 (above the threshold), 10 → 5 (crosses it), 5 → 0 (already below).
    const needs = [];
    for (const k of [1, 2, 3]) needs.push(await createNeed(coordinator, community, { title: `Food for family ${k}`, category: 'FOOD' }));
    const notesBefore = (await lowStockNotes(coordinator)).length;
    const seqs: number[] = [];
    for (const [k, need] of needs.entries()) {
      const d = await coordinator.ok(DELIVER, { input: { collectionPointId: point.id, needId: need.id, items: [{ itemId: parcels.id, quantity: 5 }] } });
      expect(d.recordDelivery.movement).toMatchObject({ kind: 'DELIVERY', need: { id: need.id, status: 'DONE' }, lines: [{ delta: -5, balanceAfter: 10 - 5 * k }] });
      seqs.push((await lowStockNotes(coordinator)).length - notesBefore);
    }
    expect(seqs).toEqual([0, 1, 1]);
    const [note] = await lowStockNotes(coordinator);
    expect(note.title).toContain('Food parcel');
    expect(note.body).toContain('5');
    expect(await lowStockNotes(volunteer)).toEqual([]); // coordinators only

    expect(await stockOf(point.id, cans.id)).toBe(50);
    expect(await stockOf(point.id, parcels.id)).toBe(0);
    // The stock is the sum of the ledger.
    const lines = await s.app.services.prisma.stockMovementLine.groupBy({ by: ['itemId'], where: { movement: { pointId: Buffer.from(point.id, 'base64').toString().split(':')[1] } }, _sum: { delta: true } });
    expect(lines.map((l) => l._sum.delta).sort()).toEqual([0, 50]);
    // Each delivery is on its need's history, through the same unit of work.
    const events = await coordinator.ok(`query($id: ID!) { need(id: $id) { status events(first: 10) { edges { node { type toStatus } } } } }`, { id: needs[0].id });
    expect(events.need.status).toBe('DONE');
    expect(events.need.events.edges.map((e: any) => e.node)).toContainEqual({ type: 'COMPLETED', toStatus: 'DONE' });

    // Public: the point and its stock, with no donor details anywhere.
    const anon = new Api(s.url);
    const pub = await anon.gql(`query($c: ID!) { collectionPoints(communityId: $c) { name address stock { item { name } quantity low } } }`, { c: community });
    expect(pub.errors).toBeUndefined();
    expect(JSON.stringify(pub.data)).not.toContain('765-4321');
    const ledgerAnon = await anon.gql(`query($id: ID!) { node(id: $id) { ... on CollectionPoint { movements(first: 5) { edges { node { donorPhone } } } } } }`, { id: point.id });
    expect(ledgerAnon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const ledgerCoordinator = await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on CollectionPoint { movements(first: 20) { edges { node { kind donorPhone } } } } } }`, { id: point.id });
    expect(ledgerCoordinator.node.movements.edges.map((e: any) => e.node.kind)).toEqual(['DELIVERY', 'DELIVERY', 'DELIVERY', 'PACK', 'DONATION', 'DONATION']);
    expect(ledgerCoordinator.node.movements.edges.at(-1).node.donorPhone).toBe('+972-50-765-4321');
  });

  it('a delivery for a need a volunteer holds leaves it to them to complete', async () => {
    const point = await newPoint('School gym');
    const water = await newItem('Water 6-pack', 'PACK');
    await coordinator.ok(DONATE, { input: { collectionPointId: point.id, itemId: water.id, quantity: 4 } });
    const need = await createNeed(coordinator, community, { title: 'Water for the shelter', category: 'FOOD' });
    await volunteer.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });
    const d = await coordinator.ok(DELIVER, { input: { collectionPointId: point.id, needId: need.id, items: [{ itemId: water.id, quantity: 4 }] } });
    expect(d.recordDelivery.movement.need.status).toBe('CLAIMED');
  });
});

describe('never below zero', () => {
  it('two deliveries of the last 10 units, 10 each, at once: exactly one wins, the other changes nothing', async () => {
    const point = await newPoint('Last units');
    const blankets = await newItem('Blanket', 'UNIT');
    await coordinator.ok(DONATE, { input: { collectionPointId: point.id, itemId: blankets.id, quantity: 10 } });
    const [a, b] = [await createNeed(coordinator, community, { title: 'Blankets A', category: 'EQUIPMENT' }), await createNeed(coordinator, community, { title: 'Blankets B', category: 'EQUIPMENT' })];
    const before = await ledger();
    const results = await Promise.all([a, b].map((n) => coordinator.gql(DELIVER, { input: { collectionPointId: point.id, needId: n.id, items: [{ itemId: blankets.id, quantity: 10 }] } })));
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.errors![0]!.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', itemId: blankets.id, available: 0, requested: 10 });
    expect(await ledger()).toBe(before + 1);
    expect(await stockOf(point.id, blankets.id)).toBe(0);
    const statuses = await Promise.all([a, b].map(async (n) => (await coordinator.ok(`query($id: ID!) { need(id: $id) { status } }`, { id: n.id })).need.status));
    expect(statuses.sort()).toEqual(['DONE', 'OPEN']);
  });

  it('an adjustment below zero is refused the same way', async () => {
    const point = await newPoint('Adjusted');
    const rice = await newItem('Rice', 'KG');
    await coordinator.ok(DONATE, { input: { collectionPointId: point.id, itemId: rice.id, quantity: 7 } });
    const r = await coordinator.gql(ADJUST, { input: { collectionPointId: point.id, itemId: rice.id, delta: -8, reason: 'Counted' } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'INSUFFICIENT_STOCK', itemId: rice.id, available: 7, requested: 8 });
    const ok = await coordinator.ok(ADJUST, { input: { collectionPointId: point.id, itemId: rice.id, delta: -2, reason: 'Two bags torn' } });
    expect(ok.adjustStock.movement).toMatchObject({ kind: 'ADJUSTMENT', reason: 'Two bags torn', lines: [{ delta: -2, balanceAfter: 5 }] });
  });
});

describe('bad input and permissions', () => {
  it('a negative quantity, an unknown item, an item of another community: BAD_USER_INPUT, nothing written', async () => {
    const point = await newPoint('Validation');
    const mine = await newItem('Mattress', 'UNIT');
    const theirs = await newItem('Mattress', 'UNIT', other, otherCoordinator);
    const unknown = Buffer.from('StockItem:00000000-0000-4000-8000-000000000001').toString('base64');
    const before = await ledger();
    const cases = [
      { itemId: mine.id, quantity: -5 },
      { itemId: mine.id, quantity: 0 },
      { itemId: unknown, quantity: 5 },
      { itemId: theirs.id, quantity: 5 },
    ];
    for (const c of cases) {
      const r = await coordinator.gql(DONATE, { input: { collectionPointId: point.id, ...c } });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(c)).toBe('BAD_USER_INPUT');
    }
    const bad = await coordinator.gql(DONATE, { input: { collectionPointId: point.id, itemId: unknown, quantity: 5 } });
    expect(bad.errors?.[0]?.extensions?.field).toBe('itemId');
    const hoursWrong = await coordinator.gql(POINT, { input: { communityId: community, name: 'X', address: 'Y', lat: 31.5, lng: 34.6, openingHours: [{ weekday: 'MONDAY', opens: '12:00', closes: '09:00' }] } });
    expect(hoursWrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await ledger()).toBe(before);
    expect(await stockOf(point.id, mine.id)).toBe(0);
  });

  it('a volunteer records donations but cannot adjust, pack, deliver or manage points (FORBIDDEN)', async () => {
    const point = await newPoint('Permissions');
    const soap = await newItem('Soap', 'UNIT');
    const kits = await newItem('Hygiene kit', 'PACK');
    await volunteer.ok(DONATE, { input: { collectionPointId: point.id, itemId: soap.id, quantity: 30 } });
    const before = await ledger();
    const need = await createNeed(coordinator, community, { title: 'Soap', category: 'EQUIPMENT' });
    const tries = [
      volunteer.gql(ADJUST, { input: { collectionPointId: point.id, itemId: soap.id, delta: -3, reason: 'Counted' } }),
      volunteer.gql(PACK, { input: { collectionPointId: point.id, consumed: [{ itemId: soap.id, quantity: 10 }], producedItemId: kits.id, producedQuantity: 5 } }),
      volunteer.gql(DELIVER, { input: { collectionPointId: point.id, needId: need.id, items: [{ itemId: soap.id, quantity: 1 }] } }),
      volunteer.gql(THRESHOLD, { p: point.id, i: soap.id, t: 3 }),
      volunteer.gql(POINT, { input: { communityId: community, name: 'Mine', address: 'Z', lat: 31.5, lng: 34.6 } }),
      // A coordinator of another community is no coordinator here.
      otherCoordinator.gql(ADJUST, { input: { collectionPointId: point.id, itemId: soap.id, delta: -3, reason: 'Counted' } }),
      otherCoordinator.gql(DONATE, { input: { collectionPointId: point.id, itemId: soap.id, quantity: 3 } }),
    ];
    for (const r of await Promise.all(tries)) expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe('FORBIDDEN');
    expect(await ledger()).toBe(before);
    expect(await stockOf(point.id, soap.id)).toBe(30);
  });
});

describe('live stock', () => {
  it('a stockChanged subscription receives the change', async () => {
    const point = await newPoint('Live');
    const diapers = await newItem('Diapers', 'PACK');
    const ws = new Api(s.url).ws(); // public: anyone may watch a point's stock
    const sub = collect(ws, `subscription($id: ID!) { stockChanged(collectionPointId: $id) { item { name } quantity low } }`, { id: point.id }, (items) =>
      items.some((i: any) => i.stockChanged.some((l: any) => l.quantity === 12)),
    );
    // The first result is the stock now: subscribed.
    for (let i = 0; sub.items.length === 0; i++) {
      if (i > 400) throw new Error('no first result');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(sub.items[0].stockChanged).toEqual([]);
    await volunteer.ok(DONATE, { input: { collectionPointId: point.id, itemId: diapers.id, quantity: 12 } });
    const items = await sub.done;
    expect(items.at(-1).stockChanged).toEqual([{ item: { name: 'Diapers' }, quantity: 12, low: false }]);
    await ws.dispose();
  });
});
