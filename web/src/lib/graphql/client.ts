// One GraphQL client per app instance: HTTP for queries and mutations, graphql-ws for subscriptions,
// a normalised cache so a need changed by a subscription updates every view that shows it.
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { cacheExchange, type Cache } from '@urql/exchange-graphcache';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { getContextClient, setContextClient } from '@urql/svelte';
import { getContext, setContext } from 'svelte';
import type { ConnectionState } from './connection.svelte.ts';
import { resubscribing } from './resubscribe.ts';
import { idempotencyExchange } from './idempotency.ts';

export type GraphqlClients = { client: Client; ws: WsClient };

const embedded = () => null;

function invalidateMyClaims(cache: Cache) {
  cache.invalidate('Query', 'myClaims', { live: true });
  cache.invalidate('Query', 'myClaims', { live: false });
}

export function createGraphqlClients(origin: string, connection: ConnectionState): GraphqlClients {
  let socket: WebSocket | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const ws = createWsClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    lazy: true,
    // Moving between pages swaps subscriptions; keep the socket meanwhile instead of reopening it.
    lazyCloseTimeout: 3_000,
    keepAlive: 10_000,
    // Never give up: a volunteer's phone drops in and out of coverage.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 8_000) * (0.75 + Math.random() / 2))),
    on: {
      connecting: (isRetry) => connection.connecting(isRetry),
      connected: (s, _payload, wasRetry) => {
        socket = s as WebSocket;
        connection.connected(wasRetry);
      },
      // A socket that stops answering (coverage lost without a close) is closed, so the client retries.
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          if (socket?.readyState === WebSocket.OPEN) socket.close(4408, 'Pong timeout');
        }, 5_000);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        connection.closed(event);
      },
    },
  });

  const client = new Client({
    url: `${origin}/graphql`,
    // POST with application/json only: the API refuses other requests (CSRF prevention).
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { 'x-graphql-csrf': '1' }, credentials: 'same-origin' }),
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange({
        keys: {
          ClaimPayload: embedded,
          NeedPayload: embedded,
          SessionPayload: embedded,
          NeedEvent: embedded,
          NeedPrivateDetails: embedded,
          NeedPermissions: embedded,
          Membership: embedded,
          MemberContact: embedded,
          CommunityMembersConnection: embedded,
          CommunityMembersConnectionEdge: embedded,
          PageInfo: embedded,
          QueryNeedsConnection: embedded,
          QueryNeedsConnectionEdge: embedded,
          NeedEventsConnection: embedded,
          NeedEventsConnectionEdge: embedded,
          BoardStats: embedded,
          CategoryCount: embedded,
          UrgencyCount: embedded,
          CommunityCount: embedded,
          HourCount: embedded,
          MatchReason: embedded,
          VolunteerMatch: embedded,
          NeedMatch: embedded,
        },
        updates: {
          Mutation: {
            // A claim changes what "My tasks" lists; refetch it rather than guess its order.
            claimNeed: (_r, _a, cache) => invalidateMyClaims(cache),
            releaseClaim: (_r, _a, cache) => invalidateMyClaims(cache),
            completeClaim: (_r, _a, cache) => invalidateMyClaims(cache),
            startClaim: (_r, _a, cache) => invalidateMyClaims(cache),
            createNeed: (_r, _a, cache) => cache.invalidate('Query', 'latestEventCursor'),
          },
        },
      }),
      // After the cache (which may answer queries itself), before the network: each mutation gets its key.
      idempotencyExchange,
      fetchExchange,
      subscriptionExchange({
        enableAllOperations: false,
        // Subscribed again whenever the server ends one unasked (a 4429, a completion): resubscribe.ts.
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: resubscribing(ws, { query: request.query ?? '', variables: request.variables }, sink) }),
        }),
      }),
    ],
  });

  return { client, ws };
}

const WS_KEY = Symbol('graphql-ws');

export function provideGraphqlClients(clients: GraphqlClients) {
  setContextClient(clients.client);
  setContext(WS_KEY, clients.ws);
}

export const getClient = () => getContextClient();
export const getWsClient = () => getContext<WsClient>(WS_KEY);
