// Live views (the dashboard's boardStats, the duplicate queue, text-message drafts) are
// recomputed on events. A read that fails because the database is away must not end the view:
// the dashboard would silently stop updating. Other failures still end it.
import { describe, expect, it } from 'vitest';
import { refreshOn } from '../../api/src/events/stream.ts';

/** An event source the test pushes wake-ups into. */
function wakeups() {
  const waiting: ((r: IteratorResult<unknown>) => void)[] = [];
  let returned = false;
  const source: AsyncIterator<unknown> = {
    next: () => new Promise((r) => waiting.push(r)),
    return: async () => {
      returned = true;
      for (const w of waiting.splice(0)) w({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
  };
  return { source, wake: () => waiting.shift()?.({ done: false, value: 'event' }), returned: () => returned };
}

/** What pg reports when PostgreSQL is not there, wrapped as Prisma's adapter does. */
const databaseAway = () => Object.assign(new Error('Invalid invocation'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) });

describe('a live view', () => {
  it('keeps going through a database outage and delivers the view once reads work again', async () => {
    const { source, wake } = wakeups();
    let calls = 0;
    let away = false;
    const view = refreshOn(source, async () => {
      calls++;
      if (away) throw databaseAway();
      return calls;
    }, 0, { giveUpAfterMs: 60_000, waitsMs: [5] });
    expect(await view.next()).toEqual({ done: false, value: 1 });

    away = true;
    const next = view.next();
    wake();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBeGreaterThan(3); // retried, and still waiting for a view to deliver
    away = false;
    const { value, done } = await next;
    expect(done).toBe(false);
    expect(value).toBe(calls);
    await view.return!();
  });

  it('ends on any other failure, with that error', async () => {
    const { source, wake } = wakeups();
    let first = true;
    const view = refreshOn(source, async () => {
      if (first) return (first = false);
      throw new TypeError('a bug');
    }, 0, { giveUpAfterMs: 60_000, waitsMs: [5] });
    await view.next();
    const next = view.next();
    wake();
    await expect(next).rejects.toThrow('a bug');
  });

  it('a subscriber leaving during a retry ends the view at once and releases its source', async () => {
    const { source, wake, returned } = wakeups();
    let ready = false;
    const view = refreshOn(source, async () => {
      if (ready) throw databaseAway();
      ready = true;
      return 0;
    }, 0, { giveUpAfterMs: 600_000, waitsMs: [60_000] });
    await view.next();
    const next = view.next();
    wake();
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await view.return!();
    expect(await next).toEqual({ done: true, value: undefined });
    // At once, not after the retry's 60 s wait (the bound is far from both, for a loaded machine).
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(returned()).toBe(true);
  });
});
