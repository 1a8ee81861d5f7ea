// Live views opened while PostgreSQL is down, on a throwaway cluster under two API processes
// waking each other through Redis: every kind of subscription, anonymous and signed in, opened on
// one process, waits for the database instead of ending, and delivers once it is back — the change
// made on the other process, carried by Redis — on the same socket and without the client
// subscribing again. (Before, the subscribe answered one SERVICE_UNAVAILABLE and completed;
// graphql-ws clients never resubscribe to a completed one, so the view stayed silent for good.)
// Both processes' logs during the outage hold no stack trace and no error line: every failure in
// it is an expected one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiPair, type ApiPair } from '../helpers/apiPair.ts';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.ts';
import { buildWorld, type World } from '../helpers/world.ts';
import { createNeed } from '../helpers/fixtures.ts';
import { openAcknowledged, type Frame, type RawSocket } from '../helpers/rawWs.ts';
import { requires, postgresServer, postgresPrograms, redisServerProgram } from '../helpers/skips.ts';
import { Api } from '../helpers/client.ts';
import { rebase } from '../helpers/world.ts';

const OUTAGE_MS = 10_000;
const EVENTS = `subscription($after: String, $c: [ID!]) { needEvents(after: $after, filter: { communityIds: $c }) { cursor type } }`;
const CHANGED = `subscription($id: ID!) { needChanged(id: $id) { id urgency } }`;
const STATS = `subscription($c: [ID!]) { boardStats(communityIds: $c) { open } }`;
const DUPLICATES = `subscription($c: [ID!]) { duplicateQueue(communityIds: $c) { id } }`;
const DRAFTS = `subscription { intakeDraftsChanged { id } }`;
const NOTIFICATIONS = `subscription { myNotifications { id } }`;

/** The first frame of subscription `id` that carries data `accept`s, or ends or fails it; it must be the former. */
async function firstData(sock: RawSocket, id: string, accept: (data: any) => boolean = () => true): Promise<Frame> {
  const frame = await sock.waitFor((f) => f.id === id && (f.type !== 'next' || !!f.payload?.errors || (!!f.payload?.data && accept(f.payload.data))), 60_000);
  expect(frame.type, JSON.stringify(frame)).toBe('next');
  expect(frame.payload.errors, JSON.stringify(frame)).toBeUndefined();
  return frame;
}

