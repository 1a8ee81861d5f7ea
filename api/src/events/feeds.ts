// Live lists woken by the bus: a commit publishes who or what changed (notified users, the
// community of an SMS draft; see unitOfWork.ts), and each subscriber re-reads its own list
// when a change it watches goes by. Over Redis, a change on one API process wakes
// subscribers on all of them.
import type { Bus, Topics } from './pubsub.ts';
import { only, refreshOn } from './stream.ts';
import type { RetryPolicy } from './retry.ts';

/** `compute()` now, and again after each message on `topic` that `keep` accepts (closer together than `coalesceMs`: one re-read). */
function feed<K extends keyof Topics, T>(bus: Bus, topic: K, keep: (payload: Topics[K][0]) => boolean, compute: () => Promise<T>, coalesceMs: number, retry: RetryPolicy): AsyncIterableIterator<T> {
  // (yoga's subscribe types its arguments per topic; for a topic chosen by the caller, say what it yields.)
  const pubsub = bus.pubsub as unknown as { subscribe(topic: K): AsyncIterable<Topics[K][0]> };
  const all = pubsub.subscribe(topic)[Symbol.asyncIterator]();
  return refreshOn(only(all, keep), compute, coalesceMs, retry);
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
