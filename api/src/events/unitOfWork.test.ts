// The unit of work without a database: a fake transaction runner that commits or rolls back,
// and a fake stream and bus that record what is published.
import { describe, expect, it } from 'vitest';
import type { Services } from '../services.ts';
import { commit } from './unitOfWork.ts';
import { createMetrics } from '../observability/metrics.ts';
import { createIdempotency, encodeResult, type IdempotentRun } from './idempotency.ts';
import { WriteAdmission } from './writeAdmission.ts';

function fakeServices() {
  const published: unknown[][] = [];
  let announced = 0;
  const order: string[] = [];
  const tx = {
    $executeRawUnsafe: async () => 0,
    needEvent: { create: async ({ data }: { data: unknown }) => (order.push('event written'), data) },
    idempotencyKey: {
      create: async () => order.push('key claimed'),
      update: async ({ data }: { data: { results: unknown[] } }) => order.push(`results stored: ${data.results.length}`),
    },
  };
  const s = {
    prisma: {
      $transaction: async <T>(fn: (tx: unknown) => Promise<T>) => {
        const result = await fn(tx);
        order.push('committed');
        return result;
      },
    },
    stream: { writes: new WriteAdmission({ slowRoundMs: 10 }), announce: () => (announced++, order.push('announced'), { delivered: Promise.resolve() }) },
    bus: { pubsub: { publish: (...args: unknown[]) => (published.push(args), order.push(`published ${String(args[0])}`)) } },
    metrics: createMetrics(),
    idempotency: createIdempotency(),
    clock: { now: () => new Date(0) },
  } as unknown as Services;
  return { s, published, order, announced: () => announced };
}

const EVENT = { needId: 'n', communityId: 'c', type: 'CREATED', fromStatus: null, toStatus: 'OPEN', actorId: null, at: new Date(0) } as const;

describe('commit', () => {
  it('publishes what the work recorded once, after the commit', async () => {
    const f = fakeServices();
    const result = await commit(f.s, async (_tx, w) => {
      await w.event(EVENT);
      await w.event(EVENT);
      w.notified(['u1', 'u2']);
      w.notified(['u2', 'u3']);
      w.draftsChanged('c1');
      w.draftsChanged('c1');
      w.draftsChanged(null);
      return 42;
    });
    expect(result).toBe(42);
    expect(f.announced()).toBe(1);
    expect(f.published).toEqual([
      ['notifications:changed', { userIds: ['u1', 'u2', 'u3'] }],
      ['intakeDrafts:changed', { communityId: 'c1' }],
      ['intakeDrafts:changed', { communityId: null }],
    ]);
    expect(f.order.indexOf('committed')).toBeLessThan(f.order.indexOf('announced'));
    expect(f.order.slice(0, 3)).toEqual(['event written', 'event written', 'committed']);
    // Counted once committed (mutual_aid_events_written_total).
    expect((await f.s.metrics.eventsWritten.get()).values[0]!.value).toBe(2);
  });

  it('publishes nothing when the work throws (the transaction rolls back)', async () => {
    const f = fakeServices();
    await expect(
      commit(f.s, async (_tx, w) => {
        await w.event(EVENT);
        w.notified(['u1']);
        throw new Error('rule broken');
      }),
    ).rejects.toThrow('rule broken');
    expect(f.announced()).toBe(0);
    expect(f.published).toEqual([]);
    expect((await f.s.metrics.eventsWritten.get()).values[0]!.value).toBe(0); // nothing was written
  });

  it('publishes nothing for work that recorded nothing', async () => {
    const f = fakeServices();
    await commit(f.s, async () => 'read only');
    expect(f.announced()).toBe(0);
    expect(f.published).toEqual([]);
  });

  it('wakes the event stream for events alone, and the feeds for notifications alone', async () => {
    const events = fakeServices();
    await commit(events.s, (_tx, w) => w.event(EVENT));
    expect([events.announced(), events.published.length]).toEqual([1, 0]);
    const notified = fakeServices();
    await commit(notified.s, async (_tx, w) => w.notified(['u']));
    expect([notified.announced(), notified.published.length]).toEqual([0, 1]);
  });
});

describe('commit with an idempotency key', () => {
  const run = (stored: IdempotentRun['stored'] = []): IdempotentRun => ({ scope: 'user:u', key: 'k', requestHash: 'h', exists: stored.length > 0, stored, next: 0 });

  it('claims the key and stores each result in the transaction of its work', async () => {
    const f = fakeServices();
    const r = run();
    const at = new Date('2026-12-04T10:00:00Z');
    await f.s.idempotency.run(r, async () => {
      expect(await commit(f.s, async () => ({ id: 'a', at, seq: 7n }))).toEqual({ id: 'a', at, seq: 7n });
      await commit(f.s, async () => 'second');
    });
    expect(f.order).toEqual(['key claimed', 'results stored: 1', 'committed', 'results stored: 2', 'committed']);
    expect(r.stored).toEqual([{ id: 'a', at: { $date: at.toISOString() }, seq: { $bigint: '7' } }, 'second']);
  });

  it('a retry returns what was stored, dates and bigints restored, and works only past it', async () => {
    const f = fakeServices();
    const at = new Date('2026-12-04T10:00:00Z');
    const r = run([encodeResult({ id: 'a', at, seq: 7n })]);
    let worked = 0;
    const results = await f.s.idempotency.run(r, async () => [
      await commit(f.s, async () => (worked++, 'never')),
      await commit(f.s, async () => (worked++, 'new')),
    ]);
    expect(results).toEqual([{ id: 'a', at, seq: 7n }, 'new']);
    expect(worked).toBe(1);
    expect(f.order).toEqual(['results stored: 2', 'committed']); // the key's row exists: not claimed again
  });

  it('a rolled-back unit of work stores nothing', async () => {
    const f = fakeServices();
    const r = run();
    await expect(f.s.idempotency.run(r, () => commit(f.s, async () => Promise.reject(new Error('rule broken'))))).rejects.toThrow('rule broken');
    expect(r.stored).toEqual([]);
    expect(r.exists).toBe(false);
  });
});
