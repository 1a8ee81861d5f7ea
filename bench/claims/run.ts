// bench:claims — 1,000 volunteers claiming 100 needs at once on PostgreSQL: throughput, latency,
// and the correctness check (exactly one winner per need, every other claimer told
// CLAIM_CONFLICT, the database agreeing). Alternates with an uncontended round (1,000 needs,
// one claimer each) to show what the contention costs, and with the floor: the same contended
// round against one hand-written SQL statement through \`pg\` (floor-server.ts). See bench/README.md.
import pg from 'pg';
import { startApi } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedCommunity, seedUsers } from '../lib/db.ts';
import { ProcessMeter, alternate, ask, benchDir, databaseCpuSeconds, flags, log, median, round, spawnNode, stopAll, summarize, waitForMessage } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';

const opts = flags({ volunteers: 1000, needs: 100, rounds: 3, warmup: 1, poolMax: 10, /** Write a CPU profile of the API process to bench/.work/profiles/. */ profile: false });

type Variant = 'contended' | 'uncontended' | 'floor';

async function main() {
  const started = Date.now();
  const db = await createBenchDatabase('claims');
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  try {
    log(`claims: ${opts.volunteers} volunteers at once on ${opts.needs} needs (and on ${opts.volunteers} needs, uncontended); ${opts.rounds} rounds after ${opts.warmup} warm-up`);
    await migrate(db.url);
    await client.connect();
    const { communityId } = await seedCommunity(client, 'claims');
    // Fresh volunteers every round, so nobody reaches the active-claims cap (5) and every claim is a first claim.
    const roundsTotal = (opts.rounds + opts.warmup) * 3;
    const volunteers = await seedUsers(client, 'claims-vol', opts.volunteers * roundsTotal, communityId, 'VOLUNTEER');
    const api = await startApi({ DATABASE_URL: db.url, DATABASE_POOL_MAX: String(opts.poolMax), MAX_ACTIVE_CLAIMS: '5' }, { label: 'api', nodeArgs: opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${benchDir}.work/profiles`] : [] });
    const claimer = spawnNode(`${benchDir}claims/claimer.ts`, [], { ipc: true, label: 'claimer' });
    await waitForMessage(claimer, 'ready');
    const floor = spawnNode(`${benchDir}claims/floor-server.ts`, [], { env: { DATABASE_URL: db.url, PORT: '0', POOL_MAX: String(opts.poolMax), MAX_ACTIVE_CLAIMS: '5' }, ipc: true, label: 'floor' });
    const floorUrl = (await waitForMessage<{ url: string }>(floor, 'ready')).url;
    const servers: Record<Variant, { url: string; pid: number }> = {
      contended: { url: api.url, pid: api.pid },
      uncontended: { url: api.url, pid: api.pid },
      floor: { url: floorUrl, pid: floor.pid! },
    };

    let used = 0;
    const runs = await alternate(['contended', 'uncontended', 'floor'] as const, opts.rounds, opts.warmup, async (v: Variant, r) => {
      const needCount = v === 'uncontended' ? opts.volunteers : opts.needs;
      const { rows } = await client.query(
        `INSERT INTO "Need" (id, title, category, urgency, lat, lng, address, "publicLat", "publicLng", "requesterName", "communityId", "updatedAt")
         SELECT gen_random_uuid(), 'Claim me ' || i, 'FOOD', 'HIGH', 31.52, 34.59, 'Bench St', 31.52, 34.59, 'Bench', $1, now()
         FROM generate_series(1, $2::int) AS i RETURNING id`,
        [communityId, needCount],
      );
      const needIds: string[] = rows.map((x) => x.id);
      const mine = volunteers.slice(used, used + opts.volunteers);
      used += opts.volunteers;
      const pairs = mine.map((u, i) => [u.token, Buffer.from(`Need:${needIds[i % needIds.length]}`).toString('base64')]);
      const { url, pid } = servers[v];
      await ask(claimer, { type: 'warm', url, warm: opts.volunteers }, 'warmed');
      const meter = new ProcessMeter([pid, claimer.pid!]);
      const database0 = databaseCpuSeconds();
      const res = await ask<{ wallMs: number; outcomes: { ms: number; code: string; message?: string }[] }>(claimer, { type: 'claim', url, pairs }, 'done');
      const usage = meter.stop();
      const databaseCpuMs = Math.round((databaseCpuSeconds() - database0) * 1000);
      const codes: Record<string, number> = {};
      for (const o of res.outcomes) codes[o.code] = (codes[o.code] ?? 0) + 1;
      // The database's view: one live claim per need at most, and the need's own count agreeing.
      const check = (
        await client.query(
          `SELECT count(*) FILTER (WHERE c.live = 1 AND n."activeClaims" = 1 AND n.status = 'CLAIMED')::int AS ok,
                  count(*) FILTER (WHERE c.live > 1)::int AS doubled,
                  COALESCE(sum(c.live), 0)::int AS claims
           FROM "Need" n LEFT JOIN LATERAL (SELECT count(*)::int AS live FROM "Claim" WHERE "needId" = n.id AND status IN ('ACTIVE', 'STARTED')) c ON true
           WHERE n.id = ANY($1::uuid[])`,
          [needIds],
        )
      ).rows[0];
      const expectedWinners = Math.min(needCount, opts.volunteers);
      const correct = codes.WON === expectedWinners && (codes.CLAIM_CONFLICT ?? 0) === opts.volunteers - expectedWinners && check.ok === expectedWinners && check.doubled === 0 && check.claims === expectedWinners;
      const lat = summarize(res.outcomes.map((o) => o.ms), 1);
      const out = {
        variant: v,
        wallMs: round(res.wallMs, 1),
        claimsPerSecond: Math.round(opts.volunteers / (res.wallMs / 1000)),
        latency: lat,
        codes,
        database: check,
        correct,
        serverCpuPercent: usage.cpuPercent[0]!,
        serverMaxRssMB: usage.maxRssMB[0]!,
        databaseCpuMs,
        otherErrors: [...new Set(res.outcomes.filter((o) => !['WON', 'CLAIM_CONFLICT'].includes(o.code)).map((o) => `${o.code}: ${o.message}`))].slice(0, 3),
      };
      log(
        `  ${r < 0 ? '(warm-up) ' : ''}${v.padEnd(11)} ${out.wallMs} ms for ${opts.volunteers} claims (${out.claimsPerSecond}/s), p50 ${lat.median} p99 ${lat.p99} ms; ${JSON.stringify(codes)}; db ${JSON.stringify(check)}; ${correct ? 'correct' : 'WRONG'}, server CPU ${out.serverCpuPercent}%, database CPU ${databaseCpuMs} ms` +
          (out.otherErrors.length ? `; ${out.otherErrors.join(' | ')}` : ''),
      );
      return out;
    });
    await api.stop();

    const agg = (v: Variant) => ({
      claimsPerSecond: Math.round(median(runs[v].map((x) => x.claimsPerSecond))),
      wallMs: median(runs[v].map((x) => x.wallMs)),
      p50: median(runs[v].map((x) => x.latency.median)),
      p99: median(runs[v].map((x) => x.latency.p99)),
      cpu: median(runs[v].map((x) => x.serverCpuPercent)),
      databaseCpuMs: median(runs[v].map((x) => x.databaseCpuMs)),
      allCorrect: runs[v].every((x) => x.correct),
      codes: runs[v].map((x) => x.codes),
    });
    const summary = { contended: agg('contended'), uncontended: agg('uncontended'), floor: agg('floor') };
    const ofFloor = round(summary.contended.claimsPerSecond / summary.floor.claimsPerSecond, 2);
    const table: Table = {
      title: `${opts.volunteers} claims sent at once (API on PostgreSQL, pool ${opts.poolMax}); medians of ${opts.rounds} rounds`,
      columns: ['round', 'needs', 'wall ms', 'claims/s', 'p50 ms', 'p99 ms', 'won', 'CLAIM_CONFLICT', 'other', 'database check', 'server CPU %', 'database CPU ms'],
      rows: (['contended', 'uncontended', 'floor'] as Variant[]).flatMap((v) =>
        runs[v].map((x, i) => [
          `${v} #${i + 1}`,
          v === 'uncontended' ? opts.volunteers : opts.needs,
          x.wallMs,
          x.claimsPerSecond,
          x.latency.median,
          x.latency.p99,
          x.codes.WON ?? 0,
          x.codes.CLAIM_CONFLICT ?? 0,
          opts.volunteers - (x.codes.WON ?? 0) - (x.codes.CLAIM_CONFLICT ?? 0),
          x.correct ? 'exactly one live claim per need' : `WRONG ${JSON.stringify(x.database)}`,
          x.serverCpuPercent,
          x.databaseCpuMs,
        ]),
      ),
      note: 'Latency: from sending a claim to its answer, all claims in flight together (keep-alive connections opened beforehand). Each round uses fresh needs and fresh volunteers. `floor`: the contended round against floor-server.ts (one hand-written SQL statement through pg, then the sequencer; server CPU is that process). Database CPU: what the processes of the PostgreSQL server used during the round, all of them together.',
    };
    await writeResult({
      name: 'claims',
      title: 'Claim contention (bench:claims)',
      command: `pnpm bench:claims ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `Contended: ${opts.volunteers} volunteers (members of the community, sessions inserted in SQL) claim ${opts.needs} single-slot needs, ${opts.volunteers / opts.needs} per need, all requests in flight at once from a separate process. Uncontended: the same with one need per volunteer. Median contended: ${summary.contended.claimsPerSecond} claims/s, p99 ${summary.contended.p99} ms; uncontended: ${summary.uncontended.claimsPerSecond} claims/s, p99 ${summary.uncontended.p99} ms; the floor (one SQL statement through pg), contended: ${summary.floor.claimsPerSecond} claims/s, p99 ${summary.floor.p99} ms (API ${ofFloor}× the floor). PostgreSQL's CPU per round (medians): contended ${summary.contended.databaseCpuMs} ms, uncontended ${summary.uncontended.databaseCpuMs} ms, floor ${summary.floor.databaseCpuMs} ms.`,
      tables: [table],
      targets: [
        { what: `contended: exactly ${opts.needs} winners and ${opts.volunteers - opts.needs} CLAIM_CONFLICT, every round`, target: 'always', value: summary.contended.allCorrect ? 'yes' : 'no', met: summary.contended.allCorrect },
        { what: 'contended claims/s, p99 (issue 16)', target: '≥ 1,000/s, p99 ≤ 1,000 ms', value: `${summary.contended.claimsPerSecond}/s, p99 ${summary.contended.p99} ms`, met: summary.contended.claimsPerSecond >= 1000 && summary.contended.p99 <= 1000 },
        { what: 'contended claims/s against the floor (issue 16)', target: '≥ 0.5×', value: `${ofFloor}× (${summary.contended.claimsPerSecond} vs ${summary.floor.claimsPerSecond}/s)`, met: ofFloor >= 0.5 },
        { what: 'the floor: exactly one winner per need, every round', target: 'always', value: summary.floor.allCorrect ? 'yes' : 'no', met: summary.floor.allCorrect },
      ],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary, runs },
    });
    log('wrote bench/results/claims.json and RESULTS.md');
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
