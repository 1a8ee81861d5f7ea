// Two stateless API processes on one PostgreSQL with Redis pub/sub: a change made through
// one reaches a subscriber on the other. Needs TEST_POSTGRES_URL (PGlite is one process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { Api, collect } from '../helpers/client.ts';
import { waitFor } from '../helpers/sinks.ts';
import { requires, postgresServer } from '../helpers/skips.ts';
import pg from 'pg';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('scale-out on PostgreSQL + Redis', requires(postgresServer), () => {
  let db: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The safety-net poll is set to an hour, so that only Redis can deliver during the suite:
    // what arrives at all arrived through it, and no test has to time a delivery (a bound of a
    // second, under a minute's poll, was a timing assertion on a loaded two-core machine).
    const env = { ...db.env, REDIS_URL, MIGRATE_ON_START: '1', EVENT_POLL_MS: '3600000', SMS_ALLOW_UNSIGNED: '1' };
    a = await spawnApi(env);
    b = await spawnApi(env);
  }, 180_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  /** An admin signed in on both processes (one session). */
  async function adminOnBoth() {
    const onA = new Api(a.url);
    const onB = new Api(b.url);
    const email = `admin-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.org`;
    const userId = await onA.signUp(email, 'Admin');
    const c = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await c.connect();
    await c.query(`UPDATE "User" SET "globalRole" = 'ADMIN' WHERE id = $1`, [Buffer.from(userId, 'base64').toString().split(':')[1]]);
    await c.end();
    await onA.signIn(email, 'correct horse battery');
    onB.token = onA.token;
    return { onA, onB, userId };
  }

  it('a mutation on process A reaches a subscriber on process B, through Redis', async () => {
    const { onA, onB, userId } = await adminOnBoth();
    const community = (await onA.ok(`mutation { createCommunity(input: { slug: "scale-${Date.now()}", name: "Scale", kind: TOWN, area: "Sderot", centerLat: 31.5, centerLng: 34.6 }) { id } }`)).createCommunity.id;
    await onA.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: COORDINATOR) { role } }`, { c: community, u: userId });

    const ready = await (await fetch(`${b.url}/ready`)).json();
    expect(ready).toMatchObject({ ready: true, redis: 'up', databaseKind: 'postgres' });

    const ws = onB.ws();
    const sub = collect(ws, `subscription { needEvents { type need { title } } }`, {}, (items) => items.length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    await onA.ok(
      `mutation($c: ID!) { createNeed(input: { communityId: $c, title: "Across processes", category: FOOD, urgency: HIGH, lat: 31.5, lng: 34.6, address: "1 Main St", requesterName: "R" }) { need { id } } }`,
      { c: community },
    );
    const [got] = await sub.done.catch(async (err) => {
      const readyB = await (await fetch(`${b.url}/ready`)).text();
      const q = await onB.gql(`{ needs { totalCount } latestEventCursor }`);
      throw new Error(`${err.message}\n--- B ready: ${readyB} ${JSON.stringify(q)}\n--- A:\n${a.output()}\n--- B:\n${b.output()}`);
    });
    expect(got.needEvents).toMatchObject({ type: 'CREATED', need: { title: 'Across processes' } });
    await ws.dispose();
  }, 60_000);

  it('concurrent writers on both processes: every subscriber of either gets each event exactly once, in one order', async () => {
    // The writes take no global lock (events/outbox.ts): both processes commit in parallel and
    // the sequencer numbers the events; subscribers on each process must still agree on one order.
    const { onA, onB, userId } = await adminOnBoth();
    const community = (await onA.ok(`mutation { createCommunity(input: { slug: "writers-${Date.now()}", name: "Writers", kind: TOWN, area: "Sderot", centerLat: 31.5, centerLng: 34.6 }) { id } }`)).createCommunity.id;
    await onA.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: COORDINATOR) { role } }`, { c: community, u: userId });
    const start = (await onA.ok(`{ latestEventCursor }`)).latestEventCursor as string;
    const WRITES = 60;
    const query = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type need { title } } }`;
    const clients = [onA.ws(), onA.ws(), onB.ws(), onB.ws()];
    const subs = clients.map((ws) => collect(ws, query, { after: start, c: [community] }, (items) => items.length >= WRITES, 60_000));
    // From the cursor: what commits before a subscription is registered is replayed to it.
    const create = (api: Api, i: number) =>
      api.ok(
        `mutation($c: ID!, $t: String!) { createNeed(input: { communityId: $c, title: $t, category: FOOD, urgency: HIGH, lat: 31.5, lng: 34.6, address: "1 Main St", requesterName: "R" }) { need { id } } }`,
        { c: community, t: `write ${i}` },
      );
    await Promise.all(Array.from({ length: WRITES }, (_, i) => create(i % 2 ? onB : onA, i)));
    const got = await Promise.all(subs.map((sub) => sub.done));
    const c = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await c.connect();
    const stored = (await c.query(`SELECT seq::text AS cursor FROM "NeedEvent" WHERE "communityId" = $1::uuid AND seq > $2 ORDER BY seq`, [Buffer.from(community, 'base64').toString().split(':')[1], start])).rows.map((r) => r.cursor as string);
    await c.end();
    expect(stored).toHaveLength(WRITES);
    for (const items of got) {
      expect(items.map((e) => e.needEvents.cursor)).toEqual(stored);
      expect(new Set(items.map((e) => e.needEvents.need.title)).size).toBe(WRITES);
    }
    await Promise.all(clients.map((ws) => ws.dispose()));
  }, 120_000);

  it('a text received by process A reaches a coordinator watching drafts on process B, through Redis', async () => {
    const { onB } = await adminOnBoth();
    const ws = onB.ws();
    const from = `+97250${String(Date.now()).slice(-7)}`;
    const sub = collect(ws, `subscription { intakeDraftsChanged { fromNumber body } }`, {}, (items) => items.some((i) => i.intakeDraftsChanged.some((d: { fromNumber: string }) => d.fromNumber === from)), 10_000);
    await waitFor(() => sub.items.length >= 1);
    const res = await fetch(`${a.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: from, To: '+972-9-000-0001', Body: 'Across processes by text', MessageSid: `SMscale${Date.now()}` }),
    });
    expect(res.status).toBe(200);
    const items = await sub.done;
    expect(items.at(-1).intakeDraftsChanged.find((d: { fromNumber: string }) => d.fromNumber === from)).toEqual({ fromNumber: from, body: 'Across processes by text' });
    await ws.dispose();
  }, 60_000);
});
