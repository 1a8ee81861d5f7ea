// The composition root: each app has its own services (database, clock, rules, event stream),
// so two apps run side by side in one process without seeing each other's state; and every
// write publishes what it committed (the outbox poll is off in tests: see helpers/server.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';

const EVENTS = `subscription($filter: NeedEventFilter) { needEvents(filter: $filter) { type need { id title } } }`;
const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;

type World = { s: TestServer; admin: Api; community: string; coordinator: Api; volunteer: Api };

async function world(env: Record<string, string> = {}): Promise<World> {
  const s = await startServer(env);
  const admin = await adminClient(s.url, s.app.services.prisma);
  const community = await createCommunity(admin);
  return { s, admin, community, coordinator: await member(s.url, admin, community, 'COORDINATOR'), volunteer: await member(s.url, admin, community, 'VOLUNTEER') };
}

let a: World;
let b: World;

beforeAll(async () => {
  a = await world();
  b = await world({ MAX_ACTIVE_CLAIMS: '2', CLAIM_TTL_MINUTES: '30' });
});
afterAll(async () => {
  await a?.s.stop();
  await b?.s.stop();
});

describe('two apps in one process', () => {
  it('each has its own frozen services and rules from its own config', () => {
    expect(a.s.app.services).not.toBe(b.s.app.services);
    expect(Object.isFrozen(a.s.app.services)).toBe(true);
    expect(Object.isFrozen(a.s.app.services.rules.claims)).toBe(true);
    expect(a.s.app.services.rules.claims).toEqual({ ttlMinutes: 240, maxActivePerVolunteer: 5 });
    expect(b.s.app.services.rules.claims).toEqual({ ttlMinutes: 30, maxActivePerVolunteer: 2 });
  });

  // Node's own 300 s cut a 10 MiB CSV import off at line 72,810 (bench:import): a request,
  // body included, may take HTTP_REQUEST_TIMEOUT_SECONDS to arrive.
  it('gives a request (a long CSV import) 30 minutes to arrive, not Node\'s 5', () => {
    expect(a.s.app.server.requestTimeout).toBe(1_800_000);
  });

  it('moving one clock does not move the other', () => {
    a.s.app.services.clock.advance(3_600_000);
    try {
      const gap = a.s.app.services.clock.now().getTime() - b.s.app.services.clock.now().getTime();
      expect(gap).toBeGreaterThanOrEqual(3_500_000);
    } finally {
      a.s.app.services.clock.reset();
    }
  });

  it("each enforces its own claim cap through the API", async () => {
    const needs = [];
    for (let i = 0; i < 3; i++) needs.push(await createNeed(b.coordinator, b.community));
    await b.volunteer.ok(CLAIM, { id: needs[0].id });
    await b.volunteer.ok(CLAIM, { id: needs[1].id });
    const third = await b.volunteer.gql(CLAIM, { id: needs[2].id });
    expect(third.errors?.[0]?.extensions).toMatchObject({ code: 'CLAIM_LIMIT', limit: 2 });
    // The other app, with the default cap, lets the same number through.
    for (let i = 0; i < 3; i++) await a.volunteer.ok(CLAIM, { id: (await createNeed(a.coordinator, a.community)).id });
  });

  it("a change in one app reaches that app's subscribers only", async () => {
    const wsA = a.coordinator.ws();
    const wsB = b.coordinator.ws();
    const subA = collect(wsA, EVENTS, { filter: { communityIds: [a.community] } }, (items) => items.length >= 1);
    const subB = collect(wsB, EVENTS, {}, (items) => items.length >= 1);
    await expect.poll(() => a.s.app.services.stream.subscriberCount).toBe(1);
    await expect.poll(() => b.s.app.services.stream.subscriberCount).toBe(1);
    await createNeed(a.coordinator, a.community, { title: 'in app A' });
    // B's first event is B's own: A's change never reached it.
    await createNeed(b.coordinator, b.community, { title: 'in app B' });
    expect((await subA.done)[0].needEvents.need.title).toBe('in app A');
    expect((await subB.done)[0].needEvents.need.title).toBe('in app B');
    await wsA.dispose();
    await wsB.dispose();
  });
});

describe('every write publishes what it committed (no outbox poll)', () => {
  it('intake, edit, claim, start, complete, cancel and reopen each reach a live subscriber', async () => {
    const { coordinator, volunteer, community } = a;
    const ws = coordinator.ws();
    const types: string[] = [];
    const sub = collect(ws, EVENTS, { filter: { communityIds: [community] } }, (items) => {
      types.splice(0, types.length, ...items.map((i) => i.needEvents.type));
      return items.length >= 9;
    });
    await expect.poll(() => a.s.app.services.stream.subscriberCount).toBe(1);
    const need = await createNeed(coordinator, community);
    await coordinator.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { urgency: HIGH }) { need { id } } }`, { id: need.id });
    const claim = (await volunteer.ok(CLAIM, { id: need.id })).claimNeed.claim.id;
    await volunteer.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: claim });
    await volunteer.ok(`mutation($id: ID!) { completeClaim(claimId: $id) { claim { id } } }`, { id: claim });
    const other = await createNeed(coordinator, community);
    await coordinator.ok(`mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id: other.id });
    await coordinator.ok(`mutation($id: ID!) { reopenNeed(id: $id) { need { id } } }`, { id: other.id });
    await coordinator.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { urgency: LOW }) { need { id } } }`, { id: other.id });
    await sub.done;
    expect(types).toEqual(['CREATED', 'UPDATED', 'CLAIMED', 'STARTED', 'COMPLETED', 'CREATED', 'CANCELLED', 'REOPENED', 'UPDATED']);
    await ws.dispose();
  });
});
