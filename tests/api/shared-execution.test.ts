// Fan-out for signed-in viewers (issue 16). Volunteers and coordinators are signed in; before,
// their subscriptions were never grouped, so each of 5,000 volunteers watching a community had
// every event executed for them alone (and their session read again per event). Now a signed-in
// subscription whose document selects only fields that are the same for every viewer (the web
// board's own document) shares one execution per event with every identical subscription,
// anonymous or not; one that selects anything that depends on the viewer (private details, the
// viewer's own permissions, an event's reason) keeps its own, and nobody else sees what it sees.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';
import { waitFor } from '../helpers/sinks.ts';
import { openAcknowledged } from '../helpers/rawWs.ts';

// The web board's subscription (web/src/lib/graphql/needs.ts), as the app sends it.
const BOARD = `subscription NeedEvents($filter: NeedEventFilter, $after: String) {
  needEvents(filter: $filter, after: $after) { cursor type at fromStatus toStatus needId need { ...NeedSummary description onBoard } }
}
fragment NeedSummary on Need { id title category urgency status slots openSlots publicLat publicLng remote createdAt occurrenceAt community { id name } requirements { vettedVolunteer } }`;
const PRIVATE = `subscription($filter: NeedEventFilter) { needEvents(filter: $filter) { cursor need { id title privateDetails { address requesterPhone } } } }`;
const OWN = `subscription($filter: NeedEventFilter) { needEvents(filter: $filter) { cursor need { id title viewerCanSeePrivate } } }`;
const ADDRESS = '4 Quiet Lane, Sderot';

let s: TestServer;
let admin: Api;
let community: string;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
});
afterAll(async () => s?.stop());

async function executions() {
  const { values } = await s.app.services.metrics.sharedExecutions.get();
  const of = (outcome: string) => values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { executed: of('executed'), reused: of('reused') };
}

describe('signed-in subscriptions that cannot differ share one execution per event', () => {
  it('the board of three volunteers and an anonymous visitor: one execution, four identical payloads; a coordinator asking for private details gets its own', async () => {
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const volunteers = await Promise.all([0, 1, 2].map(() => member(s.url, admin, community, 'VOLUNTEER')));
    const anonymous = new Api(s.url);
    const filter = { communityIds: [community] };
    const baseline = s.app.services.stream.subscriberCount;
    const clients = [...volunteers, anonymous].map((v) => v.ws());
    const board = clients.map((ws) => collect(ws, BOARD, { filter }, (items) => items.length >= 1));
    const ownClient = volunteers[0]!.ws();
    const own = collect(ownClient, OWN, { filter }, (items) => items.length >= 1);
    const coordClient = coordinator.ws();
    const privateSub = collect(coordClient, PRIVATE, { filter }, (items) => items.length >= 1);
    // And one more on a socket of our own, to see the frames themselves.
    const raw = await openAcknowledged(s.wsUrl);
    raw.send({ type: 'subscribe', id: 'board', payload: { query: BOARD, variables: { filter } } });
    // All seven are registered with the event stream before the change is made.
    await waitFor(() => s.app.services.stream.subscriberCount >= baseline + 7);
    const before = await executions();
    // The server runs in this process: every JSON text it writes goes through JSON.stringify.
    const stringify = vi.spyOn(JSON, 'stringify');
    await createNeed(coordinator, community, { title: 'Shared', address: ADDRESS });
    const payloads = (await Promise.all(board.map((sub) => sub.done))).map((items) => items[0]);
    const [ownItems, privateItems] = await Promise.all([own.done, privateSub.done]);
    const after = await executions();
    // The board's shared result (the only one that selects onBoard) is serialised once for all four sockets.
    const boardSerialisations = stringify.mock.calls.filter(([v]) => {
      const value = v as { type?: string; payload?: unknown } | null;
      const result = (value?.type === 'next' ? value.payload : value) as { data?: { needEvents?: { need?: { onBoard?: boolean } } } } | null;
      return result?.data?.needEvents?.need?.onBoard !== undefined;
    }).length;
    stringify.mockRestore();
    expect(boardSerialisations).toBe(1);
    // Spliced into graphql-ws's frame, the shared payload is a text frame like any other.
    const frame = await raw.waitFor((f) => f.type === 'next' && f.id === 'board');
    expect(frame.payload.data).toEqual(payloads[0]);
    expect(raw.binaryFrames).toBe(0);
    raw.close();

    // The four board subscriptions: the same payload, executed once and reused three times.
    expect(payloads[0].needEvents.need.title).toBe('Shared');
    for (const p of payloads) expect(p).toEqual(payloads[0]);
    expect(JSON.stringify(payloads)).not.toContain(ADDRESS);
    // The viewer-dependent ones are not grouped: not counted here, each executed for its viewer.
    expect({ executed: after.executed - before.executed, reused: after.reused - before.reused }).toEqual({ executed: 1, reused: 4 });
    expect(ownItems[0].needEvents.need.viewerCanSeePrivate).toBe(false);
    expect(privateItems[0].needEvents.need.privateDetails.address).toBe(ADDRESS);

    await Promise.all([...clients, ownClient, coordClient].map((ws) => ws.dispose()));
  });
});

