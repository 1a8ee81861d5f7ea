// A mutation retried with its idempotency key after a kill -9 returns the first result, and its
// effect happened exactly once: 20 keyed claims are sent at once to an API process on
// PostgreSQL, the process is killed (SIGKILL: no shutdown code runs) as soon as the first of
// them has committed, started again, and every claim is retried with its key. Those whose first
// attempt committed (answered or not) get their claim back, not ALREADY_CLAIMED; the others
// claim now; each need ends with one claim and one CLAIMED event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { buildWorld, rebase, uuidOf, type World } from '../helpers/world.ts';
import { createNeed } from '../helpers/fixtures.ts';
import { pgQuery } from '../helpers/consistency.ts';
import { requires, postgresServer } from '../helpers/skips.ts';
import type { GqlResult } from '../helpers/client.ts';

const N = 20;
const CLAIM = `mutation Claim($id: ID!) { claimNeed(needId: $id) { claim { id status } } }`;

describe('idempotent retry after kill -9 on PostgreSQL', requires(postgresServer), () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let env: Record<string, string>;
  let world: World;
  let query: ReturnType<typeof pgQuery>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { ...db.env, MIGRATE_ON_START: '1' };
    api = await spawnApi(env);
    world = await buildWorld(api.url, db.env.DATABASE_URL!, N);
    query = pgQuery(db.env.DATABASE_URL!);
  }, 180_000);
  afterAll(async () => {
    await api?.stop('SIGKILL');
    await query?.end();
    await db?.drop();
  });

  it(`${N} keyed claims, killed after the first commit: each retry answers its first result, each claim made once`, async () => {
    const needs = [];
    for (let i = 0; i < N; i++) needs.push(await createNeed(world.coordinator, world.community));
    const send = (i: number) => world.volunteers[i]!.gql(CLAIM, { id: needs[i].id }, { 'idempotency-key': `crash-${i}` });
    const first: Promise<GqlResult | 'no answer'>[] = needs.map((_, i) => send(i).catch(() => 'no answer' as const));

    // Killed as soon as one claim's key row (written in the claim's own transaction) is committed.
    for (;;) {
      const [{ n }] = await query(`SELECT count(*)::int AS n FROM "IdempotencyKey" WHERE results <> '[]'::jsonb`);
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const old = api;
    await old.stop('SIGKILL');
    expect(old.child.signalCode).toBe('SIGKILL');
    const answers = await Promise.all(first);
    const committedAtKill = new Set((await query(`SELECT key FROM "IdempotencyKey"`)).map((r) => r.key as string));

    api = await spawnApi(env);
    for (const v of world.volunteers) Object.assign(v, rebase(v, api.url));
    const retries = await Promise.all(needs.map((_, i) => send(i)));

    for (let i = 0; i < N; i++) {
      const retry = retries[i]!;
      expect(retry.errors, `claim ${i}`).toBeUndefined();
      const rows = await query(`SELECT id FROM "Claim" WHERE "needId" = $1`, [uuidOf(needs[i].id)]);
      expect(rows).toHaveLength(1);
      expect(uuidOf(retry.data.claimNeed.claim.id)).toBe(rows[0].id);
      const events = await query(`SELECT count(*)::int AS n FROM "NeedEvent" WHERE "needId" = $1 AND type = 'CLAIMED'`, [uuidOf(needs[i].id)]);
      expect(events[0].n).toBe(1);
      const answer = answers[i]!;
      if (answer !== 'no answer') expect(retry).toEqual(answer); // answered before the kill: the same answer again
    }
    const unanswered = answers.filter((a) => a === 'no answer').length;
    const lost = answers.filter((a, i) => a === 'no answer' && committedAtKill.has(`crash-${i}`)).length;
    console.log(
      `[idempotency-crash] at the kill ${committedAtKill.size} of ${N} claims had committed, ${unanswered} were unanswered, ` +
        `${lost} committed without an answer; every retry answered with its one claim`,
    );
    expect(committedAtKill.size).toBeGreaterThan(0);
  }, 240_000);
});
