// bench:board — the board's bounding-box query over 100,000 needs on PostgreSQL: requests/s and
// latency for the API, PostGraphile 5 and a hand-written `pg` floor (autocannon in a child
// process, variants alternating), and SQL statements per operation for the board query and
// the dashboard (boardStats). See bench/README.md.
import pg from 'pg';
import { print } from 'graphql';
import { BoardNeedsQuery } from '../../web/src/lib/graphql/needs.ts';
import { startApi } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedUsers } from '../lib/db.ts';
import { ProcessMeter, alternate, ask, benchDir, flags, log, median, round, spawnNode, stopAll, waitForMessage, type Child } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';

const opts = flags({
  needs: 100_000,
  /** Needs the bounding box should return (the box is sized to match). */
  target: 500,
  seconds: 10,
  warmupSeconds: 3,
  rounds: 3,
  connections: 16,
  poolMax: 10,
  /** Write a CPU profile of the API process to bench/.work/profiles/. */
  profile: false,
});

// `first` as a variable, as the web app sends it (graphql-armor's cost limit multiplies literal `first` values).
const API_QUERY = `query Board($bbox: BBoxInput!, $first: Int!) { needs(filter: { bbox: $bbox }, first: $first) { edges { node { id title category urgency status publicLat publicLng } } } }`;
const PGL_QUERY = `query Board($minLat: Float!, $minLng: Float!, $maxLat: Float!, $maxLng: Float!) {
  boardNeeds(minLat: $minLat, minLng: $minLng, maxLat: $maxLat, maxLng: $maxLng, first: 1000) { nodes { id title category urgency status publicLat publicLng } }
}`;
// The web app's own board query (its map and list, web/src/lib/board/): more fields than a partner's flat map, dates, the community, the requirements, the total.
const WEB_QUERY = print(BoardNeedsQuery as never);
const STATS_QUERY = `{ boardStats { open claimed inProgress doneToday medianMinutesToClaim openByCategory { category count } openByUrgency { urgency count } openByCommunity { count } claimsPerHour { hour count } } }`;

type Variant = 'api' | 'web' | 'postgraphile' | 'floor';
type Box = { minLat: number; minLng: number; maxLat: number; maxLng: number };

