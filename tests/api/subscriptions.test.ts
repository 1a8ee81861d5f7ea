import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';
import { overWs } from '../helpers/transports.ts';

const EVENTS = `subscription($after: String, $filter: NeedEventFilter) {
  needEvents(after: $after, filter: $filter) { cursor type toStatus needId need { id title status } }
}`;

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => s?.stop());

describe('needEvents', () => {
  it('delivers a change live over graphql-ws', async () => {
    const ws = coordinator.ws();
    const sub = collect(ws, EVENTS, { filter: { communityIds: [community] } }, (items) => items.length >= 1);
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    const need = await createNeed(coordinator, community, { title: 'Live one' });
    const [first] = await sub.done;
    expect(first.needEvents).toMatchObject({ type: 'CREATED', toStatus: 'OPEN', need: { id: need.id, title: 'Live one' } });
    await ws.dispose();
  });

  it('resumes from a cursor after a disconnect: 1,000 events, each exactly once, in order', async () => {
    const ws = coordinator.ws();
    const seen: any[] = [];
    const first = collect(ws, EVENTS, { filter: { communityIds: [community] } }, (items) => items.length >= 5);
    await new Promise((r) => setTimeout(r, 300));
    const needs = [];
    for (let i = 0; i < 5; i++) needs.push(await createNeed(coordinator, community, { title: `before ${i}` }));
    seen.push(...(await first.done).map((d) => d.needEvents));
    await ws.dispose(); // the connection drops
    const lastCursor = seen.at(-1).cursor;

    // 1,000 events happen while the subscriber is away (created, updated, cancelled, reopened).
    const target = 1_000;
    let produced = 0;
    for (let i = 0; produced < target; i++) {
      const n = await createNeed(coordinator, community, { title: `away ${i}` });
      produced++;
      for (const op of [
        `mutation($id: ID!) { updateNeed(id: $id, input: { urgency: CRITICAL }) { need { id } } }`,
        `mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`,
        `mutation($id: ID!) { reopenNeed(id: $id) { need { id } } }`,
      ]) {
        if (produced >= target) break;
        await coordinator.ok(op, { id: n.id });
        produced++;
      }
    }
    const stored = await s.app.services.prisma.needEvent.findMany({
      where: { seq: { gt: BigInt(lastCursor) } },
      orderBy: { seq: 'asc' },
      select: { seq: true },
    });
    expect(stored).toHaveLength(target);

    // Reconnect with the last cursor; also produce more live events during the replay.
    const ws2 = coordinator.ws();
    const resumed = collect(ws2, EVENTS, { after: lastCursor, filter: { communityIds: [community] } }, (items) => items.length >= target + 3, 60_000);
    for (let i = 0; i < 3; i++) await createNeed(coordinator, community, { title: `during replay ${i}` });
    const got = (await resumed.done).map((d) => d.needEvents);
    const cursors = got.map((e) => BigInt(e.cursor));
    const expected = (await s.app.services.prisma.needEvent.findMany({ where: { seq: { gt: BigInt(lastCursor) } }, orderBy: { seq: 'asc' }, select: { seq: true } })).map((e) => e.seq);
    expect(cursors).toEqual(expected); // every event, once, in order, across the replay/live seam
    expect(new Set(cursors.map(String)).size).toBe(cursors.length);
    await ws2.dispose();
  }, 180_000);

  describe('a cursor no stored event has reached', () => {
    /** The subscription's first answer over Server-Sent Events (the stream ends after an error). */
    async function overSse(after: string) {
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: EVENTS, variables: { after } }),
      });
      const reader = res.body!.getReader();
      let text = '';
      while (!/"errors"|"data"/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await reader.cancel();
      const line = text.split('\n').find((l) => l.startsWith('data:') && l.includes('{'));
      return JSON.parse(line!.slice(5)) as { errors?: { extensions?: { code?: string; latest?: string | null; field?: string } }[] };
    }
    const codes = (errors: { extensions?: { code?: string } }[] | undefined) => (errors ?? []).map((e) => e.extensions?.code);

    // After a restore from an older backup every open dashboard holds such a cursor; it used to
    // get neither an error nor events, and looked live while showing nothing.
    it('is refused with CURSOR_AHEAD naming the latest cursor, over graphql-ws and Server-Sent Events', async () => {
      await createNeed(coordinator, community);
      const latest = (await coordinator.ok('{ latestEventCursor }')).latestEventCursor as string;
      const ahead = (BigInt(latest) + 1000n).toString();
      for (const cursor of [ahead, '9223372036854775807']) {
        const ws = await overWs(s.url, EVENTS, { after: cursor });
        expect(codes(ws.errors)).toEqual(['CURSOR_AHEAD']);
        expect(BigInt(ws.errors[0]!.extensions!.latest)).toBeGreaterThanOrEqual(BigInt(latest));
        expect(codes((await overSse(cursor)).errors)).toEqual(['CURSOR_AHEAD']);
      }
      // The newest cursor itself is fine: the subscription starts and waits.
      const sub = collect(coordinator.ws(), EVENTS, { after: latest, filter: { communityIds: [community] } }, (items) => items.length >= 1);
      const need = await createNeed(coordinator, community, { title: 'After the newest' });
      const [first] = await sub.done;
      expect(first.needEvents.need.id).toBe(need.id);
    });

    it('is BAD_USER_INPUT when it is no cursor at all (beyond a 64-bit sequence)', async () => {
      for (const cursor of ['9223372036854775808', '9999999999999999999']) {
        const ws = await overWs(s.url, EVENTS, { after: cursor });
        expect(codes(ws.errors)).toEqual(['BAD_USER_INPUT']);
        expect(codes((await overSse(cursor)).errors)).toEqual(['BAD_USER_INPUT']);
      }
    });
  });

  it('filters by community, category and status', async () => {
    const other = await createCommunity(admin);
    const otherCoordinator = await member(s.url, admin, other, 'COORDINATOR');
    const ws = coordinator.ws();
    const sub = collect(ws, EVENTS, { filter: { communityIds: [community], categories: ['MEDICINE'] } }, (items) => items.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    await createNeed(otherCoordinator, other, { category: 'MEDICINE' });
    await createNeed(coordinator, community, { category: 'FOOD' });
    const wanted = await createNeed(coordinator, community, { category: 'MEDICINE', title: 'Insulin' });
    const [only] = await sub.done;
    expect(only.needEvents.need.id).toBe(wanted.id);
    await ws.dispose();
  });

  it('needChanged follows one need', async () => {
    const need = await createNeed(coordinator, community);
    const v = await member(s.url, admin, community, 'VOLUNTEER');
    const ws = v.ws();
    const sub = collect(ws, `subscription($id: ID!) { needChanged(id: $id) { id status openSlots } }`, { id: need.id }, (items) => items.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    await v.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });
    const [changed] = await sub.done;
    expect(changed.needChanged).toMatchObject({ id: need.id, status: 'CLAIMED', openSlots: 0 });
    await ws.dispose();
  });

  it("needChanged's viewerCan follows the viewer's own claim from event to event (the context outlives them)", async () => {
    const need = await createNeed(coordinator, community);
    const v = await member(s.url, admin, community, 'VOLUNTEER');
    const ws = v.ws();
    const sub = collect(ws, `subscription($id: ID!) { needChanged(id: $id) { id status viewerCan { claim start release } } }`, { id: need.id }, (items) => items.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    const claim = (await v.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id })).claimNeed.claim;
    await new Promise((r) => setTimeout(r, 300));
    await v.ok(`mutation($id: ID!) { releaseClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
    const [claimed, released] = await sub.done;
    expect(claimed.needChanged).toMatchObject({ status: 'CLAIMED', viewerCan: { claim: false, start: true, release: true } });
    expect(released.needChanged).toMatchObject({ status: 'OPEN', viewerCan: { claim: true, start: false, release: false } });
    await ws.dispose();
  });

  it('the dashboard stats update live for coordinators only', async () => {
    const v = await member(s.url, admin, community, 'VOLUNTEER');
    const denied = await v.gql(`{ boardStats { open } }`);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ws = coordinator.ws();
    const before = (await coordinator.ok(`{ boardStats { open claimed } }`)).boardStats;
    const sub = collect(ws, `subscription { boardStats { open claimed openByCategory { category count } claimsPerHour { count } } }`, {}, (items) => items.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    await createNeed(coordinator, community, { category: 'HOSTING' });
    const [, after] = await sub.done;
    expect(after.boardStats.open).toBe(before.open + 1);
    expect(after.boardStats.claimsPerHour).toHaveLength(24);
    await ws.dispose();
  });

  it('closing a socket mid-subscription leaves no listener behind', async () => {
    const settle = () => new Promise((r) => setTimeout(r, 500));
    await settle();
    expect(s.app.services.stream.subscriberCount).toBe(0); // earlier tests closed theirs
    const open = coordinator.ws();
    collect(open, EVENTS, {}, () => false, 60_000).done.catch(() => {});
    await settle();
    expect(s.app.services.stream.subscriberCount).toBe(1);
    // Closing at every moment: before the ack, right after subscribing, after a while.
    for (let i = 0; i < 30; i++) {
      const ws = coordinator.ws();
      collect(ws, EVENTS, { after: '0' }, () => false, 60_000).done.catch(() => {});
      await new Promise((r) => setTimeout(r, i % 3 === 0 ? 0 : i % 3 === 1 ? 5 : 50));
      await ws.dispose();
    }
    await open.dispose();
    await settle();
    expect(s.app.services.stream.subscriberCount).toBe(0);
  });
});
