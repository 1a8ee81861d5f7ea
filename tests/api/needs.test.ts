// The board's queries: filters, sorts, cursors, nearby, node; and the SSE transport.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { schema } from '../../api/src/schema/index.ts';

let s: TestServer;
let admin: Api;
let coordinator: Api;
let community: string;
let other: string;
const anon = () => new Api(s.url);

beforeAll(async () => {
  // No background outbox poll, so that statement counts are exact.
  s = await startServer({ EVENT_POLL_MS: '600000' });
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin, undefined, { lat: 31.525, lng: 34.597 });
  other = await createCommunity(admin, undefined, { lat: 32.794, lng: 34.99 });
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  await admin.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: COORDINATOR) { role } }`, { c: other, u: (coordinator as any).userId });
  await coordinator.signIn((await coordinator.ok(`{ me { email } }`)).me.email, 'correct horse battery');
  // Sderot: 4 needs; Haifa: 2.
  await createNeed(coordinator, community, { title: 'Insulin run', category: 'MEDICINE', urgency: 'CRITICAL', lat: 31.524, lng: 34.596 });
  await createNeed(coordinator, community, { title: 'Shabbat food package', category: 'FOOD', urgency: 'LOW', lat: 31.53, lng: 34.6 });
  await createNeed(coordinator, community, { title: 'Babysitting for reservist family', category: 'CHILDCARE', urgency: 'HIGH', lat: 31.52, lng: 34.59 });
  const cancelled = await createNeed(coordinator, community, { title: 'Cancelled need', category: 'FOOD', urgency: 'HIGH' });
  await coordinator.ok(`mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id: cancelled.id });
  await createNeed(coordinator, other, { title: 'Harvest help', category: 'AGRICULTURE', urgency: 'NORMAL', lat: 32.79, lng: 34.99 });
  await createNeed(coordinator, other, { title: 'Ride to hospital', category: 'TRANSPORT', urgency: 'CRITICAL', lat: 32.8, lng: 34.98 });
});
afterAll(async () => s?.stop());

const NEEDS = `query($filter: NeedFilter, $sort: NeedSort, $first: Int, $after: String) {
  needs(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id title urgency category status } }
  }
}`;
const titles = (d: any) => d.needs.edges.map((e: any) => e.node.title);

