// bench:startup — time from process start to the first answered GraphQL query, idle RSS, and
// the time from SIGTERM to exit with nothing in flight (graceful shutdown, SHUTDOWN_GRACE_MS 10 s),
// and one more PGlite start's RSS over a longer idle watch (--watchSeconds):
// PGlite on a fresh data directory (unpacked from the migrated template), PGlite again on that
// directory, and PostgreSQL (an already migrated database). The API is started exactly as
// `pnpm start` starts it (`node src/main.ts`: Node strips the types, its compile cache on), without the web build step.
// See bench/README.md.
import { mkdirSync, rmSync } from 'node:fs';
import { apiEnv } from '../lib/api.ts';
import { createBenchDatabase, migrate } from '../lib/db.ts';
import { alternate, apiDir, benchDir, flags, freePort, log, median, round, rssBytes, sleep, spawnChild, stopAll, type Child } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';

const opts = flags({ rounds: 3, warmup: 1, idleSeconds: 5, /** One more PGlite start, watched idle this long (RSS every 5 s): the footprint once the start's garbage, the worker's first rounds and V8's memory reducer have come and gone. 0: none. */ watchSeconds: 180 });

type Variant = 'pglite-fresh' | 'pglite-existing' | 'postgres';
const names: Record<Variant, string> = {
  'pglite-fresh': 'PGlite, fresh data directory (from the migrated template, db/template.ts)',
  'pglite-existing': 'PGlite, existing data directory',
  postgres: 'PostgreSQL (migrated)',
};

