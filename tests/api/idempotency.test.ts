// Idempotent mutations: a mutation sent again with the same idempotency key (HTTP header or
// graphql-ws extensions) has its effect once and answers with the first result; the same key
// for another request is refused with a typed error; keys belong to whoever sent them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, type GqlResult } from '../helpers/client.ts';
import { purgeExpiredIdempotencyKeys } from '../../api/src/events/idempotencyPurge.ts';
import { buildApp, type App } from '../../api/src/server.ts';
import { requires, postgresServer } from '../helpers/skips.ts';
import pg from 'pg';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const CLAIM = `mutation Claim($id: ID!) { claimNeed(needId: $id) { claim { id status need { status openSlots } } } }`;
const RELEASE = `mutation Release($id: ID!) { releaseClaim(claimId: $id) { claim { id status } } }`;

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;

const keyed = (api: Api, query: string, variables: Record<string, unknown>, key: string) => api.gql(query, variables, { 'idempotency-key': key });

/** One operation over graphql-ws with `extensions.idempotencyKey`. */
async function overWs(api: Api, query: string, variables: Record<string, unknown>, key: string): Promise<GqlResult> {
  const client = api.ws();
  try {
    return await new Promise<GqlResult>((resolve, reject) => {
      let result: GqlResult = {};
      client.subscribe({ query, variables, extensions: { idempotencyKey: key } }, {
        next: (r) => (result = r as GqlResult),
        error: reject,
        complete: () => resolve(result),
      });
    });
  } finally {
    await client.dispose();
  }
}

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
}, 120_000);
afterAll(async () => {
  s?.app.services.clock.reset();
  await s?.stop();
});

