// buildApp(): one HTTP server carrying GraphQL over HTTP (and SSE), GraphQL over WebSocket
// (graphql-ws, through yoga's envelop so plugins, context and masking match), the health
// endpoints, and the built web app when present.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { getOperationAST, GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { createRateLimits, setRateLimits } from './auth/rateLimits.ts';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@envelop/disable-introspection';
import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { CloseCode } from 'graphql-ws';
import type { ExecutionArgs } from 'graphql';
import { loadConfig, type Config } from './config.ts';
import { closeDatabase, database, initDatabase } from './db/client.ts';
import { schema } from './schema/index.ts';
import { createBus, type Bus } from './events/pubsub.ts';
import { EventStream, setEventStream } from './events/stream.ts';
import { useSharedSubscriptionExecution } from './events/sharedExecution.ts';
import { SESSION_COOKIE, sessionIsLive, tokenFromAuthorization, tokenFromCookieHeader, viewerFromToken } from './auth/sessions.ts';
import type { Viewer } from './auth/viewer.ts';
import { AppError, ErrorCode } from './errors.ts';
import type { Context } from './context.ts';
import { claimRules, handoverRules, sessionRules } from './domain/settings.ts';
import { autoApproveHandovers } from './domain/handover.ts';
import { configureEmail, deliverEmails, notificationRules, onNotified, warnExpiringClaims } from './domain/notifications.ts';
import { enqueueWebhookDeliveries, deliverWebhooks, webhookRules } from './domain/webhooks.ts';
import { refreshAllSeries } from './domain/recurrence.ts';
import { configureSms, HttpSmsSender, receiveSms, verifySmsSignature } from './domain/intake.ts';
import { publishNotified, setFeedBus } from './events/feeds.ts';
import { handleExport, handleImport } from './http/transfer.ts';
import { releaseExpiredClaims } from './domain/claims.ts';
import { prepareDatabase } from './db/prepare.ts';
import { prisma } from './db/client.ts';
import { isDatabaseUnavailable, isUnstorableText } from './db/errors.ts';

export type App = {
  config: Config;
  server: Server;
  bus: Bus;
  stream: EventStream;
  start(port?: number): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
};

const MAX_BODY_BYTES = 256 * 1024;
/** Bytes a WebSocket may have queued unsent before it is closed as a slow consumer. */
const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;
export const SLOW_CONSUMER_CLOSE = 4429;

type WsExtra = { request: IncomingMessage; viewer?: Viewer | null; token?: string | null };

function liveClaimLoader(viewer: Viewer | null): () => Promise<ReadonlySet<string>> {
  let loaded: Promise<ReadonlySet<string>> | undefined;
  return () =>
    (loaded ??= viewer
      ? prisma()
          .claim.findMany({ where: { volunteerId: viewer.id, status: { in: ['ACTIVE', 'STARTED'] } }, select: { needId: true } })
          .then((rows) => new Set(rows.map((r) => r.needId)))
      : Promise.resolve(new Set<string>()));
}

