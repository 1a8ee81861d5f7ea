// PostGraphile 5 (Amber preset) over the same database, as a separate process: it exposes the
// bench-only SQL function board_needs(min_lat, min_lng, max_lat, max_lng) as `boardNeeds`.
// graphql 16 comes from the bench package's own dependency tree (the API uses graphql 17).
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL!, schemas: ['public'], poolConfig: { max: Number(process.env.POOL_MAX ?? 10) } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset as never);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
// Build the schema before saying ready, so that the first request is not the one that pays.
await pgl.getSchema();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.send?.({ type: 'ready', port, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => process.exit(0));
