// bench:slow-reader — what one subscriber that stops reading costs the others: commit-to-delivery
// latency of N ordinary needEvents subscribers at a steady mutation rate, with no paused reader
// (baseline) and with one that subscribed to heavy events (≈ 56 kB each) and stopped reading,
// alternating. Also: how long after the paused socket's pending frames cross WS_MAX_PENDING_BYTES
// the server closes it (4429), and what it closes with. With --processes=2 (the default), two API
// processes on PostgreSQL + a Redis of the run's own, as deployed: the mutations go to the first,
// the ordinary subscribers alternate between the two, the paused reader is on the second.
// See bench/README.md.
import pg from 'pg';
import WebSocket from 'ws';
import { startApi, type ApiServer } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedCommunity } from '../lib/db.ts';
import { alternate, flags, log, round, sleep, stopAll, summarize, wallNow } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';
import { subscribe } from '../lib/wsSubscribe.ts';
import { startRedis } from '../lib/redis.ts';

const opts = flags({ subscribers: 200, rate: 20, seconds: 10, rounds: 2, warmup: 1, needs: 8, processes: 2 });
const LIGHT = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor at } }`;
const HEAVY = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor need { ${Array.from({ length: 14 }, (_, i) => `d${i}: description`).join(' ')} } } }`;
const UPDATE = 'mutation($id: ID!, $input: UpdateNeedInput!) { updateNeed(id: $id, input: $input) { need { id } } }';

type Variant = 'baseline' | 'paused';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

type Phase = { latencies: number[]; latenciesBesideSlow: number[]; failed: number; closedWith: string | null; closeAfterMs: number | null; eventsBeforeClose: number | null };

