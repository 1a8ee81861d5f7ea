// The API process is killed (SIGKILL: no shutdown code runs) in the middle of ~1,000
// mutations on PostgreSQL, then started again. Every acknowledged mutation is in the
// database with its event; nothing is half-written; a subscriber that resumes from its last
// cursor ends with exactly the database's events, each once, in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { collect } from '../helpers/client.ts';
import { buildWorld, rebase, uuidOf, type World } from '../helpers/world.ts';
import { Workload, missingAcknowledged } from '../helpers/workload.ts';
import { consistencyViolations, pgQuery } from '../helpers/consistency.ts';
import { requires, postgresServer } from '../helpers/skips.ts';

const MUTATIONS = 1_000;
const KILL_AT = 450;
const EVENTS = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type } }`;

describe('SIGKILL mid-traffic on PostgreSQL', requires(postgresServer), () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let env: Record<string, string>;
  let world: World;
  let query: ReturnType<typeof pgQuery>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { ...db.env, MIGRATE_ON_START: '1' };
    api = await spawnApi(env);
    world = await buildWorld(api.url, db.env.DATABASE_URL!, 6);
    query = pgQuery(db.env.DATABASE_URL!);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await query?.end();
    await db?.drop();
  });

  it(`loses no acknowledged mutation and half-writes nothing when killed after ${KILL_AT} of ${MUTATIONS}`, async () => {
    const communityUuid = uuidOf(world.community);
    // A subscriber from the very first event.
    const before = collect(world.coordinator.ws(), EVENTS, { after: '0', c: [world.community] }, () => false, 300_000);
    before.done.catch(() => {}); // it ends with the crash
    await new Promise((r) => setTimeout(r, 300));

    const workload = new Workload(world, () => api.url);
    let killed: Promise<void> | undefined;
    let restartMs = 0;
    let readyMs = 0;
    const run = workload.run(MUTATIONS, (n) => {
      if (n !== KILL_AT) return;
      workload.pause();
      killed = (async () => {
        const old = api;
        await old.stop('SIGKILL');
        expect(old.child.signalCode).toBe('SIGKILL');
        const t0 = Date.now();
        api = await spawnApi(env);
        restartMs = Date.now() - t0;
        while (!(await fetch(`${api.url}/ready`)).ok) await new Promise((r) => setTimeout(r, 50));
        readyMs = Date.now() - t0;
        workload.resume();
      })();
    });
    await run;
    await killed;

    const inFlight = workload.failures.filter((f) => f.kind === 'no-answer');
    const masked = workload.failures.filter((f) => f.kind !== 'no-answer');
    console.log(
      `[crash] ${workload.attempted} mutations: ${workload.acks.length} acknowledged, typed refusals ${JSON.stringify(workload.typed)}, ` +
        `${inFlight.length} cut off by the kill, ${masked.length} other failures; restart to /health ${restartMs} ms, to /ready ${readyMs} ms`,
    );
    expect(workload.acks.length).toBeGreaterThan(MUTATIONS / 2);
    // The kill really landed mid-traffic: requests were in flight.
    expect(inFlight.length).toBeGreaterThan(0);
    expect(masked).toEqual([]);

    expect(await missingAcknowledged(query, workload.acks)).toEqual([]);
    expect(await consistencyViolations(query, communityUuid)).toEqual([]);

    // The subscriber resumes from the last cursor it saw, on the new process.
    const seen = before.items.map((d) => d.needEvents.cursor as string);
    expect(seen.length).toBeGreaterThan(0);
    const stored = (await query(`SELECT seq::text AS cursor FROM "NeedEvent" WHERE "communityId" = $1::uuid ORDER BY seq`, [communityUuid])).map((r) => r.cursor as string);
    const last = seen.at(-1)!;
    const rest = stored.slice(stored.indexOf(last) + 1);
    const resumedClient = rebase(world.coordinator, api.url).ws();
    const resumed = collect(resumedClient, EVENTS, { after: last, c: [world.community] }, (items) => items.length >= rest.length, 60_000);
    const after = (await resumed.done).map((d) => d.needEvents.cursor as string);
    await resumedClient.dispose();
    expect([...seen, ...after]).toEqual(stored);
  }, 240_000);
});
