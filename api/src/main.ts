// Process entry: build the app, listen, and shut down cleanly on SIGINT/SIGTERM.
import { buildApp } from './server.ts';

const app = await buildApp();
const { url } = await app.start();
console.log(`[api] ${app.config.NODE_ENV} on ${url} (GraphQL ${url}/graphql, database: ${app.config.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}${app.config.REDIS_URL ? ', Redis pub/sub' : ''})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