async function startOnce(env: Record<string, string | undefined>, watchSeconds = 0) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const t0 = performance.now();
  const child: Child = spawnChild(process.execPath, ['src/main.ts'], { cwd: apiDir, env: { ...process.env, ...apiEnv({ PORT: String(port), LOG_LEVEL: 'warn', ...env }) } as NodeJS.ProcessEnv, label: 'api' });
  let firstQueryMs = NaN;
  const deadline = t0 + 120_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}):\n${child.output()}`);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ latestEventCursor }"}', signal: AbortSignal.timeout(2_000) });
      const body = await res.json();
      if (res.ok && body.data && 'latestEventCursor' in body.data) {
        firstQueryMs = performance.now() - t0;
        break;
      }
    } catch {}
    await sleep(10);
  }
  if (!Number.isFinite(firstQueryMs)) throw new Error(`no answer in 120 s:\n${child.output()}`);
  await sleep(opts.idleSeconds * 1000);
  const serverRss = rssBytes(child.pid!);
  // RSS in MB every 5 s of a longer idle watch, from the first answered query.
  const watched: { atSeconds: number; rssMB: number }[] = [];
  for (let at = 5; at <= watchSeconds; at += 5) {
    await sleep(Math.max(0, t0 + firstQueryMs + at * 1000 - performance.now()));
    watched.push({ atSeconds: at, rssMB: round(rssBytes(child.pid!) / 2 ** 20, 1) });
  }
  const stopping = performance.now();
  await child.stop(15_000);
  const stopMs = performance.now() - stopping;
  if (child.exitCode !== 0) throw new Error(`API exited with ${child.exitCode ?? child.signalCode} on SIGTERM:\n${child.output()}`);
  return { firstQueryMs: round(firstQueryMs, 0), idleRssMB: round(serverRss / 2 ** 20, 1), stopMs: round(stopMs, 0), watched };
}

async function main() {
  const started = Date.now();
  const work = `${benchDir}.work/startup/`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const db = await createBenchDatabase('startup');
  try {
    await migrate(db.url);
    let n = 0;
    let lastFresh: string | null = null;
    const runs = await alternate(['pglite-fresh', 'pglite-existing', 'postgres'] as const, opts.rounds, opts.warmup, async (v: Variant, r) => {
      let env: Record<string, string>;
      if (v === 'pglite-fresh') {
        lastFresh = `${work}pglite-${++n}`;
        env = { PGLITE_DIR: lastFresh };
      } else if (v === 'pglite-existing') {
        if (!lastFresh) {
          lastFresh = `${work}pglite-${++n}`;
          await startOnce({ PGLITE_DIR: lastFresh });
        }
        env = { PGLITE_DIR: lastFresh };
      } else env = { DATABASE_URL: db.url };
      const res = await startOnce(env);
      log(`  ${r < 0 ? '(warm-up) ' : ''}${v.padEnd(16)} first query after ${res.firstQueryMs} ms, idle RSS ${res.idleRssMB} MB, SIGTERM to exit ${res.stopMs} ms`);
      return res;
    });
    const summary = Object.fromEntries(
      (Object.keys(runs) as Variant[]).map((v) => [
        v,
        { firstQueryMs: median(runs[v].map((x) => x.firstQueryMs)), maxFirstQueryMs: Math.max(...runs[v].map((x) => x.firstQueryMs)), idleRssMB: median(runs[v].map((x) => x.idleRssMB)), stopMs: median(runs[v].map((x) => x.stopMs)) },
      ]),
    ) as Record<Variant, { firstQueryMs: number; maxFirstQueryMs: number; idleRssMB: number; stopMs: number }>;
    // One more fresh PGlite start, left idle for watchSeconds.
    let watch: { atSeconds: number; rssMB: number }[] = [];
    if (opts.watchSeconds > 0) {
      const res = await startOnce({ PGLITE_DIR: `${work}pglite-watched` }, opts.watchSeconds);
      watch = res.watched;
      log(`  pglite-fresh watched idle for ${opts.watchSeconds} s: RSS ${watch.map((w) => w.rssMB).join(' ')} MB`);
    }
    const peak = watch.reduce((a, b) => (b.rssMB > a.rssMB ? b : a), watch[0] ?? { atSeconds: 0, rssMB: NaN });
    const last = watch.slice(-6);
    const settledMB = last.length ? round(median(last.map((w) => w.rssMB)), 1) : NaN;
    const table: Table = {
      title: `Start to first answered query, and RSS after ${opts.idleSeconds} s idle (medians of ${opts.rounds} rounds)`,
      columns: ['database', 'first query ms (median)', 'worst ms', 'idle RSS MB', 'SIGTERM to exit ms (idle)'],
      rows: (Object.keys(names) as Variant[]).map((v) => [names[v], summary[v].firstQueryMs, summary[v].maxFirstQueryMs, summary[v].idleRssMB, summary[v].stopMs]),
      note: '`node src/main.ts` in api/ (what `pnpm start` runs after building the web app), NODE_ENV=production, no web build served, polled every 10 ms with `{ latestEventCursor }`.',
    };
    await writeResult({
      name: 'startup',
      title: 'Start and footprint (bench:startup)',
      command: `pnpm bench:startup ${process.argv.slice(2).join(' ')}`.trim(),
      summary: 'Each start is a new process; the fresh PGlite directory is new every round, the existing one is the directory the previous fresh start created.',
      tables: [
        table,
        ...(watch.length
          ? [
              {
                title: `RSS of one more fresh PGlite start left idle for ${opts.watchSeconds} s (every 5 s)`,
                columns: ['seconds idle', 'RSS MB'],
                rows: watch.filter((w) => w.atSeconds % 15 === 0 || w.atSeconds === 5).map((w) => [w.atSeconds, w.rssMB]),
                note: `Peak ${peak.rssMB} MB at ${peak.atSeconds} s; settled (median of the last 30 s) ${settledMB} MB. The API's worker runs its jobs every 2 s throughout.`,
              } satisfies Table,
            ]
          : []),
      ],
      targets: [
        { what: 'start to first query, PGlite fresh directory', target: '< 3 s', value: `${summary['pglite-fresh'].firstQueryMs} ms`, met: summary['pglite-fresh'].firstQueryMs < 3000 },
        { what: 'start to first query, PGlite existing directory', target: '< 3 s', value: `${summary['pglite-existing'].firstQueryMs} ms`, met: summary['pglite-existing'].firstQueryMs < 3000 },
        { what: `idle RSS on PGlite, after ${opts.idleSeconds} s`, target: '≤ 250 MB', value: `${summary['pglite-fresh'].idleRssMB} MB`, met: summary['pglite-fresh'].idleRssMB <= 250 },
        ...(watch.length ? [{ what: `idle RSS on PGlite, settled (the last 30 s of ${opts.watchSeconds} s idle)`, target: '≤ 250 MB', value: `${settledMB} MB (peak ${peak.rssMB} MB at ${peak.atSeconds} s)`, met: settledMB <= 250 }] : []),
        { what: 'SIGTERM to exit with nothing in flight, PostgreSQL', target: '< 1 s (grace 10 s)', value: `${summary.postgres.stopMs} ms`, met: summary.postgres.stopMs < 1000 },
      ],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary, runs, watch },
    });
    log('wrote bench/results/startup.json and RESULTS.md');
  } finally {
    await stopAll();
    await db.drop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  },
);
