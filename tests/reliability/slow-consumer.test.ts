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