function cookieHeader(token: string | null, expiresAt: Date | undefined, secure: boolean): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) attrs.push('Secure');
  if (!token) return `${SESSION_COOKIE}=; ${attrs.join('; ')}; Max-Age=0`;
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attrs.join('; ')}; Expires=${expiresAt!.toUTCString()}`;
}

export async function buildApp(overrides: Partial<Record<string, string>> = {}): Promise<App> {
  const config = loadConfig({ ...process.env, ...overrides });
  claimRules.ttlMinutes = config.CLAIM_TTL_MINUTES;
  claimRules.maxActivePerVolunteer = config.MAX_ACTIVE_CLAIMS;
  sessionRules.ttlHours = config.SESSION_TTL_HOURS;
  handoverRules.autoApproveMinutes = config.HANDOVER_AUTO_APPROVE_MINUTES;

  initDatabase(config);
  const readiness = await prepareDatabase(database(), config);

  const limits = createRateLimits({
    redisUrl: config.REDIS_URL,
    signInFailuresPerEmail: config.RATE_LIMIT_SIGNIN_FAILURES_PER_EMAIL,
    signInFailuresPerIp: config.RATE_LIMIT_SIGNIN_FAILURES_PER_IP,
    signUpsPerIpPerHour: config.RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR,
    mutationsPerMinute: config.RATE_LIMIT_MUTATIONS_PER_MINUTE,
  });
  setRateLimits(limits);

  const bus = createBus(config.REDIS_URL);
  const stream = new EventStream(bus, config.EVENT_POLL_MS);
  await stream.start();
  setEventStream(stream);
  setFeedBus(bus);
  const stopNotified = onNotified(publishNotified);
  configureEmail(config.SMTP_URL, config.MAIL_FROM);
  notificationRules.emailRetryBaseMs = config.EMAIL_RETRY_BASE_MS;
  webhookRules.retryBaseMs = config.WEBHOOK_RETRY_BASE_MS;
  configureSms(config.SMS_OUTBOUND_URL ? new HttpSmsSender(config.SMS_OUTBOUND_URL, config.SMS_OUTBOUND_TOKEN) : null);

  const pendingCookies = new WeakMap<Request, string[]>();
  const setCookiePlugin: Plugin = {
    onResponse({ request, response }) {
      for (const c of pendingCookies.get(request) ?? []) response.headers.append('set-cookie', c);
    },
  };
  const production = config.NODE_ENV === 'production';

  // Mutations are rate limited before any resolver runs, on both transports alike.
  const mutationLimitPlugin: Plugin = {
    async onExecute({ args, setResultAndStopExecution }) {
      const { document, operationName, contextValue } = args as unknown as ExecutionArgs;
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
      );
      if (operation?.operation !== 'mutation') return;
      const ctx = contextValue as Context;
      try {
        await limits.mutation(ctx.viewer ? `user:${ctx.viewer.id}` : `ip:${ctx.clientKey}`);
      } catch (err) {
        if (!(err instanceof GraphQLError)) throw err;
        setResultAndStopExecution({ errors: [err] });
      }
    },
  };

  const yoga = createYoga<{ req?: IncomingMessage }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !production && { subscriptionsProtocol: 'WS' },
    maskedErrors: {
      isDev: false,
      maskError: (error, message, isDev) => {
        // The client sees only "Unexpected error."; the operator sees the cause.
        const original = (error as { originalError?: unknown }).originalError ?? error;
        // A GraphQLError built by another copy of graphql (graphql-armor's CommonJS build):
        // an expected, typed error, re-created so that yoga does not mask it.
        if (isForeignGraphQLError(original)) return asOwnGraphQLError(original);
        // An id that is not a UUID reached the database (e.g. through node(id)): bad input.
        if (original instanceof Error && /invalid input syntax for type uuid|Error creating UUID/i.test(original.message)) {
          return new AppError(ErrorCode.BAD_USER_INPUT, 'Malformed id.');
        }
        // A row that is not there (node(id) of a deleted or never-existing need, user, claim…).
        if ((original as { code?: unknown }).code === 'P2025') return new AppError(ErrorCode.NOT_FOUND, 'Not found.');
        if (isUnstorableText(original)) return new AppError(ErrorCode.BAD_USER_INPUT, 'Text may not contain NUL characters.');
        if (!(original instanceof GraphQLError) && config.LOG_LEVEL !== 'silent') console.error('[graphql] unexpected error:', original);
        // The database away for a moment is not a bug: say so, typed, and nothing more.
        if (isDatabaseUnavailable(original)) return serviceUnavailable();
        return withBadInputCode(maskError(error, message, isDev), original);
      },
    },
    logging: config.LOG_LEVEL === 'silent' ? false : config.LOG_LEVEL,
    batching: false,
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: 10, onReject: [typedRejection] },
        maxAliases: { n: 15, onReject: [typedRejection] },
        maxDirectives: { n: 10, onReject: [typedRejection] },
        maxTokens: { n: 2_000 },
        costLimit: { maxCost: 5_000, onReject: [typedRejection] },
        blockFieldSuggestion: { enabled: true },
      }),
      useCSRFPrevention({ requestHeaders: ['x-graphql-csrf'] }),
      // The schema is public in development (GraphiQL, codegen); a production API does not hand out its map.
      // A validation rule, so it holds on WebSocket too (yoga's own plugin keys on the HTTP request).
      ...(production ? [useDisableIntrospection()] : []),
      setCookiePlugin,
      mutationLimitPlugin,
      hideSuggestionsPlugin,
      // One execution per event for identical anonymous WebSocket subscriptions (fan-out).
      useSharedSubscriptionExecution(),
    ],
    context: async (initial): Promise<Context> => {
      const anyInitial = initial as unknown as { request?: Request; wsExtra?: WsExtra };
      if (anyInitial.wsExtra) {
        const extra = anyInitial.wsExtra;
        const viewer = extra.viewer ?? null;
        return {
          viewer,
          sessionToken: extra.token ?? null,
          clientKey: extra.request.socket.remoteAddress ?? 'ws',
          transport: 'ws',
          liveClaimNeedIds: liveClaimLoader(viewer),
        };
      }
      const request = anyInitial.request!;
      const token = tokenFromAuthorization(request.headers.get('authorization')) ?? tokenFromCookieHeader(request.headers.get('cookie'));
      const viewer = await viewerFromToken(token);
      const secure = request.url.startsWith('https:');
      return {
        viewer,
        sessionToken: token,
        clientKey: initial.req?.socket.remoteAddress ?? 'http',
        transport: 'http',
        liveClaimNeedIds: liveClaimLoader(viewer),
        setSessionCookie: (t, expiresAt) => {
          const list = pendingCookies.get(request) ?? [];
          list.push(cookieHeader(t, expiresAt, secure));
          pendingCookies.set(request, list);
        },
      };
    },
  });

  // The built web app (SvelteKit adapter-node), served on the same port when present.
  let webHandler: ((req: IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void) | undefined;
  const handlerPath = `${config.WEB_BUILD_DIR}/handler.js`;
  if (existsSync(handlerPath)) {
    webHandler = (await import(pathToFileURL(handlerPath).href)).handler;
  }

  const server = createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (url === '/ready') {
      const state = await readinessState();
      res.writeHead(state.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(state));
      return;
    }
    if (url.startsWith('/api/import/') && req.method === 'POST') {
      await handleImport(req, res, new URL(url, 'http://localhost'), await viewerOfRequest(req));
      return;
    }
    if (url.startsWith('/api/export/') && req.method === 'GET') {
      await handleExport(res, new URL(url, 'http://localhost'), await viewerOfRequest(req)).catch((err) => {
        console.error('[export] failed:', (err as Error).message);
        res.destroy();
      });
      return;
    }
    if (url.startsWith('/sms/inbound') && req.method === 'POST') {
      await handleInboundSms(req, res);
      return;
    }
    if (url.startsWith('/graphql') || !webHandler) {
      // No operation of ours needs more than this; refuse before reading the body.
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(
          JSON.stringify({ errors: [{ message: 'Request body too large.', extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE } }] }),
        );
        return;
      }
      void yoga(req, res, { req });
      return;
    }
    webHandler(req, res, () => {
      res.writeHead(404).end('Not found');
    });
  });

  function viewerOfRequest(req: IncomingMessage) {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return viewerFromToken(tokenFromAuthorization(header('authorization')) ?? tokenFromCookieHeader(header('cookie')));
  }

  /** The SMS provider's webhook: form-encoded From, To, Body, MessageSid (Twilio's format). */
  async function handleInboundSms(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    if (config.SMS_AUTH_TOKEN) {
      const url = config.SMS_PUBLIC_URL ?? `http://${req.headers.host}${req.url}`;
      const signature = String(req.headers['x-twilio-signature'] ?? '');
      if (!verifySmsSignature(config.SMS_AUTH_TOKEN, url, params, signature)) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('Bad signature');
        return;
      }
    }
    const { From: from, To: to, Body: body, MessageSid: messageId } = params;
    if (!from || !to || body === undefined || !messageId) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('From, To, Body and MessageSid are required');
      return;
    }
    try {
      await receiveSms({ from, to, body, messageId });
      // Replies go through the outbound provider; the webhook answers with empty TwiML.
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    } catch (err) {
      console.error('[sms] inbound failed:', (err as Error).message);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Try again');
    }
  }

  async function readinessState() {
    let db = false;
    try {
      await prisma().$queryRawUnsafe('SELECT 1');
      db = true;
    } catch {}
    const redis = bus.redisState();
    return {
      ready: db && readiness.pending.length === 0,
      database: db ? 'up' : 'down',
      databaseKind: database().kind,
      pendingMigrations: readiness.pending,
      redis,
      degraded: redis === 'down',
      subscribers: stream.subscriberCount,
    };
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/graphql')) {
      socket.destroy();
      return;
    }
    // A browser always sends Origin; a foreign one may carry our cookie (cross-site WebSocket hijacking).
    const origin = req.headers.origin;
    if (origin && !config.ALLOWED_ORIGINS.includes(origin) && !sameHost(origin, req.headers.host)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // graphql-ws waits for each frame to be flushed before it takes the next event, so a client
      // that stops reading would stall its subscription (events piling up in the stream) and never
      // reach the byte limit in onNext. Acknowledge a frame once it is queued instead: what the
      // client leaves unread then shows in bufferedAmount, and onNext closes it with 4429.
      const send = ws.send.bind(ws);
      ws.send = ((data: Parameters<typeof send>[0], ...rest: unknown[]) => {
        const cb = rest.find((r): r is (err?: Error) => void => typeof r === 'function');
        send(data);
        cb?.();
      }) as typeof ws.send;
      wss.emit('connection', ws, req);
    });
  });

  const wsDisposable = useServer<Record<string, unknown>, WsExtra>(
    {
      connectionInitWaitTimeout: 5_000,
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onConnect: async (ctx) => {
        const param = ctx.connectionParams?.authToken;
        const token = (typeof param === 'string' ? param : null) ?? tokenFromCookieHeader(ctx.extra.request.headers.cookie);
        let viewer: Viewer | null;
        try {
          viewer = await viewerFromToken(token);
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
      // A subscriber that stops reading must not make the server buffer without end:
      // past the limit its socket is closed with 4429, and it resumes from its cursor.
      onNext: (ctx) => {
        if (ctx.extra.socket.bufferedAmount > SLOW_CONSUMER_BYTES) ctx.extra.socket.close(SLOW_CONSUMER_CLOSE, 'Too slow: resume from your last cursor');
      },
      onSubscribe: async (ctx, _id, payload) => {
        const viewer = ctx.extra.viewer;
        const live = viewer ? await sessionIsLive(viewer.sessionId).catch((err) => (isDatabaseUnavailable(err) ? null : Promise.reject(err))) : true;
        if (live === null) return [serviceUnavailable()];
        if (!live) {
          ctx.extra.socket.close(CloseCode.Forbidden, 'Session expired');
          return [new AppError(ErrorCode.UNAUTHENTICATED, 'Your session has expired; sign in again.')];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          wsExtra: ctx.extra,
          req: ctx.extra.request,
          params: payload,
        });
        // Parse-time limits (tokens) throw; they must reach the client as errors, as on HTTP.
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          if (err instanceof GraphQLError) return [err];
          if (isForeignGraphQLError(err)) return [asOwnGraphQLError(err)];
          throw err;
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        // graphql-armor's limits throw from validation rather than report; same treatment.
        try {
          const errors = validate(args.schema, args.document);
          if (errors.length) return errors.map((e: GraphQLError) => (e instanceof GraphQLError || !isForeignGraphQLError(e) ? e : asOwnGraphQLError(e)));
        } catch (err) {
          if (err instanceof GraphQLError) return [err];
          if (isForeignGraphQLError(err)) return [asOwnGraphQLError(err)];
          throw err;
        }
        // Several operations and no (or an unknown) name: refused as on HTTP, with its code.
        if (!getOperationAST(args.document, args.operationName)) {
          return [new GraphQLError('Could not determine what operation to execute.', { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE } })];
        }
        return args;
      },
    },
    wss,
  );

  // Background work, safe to run in every process: each job leases or locks what it takes.
  const jobs: [string, () => Promise<unknown>][] = [
    ['claim expiry', () => releaseExpiredClaims()],
    ['expiry warnings', () => warnExpiringClaims()],
    ['handover auto-approval', () => autoApproveHandovers()],
    ['shift board', () => refreshAllSeries()],
    ['webhook queue', () => enqueueWebhookDeliveries()],
    ['webhook delivery', () => deliverWebhooks()],
    ['e-mail delivery', () => deliverEmails()],
  ];
  let working = false;
  const runJobs = async () => {
    if (working) return;
    working = true;
    try {
      for (const [name, job] of jobs) {
        try {
          await job();
        } catch (err) {
          if (config.LOG_LEVEL !== 'silent') console.error(`[worker] ${name} failed:`, (err as Error).message);
        }
      }
    } finally {
      working = false;
    }
  };
  const expiryTimer = setInterval(() => void runJobs(), config.WORKER_INTERVAL_MS);
  expiryTimer.unref();

  return {
    config,
    server,
    bus,
    stream,
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
      clearInterval(expiryTimer);
      stopNotified();
      setFeedBus(undefined);
      stream.stop();
      setEventStream(undefined);
      await wsDisposable.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await bus.close();
      limits.close();
      setRateLimits(undefined);
      await closeDatabase();
    },
  };
}

