// bench:memory — server memory per idle subscription: RSS and V8 heap after a forced GC with
// 1k, 5k, 10k and 20k idle `needEvents` subscriptions, for the API, a plain graphql-ws server
// (trivial schema) and a raw `ws` server. See bench/README.md.
import { startApi } from '../lib/api.ts';
import { alternate, ask, benchDir, flags, list, log, median, prng, round, sleep, spawnNode, stopAll, waitForMessage, type Child } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';

const opts = flags({
  /** Subscriptions on one socket each; the last size past `maxSockets` adds subscriptions on the same sockets. */
  sizes: '1000,5000,10000,20000',
  /** This sandbox allows 20,000 open files per process: the server cannot hold 20,000 sockets. */
  maxSockets: 10_000,
  rounds: 2,
  warmup: 1,
  processes: 4,
});
const sizes = list(opts.sizes);

const QUERY = `subscription($filter: NeedEventFilter) {
  needEvents(filter: $filter) { cursor type toStatus at need { id title category urgency status publicLat publicLng openSlots } }
}`;

type Variant = 'api' | 'graphql-ws' | 'raw';
type Point = { subscriptions: number; sockets: number; rssMB: number; heapUsedMB: number; rssPerSubKB: number; heapPerSubKB: number };

const AREA = { minLat: 31.475, maxLat: 31.575, minLng: 34.547, maxLng: 34.647 };
const rand = prng(11);
const variablesFor = (n: number) =>
  Array.from({ length: n }, () => {
    const h = 0.05 + 0.05 * rand();
    const w = 0.05 + 0.05 * rand();
    const minLat = AREA.minLat + (0.1 - h) * rand();
    const minLng = AREA.minLng + (0.1 - w) * rand();
    return { filter: { bbox: { minLat, minLng, maxLat: minLat + h, maxLng: minLng + w } } };
  });

async function startServer(variant: Variant): Promise<{ pid: number; url: string; gc: () => Promise<{ memory: NodeJS.MemoryUsage }>; count: () => Promise<number>; stop: () => Promise<void> }> {
  if (variant === 'api') {
    const api = await startApi({ PGLITE_DIR: 'memory://' }, { label: 'api' });
    return { pid: api.pid, url: api.url, gc: api.gc, count: async () => (await api.stats()).subscribers, stop: api.stop };
  }
  const script = variant === 'raw' ? 'lib/raw-ws-server.ts' : 'lib/plain-graphql-ws-server.ts';
  const child: Child = spawnNode(`${benchDir}${script}`, [], { nodeArgs: ['--expose-gc'], env: { PORT: '0' }, ipc: true, label: variant });
  const ready = await waitForMessage<{ url: string }>(child, 'ready');
  return {
    pid: child.pid!,
    url: ready.url,
    gc: () => ask(child, { type: 'gc' }, 'gc'),
    count: async () => (await ask(child, { type: 'stats' }, 'stats')).subscribers,
    stop: () => child.stop(),
  };
}

