// One WebSocket may hold at most MAX_SUBSCRIPTIONS_PER_SOCKET (default 50) live operations:
// the subscribe beyond closes the socket with 4429 and a reason, and ends every subscription it
// held. Only live ones count: a socket that completes its subscriptions keeps opening new ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { openAcknowledged, type RawSocket } from '../helpers/rawWs.ts';

const CAP = 50; // the default
const SUBSCRIPTION = { query: 'subscription { needEvents { cursor type } }' };
const patience = { timeout: 30_000, interval: 50 };

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

const live = () => s.app.services.stream.subscriberCount;

function subscribe(sock: RawSocket, ids: string[]) {
  for (const id of ids) sock.send({ type: 'subscribe', id, payload: SUBSCRIPTION });
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** Subscribes `ids` on `sock`, waits until they are live, then checks that every one gets the event of a new need. */
async function fill(sock: RawSocket, ids: string[]) {
  subscribe(sock, ids);
  await expect.poll(live, patience).toBe(ids.length);
  const before = sock.frames.length;
  const delivered = () => new Set(sock.frames.slice(before).filter((f) => f.type === 'next').map((f) => f.id));
  await createNeed(coordinator, community);
  await expect.poll(() => delivered().size, patience).toBe(ids.length);
  expect(delivered()).toEqual(new Set(ids));
}

/** Subscribes `ids` and answers how the socket closed, or that it is still open after a generous wait (so the old code fails plainly). */
async function overTheCap(sock: RawSocket, ids: string[]) {
  subscribe(sock, ids);
  const closed = await Promise.race([sock.closed, new Promise<{ code: number; reason: string }>((r) => setTimeout(() => r({ code: -1, reason: 'still open after 30 s' }), 30_000))]);
  sock.close();
  return closed;
}

describe('subscriptions per socket', () => {
  it(`${CAP} live subscriptions work; the ${CAP + 1}st closes the socket with 4429 and ends them all`, async () => {
    const sock = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
    await fill(sock, range('s', CAP));
    const closed = await overTheCap(sock, ['one-too-many']);
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/too many subscriptions.*50/i);
    expect(sock.frames.filter((f) => f.id === 'one-too-many' && f.type === 'next')).toEqual([]);
    await expect.poll(live, patience).toBe(0);
  }, 120_000);

  it(`sent all at once, ${CAP + 1} subscribes cannot slip past the cap`, async () => {
    const sock = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
    const closed = await overTheCap(sock, range('burst', CAP + 1));
    expect(closed.code).toBe(4429);
    await expect.poll(live, patience).toBe(0);
  }, 120_000);

  it('completed subscriptions free their slots: one socket opens many more than the cap over time', async () => {
    const sock = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
    for (let round = 0; round < 3; round++) {
      const ids = range(`r${round}`, CAP);
      await fill(sock, ids);
      for (const id of ids) sock.send({ type: 'complete', id });
      await expect.poll(live, patience).toBe(0);
    }
    // Still open, and the cap still holds for what is live now.
    await fill(sock, range('last', CAP));
    expect((await overTheCap(sock, ['over'])).code).toBe(4429);
  }, 180_000);
});
