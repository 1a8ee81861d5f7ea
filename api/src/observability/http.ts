// HTTP around the app's routes: each request gets an id (a well-formed incoming X-Request-Id,
// else a new one) returned in its response, a scope that the log lines written meanwhile carry,
// one log line and one count when it is answered. And /metrics: with METRICS_TOKEN as a bearer
// token on the main port, or without a token on METRICS_PORT of 127.0.0.1 only; with neither,
// open in development and tests, off in production.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Services } from '../services.ts';
import { requestIdFrom } from './logger.ts';

/** The route family of a path, a label of few values (never the path itself: ids would make it unbounded). */
export function routeOf(url: string): string {
  const path = url.split('?')[0]!;
  if (path.startsWith('/graphql')) return 'graphql';
  const named = ['/health', '/ready', '/metrics', '/sms/inbound', '/api/import/', '/api/export/'].find((p) => path === p || (p.endsWith('/') && path.startsWith(p)));
  return named ? named.replace(/^\/|\/$/g, '').replace('/', '_') : 'web';
}

/** Probes, scrapes and the web app's files, logged at debug (unless they fail): frequent, and they say nothing new. */
const QUIET = new Set(['health', 'ready', 'metrics', 'web']);

export function observeRequests(s: Services, handler: RequestListener): RequestListener {
  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    const route = routeOf(req.url ?? '/');
    const scope = { requestId } as { requestId: string; operation?: string; viewerId?: string };
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.headersSent ? res.statusCode : 0; // 0: the client went away before an answer
      s.metrics.httpRequests.inc({ route, method: req.method ?? 'GET', status: String(status) });
      s.metrics.httpDuration.observe({ route }, seconds);
      const line = { ...scope, method: req.method, path: (req.url ?? '/').split('?')[0], route, status, durationMs: Math.round(seconds * 1000) };
      if (status >= 500) s.log.warn(line, 'http request');
      else if (QUIET.has(route)) s.log.debug(line, 'http request');
      else s.log.info(line, 'http request');
    });
    s.requestScope.run(scope, () => handler(req, res));
  };
}

export type MetricsAccess = 'token' | 'port' | 'open' | 'off';

/** How /metrics is reached on the main port: with the token, not at all (a port of its own, or production without either), or open. */
export function metricsAccess(config: Services['config']): MetricsAccess {
  if (config.METRICS_TOKEN) return 'token';
  if (config.METRICS_PORT !== undefined) return 'port';
  return config.NODE_ENV === 'production' ? 'off' : 'open';
}

const digest = (v: string) => createHash('sha256').update(v).digest();

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1]!), digest(token));
}

async function writeMetrics(s: Services, res: ServerResponse) {
  const body = await s.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': s.metrics.registry.contentType }).end(body);
}

export type MetricsEndpoint = ReturnType<typeof metricsEndpoint>;

export function metricsEndpoint(s: Services) {
  const access = metricsAccess(s.config);
  if (access === 'off') s.log.warn('metrics: /metrics is off (production without METRICS_TOKEN or METRICS_PORT)');
  let server: Server | undefined;
  return {
    /** /metrics on the main port, by `access`; answers 404 where it is not served there. */
    async handle(req: IncomingMessage, res: ServerResponse) {
      if (access === 'token' && !bearerMatches(req, s.config.METRICS_TOKEN!)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' }).end('A bearer token is required.');
        return;
      }
      if (access === 'token' || access === 'open') return writeMetrics(s, res);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    },
    /** METRICS_PORT, when set: a listener of its own on 127.0.0.1 that serves /metrics only. */
    async listen(): Promise<number | undefined> {
      if (s.config.METRICS_PORT === undefined) return undefined;
      server = createServer((req, res) => {
        if ((req.url ?? '').split('?')[0] !== '/metrics') return void res.writeHead(404).end('Not found');
        writeMetrics(s, res).catch(() => res.writeHead(500).end());
      });
      const port = s.config.METRICS_PORT;
      await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(port, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    async close() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