/**
 * "Did you mean …?" hints map the schema for a prober. graphql-armor masks only the `Did you
 * mean "x"?` form in validation; graphql 17 also writes `the enum value "x"`, and variable
 * coercion writes hints at execution. Removed from all of them, on both transports.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
function withoutSuggestions<T>(errors: readonly T[]): T[] {
  for (const e of errors) if (e instanceof GraphQLError && e.message.includes('Did you mean')) e.message = e.message.replace(SUGGESTION, '').trim();
  return [...errors];
}
const resultWithoutSuggestions = ({ result, setResult }: { result: unknown; setResult: (r: never) => void }) => {
  const errors = (result as { errors?: readonly GraphQLError[] } | null)?.errors;
  if (errors?.length) setResult({ ...(result as object), errors: withoutSuggestions(errors) } as never);
};
const hideSuggestionsPlugin: Plugin = {
  onValidate: () => ({ valid, result, setResult }) => {
    if (!valid) setResult(withoutSuggestions(result));
  },
  onExecute: () => ({ onExecuteDone: resultWithoutSuggestions as never }),
  onSubscribe: () => ({ onSubscribeResult: resultWithoutSuggestions as never }),
};

/**
 * Bad input that graphql-js (variables of the wrong type) and Pothos (global ids that are
 * malformed or of another type) report as plain GraphQLErrors: typed like the rest.
 */
