// Live views opened on one API process while Redis is away, with the writes made on the other:
// the subscription does not end, and once Redis is back it delivers what was written meanwhile
// and after, each event exactly once, on the same socket and without the client subscribing
// again, anonymous and signed in. And when only the writing process's link to Redis was down
// (a relay the test cuts), its wake-ups are sent once the link is back. The safety-net poll is a
// minute, so only Redis can carry the other process's writes in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../helpers/process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.ts';
import { openAcknowledged, type Frame, type RawSocket } from '../helpers/rawWs.ts';
import { createNeed } from '../helpers/fixtures.ts';
import { buildWorld, uuidOf, type World } from '../helpers/world.ts';
import { pgQuery } from '../helpers/consistency.ts';
import { requires, postgresServer, redisServerProgram } from '../helpers/skips.ts';
import { sampleValue, scrape } from '../helpers/prometheus.ts';

const EVENTS = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type need { title } } }`;
const NOTIFICATIONS = `subscription { myNotifications { id title } }`;
/** The need a critical-need notification is about: its title after the prefix, which is in the volunteer's language ("Critical: …", "דחוף ביותר: …"). */
const about = (n: { title: string }) => n.title.slice(n.title.indexOf(': ') + 2);
const STATS = `subscription($c: [ID!]) { boardStats(communityIds: $c) { open } }`;

const redisState = async (api: ApiProcess) => {
  const samples = await scrape(`${api.url}/metrics`);
  return ['up', 'down', 'none'].find((state) => sampleValue(samples, 'mutual_aid_redis_state', { state }) === 1);
};

const dataOf = (sock: RawSocket, id: string) => sock.frames.filter((f) => f.id === id && f.type === 'next' && f.payload?.data).map((f) => f.payload.data);

/** Waits for a frame of subscription `id` whose data `accept`s; a failure or completion of it fails the test. */
async function dataFrame(sock: RawSocket, id: string, accept: (data: any) => boolean, timeoutMs = 30_000): Promise<Frame> {
  const frame = await sock.waitFor((f) => f.id === id && (f.type !== 'next' || !!f.payload?.errors || (!!f.payload?.data && accept(f.payload.data))), timeoutMs);
  expect(frame.type, JSON.stringify(frame)).toBe('next');
  expect(frame.payload.errors, JSON.stringify(frame)).toBeUndefined();
  return frame;
}

/** A TCP relay to Redis that the test can cut (every connection through it reset, new ones refused) and restore. */
async function redisRelay(redisPort: number): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const port = await freePort();
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = connect(redisPort, '127.0.0.1');
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      open.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        open.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const s of open) s.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('live views opened during a Redis outage', requires(postgresServer, redisServerProgram), () => {
  let redis: RedisServer;
  let db: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let world: World;
  let query: ReturnType<typeof pgQuery>;

  beforeAll(async () => {
    redis = await startRedisServer();
    db = await createTestDatabase();
    const env = { ...db.env, REDIS_URL: redis.url, MIGRATE_ON_START: '1', EVENT_POLL_MS: '60000' };
    a = await spawnApi(env);
    b = await spawnApi(env);
    world = await buildWorld(a.url, db.env.DATABASE_URL!, 1);
    query = pgQuery(db.env.DATABASE_URL!);
  }, 180_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.stop();
    await query?.end();
    await db?.drop();
  });

  it('deliver what A wrote during and after the outage on B, exactly once, without subscribing again', async () => {
    const { coordinator, community } = world;
    const volunteer = world.volunteers[0]!;
    const c = [community];
    await createNeed(coordinator, community, { title: 'before the outage' });
    const cursor = (await coordinator.ok(`{ latestEventCursor }`)).latestEventCursor as string;
    const wsUrl = b.url.replace('http', 'ws') + '/graphql';
    const anonymous = await openAcknowledged(wsUrl);
    const signedIn = await openAcknowledged(wsUrl, { authToken: volunteer.token });
    const coordinating = await openAcknowledged(wsUrl, { authToken: coordinator.token });
    expect(await redisState(b)).toBe('up');

    await redis.kill();
    await expect.poll(() => redisState(b), { timeout: 15_000, interval: 100 }).toBe('down');
    const outageStarted = Date.now();
    anonymous.send({ type: 'subscribe', id: 'live', payload: { query: EVENTS, variables: { c } } });
    anonymous.send({ type: 'subscribe', id: 'after', payload: { query: EVENTS, variables: { after: cursor, c } } });
    signedIn.send({ type: 'subscribe', id: 'events', payload: { query: EVENTS, variables: { c } } });
    signedIn.send({ type: 'subscribe', id: 'notifications', payload: { query: NOTIFICATIONS } });
    coordinating.send({ type: 'subscribe', id: 'stats', payload: { query: STATS, variables: { c } } });
    // The views that start with a full answer give it now: subscribed, from the database alone.
    await dataFrame(signedIn, 'notifications', () => true);
    const openBefore = (await dataFrame(coordinating, 'stats', () => true)).payload.data.boardStats.open as number;

    // A writes while Redis is away: B cannot hear of it (its poll is a minute).
    await createNeed(coordinator, community, { title: 'during the outage', urgency: 'CRITICAL' });

    await redis.start();
    await expect.poll(() => redisState(b), { timeout: 15_000, interval: 100 }).toBe('up');
    const outageMs = Date.now() - outageStarted;
    // What A wrote meanwhile reaches B's views once Redis is back, with nothing written since:
    // B cannot have heard of it, so B must look again when its subscriptions are back in place.
    const back = Date.now();
    const titled = (title: string) => (d: any) => d.needEvents?.need.title === title;
    const notified = (title: string) => (d: any) => d.myNotifications.some((n: any) => about(n) === title);
    for (const [sock, id] of [[anonymous, 'live'], [anonymous, 'after'], [signedIn, 'events']] as const) await dataFrame(sock, id, titled('during the outage'));
    await dataFrame(signedIn, 'notifications', notified('during the outage'));
    await dataFrame(coordinating, 'stats', (d) => d.boardStats.open === openBefore + 1);
    const caughtUpMs = Date.now() - back;

    // And, once A is connected again too, A's next write crosses over as usual.
    await expect.poll(() => redisState(a), { timeout: 15_000, interval: 100 }).toBe('up');
    const written = Date.now();
    await createNeed(coordinator, community, { title: 'after the outage', urgency: 'CRITICAL' });
    for (const [sock, id] of [[anonymous, 'live'], [anonymous, 'after'], [signedIn, 'events']] as const) await dataFrame(sock, id, titled('after the outage'));
    await dataFrame(signedIn, 'notifications', notified('after the outage'));
    await dataFrame(coordinating, 'stats', (d) => d.boardStats.open === openBefore + 2);
    const deliveredMs = Date.now() - written;

    // Every event of the community since each subscription began, once, in order: nothing lost, nothing twice.
    const stored = (await query(`SELECT seq::text AS cursor FROM "NeedEvent" WHERE "communityId" = $1::uuid AND seq > $2 ORDER BY seq`, [uuidOf(community), cursor])).map((r) => r.cursor as string);
    expect(stored).toHaveLength(2);
    for (const [sock, id] of [[anonymous, 'live'], [anonymous, 'after'], [signedIn, 'events']] as const) {
      expect(dataOf(sock, id).map((d) => d.needEvents.cursor), `${id}`).toEqual(stored);
    }
    expect(dataOf(signedIn, 'notifications').at(-1).myNotifications.map(about).sort()).toEqual(['after the outage', 'during the outage']);

    // Same sockets all along: nothing was closed, completed or failed.
    for (const sock of [anonymous, signedIn, coordinating]) {
      expect(sock.frames.filter((f) => f.type === 'error' || f.type === 'complete' || f.payload?.errors)).toEqual([]);
      expect(sock.ws.readyState).toBe(sock.ws.OPEN);
      sock.close();
    }
    console.log(
      `[redis subscribe outage] subscribed on B during a ${outageMs} ms Redis outage; what A wrote meanwhile reached them ${caughtUpMs} ms after Redis was back ` +
        `(no further write, poll a minute); A's next write ${deliveredMs} ms; every event once`,
    );
  }, 120_000);

  it("deliver what one process wrote while only its own link to Redis was down, once that link is back", async () => {
    // B's link stays up, so B never re-reads on its own: only A's wake-ups, kept while its link
    // was down and sent when it is back, can tell B in time (B's poll is a minute).
    const relay = await redisRelay(Number(new URL(redis.url).port));
    const db2 = await createTestDatabase();
    const env = { ...db2.env, MIGRATE_ON_START: '1', EVENT_POLL_MS: '60000' };
    const viaRelay = await spawnApi({ ...env, REDIS_URL: relay.url });
    const direct = await spawnApi({ ...env, REDIS_URL: redis.url });
    try {
      const w = await buildWorld(viaRelay.url, db2.env.DATABASE_URL!, 1);
      await createNeed(w.coordinator, w.community, { title: 'before' });
      const wsUrl = direct.url.replace('http', 'ws') + '/graphql';
      const signedIn = await openAcknowledged(wsUrl, { authToken: w.volunteers[0]!.token });
      signedIn.send({ type: 'subscribe', id: 'events', payload: { query: EVENTS, variables: { c: [w.community] } } });
      signedIn.send({ type: 'subscribe', id: 'notifications', payload: { query: NOTIFICATIONS } });
      await dataFrame(signedIn, 'notifications', () => true);
      await expect.poll(async () => (await (await fetch(`${direct.url}/ready`)).json()).subscribers).toBeGreaterThanOrEqual(1);

      relay.cut();
      await expect.poll(() => redisState(viaRelay), { timeout: 15_000, interval: 100 }).toBe('down');
      expect(await redisState(direct)).toBe('up');
      await createNeed(w.coordinator, w.community, { title: 'while A was cut off', urgency: 'CRITICAL' });
      relay.restore();
      await expect.poll(() => redisState(viaRelay), { timeout: 15_000, interval: 100 }).toBe('up');
      await dataFrame(signedIn, 'events', (d) => d.needEvents.need.title === 'while A was cut off');
      await dataFrame(signedIn, 'notifications', (d) => d.myNotifications.some((n: any) => about(n) === 'while A was cut off'));
      expect(dataOf(signedIn, 'events').map((d) => d.needEvents.need.title)).toEqual(['while A was cut off']);
      expect(signedIn.frames.filter((f) => f.type === 'error' || f.type === 'complete' || f.payload?.errors)).toEqual([]);
      signedIn.close();
    } finally {
      await viaRelay.stop();
      await direct.stop();
      await relay.close();
      await db2.drop();
    }
  }, 120_000);
});
