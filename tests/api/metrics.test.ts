// /metrics, black-box: who may read it (a bearer token or a port of its own in production; open
// in development), and that the series say what happened — operations by name and outcome, the
// event stream (written, delivered, replayed, lag), sockets and subscriptions, the worker, rate
// limits — each app counting apart from another in the same process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';
import { sampleValue, scrape, type Sample } from '../helpers/prometheus.ts';
import { runJobs } from '../../api/src/worker.ts';
import { readFileSync } from 'node:fs';
import { buildApp } from '../../api/src/server.ts';
import { requires, postgresServer } from '../helpers/skips.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
const BOARD_WATCH = `subscription BoardWatch($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor type } }`;
const RESUME = `subscription Resume($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type } }`;
const CLAIM = `mutation Claim($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;
const PEEK = `query PeekPrivate($id: ID!) { need(id: $id) { id privateDetails { address } } }`;

let dev: TestServer;
let prod: TestServer;
let devLog: string[];
const metricsOf = (s: TestServer) => scrape(`${s.url}/metrics`);

/** Scrapes until the sample has the value (a positive signal to wait for; fails after 10 s). */
async function scrapedValue(s: TestServer, name: string, labels: Record<string, string>, want: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const got = sampleValue(await metricsOf(s), name, labels);
    if (got === want) return;
    if (Date.now() > deadline) throw new Error(`${name} ${JSON.stringify(labels)} is ${got}, not ${want}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dev = await startServer();
  devLog = [];
  prod = await startServer(
    { NODE_ENV: 'production', METRICS_TOKEN: TOKEN, METRICS_PORT: '0', RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: '1', LOG_LEVEL: 'warn' },
    { logDestination: { write: (l: string) => void devLog.push(l) } },
  );
}, 120_000);
afterAll(async () => {
  await dev?.stop();
  await prod?.stop();
});