describe('live events of a shared subscription go straight from the event stream to the socket', () => {
  // bench:fanout at 10,000: each delivery took its own chain of async iterators (the stream's,
  // graphql's, envelop's, graphql-ws's loop): most of the server's time in a burst. A member
  // that has caught up is now sent its frames by the stream as events arrive.
  it('every member gets every event once, in order, as frames sent directly; one resuming from a cursor too', async () => {
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const filter = { communityIds: [community] };
    const first = await createNeed(coordinator, community, { title: 'Before the others subscribed' });
    const cursor = (await coordinator.ok('{ latestEventCursor }')).latestEventCursor as string;
    await coordinator.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { title: "Missed while away" }) { need { id } } }`, { id: first.id });
    const baseline = s.app.services.stream.subscriberCount;
    const titles = ['Direct 1', 'Direct 2', 'Direct 3'];
    const done = (items: any[]) => items.some((i) => i.needEvents.need.title === titles[2]);
    const clients = [0, 1, 2, 3].map(() => new Api(s.url).ws());
    const live = clients.slice(0, 3).map((ws) => collect(ws, BOARD, { filter }, done));
    const resumed = collect(clients[3]!, BOARD, { filter, after: cursor }, done);
    await waitFor(() => s.app.services.stream.subscriberCount >= baseline + 4);
    const sentBefore = (await s.app.services.metrics.directFrames.get()).values[0]?.value ?? 0;
    for (const title of titles) await createNeed(coordinator, community, { title });
    const [a, b, c, r] = await Promise.all([...live, resumed].map((sub) => sub.done));
    const cursors = (items: any[]) => items.map((i) => BigInt(i.needEvents.cursor));
    for (const items of [a, b, c]) {
      expect(items.map((i: any) => i.needEvents.need.title)).toEqual(titles);
      expect(items).toEqual(a);
    }
    // The resumed one: what it missed (the update), then the same live events, nothing twice.
    expect(r.map((i: any) => i.needEvents.type)).toEqual(['UPDATED', 'CREATED', 'CREATED', 'CREATED']);
    expect(r.slice(1)).toEqual(a);
    expect(cursors(r)).toEqual([...cursors(r)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    // The three live events of the three caught-up members went out directly; so did the resumed one's, once it had caught up.
    const sent = ((await s.app.services.metrics.directFrames.get()).values[0]?.value ?? 0) - sentBefore;
    expect(sent).toBeGreaterThanOrEqual(9);
    expect(sent).toBeLessThanOrEqual(12);
    await Promise.all(clients.map((ws) => ws.dispose()));
  });
});