async function main() {
  const started = Date.now();
  log(`memory: sizes ${sizes.join(', ')} (at most ${opts.maxSockets} sockets); ${opts.rounds} rounds after ${opts.warmup} warm-up`);
  const subs: Child[] = [];
  try {
    for (let p = 0; p < opts.processes; p++) subs.push(spawnNode(`${benchDir}lib/subscribers.ts`, [], { ipc: true, label: `subs${p}` }));
    await Promise.all(subs.map((c) => waitForMessage(c, 'ready')));

    const measure = async (variant: Variant, roundNo: number): Promise<Point[]> => {
      const warm = roundNo < 0;
      const server = await startServer(variant);
      const target = `${variant}-${roundNo}`;
      try {
        const base = (await server.gc()).memory;
        const points: Point[] = [];
        let sockets = 0;
        let subscriptions = 0;
        for (const size of warm ? sizes.slice(0, 1) : sizes) {
          const wsUrl = `${server.url.replace('http', 'ws')}/graphql`;
          if (size <= opts.maxSockets) {
            const add = size - sockets;
            const replies = await Promise.all(
              subs.map((c, p) => {
                const n = Math.floor(add / subs.length) + (p < add % subs.length ? 1 : 0);
                return ask(c, { type: 'connect', target, wsUrl, query: QUERY, variables: variablesFor(n).map((v) => [v]), concurrency: 50 }, 'connected');
              }),
            );
            const errors = replies.flatMap((r) => r.errors);
            if (errors.length) log(`  ${variant}: ${errors.length} connection errors, e.g. ${errors[0]}`);
            sockets = size;
            subscriptions = size;
          } else {
            // Past the socket limit: more subscriptions on the sockets already open.
            while (subscriptions < size) {
              await Promise.all(subs.map((c) => ask(c, { type: 'subscribe-more', target, query: QUERY, variables: variablesFor(64) }, 'subscribed-more')));
              subscriptions += sockets;
            }
          }
          const deadline = Date.now() + 120_000;
          for (;;) {
            const n = await server.count();
            if (n >= subscriptions) break;
            if (Date.now() > deadline) throw new Error(`${variant}: ${n} of ${subscriptions} subscriptions registered`);
            await sleep(100);
          }
          await sleep(300);
          const m = (await server.gc()).memory;
          const point: Point = {
            subscriptions,
            sockets,
            rssMB: round(m.rss / 2 ** 20, 1),
            heapUsedMB: round(m.heapUsed / 2 ** 20, 1),
            rssPerSubKB: round((m.rss - base.rss) / subscriptions / 1024, 1),
            heapPerSubKB: round((m.heapUsed - base.heapUsed) / subscriptions / 1024, 1),
          };
          points.push(point);
          log(`  ${warm ? '(warm-up) ' : ''}${variant.padEnd(10)} ${String(subscriptions).padStart(6)} subs / ${sockets} sockets: RSS ${point.rssMB} MB (${point.rssPerSubKB} KB/sub), heap ${point.heapUsedMB} MB (${point.heapPerSubKB} KB/sub)`);
        }
        return [{ subscriptions: 0, sockets: 0, rssMB: round(base.rss / 2 ** 20, 1), heapUsedMB: round(base.heapUsed / 2 ** 20, 1), rssPerSubKB: 0, heapPerSubKB: 0 }, ...points];
      } finally {
        await Promise.all(subs.map((c) => ask(c, { type: 'close', target }, 'closed').catch(() => {})));
        await server.stop();
      }
    };

    const results = await alternate(['api', 'graphql-ws', 'raw'] as const, opts.rounds, opts.warmup, measure);
    const agg = (v: Variant) =>
      results[v][0]!.map((p, i) => {
        const at = results[v].map((r) => r[i]!);
        return {
          subscriptions: p.subscriptions,
          sockets: p.sockets,
          rssMB: round(median(at.map((x) => x.rssMB)), 1),
          heapUsedMB: round(median(at.map((x) => x.heapUsedMB)), 1),
          rssPerSubKB: round(median(at.map((x) => x.rssPerSubKB)), 1),
          heapPerSubKB: round(median(at.map((x) => x.heapPerSubKB)), 1),
        };
      });
    const summary = { api: agg('api'), 'graphql-ws': agg('graphql-ws'), raw: agg('raw') };
    const names: Record<Variant, string> = { api: 'API', 'graphql-ws': 'plain graphql-ws', raw: 'raw ws' };
    const table: Table = {
      title: 'Idle subscriptions: server memory after a forced GC (median of rounds)',
      columns: ['subscriptions', 'sockets', ...(['api', 'graphql-ws', 'raw'] as Variant[]).flatMap((v) => [`${names[v]} RSS MB`, `${names[v]} KB/sub (RSS)`, `${names[v]} KB/sub (heap)`])],
      rows: summary.api.map((p, i) => [
        p.subscriptions,
        p.sockets,
        ...(['api', 'graphql-ws', 'raw'] as Variant[]).flatMap((v) => {
          const x = summary[v][i]!;
          return [x.rssMB, i === 0 ? '(baseline)' : x.rssPerSubKB, i === 0 ? `heap ${x.heapUsedMB} MB` : x.heapPerSubKB];
        }),
      ]),
      note: `KB/sub: (value − value with none) / subscriptions. Up to ${opts.maxSockets} subscriptions each has its own socket; past that the extra subscriptions share the open sockets (this sandbox caps a process at 20,000 open files).`,
    };
    const worst = Math.max(...summary.api.slice(1).filter((p) => p.sockets === p.subscriptions).map((p) => p.rssPerSubKB));
    await writeResult({
      name: 'memory',
      title: 'Memory per idle subscription (bench:memory)',
      command: `pnpm bench:memory ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `Each server is started fresh (\`node --expose-gc\`), GC forced over IPC before each reading. The API runs on in-memory PGlite; subscribers are anonymous \`needEvents(filter: { bbox })\` subscriptions held by ${opts.processes} client processes.`,
      tables: [table],
      targets: [{ what: 'API RSS per idle subscription (one socket each)', target: '≤ 30 KB', value: `${worst} KB (worst size)`, met: worst <= 30 }],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary, rounds: results },
    });
    log('wrote bench/results/memory.json and RESULTS.md');
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  },
);
