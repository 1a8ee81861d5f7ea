// The board's list of needs without Prisma's passes over each row (api/src/db/plainFindMany.ts):
// what it sends reads back exactly as Prisma's findMany reads it, on the embedded database and on
// PostgreSQL; what it cannot say exactly it leaves to Prisma.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { uuidOf } from '../helpers/world.ts';
import { needWhere } from '../../api/src/schema/needs.ts';
import { needsUrgentFirst } from '../../api/src/domain/orders.ts';
import { plainFindMany, type FindManyArgs } from '../../api/src/db/plainFindMany.ts';
import { Prisma } from '../../api/src/generated/prisma/client.ts';
import { print } from 'graphql';
import { BoardNeedsQuery } from '../../web/src/lib/graphql/needs.ts';

let s: TestServer;
let communities: string[];
let needIds: string[];

const BOARD_COLUMNS = ['id', 'title', 'category', 'urgency', 'status', 'publicLat', 'publicLng', 'slots', 'activeClaims', 'onBoard', 'communityId', 'remote'];
const omitAllBut = (keep: string[]) => Object.fromEntries(Object.values(Prisma.NeedScalarFieldEnum).filter((c) => !keep.includes(c)).map((c) => [c, true]));

beforeAll(async () => {
  s = await startServer({ EVENT_POLL_MS: '600000' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  communities = [await createCommunity(admin), await createCommunity(admin)];
  const coordinators = await Promise.all(communities.map((c) => member(s.url, admin, c, 'COORDINATOR')));
  needIds = [];
  const kinds = [
    { category: 'FOOD', urgency: 'CRITICAL', lat: 31.52, lng: 34.6 },
    { category: 'MEDICINE', urgency: 'HIGH', lat: 31.9, lng: 34.8, slots: 3 },
    { category: 'TRANSPORT', urgency: 'LOW', lat: 32.1, lng: 34.78, title: 'Ride to Soroka — "ASAP" \\ 100%' },
    { category: 'FOOD', urgency: 'NORMAL', lat: undefined, lng: undefined, address: undefined, remote: true },
  ];
  for (let i = 0; i < 12; i++) {
    const need = await createNeed(coordinators[i % 2]!, communities[i % 2]!, { ...kinds[i % kinds.length], title: `${kinds[i % kinds.length]!.title ?? 'Groceries'}, need ${i}` });
    needIds.push(uuidOf(need.id));
  }
  // Other statuses than OPEN, and a need off the board.
  const { prisma } = s.app.services;
  await prisma.need.update({ where: { id: needIds[1] }, data: { status: 'CLAIMED', activeClaims: 1 } });
  await prisma.need.update({ where: { id: needIds[2] }, data: { status: 'DONE' } });
  await prisma.need.update({ where: { id: needIds[3] }, data: { onBoard: false } });
  // Dates to the millisecond, a list with a quote and a backslash, an empty list.
  await prisma.need.update({ where: { id: needIds[4] }, data: { neededBy: new Date('2026-12-31T23:59:58.123Z'), occurrenceAt: new Date('2026-07-01T06:30:00.001Z'), requiredTrainings: ['first-aid', 'say "hi" \\ bye'], requiresIdentityCheck: true } });
  await prisma.need.update({ where: { id: needIds[5] }, data: { requiredTrainings: [] } });
});
afterAll(async () => s?.stop());

describe('a findMany of plain columns, sent without Prisma', () => {
  const filters = (): Record<string, Parameters<typeof needWhere>[0]> => ({
    none: undefined,
    bbox: { bbox: { minLat: 31.4, maxLat: 32.0, minLng: 34.5, maxLng: 34.85 } },
    'empty box': { bbox: { minLat: 10, maxLat: 10.1, minLng: 10, maxLng: 10.1 } },
    statuses: { statuses: ['OPEN', 'DONE'] },
    categories: { categories: ['FOOD', 'TRANSPORT'], urgencies: ['CRITICAL', 'LOW', 'NORMAL'] },
    communities: { communityIds: [{ id: uuidOf(communities[1]!) }] as never },
    'needs by id': { needIds: needIds.slice(0, 5) },
    'all occurrences': { allOccurrences: true, statuses: ['OPEN', 'CLAIMED', 'DONE', 'CANCELLED'] },
  });
  const orders: Record<string, FindManyArgs['orderBy']> = {
    urgency: needsUrgentFirst,
    newest: [{ createdAt: 'desc' }, { id: 'desc' }],
    single: { title: 'asc' },
  };
  const omits: Record<string, FindManyArgs['omit']> = {
    board: omitAllBut(['id', 'title', 'category', 'urgency', 'status', 'publicLat', 'publicLng']),
    plain: omitAllBut(BOARD_COLUMNS),
    // The web app's board: dates (one of them null on most needs) and a list of text.
    'dates and lists': omitAllBut([...BOARD_COLUMNS, 'createdAt', 'occurrenceAt', 'neededBy', 'requiredTrainings', 'requiresIdentityCheck']),
    whole: undefined,
  };

  const filterNames = ['none', 'bbox', 'empty box', 'statuses', 'categories', 'communities', 'needs by id', 'all occurrences'];
  for (const filterName of filterNames) {
    for (const [orderName, orderBy] of Object.entries(orders)) {
      for (const [omitName, omit] of Object.entries(omits)) {
        it(`reads as Prisma reads: ${filterName}, ${orderName} order, ${omitName} columns`, async () => {
          for (const take of [1, 5, 1001]) {
            const args = { where: needWhere(filters()[filterName]), orderBy, omit, take, skip: 0 };
            const plain = s.app.services.db.findManyPlain('Need', args);
            expect(plain, 'sent without Prisma').not.toBeNull();
            expect(await plain).toStrictEqual(await s.app.services.prisma.need.findMany(args as never));
          }
        });
      }
    }
  }

  it('finds something to compare: the filters above are not all empty, and each is one', async () => {
    expect(Object.keys(filters())).toEqual(filterNames);
    const rows = await s.app.services.db.findManyPlain('Need', { where: needWhere({ bbox: { minLat: 31.4, maxLat: 32.0, minLng: 34.5, maxLng: 34.85 } }), orderBy: needsUrgentFirst, omit: omits.board, take: 100 });
    expect(rows!.length).toBeGreaterThan(2);
  });

  it('leaves to Prisma what it cannot say exactly', () => {
    const board = { where: needWhere(undefined), orderBy: needsUrgentFirst, omit: omits.board, take: 10 };
    expect(plainFindMany('Need', board)).not.toBeNull();
    const refused: Record<string, FindManyArgs> = {
      // Prisma's `contains` escapes the text's wildcards and ignores case.
      'a text filter': { ...board, where: needWhere({ text: '50%' }) },
      'a later page': { ...board, cursor: { id: needIds[0] }, skip: 1 },
      'a backward page': { ...board, take: -10 },
      'relations': { ...board, include: { community: true } },
      'a select': { where: board.where, select: { id: true }, take: 10 },
      // A Date compared: Prisma sends it typed, and its text differs by adapter.
      'a date compared': { ...board, where: { createdAt: { gte: new Date('2026-01-01T00:00:00Z') } } },
      'a list compared': { ...board, where: { requiredTrainings: { has: 'first-aid' } } },
      'an order by a list': { ...board, orderBy: [{ requiredTrainings: 'asc' }] },
      'an operator it does not know': { ...board, where: { title: { startsWith: 'Ride' } } },
      'OR': { ...board, where: { OR: [{ status: 'OPEN' }, { status: 'DONE' }] } },
      'a null compared': { ...board, where: { title: { equals: null } } },
      'no page size': { ...board, take: undefined },
      'a column that is not there': { ...board, where: { 'title" OR 1=1 --': 'x' } },
      'an order by a relation': { ...board, orderBy: [{ community: { name: 'asc' } }] },
    };
    for (const [name, args] of Object.entries(refused)) expect(plainFindMany('Need', args), name).toBeNull();
    expect(plainFindMany('NoSuchModel', board)).toBeNull();
  });

  it('sends its values as parameters, never in the text', () => {
    const { statement } = plainFindMany('Need', { where: { title: `x'; DROP TABLE "Need"; --`, slots: { gte: 2 } }, omit: omits.board, take: 3 })!;
    expect(statement.sql).toBe('SELECT "id", "title", "category", "urgency", "status", "publicLat", "publicLng" FROM "public"."Need" WHERE "title" = $1 AND "slots" >= $2 LIMIT 3');
    expect(statement.args).toEqual([`x'; DROP TABLE "Need"; --`, 2]);
  });
});

describe('the board query', () => {
  // Before: the board's page went through prisma.need.findMany, which maps each of up to 1,000
  // rows twice (bench:board: the largest cost of the query).
  it('reads its needs in one statement, not through Prisma, and answers as it did through Prisma', async () => {
    const query = `query($first: Int) { needs(first: $first) { edges { cursor node { id title category urgency status publicLat publicLng openSlots } } pageInfo { hasNextPage endCursor } } }`;
    await new Promise((r) => setTimeout(r, 300));
    let prismaQueries = 0;
    (s.app.services.prisma as unknown as { $on(e: string, f: () => void): void }).$on('query', () => prismaQueries++);
    const sent: string[] = [];
    const stop = s.app.services.db.onStatement((sql) => sent.push(sql));
    const answer = await new Api(s.url).gql(query, { first: 5 });
    stop();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^SELECT "id", "title", "category", "urgency", "status", "slots", "activeClaims", "publicLat", "publicLng" FROM "public"."Need" WHERE/);
    expect(prismaQueries).toBe(0);
    // Through Prisma (a text filter it leaves to Prisma, that every need here matches).
    const withText = await new Api(s.url).gql(query.replace('needs(first: $first)', 'needs(first: $first, filter: { text: "NEED" })'), { first: 5 });
    expect(prismaQueries).toBeGreaterThan(0);
    expect(JSON.stringify(answer)).toBe(JSON.stringify(withText));
    expect(answer.data.needs.edges).toHaveLength(5);
  });

  // bench:board, the web app's own query: its needs went through Prisma with their community as
  // an include, which Pothos then mapped on every row (40 % of the query's time, and Prisma's
  // passes over each row as well): 97 requests/s against the partners' flat query's 433.
  it("the web app's board query: its needs in one plain statement, their communities in one, each as it is now", async () => {
    const query = print(BoardNeedsQuery as never);
    await new Promise((r) => setTimeout(r, 300));
    const sent: string[] = [];
    const stop = s.app.services.db.onStatement((sql) => sent.push(sql));
    const answer = await new Api(s.url).gql(query, { first: 20, filter: {} });
    stop();
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data.needs.edges.map((e: { node: { community: { name: string } } }) => e.node);
    expect(new Set(nodes.map((n: { community: { name: string } }) => n.community.name)).size).toBe(2);
    expect(sent.filter((q) => /^SELECT "id", .* FROM "public"."Need" WHERE/.test(q))).toHaveLength(1);
    expect(sent.filter((q) => q.includes('"Community"'))).toHaveLength(1);
    expect(sent).toHaveLength(3); // and the total
    // As through Prisma (a text filter it leaves to Prisma, that every need here matches).
    const throughPrisma = await new Api(s.url).gql(query, { first: 20, filter: { text: 'NEED' } });
    expect(JSON.stringify(answer)).toBe(JSON.stringify(throughPrisma));
    // Nothing is kept between reads: a community renamed is named anew on the next board.
    const { prisma } = s.app.services;
    const before = await prisma.community.findUniqueOrThrow({ where: { id: uuidOf(communities[0]!) } });
    await prisma.community.update({ where: { id: before.id }, data: { name: `${before.name} (renamed)` } });
    try {
      const again = await new Api(s.url).gql(query, { first: 20, filter: {} });
      expect(again.data.needs.edges.map((e: { node: { community: { name: string } } }) => e.node.community.name)).toContain(`${before.name} (renamed)`);
    } finally {
      await prisma.community.update({ where: { id: before.id }, data: { name: before.name } });
    }
  });

  it('nearbyNeeds reads its needs the same way, and answers as through Prisma', async () => {
    const query = `query($text: String) { nearbyNeeds(point: { lat: 31.52, lng: 34.6 }, radiusKm: 100, filter: { text: $text }) { id title urgency publicLat publicLng } }`;
    let prismaQueries = 0;
    (s.app.services.prisma as unknown as { $on(e: string, f: () => void): void }).$on('query', () => prismaQueries++);
    const answer = await new Api(s.url).gql(query, {});
    expect(prismaQueries).toBe(0);
    const throughPrisma = await new Api(s.url).gql(query, { text: 'NEED' });
    expect(prismaQueries).toBeGreaterThan(0);
    expect(answer.data.nearbyNeeds.length).toBeGreaterThan(2);
    expect(JSON.stringify(answer)).toBe(JSON.stringify(throughPrisma));
  });
});
