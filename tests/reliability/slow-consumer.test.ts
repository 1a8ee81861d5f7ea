// One subscriber stops reading while thousands of events flow: the others get every event,
// the server's buffer for the slow one stays bounded, and the slow one is closed with 4429
// (SLOW_CONSUMER_CLOSE, with a reason naming the cursor to resume from) as the frames the process
// holds for it cross WS_MAX_PENDING_BYTES, so that it resumes from its cursor, losing nothing,
// instead of holding memory. (Before the budget was counted in the process, the 4 MiB guard
// never fired: the keep-alive cut the socket with 1006.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';
import { openAcknowledged } from '../helpers/rawWs.ts';
import { SLOW_CONSUMER_CLOSE } from '../../api/src/graphql/socketPressure.ts';
import { commit } from '../../api/src/events/unitOfWork.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startApiPair, type ApiPair } from '../helpers/apiPair.ts';
import type { ApiProcess } from '../helpers/process.ts';
import { buildWorld, rebase, type World } from '../helpers/world.ts';
import { pgQuery } from '../helpers/consistency.ts';
import { requires, postgresServer, redisServerProgram } from '../helpers/skips.ts';
import { sampleValue, scrape } from '../helpers/prometheus.ts';

const EVENTS = 3_000;
const NEEDS = 8;
const LIMIT_BYTES = 4 * 1024 * 1024;
// Each event the slow subscriber asks for is about 14 × 4,000 bytes of description.
const HEAVY = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor need { ${Array.from({ length: 14 }, (_, i) => `d${i}: description`).join(' ')} } } }`;
const LIGHT = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor type } }`;
const RESUME = `subscription($c: [ID!], $after: String) { needEvents(filter: { communityIds: $c }, after: $after) { cursor } }`;

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/**
 * Commits `count` UPDATED events on these needs through the outbox, 100 per transaction, as
 * the domain functions write them, and wakes the stream after each commit: a burst faster
 * than a client can take, without spending the test's time in HTTP round trips.
 */
async function burst(needIds: string[], count: number, afterEach: () => void): Promise<number> {
  const needs = await s.app.services.prisma.need.findMany({ where: { id: { in: needIds } } });
  let written = 0;
  while (written < count) {
    const n = Math.min(100, count - written);
    await commit(s.app.services, async (_tx, w) => {
      for (let i = 0; i < n; i++) {
        const need = needs[(written + i) % needs.length]!;
        await w.event({ needId: need.id, communityId: need.communityId, type: 'UPDATED', fromStatus: 'OPEN', toStatus: 'OPEN', actorId: null, at: new Date(), payload: { fields: 'urgency' } });
      }
    });
    written += n;
    // Let I/O run between commits (in-process PGlite would otherwise never yield to it).
    await new Promise((r) => setTimeout(r, 5));
    afterEach();
  }
  return written;
}

let s: TestServer;
let coordinator: Api;
let community: string;

