// Live delivery first, with a real EventStream and unit of work over a fake outbox: a fan-out
// that takes long goes on in slices with the process's I/O between them, and while it is slow,
// writes begin one at a time, each once what the one before it committed has been delivered.
// Before, a round was one synchronous loop over every subscriber and writes began whenever they
// came (bench:fanout: a burst's events committed far ahead of their fan-out).
import { afterEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Services } from '../services.ts';
import { createMetrics } from '../observability/metrics.ts';
import { createBus } from './pubsub.ts';
import { createIdempotency } from './idempotency.ts';
import type { Sequencer } from './outbox.ts';
import { EventStream, type StreamEvent } from './stream.ts';
import { commit } from './unitOfWork.ts';

const SUBSCRIBERS = 2_000;

/** Keeps the CPU busy for `us` microseconds: one subscriber's share of a slow fan-out. */
function spin(us: number) {
  const until = performance.now() + us / 1_000;
  while (performance.now() < until);
}

function outbox() {
  const stored: StreamEvent[] = [];
  const add = () => {
    const seq = BigInt(stored.length + 1);
    const e = {
      id: seq,
      seq,
      needId: 'n',
      communityId: 'c',
      type: 'UPDATED',
      fromStatus: 'OPEN',
      toStatus: 'OPEN',
      actorId: null,
      claimId: null,
      at: new Date(),
      payload: {},
      need: { category: 'FOOD', urgency: 'HIGH', publicLat: 31.5, publicLng: 34.6, title: 't', description: '', onBoard: true },
    } as unknown as StreamEvent;
    stored.push(e);
    return e;
  };
  const prisma = {
    needEvent: {
      findMany: async ({ where }: { where: { seq: { gt: bigint } } }) => stored.filter((e) => e.seq > where.seq.gt).slice(0, 500),
      aggregate: async () => ({ _max: { seq: stored.at(-1)?.seq ?? null } }),
    },
  } as unknown as PrismaClient;
  return { prisma, add };
}

const streams: EventStream[] = [];
afterEach(() => {
  for (const s of streams.splice(0)) s.stop();
});

async function setUp(costUs: number) {
  const { prisma, add } = outbox();
  const stream = new EventStream({ prisma, sequencer: { stamp: async () => {} } as unknown as Sequencer, bus: createBus(undefined), pollMs: 60_000 });
  streams.push(stream);
  await stream.start();
  const received: bigint[][] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const got: bigint[] = [];
    received.push(got);
    const events = stream.subscribe({}, null);
    events.direct((batch) => {
      for (const e of batch) got.push(e.seq);
      spin(costUs);
    });
    void events.next(); // caught up and waiting: live events go straight to `direct`
  }
  return { stream, add, received };
}

describe('live delivery first', () => {
  it('a slow fan-out lets the process answer its I/O between slices, and reaches every subscriber once, in order', async () => {
    const { stream, add, received } = await setUp(25);
    add();
    let reachedWhenIoRan = -1;
    setImmediate(() => (reachedWhenIoRan = received.filter((r) => r.length > 0).length));
    await stream.pull();
    expect(reachedWhenIoRan).toBeGreaterThan(0);
    expect(reachedWhenIoRan).toBeLessThan(SUBSCRIBERS);
    add();
    add();
    await stream.pull();
    for (const r of received) expect(r).toEqual([1n, 2n, 3n]);
  });

  it('while the fan-out is slow, a write begins once what the write before it committed has been delivered', async () => {
    const { stream, add, received } = await setUp(25);
    // Slow rounds before: the fan-out is what this process is short of.
    for (let i = 0; i < 3; i++) {
      add();
      await stream.pull();
    }
    const order: string[] = [];
    const reachedAll = (seq: bigint) => received.every((r) => r.includes(seq));
    const s = {
      prisma: { $transaction: async <T>(fn: (tx: unknown) => Promise<T>) => fn({ needEvent: { create: async () => add() } }) },
      stream,
      bus: createBus(undefined),
      metrics: createMetrics(),
      idempotency: createIdempotency(),
      clock: { now: () => new Date() },
    } as unknown as Services;
    const write = (name: string) =>
      commit(s, async (_tx, w) => {
        order.push(`${name} begins; seq 4 delivered to all: ${reachedAll(4n)}`);
        await w.event({ needId: 'n', communityId: 'c', type: 'UPDATED', fromStatus: 'OPEN', toStatus: 'OPEN', actorId: null, at: new Date() });
      });
    await Promise.all([write('A'), write('B')]);
    await stream.pull();
    expect(order).toEqual(['A begins; seq 4 delivered to all: false', 'B begins; seq 4 delivered to all: true']);
    for (const r of received) expect(r).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  it('while the fan-out is cheap, writes begin together', async () => {
    const { stream, add } = await setUp(0);
    add();
    await stream.pull();
    expect(stream.writes.serialised).toBe(false);
    const first = stream.writes.enter();
    const second = stream.writes.enter();
    expect(typeof first).toBe('function');
    expect(typeof second).toBe('function');
  });
});
