// The log while PostgreSQL is away, on a throwaway cluster, from the output of two real API
// processes (with Redis, as deployed), each asked during the outage:
// each SERVICE_UNAVAILABLE a client gets is an expected, typed failure, logged as a warning
// without a stack. (Before: every one was printed as "[graphql] unexpected error" with a full
// stack trace — 112 and 114 of them in two processes' logs during one outage — which buries
// real bugs and wakes nobody for the right reason.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiPair, type ApiPair } from '../helpers/apiPair.ts';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.ts';
import { buildWorld, rebase, type World } from '../helpers/world.ts';
import { Api } from '../helpers/client.ts';
import { requires, postgresServer, postgresPrograms, redisServerProgram } from '../helpers/skips.ts';

const BOARD = `query Board { needs(first: 1) { edges { node { id } } } }`;
/** A line of a stack trace, as V8 prints them. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

describe('the log during a PostgreSQL outage, two API processes + Redis', requires(postgresServer, postgresPrograms, redisServerProgram), () => {
  let cluster: PostgresCluster;
  let pair: ApiPair;
  let world: World;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.sql('CREATE DATABASE app');
    pair = await startApiPair({ DATABASE_URL: cluster.url('app'), EVENT_POLL_MS: '250', DATABASE_CONNECT_TIMEOUT_MS: '2000', LOG_LEVEL: 'info', WORKER_INTERVAL_MS: '500' });
    world = await buildWorld(pair.a.url, cluster.url('app'), 1);
  }, 120_000);
  afterAll(async () => {
    await pair?.stop();
    await cluster?.destroy();
  });

  it('logs each SERVICE_UNAVAILABLE as a warning without a stack, and nothing as unexpected', async () => {
    const from = [pair.a.output().length, pair.b.output().length];
    await cluster.stop('immediate');
    const answers = [];
    for (let i = 0; i < 3; i++) {
      for (const url of [pair.a.url, pair.b.url]) {
        answers.push(await new Api(url).gql(BOARD)); // the operation's own read fails
        answers.push(await rebase(world.volunteers[0]!, url).gql(BOARD)); // the session read before it fails
        answers.push(await rebase(world.coordinator, url).gql(`mutation Reopen($id: ID!) { reopenNeed(id: $id) { need { id } } }`, { id: world.community }));
      }
    }
    for (const a of answers) expect(a.errors?.[0]?.extensions?.code, JSON.stringify(a)).toBe('SERVICE_UNAVAILABLE');
    await cluster.start();
    for (const url of [pair.a.url, pair.b.url]) await expect.poll(async () => (await new Api(url).gql(BOARD)).errors, { timeout: 30_000, interval: 100 }).toBeUndefined();

    const output = [pair.a, pair.b].map((p, i) => p.output().slice(from[i])).join('\n');
    expect(output).not.toMatch(STACK_FRAME);
    expect(output).not.toMatch(/unexpected error|"outcome":"unexpected"/i);
    const lines = output.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const logged = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(logged.filter((l) => l.level >= 50), JSON.stringify(logged.filter((l) => l.level >= 50))).toEqual([]);
    // Each of the 18 answers was logged, as a warning with its request id.
    const unavailable = logged.filter((l) => l.level === 40 && (l.outcome === 'SERVICE_UNAVAILABLE' || (l.errorCodes ?? []).includes('SERVICE_UNAVAILABLE')) && l.requestId);
    expect(new Set(unavailable.map((l) => l.requestId)).size).toBeGreaterThanOrEqual(answers.length);
    console.log(`[outage logs] two processes + Redis: ${answers.length} SERVICE_UNAVAILABLE answers during the outage: ${unavailable.length} warn lines with request ids, 0 stack frames, 0 error lines (${lines.length} log lines in all)`);
  }, 120_000);
});
