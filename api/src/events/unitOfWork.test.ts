// The unit of work without a database: a fake transaction runner that commits or rolls back,
// and a fake stream and bus that record what is published.
import { describe, expect, it } from 'vitest';
import type { Services } from '../services.ts';
import { commit } from './unitOfWork.ts';
import { createMetrics } from '../observability/metrics.ts';

function fakeServices() {
  const published: unknown[][] = [];
  let announced = 0;
  const order: string[] = [];
  const tx = {
    $executeRawUnsafe: async () => 0,
    needEvent: { create: async ({ data }: { data: unknown }) => (order.push('event written'), data) },
  };
  const s = {
    prisma: {
      $transaction: async <T>(fn: (tx: unknown) => Promise<T>) => {
        const result = await fn(tx);
        order.push('committed');
        return result;
      },
    },
    stream: { announce: () => (announced++, order.push('announced')) },
    bus: { pubsub: { publish: (...args: unknown[]) => (published.push(args), order.push(`published ${String(args[0])}`)) } },
    metrics: createMetrics(),
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