async function main() {
  const started = Date.now();
  const db = await createBenchDatabase('slowreader');
  const apis: ApiServer[] = [];
  const client = new pg.Client({ connectionString: db.url });
  try {
    await migrate(db.url);
    await client.connect();
    const seeded = await seedCommunity(client, 'slowreader');
    const { rows } = await client.query(
      `INSERT INTO "Need" (id, title, description, category, urgency, lat, lng, address, "publicLat", "publicLng", "requesterName", "communityId", "updatedAt")
       SELECT gen_random_uuid(), 'Bench need ' || i, repeat('.', 4000), 'FOOD', 'HIGH', 31.5, 34.6, 'Bench St', 31.5, 34.6, 'Bench', $1, now() FROM generate_series(1, $2) AS i RETURNING id`,
      [seeded.communityId, opts.needs],
    );
    const needIds = rows.map((r) => Buffer.from(`Need:${r.id}`).toString('base64'));
    const community = Buffer.from(`Community:${seeded.communityId}`).toString('base64');
    if (opts.processes !== 1 && opts.processes !== 2) throw new Error('--processes is 1 or 2');
    const redis = opts.processes === 2 ? await startRedis() : null;
    // Cross-process events only through Redis (the poll is a minute), as in the reliability tests.
    const env = { DATABASE_URL: db.url, DATABASE_POOL_MAX: '10', METRICS_TOKEN, ...(redis ? { REDIS_URL: redis.url, EVENT_POLL_MS: '60000' } : {}) };
    for (let i = 0; i < opts.processes; i++) apis.push(await startApi(env, { label: `api-${i + 1}` }));
    const writer = apis[0]!;
    const slowSide = apis.at(-1)!;
    const wsUrlOf = (api: ApiServer) => api.url.replace('http', 'ws') + '/graphql';

    // The ordinary subscribers, one socket each, alternating between the processes, open through every phase.
    let sink: number[] | null = null;
    let sinkBesideSlow: number[] | null = null;
    const clients = await Promise.all(
      Array.from({ length: opts.subscribers }, (_, i) => {
        const api = apis[i % apis.length]!;
        return subscribe(wsUrlOf(api), LIGHT, { c: [community] }, (data) => {
          const ms = wallNow() - Date.parse(data.needEvents.at);
          sink?.push(ms);
          if (api === slowSide) sinkBesideSlow?.push(ms);
        });
      }),
    );
    for (const api of apis) while ((await api.stats()).subscribers < Math.floor(opts.subscribers / apis.length)) await sleep(100);

    let k = 0;
    const phase = async (variant: Variant): Promise<Phase> => {
      const closes = async () => {
        const m = await (await fetch(`${slowSide.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
        return Number(/mutual_aid_slow_consumer_closes_total\{reason="socket"\} (\d+)/.exec(m)?.[1] ?? 0);
      };
      const closesBefore = await closes();
      let paused: WebSocket | null = null;
      let closedAt: number | null = null;
      let closedWith: string | null = null;
      let eventsToPaused = 0;
      let eventsBeforeClose: number | null = null;
      if (variant === 'paused') {
        paused = await subscribe(wsUrlOf(slowSide), HEAVY, { c: [community] }, () => void eventsToPaused++);
        paused.on('close', (code, reason) => {
          closedWith = `${code} ${String(reason)}`;
          eventsBeforeClose = eventsToPaused;
        });
        await sleep(200);
        (paused as any)._socket.pause();
      }
      const latencies: number[] = [];
      const latenciesBesideSlow: number[] = [];
      sink = latencies;
      sinkBesideSlow = latenciesBesideSlow;
      let failed = 0;
      const t0 = wallNow();
      const total = opts.rate * opts.seconds;
      const sends: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const at = t0 + (i * 1000) / opts.rate;
        const wait = at - wallNow();
        if (wait > 0) await sleep(wait);
        const id = needIds[k++ % needIds.length];
        sends.push(
          fetch(`${writer.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.coordinator.token}` },
            body: JSON.stringify({ query: UPDATE, variables: { id, input: { title: `bench ${k}` } } }),
          }).then(async (r) => void ((await r.json()).errors && failed++), () => void failed++),
        );
        // The server's side: when did the slow-consumer counter move (the close)?
        if (paused && closedAt === null && i % 5 === 0 && (await closes()) > closesBefore) closedAt = wallNow();
      }
      await Promise.all(sends);
      await sleep(1_000);
      sink = null;
      sinkBesideSlow = null;
      if (paused) {
        (paused as any)._socket.resume();
        await Promise.race([new Promise((r) => paused!.once('close', r)), sleep(35_000)]);
        paused.terminate();
      }
      return { latencies, latenciesBesideSlow, failed, closedWith, closeAfterMs: closedAt === null ? null : round(closedAt - t0, 0), eventsBeforeClose };
    };

    const results = await alternate(['baseline', 'paused'] as const, opts.rounds, opts.warmup, (v) => phase(v));
    const rowsOut: Table['rows'] = [];
    const summary: Record<string, any> = {};
    for (const v of ['baseline', 'paused'] as const) {
      const s = summarize(results[v].flatMap((p) => p.latencies));
      const beside = summarize(results[v].flatMap((p) => p.latenciesBesideSlow));
      summary[v] = {
        ...s,
        besideSlow: beside,
        failed: results[v].reduce((a, p) => a + p.failed, 0),
        closes: results[v].map((p) => p.closedWith),
        closeAfterMs: results[v].map((p) => p.closeAfterMs),
        eventsBeforeClose: results[v].map((p) => p.eventsBeforeClose),
      };
      rowsOut.push([
        v,
        s.n,
        s.median,
        s.p95,
        s.p99,
        beside.p99,
        results[v].map((p) => p.closedWith?.split(' ')[0] ?? '–').join('; '),
        results[v].map((p) => p.closeAfterMs ?? '–').join(', '),
        results[v].map((p) => p.eventsBeforeClose ?? '–').join(', '),
      ]);
    }
    const base = summary.baseline.p99 as number;
    const slow = summary.paused.p99 as number;
    const baseBeside = summary.baseline.besideSlow.p99 as number;
    const slowBeside = summary.paused.besideSlow.p99 as number;
    const where =
      opts.processes === 2
        ? 'Two API processes on PostgreSQL + Redis (EVENT_POLL_MS a minute: events cross through Redis): mutations to the first, subscribers alternating between the two, the paused reader on the second'
        : 'One API process on PostgreSQL';
    await writeResult({
      name: 'slow-reader',
      title: 'A subscriber that stops reading (bench:slow-reader)',
      command: `pnpm bench:slow-reader ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `${opts.subscribers} anonymous needEvents subscribers (one socket each) while ${opts.rate} updateNeed/s run for ${opts.seconds} s; in the paused phases one more socket subscribes to heavy events (14 × a 4,000-character description, ≈ 56 kB a frame) and stops reading. ${where}; default WS_MAX_PENDING_BYTES (4 MiB).`,
      tables: [
        {
          title: 'Commit-to-delivery latency of the other subscribers (ms), with and without a paused reader',
          columns: ['phase', 'deliveries', 'p50 ms', 'p95 ms', 'p99 ms', 'p99 ms, on the paused reader\'s process', 'paused socket closed with', 'closed after (ms from phase start)', 'events it got before the close'],
          rows: rowsOut,
          note: "Latency: from the event's `at` (inside the committing transaction) to the frame parsed by the subscriber (same machine). The close is read from the slow-consumer counter in /metrics (polled every 5th mutation); the paused socket sees its close code once it reads again, after the phase.",
        },
      ],
      targets: [
        { what: 'p99 of the others with a paused reader vs baseline', target: '≤ 2×', value: `${round(slow / base, 2)}× (${slow} vs ${base} ms)`, met: slow <= 2 * base },
        ...(opts.processes === 2
          ? [{ what: "the same, subscribers on the paused reader's process", target: '≤ 2×', value: `${round(slowBeside / baseBeside, 2)}× (${slowBeside} vs ${baseBeside} ms)`, met: slowBeside <= 2 * baseBeside }]
          : []),
      ],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary },
    });
    for (const c of clients) c.terminate();
  } finally {
    for (const api of apis) await api.stop();
    await client.end().catch(() => {});
    await db.drop();
    await stopAll();
  }
}

main().catch((err) => {
  log(err);
  process.exit(1);
});
