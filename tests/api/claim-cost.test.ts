// What a claim costs the database (bench:claims: of 1,000 volunteers claiming 100 needs at once,
// 900 find the need's places all held). The viewer is read in one statement; a claim on a full
// need is refused on the need's committed row, in one more statement and no transaction, without
// waiting behind the winner's row lock; the locked read of a need is one statement that reads
// the row as Prisma reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { requires, postgresServer } from '../helpers/skips.ts';
import { lockNeed } from '../../api/src/domain/locks.ts';
import { viewerFromToken } from '../../api/src/auth/sessions.ts';
import { uuidOf } from '../helpers/world.ts';
import { claimNeed } from '../../api/src/domain/claims.ts';

const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;

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

/**
 * The statements `run` sends, the fewest of three tries: what the event stream reads after an
 * earlier commit may land in one try, never in all three.
 */
async function statementsOf(run: () => Promise<unknown>): Promise<number> {
  let fewest = Infinity;
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const before = s.app.services.db.statements.count;
    await run();
    fewest = Math.min(fewest, s.app.services.db.statements.count - before);
  }
  return fewest;
}

describe('what a claim costs the database', () => {
  // Prisma's nested select of the session, its user and their memberships sent three.
  it('a signed-in request reads its viewer in one statement', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    expect(await statementsOf(() => new Api(s.url).ok('{ __typename }'))).toBe(0);
    expect(await statementsOf(() => volunteer.ok('{ __typename }'))).toBe(1);
  });

  // A burst of signed-in requests (a thousand volunteers claiming at once) sent one each.
  it('sessions asked for in the same turn are read in one statement, each as it is now', async () => {
    const volunteers = await Promise.all(Array.from({ length: 3 }, () => member(s.url, admin, community, 'VOLUNTEER')));
    const tokens = volunteers.map((v) => v.token!);
    const before = s.app.services.db.statements.count;
    const viewers = await Promise.all(Array.from({ length: 30 }, (_, i) => viewerFromToken(s.app.services, tokens[i % 3])));
    expect(s.app.services.db.statements.count - before).toBe(1);
    expect(viewers.map((v) => v?.id)).toEqual(Array.from({ length: 30 }, (_, i) => uuidOf(volunteers[i % 3]!.userId)));
    // Signed out: the next read says so (nothing is kept between reads).
    await volunteers[0]!.ok('mutation { signOut }');
    expect(await viewerFromToken(s.app.services, tokens[0])).toBeNull();
    expect((await viewerFromToken(s.app.services, tokens[1]))?.id).toBe(uuidOf(volunteers[1]!.userId));
  });

  // It took a transaction: BEGIN, the volunteer's and the need's row locks, the need, its claims, ROLLBACK.
  it('a claim on a need whose places are all held is refused in one statement after the viewer, with no transaction', async () => {
    const need = await createNeed(coordinator, community);
    const [winner, loser] = [await member(s.url, admin, community, 'VOLUNTEER'), await member(s.url, admin, community, 'VOLUNTEER')];
    await winner.ok(CLAIM, { id: need.id });
    let code: unknown;
    const n = await statementsOf(async () => (code = (await loser.gql(CLAIM, { id: need.id })).errors?.[0]?.extensions?.code));
    expect(code).toBe('CLAIM_CONFLICT');
    expect(n).toBe(2);
  });

  // bench:claims: ten volunteers on each need, all at once. Every claim passed the early check
  // before the first had committed, so each opened a transaction, waited for the need's row lock
  // holding a pooled connection, and was refused under it: nine transactions rolled back per need.
  it('claims on one need that arrive together are taken one at a time: only the winner opens a transaction', async () => {
    const need = await createNeed(coordinator, community);
    const volunteers = await Promise.all(Array.from({ length: 10 }, () => member(s.url, admin, community, 'VOLUNTEER')));
    const sent: string[] = [];
    const stop = s.app.services.db.onStatement((sql) => sent.push(sql.trim().toUpperCase()));
    let answers: (string | undefined)[];
    try {
      answers = await Promise.all(volunteers.map(async (v) => {
        const res = await v.gql(CLAIM, { id: need.id });
        return res.errors ? res.errors[0]?.extensions?.code : 'WON';
      }));
    } finally {
      stop();
    }
    expect(answers.filter((a) => a === 'WON')).toHaveLength(1);
    expect(answers.filter((a) => a === 'CLAIM_CONFLICT')).toHaveLength(9);
    // A transaction's end as Prisma logs it: `COMMIT` on PostgreSQL, `-- Implicit "COMMIT" query via underlying driver` on PGlite.
    const ends = (word: string) => sent.filter((q) => q === word || q.includes(`"${word}"`));
    expect(ends('ROLLBACK')).toEqual([]);
    expect(ends('COMMIT')).toHaveLength(1);
  });

  // Its own wake-up on the bus made the process number and read again what it had just read:
  // two more statements after every commit.
  it('a winning claim, with what its commit sets off, is the viewer, the early check, the transaction and one numbering and read of its event', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const needs = [await createNeed(coordinator, community), await createNeed(coordinator, community), await createNeed(coordinator, community)];
    let fewest = Infinity;
    for (const need of needs) {
      await new Promise((r) => setTimeout(r, 300));
      const before = s.app.services.db.statements.count;
      await volunteer.ok(CLAIM, { id: need.id });
      // What the commit sets off runs after the answer: wait until it has (however loaded the
      // machine), then a moment more for anything it would set off in turn.
      await expect.poll(() => s.app.services.db.statements.count - before, { timeout: 15_000 }).toBeGreaterThanOrEqual(12);
      await new Promise((r) => setTimeout(r, 300));
      fewest = Math.min(fewest, s.app.services.db.statements.count - before);
    }
    // The viewer and the early check; the transaction's (row locks, the live claims of the need
    // and of the volunteer in one read, the claim, the need, the event, COMMIT); then one
    // numbering, and one read of the event and its need. 16 before: the process's own wake-up
    // numbered and read again; 13 before: the need's claims and the volunteer's were two reads.
    expect(fewest).toBe(12);
  });

  // Review: a retry in another process that began before the first attempt committed read the
  // need its own first attempt had filled, and said CLAIM_CONFLICT: the volunteer would think
  // they had lost their claim. The locked path says IDEMPOTENCY_IN_PROGRESS (retry, and get the claim).
  it('a keyed retry that began before its first attempt committed is not refused for what that attempt did', async () => {
    const need = await createNeed(coordinator, community);
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const key = `race-${Date.now()}`;
    const first = await volunteer.gql(CLAIM, { id: need.id }, { 'idempotency-key': key });
    expect(first.data?.claimNeed?.claim?.id).toBeTruthy();
    // The retry as another process runs it: its key row read before the first attempt committed.
    const services = s.app.services;
    const viewer = (await viewerFromToken(services, volunteer.token))!;
    const retry = { scope: `user:${viewer.id}`, key, requestHash: 'as the first', exists: false, stored: [], next: 0 };
    const outcome = await services.idempotency.run(retry, () => claimNeed(services, viewer, uuidOf(need.id))).then(
      () => 'claimed again',
      (err: { extensions?: { code?: string } }) => err.extensions?.code,
    );
    expect(outcome).toBe('IDEMPOTENCY_IN_PROGRESS');
  });

  it('reads the locked need as Prisma reads it', async () => {
    const need = await createNeed(coordinator, community, { slots: 3 });
    const { prisma } = s.app.services;
    // Arrays, dates, nulls and enums, as the row holds them.
    await prisma.need.update({ where: { id: uuidOf(need.id) }, data: { requiresIdentityCheck: true, requiredTrainings: ['first-aid', 'driving'], neededBy: new Date('2026-12-31T10:00:00Z'), requesterPhone: null } });
    const locked = await prisma.$transaction((tx) => lockNeed(tx, uuidOf(need.id)));
    expect(locked).toEqual(await prisma.need.findUnique({ where: { id: uuidOf(need.id) } }));
  });
});

