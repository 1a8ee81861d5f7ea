// A partner system's client for the Mutual Aid Board API, with an API key (README, "Partner
// systems"). Node 24 runs it as it is (`node partner-client.ts`); its one dependency is
// graphql-ws (`npm install graphql-ws@6`); Node's own fetch and WebSocket do the rest.
//
//   MAB_URL=https://aid.example.org MAB_API_KEY=mab_… MAB_COMMUNITY_IDS=<id>,<id> node partner-client.ts
//
// 1. Over HTTP: the open needs of the key's communities (MAB_COMMUNITY_IDS, the ids the /keys
//    screen shows), with their private details where the key may see them (its creator
//    coordinates the community), null (and FORBIDDEN) where not.
// 2. Over graphql-ws: every change to needs of those communities, as one JSON line per event,
//    resumed after the last cursor it saw when the connection drops (nothing missed, nothing twice).
//
// Optional: MAB_AFTER=<cursor> to start after a known event (0: from the first stored one);
// MAB_MAX_EVENTS=<n> to stop after n events (the README's test uses it).
import { createClient } from 'graphql-ws';

const url = process.env.MAB_URL ?? 'http://localhost:4000';
const apiKey = process.env.MAB_API_KEY;
if (!apiKey?.startsWith('mab_')) throw new Error('Set MAB_API_KEY to a key (mab_…) from the /keys screen.');
const maxEvents = Number(process.env.MAB_MAX_EVENTS ?? Infinity);
const communityIds = process.env.MAB_COMMUNITY_IDS?.split(',').filter(Boolean) ?? [];
const filter = communityIds.length ? { communityIds } : {};

type GraphQLError = { message: string; path?: string[]; extensions?: { code?: string; retryAfterSeconds?: number } };

/** One GraphQL request over HTTP with the key; waits and tries again when the key's rate limit says so. */
async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data: T; errors: GraphQLError[] }> {
  for (;;) {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: GraphQLError[] };
    const limited = body.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
    if (limited) {
      await new Promise((r) => setTimeout(r, (limited.extensions?.retryAfterSeconds ?? 1) * 1000));
      continue;
    }
    // UNAUTHENTICATED: the key is unknown, revoked or expired; FORBIDDEN beside data: a field outside its scope.
    if (!body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return { data: body.data, errors: body.errors ?? [] };
  }
}

const print = (kind: string, value: unknown) => console.log(JSON.stringify({ kind, ...(value as object) }));

// ── 1. The open needs of the key's communities, over HTTP ─────────────────────────────────
type Need = { id: string; title: string; community: { id: string }; privateDetails: { address: string | null } | null };
const { data: board } = await graphql<{ needs: { edges: { node: Need }[] }; latestEventCursor: string | null }>(
  `query($filter: NeedFilter) {
    needs(first: 100, filter: $filter) { edges { node { id title community { id } privateDetails { address } } } }
    latestEventCursor
  }`,
  { filter: { ...filter, statuses: ['OPEN', 'CLAIMED', 'IN_PROGRESS'] } },
);
for (const { node } of board.needs.edges) print('need', node);

// ── 2. Every change, live, over graphql-ws ────────────────────────────────────────────────
const client = createClient({
  url: url.replace(/^http/, 'ws') + '/graphql',
  // The same key, as the session token would be: the server reads it at connection time, and
  // again for each event (a revoked key closes the socket with 4403).
  connectionParams: { authToken: apiKey },
  retryAttempts: Infinity,
  shouldRetry: (event) => (event as { code?: number }).code !== 4403,
});

// From the moment the needs above were read: nothing in between is missed.
let after = process.env.MAB_AFTER ?? board.latestEventCursor ?? '0';
let seen = 0;
const EVENTS = `subscription($after: String, $filter: NeedEventFilter) {
  needEvents(after: $after, filter: $filter) { cursor type toStatus at need { id title community { id } privateDetails { address } } }
}`;

await new Promise<void>((resolve, reject) => {
  const subscribe = () =>
    client.subscribe<{ needEvents: { cursor: string } }>(
      { query: EVENTS, variables: { after, filter } },
      {
        next: (result) => {
          if (!result.data) return print('error', { errors: result.errors });
          after = result.data.needEvents.cursor; // resume from here after a reconnect
          print('event', result.data.needEvents);
          if (++seen >= maxEvents) {
            void client.dispose();
            resolve();
          }
        },
        error: reject,
        complete: resolve,
      },
    );
  subscribe();
});
