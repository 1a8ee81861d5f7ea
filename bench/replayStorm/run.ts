// bench:replay-storm — what many views resuming at once cost everyone else: live subscribers'
// commit-to-delivery latency and mutations' round trips at a steady rate, with no replay (quiet),
// with 20 dashboards each replaying 5,000 stored events again and again (storm, the default
// REPLAY_EVENTS_PER_SECOND budget), and the same storm on a process whose budget is unbounded
// (what every replay did before there was one). Alternating, on PostgreSQL. See bench/README.md.
import pg from 'pg';
import { startApi, type ApiServer } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedCommunity } from '../lib/db.ts';
import { alternate, flags, log, round, sleep, stopAll, summarize, wallNow } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';
import { subscribe } from '../lib/wsSubscribe.ts';

const opts = flags({ dashboards: 20, events: 5_000, live: 200, rate: 20, seconds: 15, rounds: 2, warmup: 1, needs: 20 });
const LIVE = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor at } }`;
const DASHBOARD = `subscription($c: [ID!], $after: String) { needEvents(filter: { communityIds: $c }, after: $after) { cursor type toStatus at need { id title status urgency category } } }`;
const UPDATE = 'mutation($id: ID!, $input: UpdateNeedInput!) { updateNeed(id: $id, input: $input) { need { id } } }';

type Variant = 'quiet' | 'storm' | 'storm-no-ceiling';
type Phase = { live: number[]; mutations: number[]; failed: number; failures: string[]; replayed: number; replays: number; seconds: number };


async function main() {
  const started = Date.now();
  const db = await createBenchDatabase('replaystorm');
  const apis: Partial<Record<'ceiling' | 'noCeiling', ApiServer>> = {};
  const client = new pg.Client({ connectionString: db.url });
  try {
    await migrate(db.url);
    await client.connect();
    const seeded = await seedCommunity(client, 'replaystorm');
    const { rows } = await client.query(
      `INSERT INTO "Need" (id, title, description, category, urgency, lat, lng, address, "publicLat", "publicLng", "requesterName", "communityId", "updatedAt")
       SELECT gen_random_uuid(), 'Bench need ' || i, 'A need of the replay storm', 'FOOD', 'HIGH', 31.5, 34.6, 'Bench St', 31.5, 34.6, 'Bench', $1, now() FROM generate_series(1, $2) AS i RETURNING id`,
      [seeded.communityId, opts.needs],
    );
    const ids = rows.map((r) => r.id as string);
    // The history the dashboards missed: `events` stored events over those needs.
    await client.query(
      `INSERT INTO "NeedEvent" ("needId", "communityId", type, "toStatus") SELECT ($1::uuid[])[1 + i % array_length($1::uuid[], 1)], $2, 'UPDATED', 'OPEN' FROM generate_series(1, $3) AS i`,
      [ids, seeded.communityId, opts.events],
    );
    // Numbered as the API's sequencer numbers what commits (events/outbox.ts).
    await client.query(`SELECT stamp_need_events($1::int)`, [opts.events]);
    const { rows: seqs } = await client.query(`SELECT min(seq) AS first FROM "NeedEvent"`);
    const replayFrom = (BigInt(seqs[0].first) - 1n).toString();
    const needIds = ids.map((id) => Buffer.from(`Need:${id}`).toString('base64'));
    const community = Buffer.from(`Community:${seeded.communityId}`).toString('base64');
    // The window must hold the history the dashboards replay (and what the phases add to it).
    const common = { DATABASE_URL: db.url, DATABASE_POOL_MAX: '10', REPLAY_WINDOW_EVENTS: '10000000' };
    apis.ceiling = await startApi(common, { label: 'api-ceiling' });
    apis.noCeiling = await startApi({ ...common, REPLAY_EVENTS_PER_SECOND: '1000000000' }, { label: 'api-no-ceiling' });

    let k = 0;
    const phase = async (variant: Variant): Promise<Phase> => {
      const api = variant === 'storm-no-ceiling' ? apis.noCeiling! : apis.ceiling!;
      const wsUrl = api.url.replace('http', 'ws') + '/graphql';
      let sink: number[] | null = null;
      const liveSockets = await Promise.all(
        Array.from({ length: opts.live }, () => subscribe(wsUrl, LIVE, { c: [community] }, (data) => sink?.push(wallNow() - Date.parse(data.needEvents.at)))),
      );
      while ((await api.stats()).subscribers < opts.live) await sleep(100);

      // The storm: each dashboard replays from the start of the history, and again once done.
      let stormOn = variant !== 'quiet';
      let replayed = 0;
      let replays = 0;
      const dashboards: Promise<void>[] = [];
      const dashboard = async () => {
        while (stormOn) {
          let got = 0;
          let resolveDone!: () => void;
          const done = new Promise<void>((r) => (resolveDone = r));
          const ws = await subscribe(wsUrl, DASHBOARD, { c: [community], after: replayFrom }, () => {
            got++;
            replayed++;
            if (got >= opts.events) resolveDone();
          });
          const stop = setInterval(() => !stormOn && resolveDone(), 100);
          await done;
          clearInterval(stop);
          if (got >= opts.events) replays++;
          ws.terminate();
        }
      };
      if (stormOn) for (let d = 0; d < opts.dashboards; d++) dashboards.push(dashboard());
      await sleep(1_000); // the storm under way

      const live: number[] = [];
      const mutations: number[] = [];
      sink = live;
      let failed = 0;
      const failures: string[] = [];
      const fail = (why: string) => {
        failed++;
        if (failures.length < 5) failures.push(why);
      };
      const t0 = wallNow();
      const total = opts.rate * opts.seconds;
      const sends: Promise<void>[] = [];
      const replayedBefore = replayed;
      for (let i = 0; i < total; i++) {
        const at = t0 + (i * 1000) / opts.rate;
        const wait = at - wallNow();
        if (wait > 0) await sleep(wait);
        const id = needIds[k++ % needIds.length];
        const sent = wallNow();
        sends.push(
          fetch(`${api.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.coordinator.token}` },
            body: JSON.stringify({ query: UPDATE, variables: { id, input: { title: `storm ${k}` } } }),
          }).then(
            async (r) => {
              const body = await r.json();
              if (body.errors) fail(`${r.status} ${JSON.stringify(body.errors[0]).slice(0, 200)}`);
              else mutations.push(wallNow() - sent);
            },
            (err: Error) => fail(err.message),
          ),
        );
      }
      await Promise.all(sends);
      await sleep(1_000);
      const seconds = (wallNow() - t0) / 1000;
      sink = null;
      const replayedInPhase = replayed - replayedBefore;
      stormOn = false;
      await Promise.all(dashboards);
      for (const s of liveSockets) s.terminate();
      while ((await api.stats()).subscribers > 0) await sleep(100);
      return { live, mutations, failed, failures, replayed: replayedInPhase, replays, seconds };
    };

    const results = await alternate(['quiet', 'storm', 'storm-no-ceiling'] as const, opts.rounds, opts.warmup, (v) => phase(v));
    const rowsOut: Table['rows'] = [];
    const summary: Record<string, any> = {};
    for (const v of ['quiet', 'storm', 'storm-no-ceiling'] as const) {
      const live = summarize(results[v].flatMap((p) => p.live));
      const mut = summarize(results[v].flatMap((p) => p.mutations));
      const replayRate = round(results[v].reduce((a, p) => a + p.replayed, 0) / results[v].reduce((a, p) => a + p.seconds, 0), 0);
      summary[v] = { live, mutations: mut, failed: results[v].reduce((a, p) => a + p.failed, 0), failures: results[v].flatMap((p) => p.failures).slice(0, 5), replayedPerSecond: replayRate, replaysCompleted: results[v].reduce((a, p) => a + p.replays, 0) };
      rowsOut.push([v, live.n, live.median, live.p99, mut.n, mut.median, mut.p99, summary[v].failed, replayRate, summary[v].replaysCompleted]);
    }
    const storm = summary.storm;
    await writeResult({
      name: 'replay-storm',
      title: 'Many views resuming at once (bench:replay-storm)',
      command: `pnpm bench:replay-storm ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `${opts.live} live needEvents subscribers and ${opts.rate} updateNeed/s for ${opts.seconds} s per phase; in the storm phases ${opts.dashboards} dashboards each replay ${opts.events.toLocaleString('en')} stored events from a cursor, again and again. "storm" is the default replay budget (one slice per turn of the event loop, within the share live traffic leaves, at most REPLAY_EVENTS_PER_SECOND), "storm-no-ceiling" the same on a process whose REPLAY_EVENTS_PER_SECOND never binds: only the share holds replays back. API on PostgreSQL; phases alternate.`,
      tables: [
        {
          title: 'Live delivery and mutations during the phase (ms)',
          columns: ['phase', 'live deliveries', 'live p50', 'live p99', 'mutations', 'mutation p50', 'mutation p99', 'failed', 'replayed events/s', 'replays completed'],
          rows: rowsOut,
          note: "Live latency: from the event's `at` (inside the committing transaction) to the frame parsed by the subscriber (same machine). Mutation: round trip of updateNeed over HTTP.",
        },
      ],
      targets: [
        { what: 'live p99 during the storm', target: '≤ 200 ms', value: `${storm.live.p99} ms`, met: storm.live.p99 <= 200 },
        { what: 'mutation p99 during the storm', target: '≤ 500 ms', value: `${storm.mutations.p99} ms`, met: storm.mutations.p99 <= 500 },
      ],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary },
    });
  } finally {
    await apis.ceiling?.stop();
    await apis.noCeiling?.stop();
    await client.end().catch(() => {});
    await db.drop();
    await stopAll();
  }
}

main().catch((err) => {
  log(err);
  process.exit(1);
});
