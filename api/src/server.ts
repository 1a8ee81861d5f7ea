// The composition root: buildApp() builds one app from configuration — its services, the
// GraphQL server, the HTTP routes and the WebSocket transport on one port, and the worker —
// and returns how to start and stop it. Nothing here is global: two apps can run side by side
// in one process.
import { latestSeq } from './events/outbox.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configFromEnvironment, type Config } from './config.ts';
import { closeServices, createServices, type Services } from './services.ts';
import { prepareDatabase } from './db/prepare.ts';
import { createGraphQLServer } from './graphql/yoga.ts';
import { attachWebSocket } from './graphql/websocket.ts';
import { createRouter, loadWebHandler } from './http/router.ts';
import { MAX_BODY_BYTES } from './graphql/bodyLimit.ts';
import { Drain, gateRequests, gateUpgrades } from './http/shutdown.ts';
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
  const drain = new Drain();
  const yoga = createGraphQLServer(s, drain);
  const metrics = metricsEndpoint(s);
  const server = createServer(
    { requestTimeout: config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000 },
    gateRequests(drain, createRouter(s, yoga, await loadWebHandler(config.WEB_BUILD_DIR), pending, metrics)),
  );
  const ws = attachWebSocket(s, server, yoga, MAX_BODY_BYTES);
  gateUpgrades(server, drain);
  const worker = startWorker(s);
  let stopping: Promise<void> | undefined;
  s.metrics.observe(
    {
      sockets: () => ws.clients.size,
      subscribers: () => s.stream.subscriberCount,
      bufferedEvents: () => s.stream.bufferedEvents,
      replaysWaiting: () => s.stream.replaysWaiting,
      replayShare: () => s.stream.replayShare,
      writesWaiting: () => s.stream.writes.waiting,
      deliveredSeq: () => s.stream.head,
      committedSeq: async () => (await latestSeq(s.prisma)) ?? 0n,
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
        server.listen({ port, host: config.HOST, backlog: config.LISTEN_BACKLOG }, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve({ port: actual, url: `http://${config.HOST}:${actual}`, metricsPort });
        });
      });
    },
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };

  /** Graceful: refuse what is new, let what is in flight finish (SHUTDOWN_GRACE_MS at most), then close. */
  async function shutdown() {
    const log = s.log;
    drain.start();
    log.info({ inFlight: drain.active, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown: refusing new requests (503) and sockets, waiting for those in flight');
    if (await drain.idle(config.SHUTDOWN_GRACE_MS)) log.info('shutdown: nothing in flight');
    else log.warn({ inFlight: drain.active }, 'shutdown: grace period over, closing with requests still in flight');
    // Our reason first (graphql-ws's close would say "Going away"); a client that does not answer is not waited for long.
    for (const client of ws.clients) client.close(1001, 'server shutting down: reconnect');
    await Promise.race([ws.close(), delay(2_000)]);
    log.info('shutdown: WebSockets closed (1001)');
    await Promise.race([worker.stop(), delay(config.SHUTDOWN_GRACE_MS)]);
    s.stream.stop();
    log.info('shutdown: worker and event stream stopped');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await metrics.close();
    log.info('shutdown: HTTP server closed; closing the database and Redis');
    await closeServices(s);
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
