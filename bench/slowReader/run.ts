// bench:slow-reader — what one subscriber that stops reading costs the others: commit-to-delivery
// latency of N ordinary needEvents subscribers at a steady mutation rate, with no paused reader
// (baseline) and with one that subscribed to heavy events (≈ 56 kB each) and stopped reading,
// alternating. Also: how long after the paused socket's pending frames cross WS_MAX_PENDING_BYTES
// the server closes it (4429), and what it closes with. See bench/README.md.
import pg from 'pg';
import WebSocket from 'ws';
import { startApi, type ApiServer } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedCommunity } from '../lib/db.ts';
import { alternate, flags, log, round, sleep, stopAll, summarize, wallNow } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';
import { subscribe } from '../lib/wsSubscribe.ts';

const opts = flags({ subscribers: 200, rate: 20, seconds: 10, rounds: 2, warmup: 1, needs: 8 });
const LIGHT = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor at } }`;
const HEAVY = `subscription($c: [ID!]) { needEvents(filter: { communityIds: $c }) { cursor need { ${Array.from({ length: 14 }, (_, i) => `d${i}: description`).join(' ')} } } }`;
const UPDATE = 'mutation($id: ID!, $input: UpdateNeedInput!) { updateNeed(id: $id, input: $input) { need { id } } }';

type Variant = 'baseline' | 'paused';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

type Phase = { latencies: number[]; failed: number; closedWith: string | null; closeAfterMs: number | null };

async function main() {
  const started = Date.now();
  const db = await createBenchDatabase('slowreader');
  let api: ApiServer | undefined;
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
    api = await startApi({ DATABASE_URL: db.url, DATABASE_POOL_MAX: '10', METRICS_TOKEN }, { label: 'api' });
    const wsUrl = api.url.replace('http', 'ws') + '/graphql';

    // The ordinary subscribers, one socket each, open through every phase.
    let sink: number[] | null = null;
    const clients = await Promise.all(
      Array.from({ length: opts.subscribers }, () => subscribe(wsUrl, LIGHT, { c: [community] }, (data) => sink?.push(wallNow() - Date.parse(data.needEvents.at)))),
    );
    while ((await api.stats()).subscribers < opts.subscribers) await sleep(100);

    let k = 0;
    const phase = async (variant: Variant): Promise<Phase> => {
      const closes = async () => {
        const m = await (await fetch(`${api!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
        return Number(/mutual_aid_slow_consumer_closes_total\{reason="socket"\} (\d+)/.exec(m)?.[1] ?? 0);
      };
      const closesBefore = await closes();
      let paused: WebSocket | null = null;
      let closedAt: number | null = null;
      let closedWith: string | null = null;
      if (variant === 'paused') {
        paused = await subscribe(wsUrl, HEAVY, { c: [community] }, () => {});
        paused.on('close', (code, reason) => (closedWith = `${code} ${String(reason)}`));
        await sleep(200);
        (paused as any)._socket.pause();
      }
      const latencies: number[] = [];
      sink = latencies;
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
          fetch(`${api!.url}/graphql`, {
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
      if (paused) {
        (paused as any)._socket.resume();
        await Promise.race([new Promise((r) => paused!.once('close', r)), sleep(35_000)]);
        paused.terminate();
      }
      return { latencies, failed, closedWith, closeAfterMs: closedAt === null ? null : round(closedAt - t0, 0) };
    };

    const results = await alternate(['baseline', 'paused'] as const, opts.rounds, opts.warmup, (v) => phase(v));
    const rowsOut: Table['rows'] = [];
    const summary: Record<string, unknown> = {};
    for (const v of ['baseline', 'paused'] as const) {
      const all = results[v].flatMap((p) => p.latencies);
      const s = summarize(all);
      summary[v] = { ...s, failed: results[v].reduce((a, p) => a + p.failed, 0), closes: results[v].map((p) => p.closedWith), closeAfterMs: results[v].map((p) => p.closeAfterMs) };
      rowsOut.push([v, s.n, s.median, s.p95, s.p99, results[v].map((p) => p.closedWith ?? '–').join('; '), results[v].map((p) => p.closeAfterMs ?? '–').join(', ')]);
    }
    const base = (summary.baseline as { p99: number }).p99;
    const slow = (summary.paused as { p99: number }).p99;
    await writeResult({
      name: 'slow-reader',
      title: 'A subscriber that stops reading (bench:slow-reader)',
      command: `pnpm bench:slow-reader ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `${opts.subscribers} anonymous needEvents subscribers (one socket each) while ${opts.rate} updateNeed/s run for ${opts.seconds} s; in the paused phases one more socket subscribes to heavy events (14 × a 4,000-character description, ≈ 56 kB a frame) and stops reading. API on PostgreSQL, default WS_MAX_PENDING_BYTES (4 MiB).`,
      tables: [
        {
          title: 'Commit-to-delivery latency of the other subscribers (ms), with and without a paused reader',
          columns: ['phase', 'deliveries', 'p50 ms', 'p95 ms', 'p99 ms', 'paused socket closed with', 'closed after (ms from phase start)'],
          rows: rowsOut,
          note: 'Latency: from the event\'s `at` (inside the committing transaction) to the frame parsed by the subscriber (same machine). The close is read from the slow-consumer counter in /metrics.',
        },
      ],
      targets: [{ what: 'p99 of the others with a paused reader vs baseline', target: '≤ 2×', value: `${round(slow / base, 2)}× (${slow} vs ${base} ms)`, met: slow <= 2 * base }],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary },
    });
    for (const c of clients) c.terminate();
  } finally {
    await api?.stop();
    await client.end().catch(() => {});
    await db.drop();
    await stopAll();
  }
}

main().catch((err) => {
  log(err);
  process.exit(1);
});
