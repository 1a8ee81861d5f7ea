// The process: build the app, listen, and shut down gracefully on SIGINT/SIGTERM (entry: main.ts).
import { collectStartGarbage, collectWhileIdle } from './runtime.ts';
import { buildApp } from './server.ts';

/** Idle: no HTTP request or WebSocket opened for this long, and no live subscription. */
const IDLE_AFTER_MS = 60_000;

const app = await buildApp();
collectStartGarbage();
let lastClientAt = performance.now();
const clientSeen = () => void (lastClientAt = performance.now());
app.server.on('request', clientSeen).on('upgrade', clientSeen);
collectWhileIdle(() => performance.now() - lastClientAt >= IDLE_AFTER_MS && app.services.stream.subscriberCount === 0);
const { url, metricsPort } = await app.start();
app.services.log.info(
  { url, metricsPort, database: app.config.DATABASE_URL ? 'postgres' : 'pglite', redis: !!app.config.REDIS_URL },
  `api: ${app.config.NODE_ENV} on ${url} (GraphQL ${url}/graphql, database: ${app.config.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}${app.config.REDIS_URL ? ', Redis pub/sub' : ''})`,
);

// The first signal drains (app.stop(): in-flight requests finish within SHUTDOWN_GRACE_MS); a
// second one does not wait.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      app.services.log.warn({ signal }, 'api: second signal, exiting without waiting');
      app.services.log.flush();
      process.exit(1);
    }
    stopping = true;
    app.services.log.info({ signal }, `api: ${signal}, shutting down`);
    app.stop().then(
      () => {
        app.services.log.info('api: stopped');
        app.services.log.flush();
        process.exit(0);
      },
      (err) => {
        app.services.log.error({ err }, 'api: stopping failed');
        app.services.log.flush();
        process.exit(1);
      },
    );
  });
}
