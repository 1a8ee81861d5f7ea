import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';
import { overWs } from '../helpers/transports.ts';
import { sampleValue, scrape } from '../helpers/prometheus.ts';

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
    async function overSse(after: string, url = s.url) {
      const res = await fetch(`${url}/graphql`, {
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

    // A view away so long that replaying would cost more than loading it again (20 dashboards
    // replaying 5,000 events each pushed live delivery to seconds): refused with CURSOR_EXPIRED,
    // naming the window, and the client loads its view again; one just inside the window replays.
    it('is refused with CURSOR_EXPIRED when older than the replay window, over graphql-ws and Server-Sent Events', async () => {
      const small = await startServer({ REPLAY_WINDOW_EVENTS: '5' });
      try {
        const admin2 = await adminClient(small.url, small.app.services.prisma);
        const c = await createCommunity(admin2);
        const coord = await member(small.url, admin2, c, 'COORDINATOR');
        for (let i = 0; i < 8; i++) await createNeed(coord, c, { title: `windowed ${i}` });
        const latest = BigInt((await coord.ok('{ latestEventCursor }')).latestEventCursor as string);
        const tooOld = (latest - 6n).toString();
        const ws = await overWs(small.url, EVENTS, { after: tooOld });
        expect(codes(ws.errors)).toEqual(['CURSOR_EXPIRED']);
        expect(ws.errors[0]!.extensions).toMatchObject({ latest: latest.toString(), windowEvents: 5, cursor: tooOld });
        expect(codes((await overSse(tooOld, small.url)).errors)).toEqual(['CURSOR_EXPIRED']);
        // Five back is inside the window: those five are replayed.
        const replay = collect(coord.ws(), EVENTS, { after: (latest - 5n).toString() }, (items) => items.length >= 5);
        expect((await replay.done).map((d) => BigInt(d.needEvents.cursor))).toEqual([4n, 3n, 2n, 1n, 0n].map((k) => latest - k));
      } finally {
        await small.stop();
      }
    });

    it('is BAD_USER_INPUT when it is no cursor at all (beyond a 64-bit sequence)', async () => {
      for (const cursor of ['9223372036854775808', '9999999999999999999']) {
        const ws = await overWs(s.url, EVENTS, { after: cursor });
        expect(codes(ws.errors)).toEqual(['BAD_USER_INPUT']);
        expect(codes((await overSse(cursor)).errors)).toEqual(['BAD_USER_INPUT']);
      }
    });
  });

  // 20 dashboards replaying 5,000 events each pushed live delivery to seconds: replays now share
  // one budget per process (REPLAY_EVENTS_PER_SECOND, first come first served) and live events
  // never wait for it. Three replays of 150 events at 50 events/s take seconds; an event written
  // meanwhile reaches a live subscriber while they are still replaying, and each replay still
  // gets every event once, in order.
  it('replays share a budget that live events never wait for', async () => {
    const small = await startServer({ REPLAY_EVENTS_PER_SECOND: '50' });
    try {
      const admin2 = await adminClient(small.url, small.app.services.prisma);
      const c = await createCommunity(admin2);
      const coord = await member(small.url, admin2, c, 'COORDINATOR');
      await createNeed(coord, c, { title: 'replayed' });
      const prisma = small.app.services.prisma;
      const row = await prisma.need.findFirstOrThrow({ where: { title: 'replayed' }, select: { id: true, communityId: true } });
      const before = BigInt((await coord.ok('{ latestEventCursor }')).latestEventCursor as string);
      // 150 stored events at once (the history a resuming dashboard missed).
      await prisma.needEvent.createMany({ data: Array.from({ length: 150 }, () => ({ needId: row.id, communityId: row.communityId, type: 'UPDATED' as const, toStatus: 'OPEN' as const })) });
      // Numbered by the sequencer (events/outbox.ts), as a commit elsewhere would have them.
      await small.app.services.sequencer.stamp();
      const latest = (await prisma.needEvent.aggregate({ _max: { seq: true } }))._max.seq!;
      // A live subscriber (which also starts the process's stream reading the outbox).
      let freshId: string | null = null;
      const live = collect(coord.ws(), EVENTS, { filter: { communityIds: [c] } }, (items) => items.some((i) => i.needEvents.need.id === freshId), 60_000);
      // Written behind the stream's back: read them now rather than at the next poll.
      await expect.poll(() => small.app.services.stream.pull().then(() => small.app.services.stream.head), { timeout: 20_000 }).toBe(latest);

      const replays = [0, 1, 2].map(() => collect(coord.ws(), EVENTS, { after: before.toString() }, (items) => items.length >= 151, 120_000));
      let replaysDone = 0;
      for (const r of replays) void r.done.then(() => replaysDone++);
      // The replays queue for the budget (the gauge says so) …
      await expect.poll(async () => sampleValue(await scrape(`${small.url}/metrics`), 'mutual_aid_replays_waiting'), { timeout: 20_000 }).toBeGreaterThan(0);
      // … while a live event goes straight through.
      const fresh = await createNeed(coord, c, { title: 'live during the replays' });
      freshId = fresh.id;
      await live.done;
      expect(replaysDone).toBe(0);
      for (const r of replays) {
        const cursors = (await r.done).slice(0, 151).map((d) => BigInt(d.needEvents.cursor));
        expect(cursors.slice(0, 150)).toEqual(Array.from({ length: 150 }, (_, k) => latest - 149n + BigInt(k)));
      }
    } finally {
      await small.stop();
    }
  }, 180_000);

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