beforeAll(async () => {
  s = await startServer();
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => s?.stop());

describe('a subscriber that stops reading', () => {
  it('is closed with 4429 while the others get every event and the server buffers at most the limit', async () => {
    const needs = [];
    for (let i = 0; i < NEEDS; i++) needs.push(await createNeed(coordinator, community, { description: `${i}`.padEnd(4_000, '.'), title: `heavy ${i}` }));

    // The server side of every connection, to read how much it holds unsent.
    const serverSockets: Socket[] = [];
    const onConnection = (sock: Socket) => serverSockets.push(sock);
    s.app.server.on('connection', onConnection);

    const slow = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
    slow.send({ type: 'subscribe', id: 'heavy', payload: { query: HEAVY, variables: { c: [community] } } });
    const fastClients = [coordinator.ws(), coordinator.ws()];
    const fast = fastClients.map((c) => collect(c, LIGHT, { c: [community] }, (items) => items.length >= EVENTS, 120_000));
    await expect.poll(() => s.app.services.stream.subscriberCount).toBe(3);
    const slowServerSide = serverSockets.find((sock) => sock.remotePort === (slow.ws as any)._socket.localPort)!;
    expect(slowServerSide).toBeDefined();
    s.app.server.off('connection', onConnection);

    // Stop reading: the kernel buffers fill, then the server's.
    (slow.ws as any)._socket.pause();

    let maxUnsent = 0;
    let peakHeap = 0;
    const baseline = process.memoryUsage();
    const sample = () => {
      maxUnsent = Math.max(maxUnsent, slowServerSide.writableLength);
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed + m.external - baseline.heapUsed - baseline.external);
    };
    const sampler = setInterval(sample, 10);

    const slowCloses = async () => (await s.app.services.metrics.slowConsumerCloses.get()).values.find((v) => v.labels.reason === 'socket')?.value ?? 0;
    const closesBefore = await slowCloses();
    const started = Date.now();
    const before = await s.app.services.prisma.needEvent.count();
    const producing = burst(needs.map((n) => uuidOf(n.id)), EVENTS, sample);
    // The server gives up on the slow one while the burst goes on (as its pending frames cross the budget).
    await expect.poll(slowCloses, { timeout: 120_000, interval: 20 }).toBeGreaterThan(closesBefore);
    // It reads again: it gets what was written before the close, then the close (not 1006 after a keep-alive).
    (slow.ws as any)._socket.resume();
    const closed = await Promise.race([slow.closed, new Promise<{ code: number; reason: string }>((r) => setTimeout(() => r({ code: -1, reason: 'none in 60 s' }), 60_000))]);
    const produced = await producing;
    const produceMs = Date.now() - started;
    expect(await s.app.services.prisma.needEvent.count()).toBe(before + produced);

    // Everyone else got every event, in order, each once.
    const stored = (await s.app.services.prisma.needEvent.findMany({ where: { communityId: Buffer.from(community, 'base64').toString().split(':')[1]! }, orderBy: { seq: 'asc' }, select: { seq: true } }))
      .map((e) => e.seq.toString())
      .slice(NEEDS);
    for (const f of fast) {
      const got = (await f.done).map((d: any) => d.needEvents.cursor);
      expect(got).toEqual(stored);
    }
    clearInterval(sampler);

    // The slow one was told to go away, and why.
    const received = slow.frames.filter((f) => f.type === 'next').length;
    console.log(
      `[slow consumer] ${produced} events in ${produceMs} ms; server held at most ${(maxUnsent / 1048576).toFixed(2)} MiB for the slow socket; ` +
        `peak heap+external growth ${(peakHeap / 1048576).toFixed(1)} MiB; slow one got ${received} events then close ${closed.code}`,
    );
    expect(closed.code).toBe(SLOW_CONSUMER_CLOSE);
    expect(closed.reason).toMatch(/after: the cursor of your last event/);
    expect(received).toBeLessThan(produced);

    // It resumes from the cursor of the last event it got, and loses nothing.
    const lastCursor = slow.frames.filter((f) => f.type === 'next').at(-1)?.payload.data.needEvents.cursor as string;
    const expected = stored.slice(stored.indexOf(lastCursor) + 1);
    const resumedClient = coordinator.ws();
    const resumed = await collect(resumedClient, RESUME, { c: [community], after: lastCursor }, (items) => items.length >= expected.length, 120_000).done;
    expect(resumed.map((d: any) => d.needEvents.cursor)).toEqual(expected);
    await resumedClient.dispose();
    // Bounded: the limit plus at most one event's frame (≈ 60 kB) over it.
    expect(maxUnsent).toBeLessThan(LIMIT_BYTES + 256 * 1024);
    for (const c of fastClients) await c.dispose();
    await expect.poll(() => s.app.services.stream.subscriberCount).toBe(0);
  }, 180_000);
});

