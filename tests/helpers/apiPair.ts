// Two API processes on one PostgreSQL database, waking each other through a Redis of the test's
// own: the deployment of `deploy/` and of issue 15's reliability runs. The outbox's safety-net
// poll is a minute unless the test says otherwise, so only Redis carries one process's commits
// to the other's subscribers in time. Only the processes started here are ever signalled.
import { spawnApi, type ApiProcess } from './process.ts';
import { startRedisServer, type RedisServer } from './redisServer.ts';

export type ApiPair = {
  redis: RedisServer;
  /** The first process (it applies the migrations). */
  a: ApiProcess;
  b: ApiProcess;
  /** The environment both run with (DATABASE_URL, REDIS_URL, …), for a process started later. */
  env: Record<string, string>;
  /** Stops whichever of the two still runs (SIGTERM; SIGKILL after 20 s), then Redis. */
  stop(): Promise<void>;
};

/** What the process's /ready says of Redis: 'up' once its subscriptions are confirmed by Redis. */
export async function redisReady(api: ApiProcess): Promise<boolean> {
  const res = await fetch(`${api.url}/ready`).catch(() => null);
  return !!res && res.status === 200 && (await res.json()).redis === 'up';
}

export async function startApiPair(env: Record<string, string>, timeoutMs = 30_000): Promise<ApiPair> {
  const redis = await startRedisServer();
  const shared = { EVENT_POLL_MS: '60000', ...env, REDIS_URL: redis.url };
  let a: ApiProcess | undefined;
  let b: ApiProcess | undefined;
  const stopAll = async () => {
    for (const p of [a, b]) {
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) continue;
      const timer = setTimeout(() => p.child.exitCode === null && process.kill(p.pid, 'SIGKILL'), 20_000);
      await p.stop();
      clearTimeout(timer);
    }
    await redis.stop();
  };
  try {
    // One after the other: the first applies the migrations the second then finds done.
    a = await spawnApi({ MIGRATE_ON_START: '1', ...shared });
    b = await spawnApi({ ...shared, MIGRATE_ON_START: '0' });
    // Both subscribed to Redis (a wake-up published before the other listens would be lost).
    const deadline = Date.now() + timeoutMs;
    for (const p of [a, b]) {
      while (!(await redisReady(p))) {
        if (Date.now() > deadline) throw new Error(`API ${p.url} not connected to Redis within ${timeoutMs} ms:\n${p.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { redis, a, b, env: shared, stop: stopAll };
}
