// Starts the real API in this test process on a free loopback port, on a fresh database.
import { buildApp, type App } from '../../api/src/server.ts';
import type { DestinationStream } from '../../api/src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export type TestServer = {
  app: App;
  url: string;
  wsUrl: string;
  /** Where METRICS_PORT serves /metrics, when the test set it. */
  metricsUrl?: string;
  db: TestDatabase;
  stop(): Promise<void>;
};

/** `options.logDestination`: where the app's JSON log lines go (default: standard output). */
export async function startServer(env: Record<string, string> = {}, options: { logDestination?: DestinationStream } = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  const app = await buildApp({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    MIGRATE_ON_START: '1',
    HOST: '127.0.0.1',
    WEB_BUILD_DIR: '/nonexistent',
    // Tests sign up hundreds of users from one address; the limits get their own test.
    RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: '100000',
    RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000',
    // Tests run the background jobs themselves, with a controlled clock; some turn the worker on.
    WORKER_INTERVAL_MS: '3600000',
    // The outbox poll is a safety net for lost wake-ups between processes; in one process every
    // commit must publish what it wrote (events/unitOfWork.ts). With the poll off, a write that
    // publishes nothing leaves a subscription test waiting, and it fails.
    EVENT_POLL_MS: '3600000',
    ...db.env,
    ...env,
  }, options);
  const { url, metricsPort } = await app.start(0);
  return {
    app,
    url,
    metricsUrl: metricsPort === undefined ? undefined : `http://127.0.0.1:${metricsPort}/metrics`,
    wsUrl: url.replace('http', 'ws') + '/graphql',
    db,
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}
