// A server started as `pnpm start` starts it (`node src/main.ts`) runs with the environment
// api/src/runtime.ts gives it (glibc's trim threshold: freed large blocks go back to the system),
// in the very process that was spawned: main.ts executes itself again (execve keeps the pid), so a
// signal sent to that pid still reaches the server. A value the operator set is kept. Read from
// /proc/<pid>/environ, which shows the environment the process's current program started with.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPILE_CACHE_DIR, SERVER_ENV } from '../../api/src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { requires } from '../helpers/skips.ts';

const procEnviron = { met: process.platform === 'linux', missing: 'Linux (the test reads /proc/<pid>/environ)' };

function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

describe('the server process', requires(procEnviron), () => {
  let db: TestDatabase;
  const started: ApiProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const api of started) if (api.child.exitCode === null) await api.stop('SIGKILL');
    await db?.drop();
  });

  /** Starts the API, checks that it answers, and stops it with SIGTERM; returns the environment it ran with. */
  async function environOfServer(env: Record<string, string>) {
    const api = await spawnApi({ ...db.env, MIGRATE_ON_START: '1', ...env });
    started.push(api);
    const environ = environOf(api.pid);
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ latestEventCursor }"}' });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)));
    await api.stop('SIGTERM');
    expect(await exited).toBe(0);
    return environ;
  }

  it("runs with glibc's trim threshold, under the pid it was spawned with, and stops on that pid's SIGTERM", async () => {
    expect(process.env.MALLOC_TRIM_THRESHOLD_, 'the test runner itself must not set it').toBeUndefined();
    expect(process.env.NODE_COMPILE_CACHE, 'nor this').toBeUndefined();
    const environ = await environOfServer({});
    expect(environ.MALLOC_TRIM_THRESHOLD_).toBe(SERVER_ENV.MALLOC_TRIM_THRESHOLD_);
    expect(SERVER_ENV.MALLOC_TRIM_THRESHOLD_).toBe('131072');
    // Node's compile cache from the first line on: with every module's stripped source in it, Node
    // never loads its TypeScript stripper (about 7 MB of WebAssembly).
    expect(environ.NODE_COMPILE_CACHE).toBe(COMPILE_CACHE_DIR);
  }, 180_000);

  it("collects the garbage of starting before it takes traffic: V8's young generation is back to its first size", async () => {
    const api = await spawnApi({ ...db.env, MIGRATE_ON_START: '1' });
    started.push(api);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const newSpace = /^nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/m.exec(metrics);
    expect(newSpace, metrics.slice(0, 500)).not.toBeNull();
    // Starting grows it to tens of MB (up to 128 MB on PGlite); one memory-reducing collection
    // shrinks it to a few MB, and an idle server does not grow it again.
    expect(Number(newSpace![1]) / 2 ** 20).toBeLessThanOrEqual(16);
    await api.stop('SIGTERM');
  }, 180_000);

  it('keeps the value an operator set', async () => {
    const environ = await environOfServer({ MALLOC_TRIM_THRESHOLD_: '262144' });
    expect(environ.MALLOC_TRIM_THRESHOLD_).toBe('262144');
  }, 180_000);
});