// The same across two API processes on PostgreSQL + Redis (the deployment of deploy/): the writes
// are mutations on A, the paused reader and other subscribers are on B (and one more on A). The
// close must come at the budget, not later: after B has counted the close, more events are
// written, and the paused reader, reading again, gets none of them before its 4429 (nothing was
// written to it past its budget); the process logs the close with what it held (within the budget),
// and ends the reader's subscription at once, before the reader has read its close.
describe('a subscriber that stops reading, two API processes + Redis', requires(postgresServer, redisServerProgram), () => {
  let db: TestDatabase;
  let pair: ApiPair;
  let world: World;
  let query: ReturnType<typeof pgQuery>;
  const AFTER_CLOSE = 40;
  const MAX_EVENTS = 3_000;

  beforeAll(async () => {
    db = await createTestDatabase();
    pair = await startApiPair({ ...db.env, LOG_LEVEL: 'info' });
    world = await buildWorld(pair.a.url, db.env.DATABASE_URL!, 0);
    query = pgQuery(db.env.DATABASE_URL!);
  }, 180_000);
  afterAll(async () => {
    await pair?.stop();
    await query?.end();
    await db?.drop();
  });

  it('is closed with 4429 at its budget, gets nothing written after it, and resumes on the other process losing nothing', async () => {
    const { coordinator, community } = world;
    const needs: { id: string }[] = [];
    for (let i = 0; i < NEEDS; i++) needs.push(await createNeed(coordinator, community, { description: `${i}`.padEnd(4_000, '.'), title: `heavy ${i}` }));
    const start = (await coordinator.ok(`{ latestEventCursor }`)).latestEventCursor as string;
    const onB = rebase(coordinator, pair.b.url);
    const slowClosesOnB = async () => sampleValue(await scrape(`${pair.b.url}/metrics`), 'mutual_aid_slow_consumer_closes_total', { reason: 'socket' }) ?? 0;
    const subscribersOf = async (api: ApiProcess) => (await (await fetch(`${api.url}/ready`)).json()).subscribers as number;

    const slow = await openAcknowledged(pair.b.url.replace('http', 'ws') + '/graphql', { authToken: coordinator.token });
    slow.send({ type: 'subscribe', id: 'heavy', payload: { query: HEAVY, variables: { c: [community] } } });
    const others = [onB.ws(), coordinator.ws()];
    const fast = others.map((c) => collect(c, RESUME, { c: [community], after: start }, () => false, 240_000));
    for (const f of fast) f.done.catch(() => {});
    await expect.poll(() => subscribersOf(pair.b), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => subscribersOf(pair.a), { timeout: 20_000 }).toBe(1);
    (slow.ws as any)._socket.pause();

    // Mutations on A, 8 at a time, until B has closed the paused reader; then AFTER_CLOSE more.
    const closesBefore = await slowClosesOnB();
    let sent = 0;
    let closedAtSeq: bigint | null = null;
    let afterClose = 0;
    const started = Date.now();
    const update = async () => {
      const i = sent++;
      await coordinator.ok(`mutation($id: ID!, $t: String!) { updateNeed(id: $id, input: { title: $t }) { need { id } } }`, { id: needs[i % NEEDS]!.id, t: `heavy ${i}` });
    };
    while (afterClose < AFTER_CLOSE) {
      if (sent >= MAX_EVENTS) throw new Error(`no 4429 on B after ${sent} events`);
      await Promise.all(Array.from({ length: 8 }, update));
      if (closedAtSeq === null) {
        if ((await slowClosesOnB()) > closesBefore) closedAtSeq = BigInt((await query(`SELECT max(seq)::text AS s FROM "NeedEvent"`))[0].s);
      } else afterClose += 8;
    }
    const produceMs = Date.now() - started;
    const stored = (await query(`SELECT seq::text AS c FROM "NeedEvent" WHERE "communityId" = $1::uuid AND seq > $2 ORDER BY seq`, [uuidOf(community), start])).map((r) => r.c as string);
    // Both other subscribers (on B, on A) got every event, in order, once.
    for (const f of fast) await expect.poll(() => f.items.length, { timeout: 60_000 }).toBe(stored.length);
    for (const f of fast) expect(f.items.map((d: any) => d.needEvents.cursor)).toEqual(stored);

    // While it still does not read (so cannot answer the close), its subscription is over on B: B
    // no longer resolves events for it. (Before, it ran until ws gave up the close handshake, 30 s.)
    await expect.poll(() => subscribersOf(pair.b), { timeout: 10_000 }).toBe(1);
    expect(sampleValue(await scrape(`${pair.b.url}/metrics`), 'mutual_aid_graphql_subscriptions_active')).toBe(1);
    // It reads again: what B wrote to it before the close, then the close.
    (slow.ws as any)._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(SLOW_CONSUMER_CLOSE);
    expect(closed.reason).toMatch(/after: the cursor of your last event/);
    const got = slow.frames.filter((f) => f.type === 'next').map((f) => f.payload.data.needEvents.cursor as string);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(stored.slice(0, got.length)); // in order, from the start, none skipped
    expect(BigInt(got.at(-1)!)).toBeLessThanOrEqual(closedAtSeq!); // nothing committed after the close reached it
    const logged = pair.b
      .output()
      .split('\n')
      .filter((l) => l.includes('stopped reading (4429)'))
      .map((l) => JSON.parse(l));
    expect(logged).toHaveLength(1);
    expect(logged[0].bytes).toBeLessThanOrEqual(LIMIT_BYTES);

    // It resumes on A from the cursor of its last event, and loses nothing.
    const rest = stored.slice(got.length);
    const resumer = coordinator.ws();
    const resumed = await collect(resumer, RESUME, { c: [community], after: got.at(-1) }, (items) => items.length >= rest.length, 60_000).done;
    expect(resumed.map((d: any) => d.needEvents.cursor)).toEqual(rest);
    await resumer.dispose();
    for (const c of others) await c.dispose();
    console.log(
      `[slow consumer, two processes] ${stored.length} events from mutations on A in ${produceMs} ms; B closed the paused reader (4429) holding ${(logged[0].bytes / 1048576).toFixed(2)} MiB ` +
        `in ${logged[0].frames} frames, after it had got ${got.length} events; ${AFTER_CLOSE}+ events written after the close reached the others on A and B and not it; resumed on A: ${rest.length} events, none lost`,
    );
  }, 300_000);
});
