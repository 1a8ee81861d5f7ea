// The composition root: buildApp() builds one app from configuration — its services, the
// GraphQL server, the HTTP routes and the WebSocket transport on one port, and the worker —
// and returns how to start and stop it. Nothing here is global: two apps can run side by side
// in one process.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configFromEnvironment, type Config } from './config.ts';
import { closeServices, createServices, type Services } from './services.ts';
import { prepareDatabase } from './db/prepare.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import { attachWebSocket } from './graphql/websocket.ts';
import { createRouter, loadWebHandler, MAX_BODY_BYTES } from './http/router.ts';
import { JOBS, startWorker } from './worker.ts';
import { metricsEndpoint } from './observability/http.ts';
import type { DestinationStream } from './observability/logger.ts';

export type App = {
  config: Config;
  services: Services;
  server: Server;
  /** Listens on `port` (and on METRICS_PORT, when set: `metricsPort` is where it listens). */
  start(port?: number): Promise<{ port: number; url: string; metricsPort?: number }>;
  stop(): Promise<void>;
};

/**
 * An app from the process environment with `overrides` on top (tests pass theirs here), and
 * optionally where its log goes (default: standard output).
 */
export async function buildApp(overrides: Partial<Record<string, string>> = {}, options: { logDestination?: DestinationStream } = {}): Promise<App> {
  const config = configFromEnvironment(overrides);
  const services = createServices(config, options);
  try {
    return await compose(services);
  } catch (err) {
    await closeServices(services);
    throw err;
  }
}

async function compose(s: Services): Promise<App> {
  const { config } = s;
  const { pending } = await prepareDatabase(s);
  await s.stream.start();
  const yoga = createGraphQLServer(s);
  const metrics = metricsEndpoint(s);
  const server = createServer(createRouter(s, yoga, await loadWebHandler(config.WEB_BUILD_DIR), pending, metrics));
  const ws = attachWebSocket(s, server, yoga, MAX_BODY_BYTES);
  const worker = startWorker(s);
  s.metrics.observe(
    {
      sockets: ws.sockets,
      subscribers: () => s.stream.subscriberCount,
      bufferedEvents: () => s.stream.bufferedEvents,
      deliveredSeq: () => s.stream.head,
      committedSeq: async () => (await s.prisma.needEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n,
      pool: () => s.db.poolStats(),
      redis: () => s.bus.redisState(),
    },
    JOBS.map(([name]) => name),
  );

  return {
    config,
    services: s,
    server,
    async start(port = config.PORT) {
      const metricsPort = await metrics.listen();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, config.HOST, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve({ port: actual, url: `http://${config.HOST}:${actual}`, metricsPort });
        });
      });
    },
    async stop() {
      worker.stop();
      s.stream.stop();
      await ws.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await metrics.close();
      await closeServices(s);
    },
  };
}