describe('idempotency keys', () => {
  it('over HTTP: the same key twice claims once and answers the same; a retried claim is not ALREADY_CLAIMED', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { slots: 2 });
    const first = await keyed(volunteer, CLAIM, { id: need.id }, 'claim-1');
    expect(first.errors).toBeUndefined();
    const again = await keyed(volunteer, CLAIM, { id: need.id }, 'claim-1');
    expect(again).toEqual(first);
    // Without the key the same request is a second attempt, refused as before.
    const unkeyed = await volunteer.gql(CLAIM, { id: need.id });
    expect(unkeyed.errors?.[0]?.extensions?.code).toBe('ALREADY_CLAIMED');
    const needId = uuidOf(need.id);
    expect(await s.app.services.prisma.claim.count({ where: { needId } })).toBe(1);
    expect(await s.app.services.prisma.needEvent.count({ where: { needId, type: 'CLAIMED' } })).toBe(1);
  });

  it('a retried release whose first attempt committed answers with the first result, not ILLEGAL_TRANSITION', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community);
    const claim = (await volunteer.ok(CLAIM, { id: need.id })).claimNeed.claim;
    const first = await keyed(volunteer, RELEASE, { id: claim.id }, 'release-1');
    expect(first.data?.releaseClaim.claim.status).toBe('RELEASED');
    expect(await keyed(volunteer, RELEASE, { id: claim.id }, 'release-1')).toEqual(first);
    expect((await volunteer.gql(RELEASE, { id: claim.id })).errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
    expect(await s.app.services.prisma.needEvent.count({ where: { needId: uuidOf(need.id), type: 'RELEASED' } })).toBe(1);
  });

  it('over WebSocket (extensions.idempotencyKey): the same key twice, one effect, the same answer', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { slots: 3 });
    const first = await overWs(volunteer, CLAIM, { id: need.id }, 'ws-claim');
    expect(first.errors).toBeUndefined();
    expect(first.data?.claimNeed.claim.status).toBe('ACTIVE');
    expect(await overWs(volunteer, CLAIM, { id: need.id }, 'ws-claim')).toEqual(first);
    // The key is the same whichever transport carries it.
    expect(await keyed(volunteer, CLAIM, { id: need.id }, 'ws-claim')).toEqual(first);
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(1);
  });

  it('the same key with other variables or another document is refused with IDEMPOTENCY_KEY_REUSED', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const [a, b] = [await createNeed(coordinator, community), await createNeed(coordinator, community)];
    expect((await keyed(volunteer, CLAIM, { id: a.id }, 'reuse')).errors).toBeUndefined();
    const other = await keyed(volunteer, CLAIM, { id: b.id }, 'reuse');
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherDoc = await keyed(volunteer, `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: a.id }, 'reuse');
    expect(otherDoc.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(b.id) } })).toBe(0);
  });

  it("keys are per viewer: another user's same key runs their own mutation", async () => {
    const [one, two] = [await member(s.url, admin, community, 'VOLUNTEER'), await member(s.url, admin, community, 'VOLUNTEER')];
    const need = await createNeed(coordinator, community, { slots: 2 });
    const mine = await keyed(one, CLAIM, { id: need.id }, 'shared-key');
    const theirs = await keyed(two, CLAIM, { id: need.id }, 'shared-key');
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data?.claimNeed.claim.id).not.toBe(mine.data?.claimNeed.claim.id);
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(2);
  });

  it('concurrent attempts with one key: one effect, every answer the same', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community, { slots: 5 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => keyed(volunteer, CLAIM, { id: need.id }, 'burst')));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.errors).toBeUndefined();
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(1);
  });

  it('keys older than IDEMPOTENCY_TTL_HOURS are purged by the worker job', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community);
    await keyed(volunteer, CLAIM, { id: need.id }, 'old');
    const where = { scope: `user:${uuidOf(volunteer.userId)}`, key: 'old' };
    expect(await s.app.services.prisma.idempotencyKey.count({ where })).toBe(1);
    s.app.services.clock.set(new Date(Date.now() + 25 * 3_600_000));
    try {
      expect(await purgeExpiredIdempotencyKeys(s.app.services)).toBeGreaterThan(0);
    } finally {
      s.app.services.clock.reset();
    }
    expect(await s.app.services.prisma.idempotencyKey.count({ where })).toBe(0);
  });
});

describe('a retry in another process while the first attempt runs (PostgreSQL)', requires(postgresServer), () => {
  let other: App;
  let otherUrl: string;
  let locker: pg.Client;

  beforeAll(async () => {
    other = await buildApp({ ...s.db.env, NODE_ENV: 'test', LOG_LEVEL: 'error', HOST: '127.0.0.1', WEB_BUILD_DIR: '/nonexistent', RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000', WORKER_INTERVAL_MS: '3600000' });
    otherUrl = (await other.start(0)).url;
    locker = new pg.Client({ connectionString: s.db.env.DATABASE_URL });
    await locker.connect();
  }, 120_000);
  afterAll(async () => {
    await locker?.end();
    await other?.stop();
  });

  const lockWaiters = async () =>
    (await locker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n as number;
  const until = async (check: () => Promise<boolean>) => {
    while (!(await check())) await new Promise((r) => setTimeout(r, 20));
  };

  it('gets IDEMPOTENCY_IN_PROGRESS (retryable), then the first result', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const need = await createNeed(coordinator, community);
    // The volunteer's row locked from outside: the first attempt claims its key, then waits.
    await locker.query('BEGIN');
    await locker.query(`SELECT id FROM "User" WHERE id = $1 FOR UPDATE`, [uuidOf(volunteer.userId)]);
    const first = keyed(volunteer, CLAIM, { id: need.id }, 'two-processes');
    await until(async () => (await lockWaiters()) >= 1);
    const elsewhere = Object.assign(new Api(otherUrl), { token: volunteer.token });
    const second = keyed(elsewhere, CLAIM, { id: need.id }, 'two-processes');
    await until(async () => (await lockWaiters()) >= 2); // on the key's row, behind the first
    await locker.query('COMMIT');
    const [a, b] = await Promise.all([first, second]);
    expect(a.errors).toBeUndefined();
    expect(b.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS', retryable: true });
    expect(await keyed(elsewhere, CLAIM, { id: need.id }, 'two-processes')).toEqual(a);
    expect(await s.app.services.prisma.claim.count({ where: { needId: uuidOf(need.id) } })).toBe(1);
  });
});
