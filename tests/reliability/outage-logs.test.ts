// The log while PostgreSQL is away, on a throwaway cluster, from a real API process's output:
// each SERVICE_UNAVAILABLE a client gets is an expected, typed failure, logged as a warning
// without a stack. (Before: every one was printed as "[graphql] unexpected error" with a full
// stack trace — 112 and 114 of them in two processes' logs during one outage — which buries
// real bugs and wakes nobody for the right reason.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.ts';
import { buildWorld, type World } from '../helpers/world.ts';
import { Api } from '../helpers/client.ts';
import { requires, postgresServer, postgresPrograms } from '../helpers/skips.ts';

const BOARD = `query Board { needs(first: 1) { edges { node { id } } } }`;
/** A line of a stack trace, as V8 prints them. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

describe('the log during a PostgreSQL outage', requires(postgresServer, postgresPrograms), () => {
  let cluster: PostgresCluster;
  let api: ApiProcess;
  let world: World;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.sql('CREATE DATABASE app');
    api = await spawnApi({ DATABASE_URL: cluster.url('app'), MIGRATE_ON_START: '1', EVENT_POLL_MS: '250', DATABASE_CONNECT_TIMEOUT_MS: '2000', LOG_LEVEL: 'info', WORKER_INTERVAL_MS: '500' });
    world = await buildWorld(api.url, cluster.url('app'), 1);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await cluster?.destroy();
  });

  it('logs each SERVICE_UNAVAILABLE as a warning without a stack, and nothing as unexpected', async () => {
    const from = api.output().length;
    await cluster.stop('immediate');
    const anonymous = new Api(api.url);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await anonymous.gql(BOARD)); // the operation's own read fails
      answers.push(await world.volunteers[0]!.gql(BOARD)); // the session read before it fails
      answers.push(await world.coordinator.gql(`mutation Reopen($id: ID!) { reopenNeed(id: $id) { need { id } } }`, { id: world.community }));
    }
    for (const a of answers) expect(a.errors?.[0]?.extensions?.code, JSON.stringify(a)).toBe('SERVICE_UNAVAILABLE');
    await cluster.start();
    await expect.poll(async () => (await anonymous.gql(BOARD)).errors, { timeout: 30_000, interval: 100 }).toBeUndefined();

    const output = api.output().slice(from);
    expect(output).not.toMatch(STACK_FRAME);
    expect(output).not.toMatch(/unexpected error|"outcome":"unexpected"/i);
    const lines = output.split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const logged = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(logged.filter((l) => l.level >= 50), JSON.stringify(logged.filter((l) => l.level >= 50))).toEqual([]);
    // Each of the nine answers was logged, as a warning with its request id.
    const unavailable = logged.filter((l) => l.level === 40 && (l.outcome === 'SERVICE_UNAVAILABLE' || (l.errorCodes ?? []).includes('SERVICE_UNAVAILABLE')) && l.requestId);
    expect(new Set(unavailable.map((l) => l.requestId)).size).toBeGreaterThanOrEqual(answers.length);
    console.log(`[outage logs] ${answers.length} SERVICE_UNAVAILABLE answers during the outage: ${unavailable.length} warn lines with request ids, 0 stack frames, 0 error lines (${lines.length} log lines in all)`);
  }, 120_000);
});
