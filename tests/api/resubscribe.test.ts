// The web app's subscriptions come back by themselves from what graphql-ws gives up on: a socket
// closed with 4429 (a code graphql-ws treats as fatal: before, every subscription on it failed and
// stayed failed) is subscribed again from the cursor of the last event, losing nothing and
// repeating nothing. Real graphql-ws client, the web's own `resubscribing`, a real server; the
// 4429 here comes from the subscriptions cap, the same close a slow reader gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { resubscribing } from '../../web/src/lib/graphql/resubscribe.ts';

const EVENTS = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor } }`;

let s: TestServer;
let coordinator: Api;
let community: string;

beforeAll(async () => {
  s = await startServer({ MAX_SUBSCRIPTIONS_PER_SOCKET: '1' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => s?.stop());

describe('a web subscription closed with 4429', () => {
  it('is subscribed again from its cursor: every event once, in order', async () => {
    const start = ((await coordinator.ok(`{ latestEventCursor }`)).latestEventCursor as string | null) ?? '0';
    const ws = coordinator.ws();
    let connections = 0;
    const closes: number[] = [];
    ws.on('connected', () => connections++);
    ws.on('closed', (e) => closes.push((e as { code: number }).code));
    let cursor = start;
    const received: string[] = [];
    const failures: unknown[] = [];
    const dispose = resubscribing<{ needEvents: { cursor: string } }>(
      ws,
      { query: EVENTS, variables: { c: [community], get after() { return cursor; } } },
      {
        next: (r) => {
          if (!r.data) return void failures.push(r.errors);
          received.push(r.data.needEvents.cursor);
          cursor = r.data.needEvents.cursor;
        },
        error: (e) => failures.push(e),
        complete: () => {},
      },
    );
    await expect.poll(() => s.app.services.stream.subscriberCount).toBe(1);
    await createNeed(coordinator, community);
    await expect.poll(() => received.length).toBe(1);

    // A second operation on the same socket goes over the cap: the server closes the socket with 4429.
    const extra = ws.subscribe({ query: EVENTS, variables: { c: [community] } }, { next: () => {}, error: () => {}, complete: () => {} });
    await expect.poll(() => closes).toContain(4429);
    extra();
    // Events committed meanwhile are replayed from the cursor once the subscription is back.
    for (let i = 0; i < 3; i++) await createNeed(coordinator, community);
    await expect.poll(() => connections, { timeout: 15_000 }).toBe(2);
    await createNeed(coordinator, community);

    const stored = async () =>
      (await s.app.services.prisma.needEvent.findMany({ where: { seq: { gt: BigInt(start) }, communityId: Buffer.from(community, 'base64').toString().split(':')[1]! }, orderBy: { seq: 'asc' }, select: { seq: true } })).map((e) => e.seq.toString());
    const expected = await stored();
    expect(expected).toHaveLength(5);
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(expected.length);
    expect(received).toEqual(expected);
    expect(failures).toEqual([]);
    dispose();
    await ws.dispose();
  }, 60_000);
});