/** A line of a stack trace, as V8 prints them. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

describe('live views opened during a PostgreSQL outage, two API processes + Redis', requires(postgresServer, postgresPrograms, redisServerProgram), () => {
  let cluster: PostgresCluster;
  let pair: ApiPair;
  let world: World;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await cluster.sql('CREATE DATABASE app');
    pair = await startApiPair({ DATABASE_URL: cluster.url('app'), DATABASE_CONNECT_TIMEOUT_MS: '2000', LOG_LEVEL: 'info' });
    world = await buildWorld(pair.a.url, cluster.url('app'), 1);
  }, 120_000);
  afterAll(async () => {
    await pair?.stop();
    await cluster?.destroy();
  });

  it('deliver after it ends, anonymous and signed in, every kind, without subscribing again', async () => {
    const need = await createNeed(world.coordinator, world.community);
    const cursor = (await world.coordinator.ok(`{ latestEventCursor }`)).latestEventCursor as string;
    // The subscriptions on B, the writes on A.
    const wsUrl = pair.b.url.replace('http', 'ws') + '/graphql';
    // Connected before the outage (a connect during it is refused with 1013, which clients retry).
    const anonymous = await openAcknowledged(wsUrl);
    const signedIn = await openAcknowledged(wsUrl, { authToken: world.coordinator.token });

    const logFrom = [pair.a.output().length, pair.b.output().length];
    await cluster.stop('immediate');
    const c = [world.community];
    anonymous.send({ type: 'subscribe', id: 'after', payload: { query: EVENTS, variables: { after: cursor, c } } });
    anonymous.send({ type: 'subscribe', id: 'live', payload: { query: EVENTS, variables: { c } } });
    anonymous.send({ type: 'subscribe', id: 'changed', payload: { query: CHANGED, variables: { id: need.id } } });
    signedIn.send({ type: 'subscribe', id: 'after', payload: { query: EVENTS, variables: { after: cursor, c } } });
    signedIn.send({ type: 'subscribe', id: 'stats', payload: { query: STATS, variables: { c } } });
    signedIn.send({ type: 'subscribe', id: 'duplicates', payload: { query: DUPLICATES, variables: { c } } });
    signedIn.send({ type: 'subscribe', id: 'drafts', payload: { query: DRAFTS } });
    signedIn.send({ type: 'subscribe', id: 'notifications', payload: { query: NOTIFICATIONS } });
    // Meanwhile, on both processes, the queries and mutations clients make get a typed failure.
    const outageStarted = Date.now();
    let unavailable = 0;
    for (const url of [pair.a.url, pair.b.url]) {
      const answers = [
        await new Api(url).gql(`query Board { needs(first: 1) { edges { node { id } } } }`), // the operation's own read fails
        await rebase(world.volunteers[0]!, url).gql(`query Board { needs(first: 1) { edges { node { id } } } }`), // the session read before it fails
        await rebase(world.coordinator, url).gql(`mutation Reopen($id: ID!) { reopenNeed(id: $id) { need { id } } }`, { id: need.id }),
      ];
      for (const r of answers) {
        expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r)).toBe('SERVICE_UNAVAILABLE');
        unavailable++;
      }
    }
    await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - outageStarted)));
    await cluster.start();
    const back = Date.now();

    // A change as soon as the database takes one, while the subscriptions may still be waiting to
    // try again: it reaches every event subscription, and needChanged, which started (without a
    // cursor) when the client asked, not when its subscribe got through.
    let updated = false;
    while (!updated) {
      const r = await world.coordinator.gql(`mutation($id: ID!) { updateNeed(id: $id, input: { urgency: LOW }) { need { id } } }`, { id: need.id });
      updated = !!r.data?.updateNeed;
      if (!updated) await new Promise((r) => setTimeout(r, 200));
    }
    // The views that start with a full answer give it once the database is back.
    for (const id of ['stats', 'duplicates', 'drafts', 'notifications']) await firstData(signedIn, id);
    const firstAnswersMs = Date.now() - back;
    const updatedEvent = (d: any) => d.needEvents?.type === 'UPDATED';
    await firstData(anonymous, 'after', updatedEvent);
    await firstData(anonymous, 'live', updatedEvent);
    await firstData(signedIn, 'after', updatedEvent);
    expect((await firstData(anonymous, 'changed')).payload.data.needChanged).toMatchObject({ id: need.id, urgency: 'LOW' });
    const eventsMs = Date.now() - back;

    // Same sockets all along: nothing was closed, completed or failed.
    for (const sock of [anonymous, signedIn]) {
      expect(sock.frames.filter((f) => f.type === 'error' || f.type === 'complete' || f.payload?.errors)).toEqual([]);
      expect(sock.ws.readyState).toBe(sock.ws.OPEN);
      sock.close();
    }

    // The logs of the outage (and of the recovery): expected failures only, at warn at most, no stack.
    const lines = [pair.a, pair.b].flatMap((p, i) => p.output().slice(logFrom[i]).split('\n').filter(Boolean));
    const output = lines.join('\n');
    expect(output).not.toMatch(STACK_FRAME);
    expect(output).not.toMatch(/unexpected error|"outcome":"unexpected"/i);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(logged.filter((l) => l.level >= 50), JSON.stringify(logged.filter((l) => l.level >= 50))).toEqual([]);
    const warned = logged.filter((l) => l.level === 40 && (l.outcome === 'SERVICE_UNAVAILABLE' || (l.errorCodes ?? []).includes('SERVICE_UNAVAILABLE')));
    expect(warned.length).toBeGreaterThanOrEqual(unavailable);
    console.log(
      `[live outage] two processes + Redis: 8 subscriptions opened on one during a ${OUTAGE_MS} ms PostgreSQL outage, none ended; after PostgreSQL started: ` +
        `the 4 views' first answers within ${firstAnswersMs} ms, the other process's change on all 4 event subscriptions within ${eventsMs} ms; ` +
        `logs of both during it: ${lines.length} lines, ${warned.length} SERVICE_UNAVAILABLE warnings (${unavailable} answered), 0 stack frames, 0 error lines`,
    );
  }, 180_000);
});