describe('needs', () => {
  it('lists live needs, most urgent then oldest first, and hides cancelled ones by default', async () => {
    const d = await anon().ok(NEEDS);
    expect(d.needs.totalCount).toBe(5);
    expect(titles(d)).toEqual(['Insulin run', 'Ride to hospital', 'Babysitting for reservist family', 'Harvest help', 'Shabbat food package']);
  });

  it('filters by bbox, categories, urgencies, statuses, community and text', async () => {
    const sderot = { minLat: 31.4, maxLat: 31.6, minLng: 34.5, maxLng: 34.7 };
    expect(titles(await anon().ok(NEEDS, { filter: { bbox: sderot } }))).toHaveLength(3);
    expect(titles(await anon().ok(NEEDS, { filter: { categories: ['FOOD', 'MEDICINE'] } }))).toEqual(['Insulin run', 'Shabbat food package']);
    expect(titles(await anon().ok(NEEDS, { filter: { urgencies: ['CRITICAL'], communityIds: [other] } }))).toEqual(['Ride to hospital']);
    expect(titles(await anon().ok(NEEDS, { filter: { statuses: ['CANCELLED'] } }))).toEqual(['Cancelled need']);
    expect(titles(await anon().ok(NEEDS, { filter: { text: 'RESERVIST' } }))).toEqual(['Babysitting for reservist family']);
  });

  it('pages with Relay cursors without overlap', async () => {
    const first = await anon().ok(NEEDS, { first: 2, sort: 'NEWEST' });
    expect(first.needs.pageInfo.hasNextPage).toBe(true);
    const second = await anon().ok(NEEDS, { first: 10, sort: 'NEWEST', after: first.needs.pageInfo.endCursor });
    const all = [...titles(first), ...titles(second)];
    expect(new Set(all).size).toBe(5);
    expect(all[0]).toBe('Ride to hospital');
  });

  it('finds nearby needs, nearest first', async () => {
    const d = await anon().ok(`{ nearbyNeeds(point: { lat: 31.524, lng: 34.596 }, radiusKm: 10) { title } }`);
    expect(d.nearbyNeeds.map((n: any) => n.title)).toHaveLength(3);
    expect(d.nearbyNeeds.map((n: any) => n.title)).not.toContain('Harvest help');
    const bad = await anon().gql(`{ nearbyNeeds(point: { lat: 95, lng: 34 }, radiusKm: -1) { title } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/Latitude|radiusKm/);
  });

  it('resolves node(id) for needs and communities', async () => {
    const [edge] = (await anon().ok(NEEDS, { first: 1 })).needs.edges;
    const d = await anon().ok(`query($id: ID!, $c: ID!) { n: node(id: $id) { __typename ... on Need { title } } c: node(id: $c) { __typename ... on Community { name } } }`, { id: edge.node.id, c: community });
    expect(d.n).toEqual({ __typename: 'Need', title: edge.node.title });
    expect(d.c.__typename).toBe('Community');
  });

  it('nodes(ids) keeps its order and answers null where an id names nothing (Relay)', async () => {
    const [a, b] = (await anon().ok(NEEDS, { first: 2 })).needs.edges.map((e: any) => e.node);
    const gone = Buffer.from('Need:00000000-0000-4000-8000-000000000000').toString('base64');
    const r = await anon().gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Need { title } } }`, { ids: [b.id, gone, a.id] });
    expect(r.errors).toBeUndefined();
    expect(r.data.nodes).toEqual([{ id: b.id, title: b.title }, null, { id: a.id, title: a.title }]);
  });

  it('a malformed id is bad input, not a masked database error', async () => {
    const bad = Buffer.from('Need:not-a-uuid').toString('base64');
    for (const q of [`query($id: ID!) { need(id: $id) { id } }`, `query($id: ID!) { node(id: $id) { id } }`, `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`]) {
      const r = await coordinator.gql(q, { id: bad });
      expect(r.errors?.[0]?.extensions?.code, q).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message, q).toMatch(/Malformed id/);
    }
    const r = await coordinator.gql(NEEDS, { filter: { communityIds: [bad] } });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a query run again (then compiled, api/src/graphql/jit.ts) as the first time, variables beneath its root fields included', async () => {
    const [need] = (await anon().ok(NEEDS, { first: 1 })).needs.edges.map((e: any) => e.node);
    // The board's shape, compiled once it has run GRAPHQL_COMPILE_AFTER_RUNS times.
    const board = `query($bbox: BBoxInput!, $first: Int!) { needs(filter: { bbox: $bbox }, first: $first) { edges { node { id title category urgency status publicLat publicLng createdAt } } } }`;
    const sderot = { bbox: { minLat: 31.4, maxLat: 31.6, minLng: 34.5, maxLng: 34.7 }, first: 10 };
    // Variables in a nested field's arguments and a directive (Pothos' selection mapping reads
    // them), and a scoped field: run on the executor, never compiled.
    const nested = `query($id: ID!, $n: Int, $withEvents: Boolean!) { need(id: $id) { id title events(first: $n) @include(if: $withEvents) { edges { node { type } } } } }`;
    const vars = { id: need.id, n: 5, withEvents: true };
    const firstBoard = await anon().gql(board, sderot);
    const firstNested = await coordinator.gql(nested, vars);
    expect(firstBoard.errors).toBeUndefined();
    expect(firstNested.errors).toBeUndefined();
    expect(firstNested.data.need.events.edges.length).toBeGreaterThan(0);
    // A refused private field: the same error, and the same null, however often it runs.
    const refused = `query($id: ID!) { need(id: $id) { title privateDetails { address requesterPhone } } }`;
    const firstRefused = await anon().gql(refused, { id: need.id });
    expect(firstRefused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // A public document answering an error (a malformed id): once compiled, still the executor's answer.
    const byId = `query($id: ID!) { need(id: $id) { id title } }`;
    const malformed = { id: Buffer.from('Need:not-a-uuid').toString('base64') };
    const firstMalformed = await anon().gql(byId, malformed);
    expect(firstMalformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Byte for byte: the parsed answer keeps the order of its keys.
    const text = (r: unknown) => JSON.stringify(r);
    for (let i = 0; i < s.app.config.GRAPHQL_COMPILE_AFTER_RUNS + 2; i++) {
      expect(text(await anon().gql(board, sderot))).toBe(text(firstBoard));
      expect(text(await coordinator.gql(nested, vars))).toBe(text(firstNested));
      expect(text(await anon().gql(refused, { id: need.id }))).toBe(text(firstRefused));
      expect(text(await anon().gql(byId, malformed))).toBe(text(firstMalformed));
    }
  });

  it('answers the board query in one SQL statement whatever the page size', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const count = async (first: number) => {
      const before = s.app.services.db.statements.count;
      await anon().ok(`query($first: Int) { needs(first: $first) { edges { node { id title category urgency status publicLat publicLng openSlots } } } }`, { first });
      return s.app.services.db.statements.count - before;
    };
    expect(await count(1)).toBe(1);
    expect(await count(100)).toBe(1);
  });

  it("answers viewerCan on the board with at most two more statements (the viewer's claims; their vetting, as needs there ask for it), whatever the page size", async () => {
    await new Promise((r) => setTimeout(r, 300));
    const count = async (who: Api, first: number) => {
      const before = s.app.services.db.statements.count;
      await who.ok(`query($first: Int) { needs(first: $first) { edges { node { id viewerCan { claim start seePrivate } } } } }`, { first });
      return s.app.services.db.statements.count - before;
    };
    expect(await count(anon(), 1)).toBe(1);
    expect(await count(anon(), 100)).toBe(1);
    const signedIn = await count(coordinator, 1);
    expect(await count(coordinator, 100)).toBe(signedIn);
    expect(signedIn - (await count(coordinator, 0))).toBeLessThanOrEqual(2);
  });

  it('answers the dashboard in a fixed number of statements', async () => {
    const count = async () => {
      const before = s.app.services.db.statements.count;
      await coordinator.ok(`{ boardStats { open claimed inProgress doneToday medianMinutesToClaim openByCategory { category count } openByUrgency { urgency count } claimsPerHour { hour count } } }`);
      return s.app.services.db.statements.count - before;
    };
    const small = await count();
    for (let i = 0; i < 10; i++) await createNeed(coordinator, community);
    await new Promise((r) => setTimeout(r, 300)); // let the event stream's reads settle
    expect(await count()).toBe(small);
  });

  it('serves subscriptions over Server-Sent Events too', async () => {
    const controller = new AbortController();
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { needEvents { type need { title } } }' }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    await new Promise((r) => setTimeout(r, 300));
    await createNeed(coordinator, community, { title: 'Over SSE' });
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!text.includes('Over SSE') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('"title":"Over SSE"');
  });
});

