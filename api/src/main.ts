// Process entry: build the app, listen, and shut down cleanly on SIGINT/SIGTERM.
import { buildApp } from './server.ts';

const app = await buildApp();
const { url, metricsPort } = await app.start();
app.services.log.info(
  { url, metricsPort, database: app.config.DATABASE_URL ? 'postgres' : 'pglite', redis: !!app.config.REDIS_URL },
  `api: ${app.config.NODE_ENV} on ${url} (GraphQL ${url}/graphql, database: ${app.config.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}${app.config.REDIS_URL ? ', Redis pub/sub' : ''})`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      (err) => {
        app.services.log.error({ err }, 'api: stopping failed');
        app.services.log.flush();
        process.exit(1);
      },
    );
  });
}