describe('a claim on a full need while the winner still holds its row (PostgreSQL)', requires(postgresServer), () => {
  // Each such claim waited for the row lock behind the winner's transaction, holding a pooled
  // connection meanwhile: under a burst, the pool was theirs.
  it('is refused at once, not after the lock is let go', async () => {
    const need = await createNeed(coordinator, community);
    const [winner, loser] = [await member(s.url, admin, community, 'VOLUNTEER'), await member(s.url, admin, community, 'VOLUNTEER')];
    await winner.ok(CLAIM, { id: need.id });
    const holder = new pg.Client({ connectionString: s.db.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM "Need" WHERE id = $1 FOR UPDATE`, [uuidOf(need.id)]);
      // The lock is let go only after the answer: a claim that waits for it never answers.
      const answer = await loser.gql(CLAIM, { id: need.id });
      expect(answer.errors?.[0]?.extensions?.code).toBe('CLAIM_CONFLICT');
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
    }
  }, 20_000);
});

describe('a burst of claims on one need whose row is held (PostgreSQL, a pool of 3)', requires(postgresServer), () => {
  // Every claim of the burst passed the early check (the need had a place) and took a pooled
  // connection to wait for the row's lock: three of them took the whole pool, and a claim on any
  // other need waited behind them until the first let go.
  it('waits its turn in the process, not in the pool: a claim on another need is answered meanwhile', async () => {
    const small = await startServer({ DATABASE_POOL_MAX: '3' });
    const holder = new pg.Client({ connectionString: small.db.env.DATABASE_URL });
    try {
      const smallAdmin = await adminClient(small.url, small.app.services.prisma);
      const smallCommunity = await createCommunity(smallAdmin);
      const smallCoordinator = await member(small.url, smallAdmin, smallCommunity, 'COORDINATOR');
      const [hot, other] = [await createNeed(smallCoordinator, smallCommunity), await createNeed(smallCoordinator, smallCommunity)];
      const volunteers = await Promise.all(Array.from({ length: 6 }, () => member(small.url, smallAdmin, smallCommunity, 'VOLUNTEER')));
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM "Need" WHERE id = $1 FOR UPDATE`, [uuidOf(hot.id)]);
      const burst = volunteers.slice(0, 5).map((v) => v.gql(CLAIM, { id: hot.id }).then((r) => (r.errors ? r.errors[0]?.extensions?.code : 'WON')));
      // The first claim of the burst is waiting for the row.
      await expect
        .poll(async () => (await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rows[0].n, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(1);
      // The row is still held: this answer comes only if the burst left it a connection.
      expect((await volunteers[5]!.gql(CLAIM, { id: other.id })).data?.claimNeed?.claim?.id).toBeTruthy();
      await holder.query('ROLLBACK');
      const answers = await Promise.all(burst);
      expect(answers.filter((a) => a === 'WON')).toHaveLength(1);
      expect(answers.filter((a) => a === 'CLAIM_CONFLICT')).toHaveLength(4);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end().catch(() => {});
      await small.stop();
    }
  }, 60_000);
});