describe('lists of needs load only the columns their selection reads', () => {
  /**
   * Every field of Need; an object of its own table by its id, any other object (the private
   * details, made of the need's columns) with all its leaf fields.
   */
  const everyNeedField = () =>
    Object.values((schema.getType('Need') as GraphQLObjectType).getFields())
      .map((f) => {
        const type = getNamedType(f.type);
        if (isLeafType(type)) return f.name;
        const fields = isObjectType(type) ? type.getFields() : {};
        const leaves = fields.id ? ['id'] : Object.values(fields).filter((l) => isLeafType(getNamedType(l.type))).map((l) => l.name);
        return `${f.name} { __typename ${leaves.join(' ')} }`;
      })
      .join(' ');

  it('answers every field of a need through the board and nearbyNeeds as need(id) does', async () => {
    // A need with everything set: a window, an e-mail, a live claim.
    const need = await createNeed(coordinator, community, {
      title: 'Every field',
      requesterEmail: 'miriam@example.org',
      neededFrom: '2031-01-01T08:00:00.000Z',
      neededBy: '2031-01-01T12:00:00.000Z',
      slots: 2,
    });
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    await volunteer.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });

    const fields = everyNeedField();
    const board = (
      await coordinator.ok(`query($c: [ID!], $first: Int) { needs(filter: { communityIds: $c }, first: $first) { edges { node { ${fields} } } } }`, { c: [community], first: 100 })
    ).needs.edges.map((e: any) => e.node);
    const nearby = (await coordinator.ok(`query($first: Int) { nearbyNeeds(point: { lat: 31.525, lng: 34.597 }, radiusKm: 50, first: $first) { ${fields} } }`, { first: 100 })).nearbyNeeds;
    expect(board.map((n: any) => n.title)).toContain('Every field');
    expect(nearby.map((n: any) => n.title)).toContain('Every field');
    for (const n of [...board, ...nearby]) {
      const whole = (await coordinator.ok(`query($id: ID!) { need(id: $id) { ${fields} } }`, { id: n.id })).need;
      expect(n).toEqual(whole);
    }
    const full = board.find((n: any) => n.title === 'Every field');
    expect(full.privateDetails).toMatchObject({ requesterEmail: 'miriam@example.org', requesterPhone: '+972-50-123-4567', address: '12 Herzl St, Sderot' });
    expect(full.openSlots).toBe(1);
  });

  it('answers a board that asks for no need at all (cursors and counts only)', async () => {
    // Pothos then selects the cursor column alone; Prisma refuses `omit` beside a `select`.
    const d = await anon().ok(`{ needs(first: 2) { totalCount edges { cursor } } nearbyNeeds(point: { lat: 31.524, lng: 34.596 }, radiusKm: 10) { __typename } }`);
    expect(d.needs.edges).toHaveLength(2);
    expect(d.nearbyNeeds.length).toBeGreaterThan(0);
  });

  it("does not read a requester's details for the public board", async () => {
    const sql: string[] = [];
    const stop = s.app.services.db.onStatement((q) => sql.push(q));
    await anon().ok(`{ needs(first: 5) { edges { node { id title publicLat publicLng } } } }`);
    stop();
    const board = sql.filter((q) => q.includes('"Need"'));
    expect(board).toHaveLength(1);
    expect(board[0]).toContain('"title"');
    for (const column of ['lat', 'lng', 'address', 'requesterName', 'requesterPhone', 'requesterEmail', 'description']) expect(board[0]).not.toContain(`"${column}"`);
  });
});
