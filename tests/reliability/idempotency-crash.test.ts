// A mutation retried with its idempotency key after a kill -9 returns the first result, and its
// effect happened exactly once: two API processes on PostgreSQL + Redis; 20 keyed claims are
// sent at once to the first, which is killed (SIGKILL: no shutdown code runs) as soon as the
// first of them has committed, and every claim is retried with its key on the other process (as
// the load balancer would send it). Those whose first attempt committed (answered or not) get
// their claim back, not ALREADY_CLAIMED; the others claim now; a second retry answers the same;
// each need ends with one claim and one CLAIMED event, and a subscriber on the surviving process
// gets each need's CLAIMED event once. The killed process, started again, answers a retry the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { startApiPair, type ApiPair } from '../helpers/apiPair.ts';
import { collect } from '../helpers/client.ts';
import { buildWorld, rebase, uuidOf, type World } from '../helpers/world.ts';
import { createNeed } from '../helpers/fixtures.ts';
import { pgQuery } from '../helpers/consistency.ts';
import { requires, postgresServer, redisServerProgram } from '../helpers/skips.ts';
import type { GqlResult } from '../helpers/client.ts';

const N = 20;
const CLAIM = `mutation Claim($id: ID!) { claimNeed(needId: $id) { claim { id status } } }`;

const EVENTS = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type need { id } } }`;

describe('idempotent retry after kill -9, two API processes on PostgreSQL + Redis', requires(postgresServer, redisServerProgram), () => {
  let db: TestDatabase;
  let pair: ApiPair;
  let restarted: ApiProcess | undefined;
  let world: World;
  let query: ReturnType<typeof pgQuery>;

  beforeAll(async () => {
    db = await createTestDatabase();
    pair = await startApiPair(db.env);
    world = await buildWorld(pair.a.url, db.env.DATABASE_URL!, N);
    query = pgQuery(db.env.DATABASE_URL!);
  }, 180_000);
  afterAll(async () => {
    await restarted?.stop();
    await pair?.stop();
    await query?.end();
    await db?.drop();
  });

  it(`${N} keyed claims, killed after the first commit: each retry answers its first result, each claim made once`, async () => {
    const needs: { id: string }[] = [];
    for (let i = 0; i < N; i++) needs.push(await createNeed(world.coordinator, world.community));
    const { latestEventCursor } = await world.coordinator.ok(`{ latestEventCursor }`);
    const send = (i: number, url = pair.a.url) => rebase(world.volunteers[i]!, url).gql(CLAIM, { id: needs[i]!.id }, { 'idempotency-key': `crash-${i}` });
    // Watching on the process that will survive, from before the claims.
    const watcher = rebase(world.coordinator, pair.b.url).ws();
    const claimed = collect<{ needEvents: { type: string; need: { id: string } } }>(watcher, EVENTS, { after: latestEventCursor, c: [world.community] }, (items) => items.length >= N, 120_000);
    const first: Promise<GqlResult | 'no answer'>[] = needs.map((_, i) => send(i).catch(() => 'no answer' as const));

    // Killed as soon as one claim's key row (written in the claim's own transaction) is committed.
    for (;;) {
      const [{ n }] = await query(`SELECT count(*)::int AS n FROM "IdempotencyKey" WHERE results <> '[]'::jsonb`);
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await pair.a.stop('SIGKILL');
    expect(pair.a.child.signalCode).toBe('SIGKILL');
    const answers = await Promise.all(first);
    const committedAtKill = new Set((await query(`SELECT key FROM "IdempotencyKey"`)).map((r) => r.key as string));

    // Retried on the other process, twice: the same answer each time.
    const retries = await Promise.all(needs.map((_, i) => send(i, pair.b.url)));
    expect(await Promise.all(needs.map((_, i) => send(i, pair.b.url)))).toEqual(retries);

    for (let i = 0; i < N; i++) {
      const retry = retries[i]!;
      expect(retry.errors, `claim ${i}`).toBeUndefined();
      const rows = await query(`SELECT id FROM "Claim" WHERE "needId" = $1`, [uuidOf(needs[i]!.id)]);
      expect(rows).toHaveLength(1);
      expect(uuidOf(retry.data.claimNeed.claim.id)).toBe(rows[0].id);
      const events = await query(`SELECT count(*)::int AS n FROM "NeedEvent" WHERE "needId" = $1 AND type = 'CLAIMED'`, [uuidOf(needs[i]!.id)]);
      expect(events[0].n).toBe(1);
      const answer = answers[i]!;
      if (answer !== 'no answer') expect(retry).toEqual(answer); // answered before the kill: the same answer again
    }
    // The subscriber on the surviving process: each need's CLAIMED event, once.
    const delivered = await claimed.done;
    await watcher.dispose();
    expect(delivered.map((d) => d.needEvents.type)).toEqual(Array(N).fill('CLAIMED'));
    expect(new Set(delivered.map((d) => d.needEvents.need.id))).toEqual(new Set(needs.map((n) => n.id)));

    // The killed process, started again, answers a retry with the same first result.
    restarted = await spawnApi({ ...pair.env, MIGRATE_ON_START: '0' });
    const again = await send(0, restarted.url);
    expect(again).toEqual(retries[0]);
    const unanswered = answers.filter((a) => a === 'no answer').length;
    const lost = answers.filter((a, i) => a === 'no answer' && committedAtKill.has(`crash-${i}`)).length;
    console.log(
      `[idempotency-crash] two processes + Redis: at the kill of the first ${committedAtKill.size} of ${N} claims had committed, ${unanswered} were unanswered, ` +
        `${lost} committed without an answer; every retry on the other process answered with its one claim (twice the same), its subscriber got ${N} CLAIMED events, one per need`,
    );
    expect(committedAtKill.size).toBeGreaterThan(0);
  }, 240_000);
});
