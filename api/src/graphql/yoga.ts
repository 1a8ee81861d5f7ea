// The GraphQL server (graphql-yoga) of one app: the schema, its guard rails (depth, cost,
// aliases, CSRF, introspection off in production), the mutation rate limit, error masking,
// access decided again for each event of a signed-in subscription, and the shared execution
// of identical anonymous subscriptions. The WebSocket transport runs through the same
// envelop (websocket.ts), so all of it holds on both transports.
import type { IncomingMessage } from 'node:http';
import { createYoga, type Plugin } from 'graphql-yoga';
import { GraphQLError, Kind, type ExecutionArgs, type OperationDefinitionNode } from 'graphql';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@envelop/disable-introspection';
import type { Services } from '../services.ts';
import type { Context } from '../context.ts';
import { schema } from '../schema/index.ts';
import { useSharedSubscriptionExecution } from '../events/sharedExecution.ts';
import { contextFactory, PendingCookies } from './context.ts';
import { directDelivery } from './sharedFrames.ts';
import { useLiveAccess } from './liveAccess.ts';
import { useApiKeyAccess } from './apiKeyAccess.ts';
import { useSubscribeRetry } from './subscribeRetry.ts';
import { errorMasker, hideSuggestionsPlugin, typedRejection } from './errorPolicy.ts';
import { originAllowed } from '../http/origins.ts';
import { useOperationObservability } from '../observability/operations.ts';
import { useIdempotency } from './idempotency.ts';
import { useCompiledQueries } from './jit.ts';
import { limitUndeclaredBody, MAX_BODY_BYTES } from './bodyLimit.ts';
import { Drain, useDrain } from '../http/shutdown.ts';
import { yogaLogger } from '../observability/logger.ts';

export type Yoga = ReturnType<typeof createGraphQLServer>;

/** Mutations with their own limits (auth/rateLimits.ts), which do not spend the mutation quota. */
const OWN_LIMITS = new Set(['signIn', 'signUp', '__typename']);

/** A mutation of nothing but signIn / signUp fields (a fragment or anything else counts as other). */
function onlyOwnLimits(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((sel) => sel.kind === Kind.FIELD && OWN_LIMITS.has(sel.name.value));
}

/**
 * Mutations are rate limited before any resolver runs, on both transports alike; signIn and
 * signUp are not, so that volunteers behind one address can all sign in: they have their own.
 */
function mutationLimit(s: Services): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const { document, operationName, contextValue } = args as unknown as ExecutionArgs;
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
      );
      if (operation?.operation !== 'mutation' || onlyOwnLimits(operation)) return;
      const ctx = contextValue as Context;
      try {
        const { viewer } = ctx;
        await s.limits.mutation(viewer?.apiKey ? `key:${viewer.apiKey.id}` : viewer ? `user:${viewer.id}` : `ip:${ctx.clientKey}`);
      } catch (err) {
        if (!(err instanceof GraphQLError)) throw err;
        setResultAndStopExecution({ errors: [err] });
      }
    },
  };
}

/** `drain`: what the server's shutdown waits for (http/shutdown.ts); a bare server has its own. */
export function createGraphQLServer(s: Services, drain = new Drain()) {
  const production = s.config.NODE_ENV === 'production';
  const cookies = new PendingCookies();
  /** Failures the operation log has reported, which the masker then does not log again. */
  const reported = new WeakSet<object>();
  const maskError = errorMasker(s.log, reported);
  const setCookies: Plugin = {
    onResponse({ request, response }) {
      for (const c of cookies.of(request)) response.headers.append('set-cookie', c);
    },
  };
  return createYoga<{ req?: IncomingMessage }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !production && { subscriptionsProtocol: 'WS' },
    maskedErrors: { isDev: false, maskError },
    logging: yogaLogger(s.log),
    batching: false,
    // Counted by limitUndeclaredBody instead (graphql/bodyLimit.ts).
    maxRequestBodySize: false,
    // Credentials are granted to the listed origins and our own, never to whoever asks.
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin && originAllowed(s.config, origin, request.headers.get('host')) ? { origin: [origin], credentials: true } : false;
    },
    plugins: [
      // First: once shutting down, nothing new starts over WebSocket; what runs is waited for.
      useDrain(drain),
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
      setCookies,
      useOperationObservability(s, reported),
      // An API key's quota and what it may run, before the mutation quota is spent.
      useApiKeyAccess(s),
      mutationLimit(s),
      // After the rate limit (a retry spends quota too); keyed mutations store their first result.
      useIdempotency(s),
      hideSuggestionsPlugin,
      // Signed-in subscriptions decide access again for each event (a sign-out, a released claim).
      useLiveAccess(),
      // One execution per event for WebSocket subscriptions whose payload cannot differ (fan-out):
      // anonymous ones, and signed-in ones that select only what is the same for every viewer.
      // The frames it sends count as fan-out work for the write gate (events/writeAdmission.ts).
      useSharedSubscriptionExecution(s.metrics.sharedExecutions, directDelivery(maskError, s.metrics.directFrames, (ms) => s.stream.writes.spent(ms))),
      // Last, so that it wraps every way of subscribing: a subscribe waits out a database that is away.
      useSubscribeRetry(),
      // Queries of public fields that run again are compiled (graphql-jit): the executor's per-field cost, off every row of a list.
      useCompiledQueries(schema, s.config.GRAPHQL_COMPILE_AFTER_RUNS),
      // A body sent without a length is held to the limit the router puts on a declared one.
      limitUndeclaredBody(MAX_BODY_BYTES),
    ],
    context: contextFactory(s, cookies) as never,
  });
}
