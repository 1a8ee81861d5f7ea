// The HTTP routes of one port: health and readiness, CSV import and export, the SMS webhook, the map's tiles,
// GraphQL (with a body cap before anything is read), and the built web app for the rest.
// A foreign page's request to the API (an Origin not allowed) is refused before it runs.
import { ErrorCode } from '../errors.ts';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Services } from '../services.ts';
import { tokenFromCookieHeader, viewerFromToken } from '../auth/sessions.ts';
import { tokenOfRequest } from '../graphql/context.ts';
import { MAX_BODY_BYTES } from '../graphql/bodyLimit.ts';
import { csrfField, privateExportAllowed } from './exportCsrf.ts';
import type { Yoga } from '../graphql/yoga.ts';
import { handleExport, handleImport } from './transfer.ts';
import { closeLingering } from './lingeringClose.ts';
import { handleInboundSms, smsIntakeClosed } from './sms.ts';
import { handleWhatsapp } from './whatsapp.ts';
import { handleTiles } from './tiles.ts';
import { readinessState } from './health.ts';
import { originAllowed } from './origins.ts';
import { observeRequests, type MetricsEndpoint } from '../observability/http.ts';

type WebHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The SvelteKit adapter-node handler, when the web app has been built. */
export async function loadWebHandler(dir: string): Promise<WebHandler | undefined> {
  const path = `${dir}/handler.js`;
  return existsSync(path) ? (await import(pathToFileURL(path).href)).handler : undefined;
}

const header = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function createRouter(
  s: Services,
  yoga: Yoga,
  web: WebHandler | undefined,
  pendingMigrations: readonly string[],
  metrics: Pick<MetricsEndpoint, 'handle'>,
): RequestListener {
  const viewerOf = (req: IncomingMessage) => viewerFromToken(s, tokenOfRequest(header(req, 'authorization'), header(req, 'cookie')));
  const smsClosed = smsIntakeClosed(s.config);
  if (smsClosed) s.log.warn(`sms: ${smsClosed} POST /sms/inbound answers 503.`);
  return observeRequests(s, async (req, res) => {
    const url = req.url ?? '/';
    if ((url.startsWith('/graphql') || url.startsWith('/api/')) && !originAllowed(s.config, header(req, 'origin'), header(req, 'host'))) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(
        JSON.stringify({ errors: [{ message: 'Requests from this origin are not allowed.', extensions: { code: ErrorCode.FORBIDDEN } }] }),
      );
      return;
    }
    if (url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (url === '/metrics') {
      await metrics.handle(req, res).catch((err) => {
        s.log.error({ err }, 'metrics: collecting failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (url === '/ready') {
      const state = await readinessState(s, pendingMigrations);
      res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(state));
      return;
    }
    if (url.startsWith('/api/import/') && req.method === 'POST') {
      await handleImport(s, req, res, new URL(url, 'http://localhost'), await viewerOf(req));
      return;
    }
    if (url.startsWith('/api/export/') && (req.method === 'GET' || req.method === 'POST')) {
      const csrf = req.method === 'POST' ? await csrfField(req) : null;
      const privateAllowed = privateExportAllowed(req, tokenFromCookieHeader(header(req, 'cookie')), csrf);
      await handleExport(s, res, new URL(url, 'http://localhost'), await viewerOf(req), privateAllowed).catch((err) => {
        s.log.warn({ cause: (err as Error).message }, 'export: failed midway; the connection is cut');
        res.destroy();
      });
      return;
    }
    if (url.split('?')[0] === '/whatsapp/webhook' && (req.method === 'GET' || req.method === 'POST')) {
      await handleWhatsapp(s, req, res, new URL(url, 'http://localhost'));
      return;
    }
    if (url.startsWith('/sms/inbound') && req.method === 'POST') {
      await handleInboundSms(s, req, res);
      return;
    }
    if (url.startsWith('/tiles/') && handleTiles(s.config, req, res)) return;
    if (url.startsWith('/graphql') || !web) {
      // Refuse before reading the body.
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
        closeLingering(req, res);
        const body = JSON.stringify({ errors: [{ message: 'Request body too large.', extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE } }] });
        res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
        return;
      }
      void yoga(req, res, { req });
      return;
    }
    web(req, res, () => {
      res.writeHead(404).end('Not found');
    });
  });
}
