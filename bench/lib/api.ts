// Starts the API (bench entry, run by Node as `pnpm start` runs it) as a separate process on a free
// loopback port, and talks to its IPC channel.
import { ask, apiDir, benchDir, freePort, spawnNode, waitForMessage, type Child } from './harness.ts';
import { SERVER_ENV } from '../../api/src/runtime.ts';

export type ApiServer = {
  child: Child;
  pid: number;
  url: string;
  port: number;
  stats(): Promise<{ memory: NodeJS.MemoryUsage; cpu: NodeJS.CpuUsage; statements: { prisma: number; driver: number; inCountedRequests: number }; subscribers: number }>;
  gc(): Promise<{ memory: NodeJS.MemoryUsage }>;
  stop(): Promise<void>;
};

export const apiEnv = (extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
  NODE_ENV: 'production',
  LOG_LEVEL: process.env.BENCH_API_LOG ?? 'error',
  HOST: '127.0.0.1',
  WEB_BUILD_DIR: '/nonexistent',
  SEED_ON_START: '0',
  RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000000',
  RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: '100000000',
  RATE_LIMIT_SIGNIN_FAILURES_PER_IP: '100000000',
  RATE_LIMIT_SIGNINS_PER_IP_PER_MINUTE: '100000000',
  MAX_ACTIVE_CLAIMS: '1000',
  REDIS_URL: undefined,
  DATABASE_URL: undefined,
  ...extra,
});

export async function startApi(env: Record<string, string | undefined>, opts: { label?: string; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<ApiServer> {
  const port = await freePort();
  const child = spawnNode(`${benchDir}lib/api-entry.ts`, [], {
    nodeArgs: ['--expose-gc', ...(opts.nodeArgs ?? [])],
    // With the environment api/src/main.ts gives a server (runtime.ts), as `pnpm start` runs it.
    env: apiEnv({ PORT: String(port), ...SERVER_ENV, ...env }),
    ipc: true,
    cwd: apiDir,
    label: opts.label ?? 'api',
    echo: !!process.env.BENCH_ECHO,
  });
  const ready = await waitForMessage<{ url: string; port: number }>(child, 'ready', opts.timeoutMs ?? 180_000);
  return {
    child,
    pid: child.pid!,
    url: ready.url,
    port: ready.port,
    stats: () => ask(child, { type: 'stats' }, 'stats'),
    gc: () => ask(child, { type: 'gc' }, 'gc'),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' });
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      await child.stop();
    },
  };
}

/** POSTs a GraphQL operation; throws on transport errors, returns the parsed body. */
export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}
