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
import { startWorker } from './worker.ts';

export type App = {
  config: Config;
  services: Services;
  server: Server;
  start(port?: number): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
};

/** An app from the process environment with `overrides` on top (tests pass theirs here). */
export async function buildApp(overrides: Partial<Record<string, string>> = {}): Promise<App> {
  const config = configFromEnvironment(overrides);
  const services = createServices(config);
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
  const server = createServer(createRouter(s, yoga, await loadWebHandler(config.WEB_BUILD_DIR), pending));
  const ws = attachWebSocket(s, server, yoga, MAX_BODY_BYTES);
  const worker = startWorker(s);

  return {
    config,
    services: s,
    server,
    start(port = config.PORT) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, config.HOST, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve({ port: actual, url: `http://${config.HOST}:${actual}` });
        });
      });
    },
    async stop() {
      worker.stop();
      s.stream.stop();
      await ws.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closeServices(s);
    },
  };
}
