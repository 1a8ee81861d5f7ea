// Subscriber churn: a bounded soak of connect, subscribe and abrupt close, at every moment of
// a subscription's life (before the ack, before the subscription resolves, mid-replay, while
// events flow), by every subscription kind. Afterwards nothing is left: no subscriber, no
// listener, no socket, no timer, and the heap after GC is back within 10 % of its baseline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';
import { openAcknowledged, openRawSocket } from '../helpers/rawWs.ts';

const CYCLES = 480;
/** Subscriptions left open for a while, then dropped abruptly, oldest first. */
const LINGER = 16;
const lingering: { close(): void }[] = [];

// global.gc without restarting the worker with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = (globalThis.gc ?? runInNewContext('gc')) as () => void;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
}

let s: TestServer;
let coordinator: Api;
let community: string;
let needId: string;

beforeAll(async () => {
  s = await startServer();
  const admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
  needId = (await createNeed(coordinator, community)).id;
  for (let i = 0; i < 20; i++) await createNeed(coordinator, community, { title: `history ${i}` });
});
afterAll(async () => s?.stop());

/** What the process holds that a leaked subscriber would keep: counted by kind. */
async function resources() {
  // /ready first: its keep-alive connection is then counted every time. Counted before it, a
  // baseline taken when every earlier keep-alive connection had just timed out read 0, and the
  // check after the churn (which polls /ready) could not but read 1 (a loaded CI run).
  const ready = await (await fetch(`${s.url}/ready`)).json();
  const connections = await new Promise<number>((resolve) => s.app.server.getConnections((_e, n) => resolve(n)));
  // On PostgreSQL the pool's own connections (a socket, and an idle timer each but the one
  // asking) come and go with load: counted apart, so that only what the churn left shows.
  const pool =
    s.app.services.db.kind === 'postgres'
      ? Number((await s.app.services.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`))[0]!.n)
      : 0;
  const handles: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) handles[r] = (handles[r] ?? 0) + 1;
  return {
    subscribers: s.app.services.stream.subscriberCount,
    readySubscribers: ready.subscribers as number,
    connections,
    upgradeListeners: s.app.server.listenerCount('upgrade'),
    processListeners: process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0),
    sockets: (handles.TCPSocketWrap ?? 0) - pool,
    timers: (handles.Timeout ?? 0) - pool,
  };
}

const QUERIES = [
  { query: 'subscription { needEvents { cursor type need { id title } } }' },
  { query: 'subscription($after: String) { needEvents(after: $after) { cursor } }', variables: { after: '0' } },
  { query: 'subscription($id: ID!) { needChanged(id: $id) { id status } }', variables: () => ({ id: needId }) },
  { query: 'subscription { boardStats { open claimed } }' },
];

let peakSubscribers = 0;
const observe = () => (peakSubscribers = Math.max(peakSubscribers, s.app.services.stream.subscriberCount));

async function oneCycle(i: number) {
  const q = QUERIES[i % QUERIES.length]!;
  const payload = { query: q.query, variables: typeof q.variables === 'function' ? q.variables() : q.variables };
  switch (i % 6) {
    case 0: {
      // Close before connection_init is even answered.
      const sock = await openRawSocket(s.wsUrl);
      if ('refused' in sock) throw new Error('refused');
      sock.send({ type: 'connection_init', payload: { authToken: coordinator.token } });
      sock.close();
      return;
    }
    case 1: {
      // Subscribe and drop the TCP connection at once, before the subscription resolves.
      const sock = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
      sock.send({ type: 'subscribe', id: 'x', payload });
      sock.close();
      return;
    }
    case 2: {
      // Subscribe, get the first result, drop abruptly.
      const sock = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
      sock.send({ type: 'subscribe', id: 'x', payload: QUERIES[1]! });
      await sock.waitFor((f) => f.type === 'next');
      observe();
      lingering.push(sock);
      if (lingering.length > LINGER) lingering.shift()!.close();
      return;
    }
    case 3: {
      // Unsubscribe politely (complete), then a clean close.
      const sock = await openAcknowledged(s.wsUrl, { authToken: coordinator.token });
      sock.send({ type: 'subscribe', id: 'x', payload });
      await new Promise((r) => setTimeout(r, 5));
      sock.send({ type: 'complete', id: 'x' });
      sock.ws.close(1000);
      await sock.closed;
      return;
    }
    case 4: {
      // The real client, several subscriptions on one socket, disposed mid-flight.
      const client = coordinator.ws();
      for (const sub of QUERIES) collect(client, sub.query, typeof sub.variables === 'function' ? sub.variables() : (sub.variables ?? {}), () => false, 30_000).done.catch(() => {});
      await new Promise((r) => setTimeout(r, i % 12 === 4 ? 0 : 20));
      await client.dispose();
      return;
    }
    default: {
      // Anonymous, with a subscription the server refuses (typed error), then gone.
      const sock = await openAcknowledged(s.wsUrl, {});
      sock.send({ type: 'subscribe', id: 'x', payload: QUERIES[3]! });
      sock.send({ type: 'subscribe', id: 'y', payload: QUERIES[0]! });
      sock.close();
      return;
    }
  }
}

async function settle(baseline: Awaited<ReturnType<typeof resources>>) {
  const deadline = Date.now() + 15_000;
  let now = await resources();
  while (Date.now() < deadline) {
    if (now.subscribers === 0 && now.connections <= baseline.connections && now.sockets <= baseline.sockets && now.timers <= baseline.timers) break;
    await new Promise((r) => setTimeout(r, 100));
    now = await resources();
  }
  return now;
}

describe('subscriber churn', () => {
  it(`${CYCLES} connect/subscribe/abrupt-close cycles while events flow leave nothing behind`, async () => {
    // Warm up (JIT, caches, prepared statements) so the baseline is the steady state.
    for (let i = 0; i < 24; i++) await oneCycle(i);
    for (const sock of lingering.splice(0)) sock.close();
    await new Promise((r) => setTimeout(r, 600));
    const base = await resources();
    expect(base.subscribers).toBe(0);
    const heapBefore = await settledHeap();

    // Events flow all along: a need changes every 20 ms or so.
    let producing = true;
    const producer = (async () => {
      let k = 0;
      while (producing) {
        await coordinator.ok(`mutation($id: ID!, $u: Urgency!) { updateNeed(id: $id, input: { urgency: $u }) { need { id } } }`, { id: needId, u: k++ % 2 ? 'HIGH' : 'LOW' });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const started = Date.now();
    peakSubscribers = 0;
    // Four cycles at a time, so closes overlap with other clients' subscribes.
    for (let i = 0; i < CYCLES; i += 4) {
      await Promise.all([0, 1, 2, 3].map((k) => oneCycle(i + k)));
    }
    for (const sock of lingering.splice(0)) sock.close();
    producing = false;
    await producer;
    const churnMs = Date.now() - started;

    const after = await settle(base);
    const heapAfter = await settledHeap();
    const growth = (heapAfter - heapBefore) / heapBefore;
    console.log(
      `[churn] ${CYCLES} cycles in ${churnMs} ms (peak ${peakSubscribers} live subscribers); heap after GC ${(heapBefore / 1048576).toFixed(1)} → ${(heapAfter / 1048576).toFixed(1)} MiB (${(growth * 100).toFixed(1)} %); ` +
        `resources before ${JSON.stringify(base)} after ${JSON.stringify(after)}`,
    );
    expect(peakSubscribers).toBeGreaterThanOrEqual(LINGER); // the cycles did subscribe
    expect(after.subscribers).toBe(0);
    expect(after.readySubscribers).toBe(0);
    expect(after.connections).toBeLessThanOrEqual(base.connections);
    expect(after.sockets).toBeLessThanOrEqual(base.sockets);
    expect(after.timers).toBeLessThanOrEqual(base.timers);
    expect(after.upgradeListeners).toBe(base.upgradeListeners);
    expect(after.processListeners).toBe(base.processListeners);
    expect(Math.abs(growth)).toBeLessThan(0.1);
  }, 120_000);
});
