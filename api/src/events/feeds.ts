// Live lists woken by the bus: a commit publishes who or what changed (notified users, the
// community of an SMS draft; see unitOfWork.ts), and each subscriber re-reads its own list
// when a change it watches goes by. Over Redis, a change on one API process wakes
// subscribers on all of them. A change published while this process was cut off from Redis is
// lost to it; when the bus is back (Bus.onResubscribed), every list re-reads, so none stays
// stale until its next change.
import { Repeater } from 'graphql-yoga';
import type { Bus, Topics } from './pubsub.ts';
import { refreshOn } from './stream.ts';
import type { RetryPolicy } from './retry.ts';

/** The messages on `topic` that `keep` accepts, and a wake-up (null) each time the bus is back from an outage. */
function wakeups<K extends keyof Topics>(bus: Bus, topic: K, keep: (payload: Topics[K][0]) => boolean): AsyncIterator<Topics[K][0] | null> {
  // (yoga's subscribe types its arguments per topic; for a topic chosen by the caller, say what it yields.)
  const pubsub = bus.pubsub as unknown as { subscribe(topic: K): AsyncIterable<Topics[K][0]> };
  return new Repeater<Topics[K][0] | null>(async (push, stop) => {
    const all = pubsub.subscribe(topic)[Symbol.asyncIterator]();
    const offResubscribed = bus.onResubscribed(() => void push(null));
    void stop.then(() => {
      offResubscribed();
      void all.return?.();
    });
    for (;;) {
      const next = await all.next();
      if (next.done) break;
      if (keep(next.value)) await push(next.value);
    }
    stop();
  })[Symbol.asyncIterator]();
}

/** `compute()` now, and again after each message on `topic` that `keep` accepts (closer together than `coalesceMs`: one re-read). */
function feed<K extends keyof Topics, T>(bus: Bus, topic: K, keep: (payload: Topics[K][0]) => boolean, compute: () => Promise<T>, coalesceMs: number, retry: RetryPolicy): AsyncIterableIterator<T> {
  return refreshOn(wakeups(bus, topic, keep), compute, coalesceMs, retry);
}

/** A user's notifications: now, and again when a commit notifies them. */
export function notificationsFeed<T>(bus: Bus, userId: string, compute: () => Promise<T>, retry: RetryPolicy): AsyncIterableIterator<T> {
  return feed(bus, 'notifications:changed', (p) => p.userIds.includes(userId), compute, 0, retry);
}

/** Pending drafts: now, and again after changes in a community that `watches` accepts (null: an unrouted draft). */
export function intakeDraftsFeed<T>(bus: Bus, watches: (communityId: string | null) => boolean, compute: () => Promise<T>, retry: RetryPolicy): AsyncIterableIterator<T> {
  return feed(bus, 'intakeDrafts:changed', (p) => watches(p.communityId), compute, 100, retry);
}

/** A community's applications: now, and again after each change to them. */
export function membersFeed<T>(bus: Bus, communityId: string, compute: () => Promise<T>, retry: RetryPolicy): AsyncIterableIterator<T> {
  return feed(bus, 'members:changed', (p) => p.communityId === communityId, compute, 100, retry);
}

/** A collection point's stock: now, and again after each movement there. */
export function stockFeed<T>(bus: Bus, collectionPointId: string, compute: () => Promise<T>, retry: RetryPolicy): AsyncIterableIterator<T> {
  return feed(bus, 'stock:changed', (p) => p.collectionPointId === collectionPointId, compute, 50, retry);
}
