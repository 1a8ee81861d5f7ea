// GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql, through yoga's envelop
// so that plugins, context and error masking are those of HTTP. Origins are checked at the
// upgrade (cross-site WebSocket hijacking), sessions at each subscribe and at each event (an
// ended one closes the socket with 4403, liveAccess.ts); a subscriber that stops reading is
// closed with 4429 before the process holds more than its budget unsent, its operations ended
// at once, and so is a socket with more than MAX_SUBSCRIPTIONS_PER_SOCKET (socketPressure.ts).
import { AppError, ErrorCode } from '../errors.ts';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { CloseCode } from 'graphql-ws';
import { getOperationAST, GraphQLError, type ExecutionArgs } from 'graphql';
import type { Services } from '../services.ts';
import type { Viewer } from '../auth/viewer.ts';
import { tokenFromCookieHeader, viewerAgain, viewerFromToken } from '../auth/sessions.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import type { WsExtra } from './context.ts';
import type { Yoga } from './yoga.ts';
import { originAllowed } from '../http/origins.ts';
import { asDocumentError, asOwnGraphQLError, isForeignGraphQLError } from './errorPolicy.ts';
import { boundOutgoing, endOperations, keepAlive, type Operations } from './socketPressure.ts';
import { placeholderFor, spliceSharedPayloads } from './sharedFrames.ts'; // a shared payload is serialised once
import { retryWhileUnavailable } from '../events/retry.ts';

/** A socket asking for more live operations than MAX_SUBSCRIPTIONS_PER_SOCKET. */
export const TOO_MANY_SUBSCRIPTIONS_CLOSE = 4429;

export function attachWebSocket(s: Services, server: Server, yoga: Yoga, maxPayload: number) {
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  const operationsOf = new WeakMap<WebSocket, Operations>();
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/graphql')) {
      socket.destroy();
      return;
    }
    // A browser always sends Origin; a foreign one may carry our cookie (cross-site WebSocket hijacking).
    if (!originAllowed(s.config, req.headers.origin, req.headers.host)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      boundOutgoing(ws, socket, { maxBytes: s.config.WS_MAX_PENDING_BYTES, maxFrames: s.config.WS_MAX_PENDING_FRAMES }, (pending) => {
        s.metrics.slowConsumerCloses.inc({ reason: 'socket' });
        s.log.info(pending, 'websocket: closed a subscriber that stopped reading (4429)');
        endOperations(operationsOf.get(ws));
      });
      spliceSharedPayloads(ws); // outermost: the budget counts the frame as it is written
      wss.emit('connection', ws, req);
    });
  });
  const disposable = useServer<Record<string, unknown>, WsExtra>(
    {
      connectionInitWaitTimeout: 5_000,
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onNext: (ctx, id, _payload, _args, result) => placeholderFor(ctx.extra.socket, id, result) as never,
      onConnect: async (ctx) => {
        operationsOf.set(ctx.extra.socket, ctx);
        const param = ctx.connectionParams?.authToken;
        const token = (typeof param === 'string' ? param : null) ?? tokenFromCookieHeader(ctx.extra.request.headers.cookie);
        let viewer: Viewer | null;
        try {
          viewer = await viewerFromToken(s, token);
        } catch (err) {
          if (!isDatabaseUnavailable(err)) throw err;
          // Not 4500 (which graphql-ws clients treat as fatal): 1013 Try Again Later, which they retry.
          ctx.extra.socket.close(1013, 'Service briefly unavailable');
          return false;
        }
        if (token && !viewer) return false; // a stale or forged session is refused, not downgraded silently
        ctx.extra.viewer = viewer;
        ctx.extra.token = token;
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws records each operation, this one included, until it completes (so a completed
        // one frees its slot); counted before any await, so that a burst of subscribes cannot slip
        // past. One too many closes the socket: its code and reason are what the client sees.
        // Closing (too slow, too many, shutting down): nothing new starts on it.
        if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return [new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'This connection is closing; connect again.', { retryable: true })];
        const cap = s.config.MAX_SUBSCRIPTIONS_PER_SOCKET;
        if (Object.keys(ctx.subscriptions).length > cap) {
          s.metrics.tooManySubscriptionCloses.inc();
          ctx.extra.socket.close(TOO_MANY_SUBSCRIPTIONS_CLOSE, `Too many subscriptions on one socket (at most ${cap})`);
          return [new AppError(ErrorCode.RATE_LIMITED, `At most ${cap} subscriptions may be live on one socket.`, { limit: cap })];
        }
        // The session read again (its roles as they are now; waiting out a database that is away,
        // as every live read does); each event reads it again (liveAccess.ts).
        const viewer = ctx.extra.viewer;
        let fresh;
        try {
          fresh = viewer ? await retryWhileUnavailable(() => viewerAgain(s, viewer), s.stream.retry) : null;
        } catch (err) {
          if (err instanceof AppError) return [err];
          throw err;
        }
        if (viewer && !fresh) {
          ctx.extra.socket.close(CloseCode.Forbidden, 'Session expired');
          return [new AppError(ErrorCode.UNAUTHENTICATED, 'Your session has expired; sign in again.')];
        }
        ctx.extra.viewer = fresh;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          wsExtra: ctx.extra, wsOperationId: id, // the operation: where its shared frames go (sharedFrames.ts)
          req: ctx.extra.request,
          params: payload,
        });
        // Parse-time limits (tokens) throw; they must reach the client as errors, as on HTTP.
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [asDocumentError(err)];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        // graphql-armor's limits throw from validation rather than report: same treatment.
        try {
          const errors = validate(args.schema, args.document);
          if (errors.length) return errors.map((e: GraphQLError) => (isForeignGraphQLError(e) ? asOwnGraphQLError(e) : e));
        } catch (err) {
          return [asDocumentError(err)];
        }
        // Several operations and no (or an unknown) name: refused as on HTTP, with its code.
        if (!getOperationAST(args.document, args.operationName)) {
          return [new GraphQLError('Could not determine what operation to execute.', { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE } })];
        }
        return args;
      },
    },
    wss,
    0, // our own keep-alive, whose close says why
  );
  const stopKeepAlive = keepAlive(wss, s.config.WS_KEEPALIVE_MS, () => s.log.info('websocket: closed a socket that did not answer a ping'));
  return {
    clients: wss.clients as ReadonlySet<{ close(code: number, reason: string): void }>, // open sockets: metrics, shutdown
    async close() {
      stopKeepAlive();
      await disposable.dispose();
      for (const client of wss.clients) client.terminate();
    },
  };
}