function withBadInputCode(error: Error, original: unknown): Error {
  // A global id naming a type that is not a node (`__Type:…`): Pothos reports a schema error.
  if (original instanceof PothosSchemaError && / has not been implemented$/.test(original.message)) {
    return new AppError(ErrorCode.BAD_USER_INPUT, 'Malformed id.');
  }
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return error;
  if (!(original instanceof PothosValidationError) && !/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });
}

/**
 * graphql-armor throws its own GraphQLError with no code (it aborts validation, rather than
 * reporting, so that a huge document costs nothing more); it is handed to us just before the
 * throw, and given the code every other refused document carries.
 */
function typedRejection(_context: unknown, error: GraphQLError): void {
  (error.extensions as Record<string, unknown>).code ??= ErrorCode.GRAPHQL_VALIDATION_FAILED;
}

const serviceUnavailable = () =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is briefly unavailable. Please try again in a moment.', { retryable: true });

/** A GraphQLError from another copy of the graphql package (not `instanceof` ours). */
function isForeignGraphQLError(err: unknown): err is Error & { extensions?: Record<string, unknown> } {
  return err instanceof Error && !(err instanceof GraphQLError) && (err.name === 'GraphQLError' || err.constructor?.name === 'GraphQLError');
}

function asOwnGraphQLError(err: Error & { extensions?: Record<string, unknown> }): GraphQLError {
  return new GraphQLError(err.message, { extensions: { ...(err.extensions ?? {}) } });
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
