// Two API processes on one PostgreSQL database, waking each other through a Redis of the
// test's own. Redis is killed: both keep serving and say `degraded`; Redis comes back:
// events cross processes again, and what was committed meanwhile reaches every subscriber.
// The safety-net poll is set to a minute, so only Redis can deliver across processes in time.
// /metrics of each process serves the series issue 15 asks for, says Redis is up, down, up, and
// shows the outbox lag of the process that hears nothing rise during the outage and return to 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import type { RedisServer } from '../helpers/redisServer.ts';
import { startApiPair, type ApiPair } from '../helpers/apiPair.ts';
import { collect, type Api } from '../helpers/client.ts';
import { createNeed } from '../helpers/fixtures.ts';
import { buildWorld, rebase, uuidOf, type World } from '../helpers/world.ts';
import { pgQuery } from '../helpers/consistency.ts';
import { requires, postgresServer, redisServerProgram } from '../helpers/skips.ts';
import { sampleValue, scrape } from '../helpers/prometheus.ts';

/** The series issue 15 asks of every process (a histogram by its base name). */
const SERIES = [
  'mutual_aid_graphql_operations_total',
  'mutual_aid_graphql_operation_duration_seconds',
  'mutual_aid_graphql_subscriptions_active',
  'mutual_aid_http_requests_total',
  'mutual_aid_http_request_duration_seconds',
  'mutual_aid_websocket_connections',
  'mutual_aid_event_stream_subscribers',
  'mutual_aid_events_written_total',
  'mutual_aid_events_delivered_total',
  'mutual_aid_events_replayed_total',
  'mutual_aid_outbox_committed_seq',
  'mutual_aid_outbox_delivered_seq',
  'mutual_aid_outbox_lag_events',
  'mutual_aid_event_stream_buffered_events',
  'mutual_aid_slow_consumer_closes_total',
  'mutual_aid_db_pool_connections',
  'mutual_aid_database_up',
  'mutual_aid_redis_state',
  'mutual_aid_worker_job_runs_total',
  'mutual_aid_worker_job_failures_total',
  'mutual_aid_worker_job_lag_seconds',
  'mutual_aid_rate_limit_refusals_total',
];
const familiesOf = async (api: ApiProcess) => [...(await (await fetch(`${api.url}/metrics`)).text()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
const metricOf = async (api: ApiProcess, name: string, labels: Record<string, string> = {}) => sampleValue(await scrape(`${api.url}/metrics`), name, labels);

/** What /metrics says of this process's outbox: committed seq minus the seq it has handed out. */
const lagOf = async (api: ApiProcess) => sampleValue(await scrape(`${api.url}/metrics`), 'mutual_aid_outbox_lag_events') ?? NaN;

const EVENTS = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type } }`;

async function readyOf(api: ApiProcess) {
  const res = await fetch(`${api.url}/ready`);
  return { status: res.status, ...(await res.json()) };
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = await fn();
    if (ok(value)) return { value, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis faults across two API processes', requires(postgresServer, redisServerProgram), () => {
  let pair: ApiPair;
  let redis: RedisServer;
  let db: TestDatabase;
  let a: ApiProcess;
  let b: ApiProcess;
  let c: ApiProcess | undefined;
  let world: World;
  let onB: (api: Api) => Api;
  let query: ReturnType<typeof pgQuery>;

  beforeAll(async () => {
    db = await createTestDatabase();
    pair = await startApiPair(db.env);
    ({ a, b, redis } = pair);
    world = await buildWorld(a.url, db.env.DATABASE_URL!, 2);
    onB = (api) => rebase(api, b.url);
    query = pgQuery(db.env.DATABASE_URL!);
  }, 180_000);
  afterAll(async () => {
    await c?.stop();
    await pair?.stop();
    await query?.end();
    await db?.drop();
  });

  it('keeps serving and says degraded without Redis; afterwards every subscriber has every event', async () => {
    const { coordinator, community, volunteers } = world;
    const communityUuid = uuidOf(community);
    expect(await readyOf(a)).toMatchObject({ status: 200, redis: 'up', degraded: false });
    expect(await readyOf(b)).toMatchObject({ status: 200, redis: 'up', degraded: false });
    // Each process serves every series asked of it, and says Redis is up, the database too.
    for (const api of [a, b]) {
      expect(await familiesOf(api)).toEqual(expect.arrayContaining(SERIES));
      expect(await metricOf(api, 'mutual_aid_redis_state', { state: 'up' })).toBe(1);
      expect(await metricOf(api, 'mutual_aid_database_up')).toBe(1);
    }
    const start = (await query(`SELECT coalesce(max(seq), 0)::text AS c FROM "NeedEvent"`))[0].c as string;

    // A live subscriber on B for the whole test, one that will drop during the outage, and one on A.
    const staying = collect(onB(coordinator).ws(), EVENTS, { after: start, c: [community] }, () => false, 120_000);
    const dropping = onB(coordinator).ws();
    const leaving = collect(dropping, EVENTS, { after: start, c: [community] }, () => false, 120_000);
    const local = collect(coordinator.ws(), EVENTS, { c: [community] }, () => false, 120_000);
    for (const c of [staying, leaving, local]) c.done.catch(() => {});
    await until('subscribed', async () => (await readyOf(b)).subscribers, (n) => n >= 2);

    // Baseline: A's change reaches B within a second.
    let sent = Date.now();
    await createNeed(coordinator, community, { title: 'before the outage' });
    await until('cross-process delivery before the outage', async () => staying.items.length, (n) => n >= 1, 2_000);
    const baselineMs = Date.now() - sent;
    await until('no outbox lag on B while Redis is up', () => lagOf(b), (lag) => lag === 0);

    // Redis dies.
    await redis.kill();
    const degradedA = await until('A degraded', () => readyOf(a), (r) => r.degraded === true);
    const degradedB = await until('B degraded', () => readyOf(b), (r) => r.degraded === true);
    expect(degradedA.value).toMatchObject({ status: 200, ready: true, redis: 'down', degraded: true });
    expect(degradedB.value).toMatchObject({ status: 200, ready: true, redis: 'down', degraded: true });
    for (const api of [a, b]) expect(await metricOf(api, 'mutual_aid_redis_state', { state: 'down' })).toBe(1);

    // Both keep serving every kind of mutation (a wake-up that cannot be published must not hurt).
    const outage: any[] = [];
    for (let i = 0; i < 6; i++) {
      const viaA = await createNeed(coordinator, community, { title: `outage A ${i}` });
      const viaB = await createNeed(onB(coordinator), community, { title: `outage B ${i}` });
      outage.push(viaA, viaB);
      const claim = await onB(volunteers[i % 2]!).ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: viaA.id });
      await volunteers[i % 2]!.ok(`mutation($id: ID!) { releaseClaim(claimId: $id) { claim { id } } }`, { id: claim.claimNeed.claim.id });
    }
    expect((await coordinator.gql(`{ me { name } }`)).data?.me?.name).toBeTruthy();
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    // B hears nothing of A's commits now (its safety-net poll is a minute): its outbox lag shows it.
    await createNeed(coordinator, community, { title: 'outage A, last' });
    const lagDuring = await until('outbox lag on B while Redis is down', () => lagOf(b), (lag) => lag > 0, 3_000);
    // Same-process delivery does not need Redis.
    await until('A delivers its own changes live', async () => local.items.filter((d) => d.needEvents.type === 'CREATED').length, (n) => n >= 7, 5_000);

    // A third process starts while Redis is still away: it serves, degraded.
    c = await spawnApi({ ...pair.env, MIGRATE_ON_START: '0' });
    expect(await readyOf(c)).toMatchObject({ status: 200, redis: 'down', degraded: true });
    const onC = collect(rebase(coordinator, c.url).ws(), EVENTS, { c: [community] }, () => false, 120_000);
    onC.done.catch(() => {});
    await until('subscribed on C', async () => (await readyOf(c!)).subscribers, (n) => n >= 1);

    // One of B's subscribers goes away during the outage, remembering its cursor.
    await dropping.dispose();
    const lastCursor = leaving.items.at(-1)?.needEvents.cursor ?? start;

    // Redis comes back on the same port.
    const restartedAt = Date.now();
    await redis.start();
    const upA = await until('A reconnected', () => readyOf(a), (r) => r.redis === 'up' && r.degraded === false);
    const upB = await until('B reconnected', () => readyOf(b), (r) => r.redis === 'up' && r.degraded === false);
    const upC = await until('C connected for the first time', () => readyOf(c!), (r) => r.redis === 'up' && r.degraded === false);

    // Cross-process events flow again: A's next change reaches B promptly, and carries B past everything from the outage.
    sent = Date.now();
    await createNeed(coordinator, community, { title: 'after the outage' });
    const stored = () => query(`SELECT seq::text AS cursor FROM "NeedEvent" WHERE "communityId" = $1::uuid AND seq > $2 ORDER BY seq`, [communityUuid, start]).then((rows) => rows.map((r) => r.cursor as string));
    const all = await stored();
    await until('B caught up through Redis', async () => staying.items.length, (n) => n >= all.length, 3_000);
    const afterMs = Date.now() - sent;
    expect(staying.items.map((d) => d.needEvents.cursor)).toEqual(all);
    await until('no outbox lag on B once Redis is back', () => lagOf(b), (lag) => lag === 0);
    await until('no outbox lag on A once Redis is back', () => lagOf(a), (lag) => lag === 0);
    // Every event was written by one of the two and delivered by each (both started before the first).
    const total = Number((await query(`SELECT count(*)::int AS n FROM "NeedEvent"`))[0].n);
    expect((await metricOf(a, 'mutual_aid_events_written_total'))! + (await metricOf(b, 'mutual_aid_events_written_total'))!).toBe(total);
    for (const api of [a, b]) expect([api.url, await metricOf(api, 'mutual_aid_events_delivered_total')]).toEqual([api.url, total]);
    for (const api of [a, b]) expect(await metricOf(api, 'mutual_aid_redis_state', { state: 'up' })).toBe(1);
    // C, started without Redis, hears A through Redis now.
    await until('C hears A', async () => onC.items.map((d) => d.needEvents.cursor), (cursors) => cursors.includes(all.at(-1)), 3_000);

    // The subscriber that left resumes on B from its cursor: nothing missed, nothing twice.
    const rest = all.slice(all.indexOf(lastCursor) + 1);
    const back = onB(coordinator).ws();
    const resumed = collect(back, EVENTS, { after: lastCursor, c: [community] }, (items) => items.length >= rest.length, 20_000);
    expect((await resumed.done).map((d) => d.needEvents.cursor)).toEqual(rest);
    await back.dispose();

    console.log(
      `[redis faults] cross-process delivery ${baselineMs} ms before; /ready degraded after ${degradedA.ms}/${degradedB.ms} ms (A/B); ` +
        `${outage.length} needs and ${outage.length} claims+releases served meanwhile; Redis back: /ready up after ${upA.ms}/${upB.ms}/${upC.ms} ms (A/B/C, C started during the outage) ` +
        `(from restart ${Date.now() - restartedAt} ms to the end); first cross-process delivery after it ${afterMs} ms, with ${all.length} events caught up; ` +
        `B's outbox lag during the outage ${lagDuring.value} events, 0 after`,
    );
  }, 120_000);
});