describe('who may read /metrics', () => {
  it('in production, refuses without the bearer token or with a wrong one, and serves with it', async () => {
    expect((await fetch(`${prod.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${prod.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-000' } })).status).toBe(401);
    const ok = await fetch(`${prod.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await ok.text()).toMatch(/^# HELP mutual_aid_graphql_operations_total /m);
  });

  it('on METRICS_PORT, serves without a token on 127.0.0.1, and nothing else there', async () => {
    expect(prod.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const samples = await scrape(prod.metricsUrl!);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect((await fetch(prod.metricsUrl!.replace('/metrics', '/graphql'))).status).toBe(404);
  });

  it('in development, is open on the main port', async () => {
    expect((await fetch(`${dev.url}/metrics`)).status).toBe(200);
  });

  it('in production without a token or a port, is off, and the server said so when it started', async () => {
    const lines: string[] = [];
    const off = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'warn' }, { logDestination: { write: (l: string) => void lines.push(l) } });
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      const warned = lines.map((l) => JSON.parse(l)).find((l) => /metrics/.test(l.msg));
      expect(warned).toMatchObject({ level: 40, msg: expect.stringMatching(/\/metrics is off/) });
    } finally {
      await off.stop();
    }
  }, 60_000);
});

describe('what the series say', () => {
  let before: Sample[];
  let after: Sample[];
  const delta = (name: string, labels: Record<string, string> = {}) => (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);

  beforeAll(async () => {
    before = await metricsOf(dev);
    const admin = await adminClient(dev.url, dev.app.services.prisma);
    const community = await createCommunity(admin);
    const coordinator = await member(dev.url, admin, community, 'COORDINATOR');
    const [first, second] = [await member(dev.url, admin, community, 'VOLUNTEER'), await member(dev.url, admin, community, 'VOLUNTEER')];

    // A live subscriber, counted as such before anything is written.
    const watcher = new Api(dev.url).ws();
    const watch = collect<{ needEvents: { type: string } }>(watcher, BOARD_WATCH, { c: [community] }, (items) => items.some((i) => i.needEvents.type === 'CLAIMED'));
    await scrapedValue(dev, 'mutual_aid_graphql_subscriptions_active', { operation: 'BoardWatch' }, 1);
    expect(sampleValue(await metricsOf(dev), 'mutual_aid_websocket_connections')).toBe(1);

    const need = await createNeed(coordinator, community);
    expect((await first!.gql(CLAIM, { id: need.id })).errors).toBeUndefined();
    expect((await second!.gql(CLAIM, { id: need.id })).errors?.[0]?.extensions?.code).toBe('CLAIM_CONFLICT');
    expect((await second!.gql(PEEK, { id: need.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await watch.done;
    await watcher.dispose();

    // A subscriber resuming from the start: both events replayed from the outbox.
    const resumer = new Api(dev.url).ws();
    const resumed = collect(resumer, RESUME, { after: '0', c: [community] }, (items) => items.length === 2);
    expect(await resumed.done).toHaveLength(2);
    expect(resumed.errors).toEqual([]);
    await resumer.dispose();

    await runJobs(dev.app.services);
    await scrapedValue(dev, 'mutual_aid_websocket_connections', {}, 0);
    await scrapedValue(dev, 'mutual_aid_graphql_subscriptions_active', { operation: 'BoardWatch' }, 0);
    after = await metricsOf(dev);
  }, 120_000);

  it('counts operations by name and outcome, with their durations', () => {
    expect(delta('mutual_aid_graphql_operations_total', { operation: 'Claim', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(delta('mutual_aid_graphql_operations_total', { operation: 'Claim', type: 'mutation', outcome: 'CLAIM_CONFLICT' })).toBe(1);
    expect(delta('mutual_aid_graphql_operations_total', { operation: 'PeekPrivate', type: 'query', outcome: 'FORBIDDEN' })).toBe(1);
    expect(delta('mutual_aid_graphql_operations_total', { operation: 'BoardWatch', type: 'subscription', outcome: 'ok' })).toBe(1);
    expect(delta('mutual_aid_graphql_operations_total', { outcome: 'unexpected' })).toBe(0);
    expect(delta('mutual_aid_graphql_operation_duration_seconds_count', { operation: 'Claim', outcome: 'ok' })).toBe(1);
    expect(delta('mutual_aid_graphql_operation_duration_seconds_bucket', { operation: 'Claim', outcome: 'ok', le: '+Inf' })).toBe(1);
    expect(delta('mutual_aid_http_requests_total', { route: 'graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(10);
  });

  it('counts the events written, delivered and replayed, and the outbox has no lag', async () => {
    const written = await dev.app.services.prisma.needEvent.count();
    expect(written).toBe(2);
    expect(sampleValue(after, 'mutual_aid_events_written_total')).toBe(written);
    expect(sampleValue(after, 'mutual_aid_events_delivered_total')).toBe(written);
    expect(delta('mutual_aid_events_replayed_total')).toBe(2);
    const newest = (await dev.app.services.prisma.needEvent.aggregate({ _max: { seq: true } }))._max.seq;
    expect(sampleValue(after, 'mutual_aid_outbox_committed_seq')).toBe(Number(newest));
    expect(sampleValue(after, 'mutual_aid_outbox_delivered_seq')).toBe(Number(newest));
    expect(sampleValue(after, 'mutual_aid_outbox_lag_events')).toBe(0);
    expect(sampleValue(after, 'mutual_aid_event_stream_buffered_events')).toBe(0);
    expect(sampleValue(after, 'mutual_aid_slow_consumer_closes_total', { reason: 'socket' })).toBe(0);
  });

  it('tells the state of the database, Redis and the worker', () => {
    expect(sampleValue(after, 'mutual_aid_database_up')).toBe(1);
    expect(sampleValue(after, 'mutual_aid_redis_state', { state: 'none' })).toBe(1);
    expect(sampleValue(after, 'mutual_aid_redis_state', { state: 'down' })).toBe(0);
    expect(delta('mutual_aid_worker_job_runs_total', { task: 'claim expiry' })).toBe(1);
    expect(delta('mutual_aid_worker_job_failures_total')).toBe(0);
    expect(sampleValue(after, 'mutual_aid_worker_job_lag_seconds', { task: 'claim expiry' })).toBeLessThan(60);
    expect(sampleValue(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    if (dev.app.services.db.kind === 'postgres') {
      expect(sampleValue(after, 'mutual_aid_db_pool_connections', { state: 'idle' })! + sampleValue(after, 'mutual_aid_db_pool_connections', { state: 'in_use' })!).toBeGreaterThan(0);
      expect(sampleValue(after, 'mutual_aid_db_pool_connections', { state: 'waiting' })).toBe(0);
    } else {
      expect(sampleValue(after, 'mutual_aid_db_pool_connections')).toBeUndefined(); // one in-process connection, no pool
    }
  });

  it('keeps two apps in one process apart, and counts rate-limit refusals by limiter', async () => {
    const api = new Api(prod.url);
    await api.signUp(`first-${Date.now()}@example.org`);
    const refused = await new Api(prod.url).gql(`mutation($input: SignUpInput!) { signUp(input: $input) { token } }`, {
      input: { email: `second-${Date.now()}@example.org`, name: 'Second', password: 'correct horse battery' },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const prodSamples = await scrape(prod.metricsUrl!);
    expect(sampleValue(prodSamples, 'mutual_aid_rate_limit_refusals_total', { limiter: 'sign_up' })).toBe(1);
    expect(sampleValue(prodSamples, 'mutual_aid_graphql_operations_total', { operation: 'Claim' })).toBeUndefined();
    expect(sampleValue(prodSamples, 'mutual_aid_events_written_total')).toBe(0);
    expect(sampleValue(await metricsOf(dev), 'mutual_aid_rate_limit_refusals_total', { limiter: 'sign_up' })).toBe(0);
  });
});

describe('the documented dashboard and alerts', () => {
  it('use only series that /metrics serves', async () => {
    // Every family /metrics declares (`# TYPE`), a histogram's with its _bucket, _sum and _count.
    const declared = [...(await (await fetch(`${dev.url}/metrics`)).text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)];
    const served = new Set(declared.flatMap(([, name, type]) => (type === 'histogram' ? ['_bucket', '_sum', '_count'].map((x) => name + x) : [name!])));
    for (const file of ['docs/grafana/mutual-aid.json', 'docs/alerts.yml']) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      const used = new Set(text.match(/\b(mutual_aid|process|nodejs)_[a-z0-9_]+/g));
      expect(used.size).toBeGreaterThan(5);
      for (const name of used) expect([file, name, served.has(name)]).toEqual([file, name, true]);
    }
  });
});

describe('outbox lag per process', requires(postgresServer), () => {
  it('rises on a process that missed the wake-up, and is 0 again once its poll has read the outbox', async () => {
    // A second process on the same database without Redis: the first one's commits do not wake it.
    const other = await buildApp({ ...dev.db.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', MIGRATE_ON_START: '1', HOST: '127.0.0.1', WEB_BUILD_DIR: '/nonexistent', EVENT_POLL_MS: '3600000', WORKER_INTERVAL_MS: '3600000' });
    try {
      const { url } = await other.start(0);
      const otherMetrics = () => scrape(`${url}/metrics`);
      expect(sampleValue(await otherMetrics(), 'mutual_aid_outbox_lag_events')).toBe(0);
      const admin = await adminClient(dev.url, dev.app.services.prisma);
      const community = await createCommunity(admin);
      await createNeed(await member(dev.url, admin, community, 'COORDINATOR'), community);
      const lagging = await otherMetrics();
      expect(sampleValue(lagging, 'mutual_aid_outbox_lag_events')).toBe(1);
      expect(sampleValue(lagging, 'mutual_aid_outbox_committed_seq')! - sampleValue(lagging, 'mutual_aid_outbox_delivered_seq')!).toBe(1);
      await scrapedValue(dev, 'mutual_aid_outbox_lag_events', {}, 0); // the writer wakes its own stream
      await other.services.stream.pull(); // what its safety-net poll does every EVENT_POLL_MS
      const caughtUp = await otherMetrics();
      expect(sampleValue(caughtUp, 'mutual_aid_outbox_lag_events')).toBe(0);
      expect(sampleValue(caughtUp, 'mutual_aid_events_delivered_total')).toBe(1);
      expect(sampleValue(caughtUp, 'mutual_aid_events_written_total')).toBe(0);
    } finally {
      await other.stop();
    }
  }, 60_000);
});