async function main() {
  const started = Date.now();
  const db = await createBenchDatabase('board');
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  try {
    log(`board: ${opts.needs} needs; ${opts.rounds} rounds × ${opts.seconds}s per variant, ${opts.connections} connections`);
    await migrate(db.url);
    await client.connect();
    const t0 = Date.now();
    // 30 communities; needs spread evenly (a low-discrepancy sequence) over Israel's extent,
    // 7 in 10 live (OPEN, CLAIMED, IN_PROGRESS), deterministic ids and timestamps.
    await client.query(`INSERT INTO "Community" (id, slug, name, kind, area, "centerLat", "centerLng")
      SELECT md5('community' || c)::uuid, 'bench-' || c, 'Bench ' || c, 'TOWN', 'Bench', 31.5, 34.8 FROM generate_series(1, 30) c`);
    await client.query(
      `INSERT INTO "Need" (id, title, description, category, urgency, status, lat, lng, address, "publicLat", "publicLng", "requesterName", "requesterPhone", "communityId", "createdAt", "updatedAt")
       SELECT md5('need' || i)::uuid, 'Need ' || i, 'Bench need number ' || i,
         (enum_range(NULL::"NeedCategory"))[1 + i % array_length(enum_range(NULL::"NeedCategory"), 1)],
         (enum_range(NULL::"Urgency"))[1 + (i / 7) % 4],
         (ARRAY['OPEN','OPEN','OPEN','CLAIMED','IN_PROGRESS','DONE','CANCELLED','OPEN','OPEN','DONE']::"NeedStatus"[])[1 + i % 10],
         p.lat, p.lng, 'Bench St ' || i, round((p.lat + 0.002)::numeric, 6)::float8, round((p.lng + 0.002)::numeric, 6)::float8, 'Bench', '+972-50-000-0000',
         md5('community' || (1 + i % 30))::uuid, timestamp '2026-01-01' + i * interval '1 minute', timestamp '2026-01-01'
       FROM generate_series(1, $1::int) AS i,
         LATERAL (SELECT 29.5 + 3.8 * ((i * 0.6180339887498949) - floor(i * 0.6180339887498949)) AS lat,
                         34.3 + 1.3 * ((i * 0.7548776662466927) - floor(i * 0.7548776662466927)) AS lng) AS p`,
      [opts.needs],
    );
    await client.query('ANALYZE');
    log(`  inserted ${opts.needs} needs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The equivalent for PostGraphile: a function it exposes as `boardNeeds` (bench database only).
    await client.query(`CREATE FUNCTION board_needs(min_lat float8, min_lng float8, max_lat float8, max_lng float8) RETURNS SETOF "Need" LANGUAGE sql STABLE AS $$
      SELECT * FROM "Need" WHERE "onBoard" AND status IN ('OPEN', 'CLAIMED', 'IN_PROGRESS')
        AND "publicLat" BETWEEN min_lat AND max_lat AND "publicLng" BETWEEN min_lng AND max_lng
      ORDER BY urgency, "createdAt", id $$`);

    // A box around Jerusalem-ish holding about `target` live needs.
    const live = async (b: Box) =>
      Number(
        (
          await client.query(
            `SELECT count(*) FROM "Need" WHERE "onBoard" AND status IN ('OPEN','CLAIMED','IN_PROGRESS') AND "publicLat" BETWEEN $1 AND $2 AND "publicLng" BETWEEN $3 AND $4`,
            [b.minLat, b.maxLat, b.minLng, b.maxLng],
          )
        ).rows[0].count,
      );
    const boxOf = (side: number): Box => {
      const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
      return { minLat: r6(31.77 - side / 2), maxLat: r6(31.77 + side / 2), minLng: r6(35.0 - side / 2), maxLng: r6(35.0 + side / 2) };
    };
    let side = Math.sqrt((opts.target / (opts.needs * 0.7)) * 3.8 * 1.3);
    for (let i = 0; i < 3; i++) side *= Math.sqrt(opts.target / Math.max(1, await live(boxOf(side))));
    const box = boxOf(side);
    const boxCount = await live(box);
    const smallBox = boxOf(side / 7);
    const smallCount = await live(smallBox);
    log(`  box ${JSON.stringify(box)}: ${boxCount} needs (small box: ${smallCount})`);

    // Coordinators for the dashboard: one of a single community, one of all thirty.
    const community1 = (await client.query(`SELECT md5('community1')::uuid AS id`)).rows[0].id as string;
    const [one] = await seedUsers(client, 'board-coord1', 1, community1, 'COORDINATOR');
    const [all] = await seedUsers(client, 'board-coord30', 1, community1, 'COORDINATOR');
    await client.query(
      `INSERT INTO "Membership" ("userId", "communityId", role) SELECT $1, md5('community' || c)::uuid, 'COORDINATOR' FROM generate_series(2, 30) c`,
      [all!.id],
    );

    // Servers: each its own process, same database, same pool size.
    const api = await startApi({ DATABASE_URL: db.url, DATABASE_POOL_MAX: String(opts.poolMax), EVENT_POLL_MS: '600000' }, { label: 'api', nodeArgs: opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${benchDir}.work/profiles`] : [] });
    const pgl: Child = spawnNode(`${benchDir}board/postgraphile-server.ts`, [], { env: { DATABASE_URL: db.url, PORT: '0', POOL_MAX: String(opts.poolMax), NODE_ENV: 'production' }, ipc: true, label: 'postgraphile' });
    const floor: Child = spawnNode(`${benchDir}board/floor-server.ts`, [], { env: { DATABASE_URL: db.url, PORT: '0', POOL_MAX: String(opts.poolMax) }, ipc: true, label: 'floor' });
    const [pglReady, floorReady] = await Promise.all([waitForMessage<{ url: string }>(pgl, 'ready', 120_000), waitForMessage<{ url: string }>(floor, 'ready')]);
    const servers: Record<Variant, { url: string; pid: number; body: string }> = {
      api: { url: `${api.url}/graphql`, pid: api.pid, body: JSON.stringify({ query: API_QUERY, variables: { bbox: box, first: 1000 } }) },
      web: { url: `${api.url}/graphql`, pid: api.pid, body: JSON.stringify({ query: WEB_QUERY, variables: { filter: { bbox: box }, first: 1000 } }) },
      postgraphile: { url: `${pglReady.url}/graphql`, pid: pgl.pid!, body: JSON.stringify({ query: PGL_QUERY, variables: box }) },
      floor: { url: `${floorReady.url}/graphql`, pid: floor.pid!, body: JSON.stringify({ query: API_QUERY, variables: { bbox: box, first: 1000 } }) },
    };

    // Same answer from all three (ids and fields), and its size.
    const answers: Record<string, { count: number; bytes: number; titles: string }> = {};
    for (const [v, s] of Object.entries(servers)) {
      const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: s.body });
      const text = await res.text();
      const json = JSON.parse(text);
      if (json.errors) throw new Error(`${v}: ${text.slice(0, 500)}`);
      const nodes = v === 'postgraphile' ? json.data.boardNeeds.nodes : json.data.needs.edges.map((e: { node: unknown }) => e.node);
      answers[v] = { count: nodes.length, bytes: text.length, titles: (nodes as { title: string }[]).map((n) => n.title).join(',') };
    }
    log(`  answers: ${Object.entries(answers).map(([v, a]) => `${v} ${a.count} needs / ${a.bytes} B`).join(', ')}`);
    const sameCount = new Set(Object.values(answers).map((a) => a.titles)).size === 1;
    for (const a of Object.values(answers)) a.titles = a.titles.slice(0, 60);

    // SQL statements per operation (the API's driver, counted in its process).
    const count = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const before = (await api.stats()).statements;
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bench-count': '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const json = await res.json();
      if (json.errors) throw new Error(JSON.stringify(json.errors));
      const after = (await api.stats()).statements;
      // Only what was sent on the request's behalf (lib/api-entry.ts); the Prisma count is the process's.
      return { driver: after.inCountedRequests - before.inCountedRequests, prisma: after.prisma - before.prisma };
    };
    const statementRows: (string | number)[][] = [];
    for (const [what, query, variables, token] of [
      [`board query, ${smallCount} needs`, API_QUERY, { bbox: smallBox, first: 1000 }, undefined],
      [`board query, ${boxCount} needs`, API_QUERY, { bbox: box, first: 1000 }, undefined],
      ['board query, first 10', API_QUERY, { bbox: box, first: 10 }, undefined],
      [`the web app's board query, ${boxCount} needs`, WEB_QUERY, { filter: { bbox: box }, first: 1000 }, undefined],
      ['boardStats, 1 community', STATS_QUERY, {}, one!.token],
      ['boardStats, 30 communities', STATS_QUERY, {}, all!.token],
    ] as [string, string, Record<string, unknown>, string | undefined][]) {
      await count(query, variables, token); // warm: the session lookup, caches
      // Background sweeps (claim expiry, notifications…) may run during one reading: keep the least of three.
      const readings = [await count(query, variables, token), await count(query, variables, token), await count(query, variables, token)];
      const c = readings.reduce((a, b) => (b.driver < a.driver ? b : a));
      statementRows.push([what, c.driver, c.prisma]);
      log(`  statements: ${what}: ${c.driver} sent to PostgreSQL (${c.prisma} counted by the API: Prisma's and db/plainFindMany.ts')`);
    }

    // Load, alternating the three servers.
    const loader: Child = spawnNode(`${benchDir}lib/autocannon-child.ts`, [], { ipc: true, label: 'autocannon' });
    await waitForMessage(loader, 'ready');
    const runs = await alternate(['api', 'web', 'postgraphile', 'floor'] as const, opts.rounds, 1, async (v, r) => {
      const s = servers[v];
      const meter = new ProcessMeter([s.pid, loader.pid!]);
      const res = await ask(loader, { url: s.url, body: s.body, connections: opts.connections, duration: r < 0 ? opts.warmupSeconds : opts.seconds }, 'result');
      const usage = meter.stop();
      const out = { ...res, serverCpuPercent: usage.cpuPercent[0], loaderCpuPercent: usage.cpuPercent[1], serverMaxRssMB: usage.maxRssMB[0] };
      log(`  ${r < 0 ? '(warm-up) ' : ''}${v.padEnd(12)} ${Math.round(res.requestsPerSecond)} req/s, p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms, errors ${res.errors + res.non2xx}, server CPU ${usage.cpuPercent[0]}%`);
      return out;
    });
    const agg = (v: Variant) => ({
      requestsPerSecond: Math.round(median(runs[v].map((x) => x.requestsPerSecond))),
      p50: median(runs[v].map((x) => x.latency.p50)),
      p99: median(runs[v].map((x) => x.latency.p99)),
      errors: runs[v].reduce((s, x) => s + x.errors + x.non2xx + x.timeouts, 0),
      cpu: median(runs[v].map((x) => x.serverCpuPercent)),
      rss: Math.max(...runs[v].map((x) => x.serverMaxRssMB)),
    });
    const summary = { api: agg('api'), web: agg('web'), postgraphile: agg('postgraphile'), floor: agg('floor') };
    const names: Record<Variant, string> = { api: 'our API (yoga + Pothos + Prisma)', web: "our API, the web app's board query", postgraphile: 'PostGraphile 5.1.5', floor: 'hand-written pg + JSON' };
    const loadTable: Table = {
      title: `Board query: ${boxCount} needs in a box out of ${opts.needs}; ${opts.connections} connections, ${opts.seconds}s × ${opts.rounds} rounds per server (medians)`,
      columns: ['server', 'req/s', 'p50 ms', 'p99 ms', 'vs floor', 'errors', 'server CPU %', 'server RSS MB', 'response bytes'],
      rows: (['api', 'web', 'postgraphile', 'floor'] as Variant[]).map((v) => [
        names[v],
        summary[v].requestsPerSecond,
        summary[v].p50,
        summary[v].p99,
        `${round(summary[v].requestsPerSecond / summary.floor.requestsPerSecond, 2)}×`,
        summary[v].errors,
        summary[v].cpu,
        summary[v].rss,
        answers[v]!.bytes,
      ]),
      note: "CPU: the server process only (PostgreSQL is shared by all); % of one core. The web app's board query (web/src/lib/graphql/needs.ts, BoardNeeds) asks for the same needs with what the map and the list show: slots, open slots, remote, dates, the community's name, the requirements, and the total; it has no peer here, and no target.",
    };
    const stmtTable: Table = { title: 'SQL statements per operation (counted at the API\'s pg driver, BEGIN/COMMIT included)', columns: ['operation', 'statements to PostgreSQL', 'counted by the API (Prisma, plainFindMany)'], rows: statementRows };
    const boardStmts = statementRows.filter((r) => String(r[0]).startsWith('board query')).map((r) => Number(r[1]));
    const statsStmts = statementRows.filter((r) => String(r[0]).startsWith('boardStats')).map((r) => Number(r[1]));
    await writeResult({
      name: 'board',
      title: 'Board query (bench:board)',
      command: `pnpm bench:board ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `A fresh PostgreSQL database migrated with the API's runner, ${opts.needs} needs inserted with generate_series (deterministic), ANALYZEd. The board query asks for id, title, category, urgency, status, publicLat, publicLng of the live needs in a box (sorted by urgency, then age), anonymously. PostGraphile serves the same rows through a bench-only SQL function \`board_needs(min_lat, min_lng, max_lat, max_lng)\`; the floor is one \`pg\` query serialised to the API's JSON shape. Same needs in the same order from all of them, the web app's query included: ${sameCount ? 'yes' : 'NO'} (${Object.entries(answers).map(([v, a]) => `${v} ${a.count}`).join(', ')}).`,
      tables: [loadTable, stmtTable],
      targets: [
        { what: 'board query vs PostGraphile (req/s)', target: '≥ 1×', value: `${round(summary.api.requestsPerSecond / summary.postgraphile.requestsPerSecond, 2)}×`, met: summary.api.requestsPerSecond >= summary.postgraphile.requestsPerSecond },
        { what: 'board query vs hand-written floor (req/s)', target: '≥ 0.5×', value: `${round(summary.api.requestsPerSecond / summary.floor.requestsPerSecond, 2)}×`, met: summary.api.requestsPerSecond >= 0.5 * summary.floor.requestsPerSecond },
        { what: 'SQL statements per board query', target: '1, whatever the result size', value: [...new Set(boardStmts)].join(' / '), met: boardStmts.every((n) => n === 1) },
        { what: 'SQL statements per boardStats', target: 'constant', value: [...new Set(statsStmts)].join(' / '), met: new Set(statsStmts).size === 1 },
      ],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, box, boxCount, smallCount, answers, summary, runs, statements: statementRows },
    });
    log('wrote bench/results/board.json and RESULTS.md');
  } finally {
    await stopAll();
    await client.end().catch(() => {});
    await db.drop().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  },
);
