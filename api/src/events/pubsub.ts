// The typed pubsub: in-process by default, Redis pub/sub when REDIS_URL is set, so events
// committed by one API process reach subscribers on all of them. Payloads are small and
// JSON-safe; the events themselves are read from the database (the outbox).
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { jitteredWait } from './retry.ts';

export type Topics = {
  /**
   * "There are committed events up to at least `seq`": wakes every process's event stream but
   * the one that sent it (`from`), which has read them already.
   */
  'events:committed': [{ seq: string | null; from?: string }];
  /** These users have new notifications. */
  'notifications:changed': [{ userIds: string[] }];
  /**
   * The pending SMS drafts of this community changed (one arrived, repeated, or was decided).
   * `communityId` null: an unrouted draft, which only admins see.
   */
  'intakeDrafts:changed': [{ communityId: string | null }];
  /** The applications (pending memberships) of this community changed: one arrived or was decided. */
  'members:changed': [{ communityId: string }];
  /** The stock of this collection point changed: a movement was recorded, or a threshold set. */
  'stock:changed': [{ collectionPointId: string }];
};

export type Bus = {
  pubsub: PubSub<Topics>;
  /**
   * Redis health: 'none' (single process), 'up' (connected, and this process's subscriptions
   * confirmed by Redis), or 'down' (serving, cross-process degraded).
   */
  redisState(): 'none' | 'up' | 'down';
  /**
   * Calls `listener` each time this process's subscriptions are in place again after Redis was
   * away (or first reached): what the other processes published meanwhile was lost, so every
   * live view must look again. Returns the way to stop listening.
   */
  onResubscribed(listener: () => void): () => void;
  close(): Promise<void>;
};

/** Waits between reconnects to Redis (the last repeats), jittered so that processes do not come back in step. */
const RECONNECT_WAITS_MS = [200, 400, 800, 1_600, 2_000] as const;
/** Subscribed after every (re)connect: its answer comes after those of every SUBSCRIBE sent before it. */
const CONFIRM_CHANNEL = 'mutual-aid:bus:subscribed';
/** Wake-ups kept while Redis is away (distinct messages: a user's notifications, a community's drafts…). */
const MAX_HELD_WAKEUPS = 10_000;

export function createBus(redisUrl: string | undefined): Bus {
  if (!redisUrl) {
    return { pubsub: createPubSub<Topics>(), redisState: () => 'none', onResubscribed: () => () => {}, close: async () => {} };
  }
  const retryStrategy = (times: number) => jitteredWait(RECONNECT_WAITS_MS, times - 1);
  // Publishing while Redis is away fails at once (the outbox poll delivers meanwhile)...
  const publishClient = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
  // ...but a SUBSCRIBE must wait for the connection, however long: with no offline queue, one
  // sent before the first connect is dropped and the process never hears from the others.
  // No client-info or ready-check commands on this connection: ioredis 5.9 can flush the
  // queued SUBSCRIBE between them, and the next one then fails in subscriber mode, drops the
  // connection and loses the subscription. ioredis re-subscribes by itself after a reconnect.
  const subscribeClient = new Redis(redisUrl, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    autoResubscribe: true,
    disableClientInfo: true,
    enableReadyCheck: false,
    retryStrategy,
  });
  for (const c of [publishClient, subscribeClient]) c.on('error', () => {}); // state is read from .status
  // A topic subscribed while Redis is away waits in the offline queue, and ioredis subscribes
  // again to the others after a reconnect, so no subscription is lost; but whatever the other
  // processes published while this one was not subscribed is. Once Redis has confirmed every
  // SUBSCRIBE sent on connecting, the listeners (the event stream, the live lists) read again
  // what they would have been told. The confirming SUBSCRIBE goes out on the next tick, after
  // those ioredis sends in its ready handler, and Redis answers in order.
  const resubscribed = new Set<() => void>();
  let confirmed = false;
  let connection = 0;
  subscribeClient.on('ready', () => {
    const current = ++connection;
    process.nextTick(() => {
      subscribeClient.subscribe(CONFIRM_CHANNEL).then(
        () => {
          if (current !== connection || subscribeClient.status !== 'ready') return;
          confirmed = true;
          for (const listener of resubscribed) listener();
        },
        () => {}, // the connection dropped again: the next 'ready' confirms
      );
    });
  });
  subscribeClient.on('close', () => {
    connection++;
    confirmed = false;
  });
  // The event target publishes and forgets the promise: while Redis is away that promise
  // rejects, and an unhandled rejection ends the process. So the publisher it is given never
  // fails: a wake-up that cannot go out now is kept (once per distinct message, the newest
  // MAX_HELD_WAKEUPS) and sent when the connection is back, so that the other processes'
  // lists hear of what this one committed meanwhile (their event streams would only at the
  // next poll).
  const held = new Map<string, [channel: string, message: string]>();
  const publish = (channel: string, message: string) =>
    publishClient.publish(channel, message).catch(() => {
      const key = `${channel}\n${message}`;
      held.delete(key);
      held.set(key, [channel, message]);
      if (held.size > MAX_HELD_WAKEUPS) held.delete(held.keys().next().value!);
      return 0;
    });
  publishClient.on('ready', () => {
    const pending = [...held.values()];
    held.clear();
    for (const [channel, message] of pending) void publish(channel, message);
  });
  const publisher = { publish };
  const eventTarget = createRedisEventTarget({ publishClient: publisher as unknown as Redis, subscribeClient });
  const pubsub = createPubSub<Topics>({ eventTarget });
  return {
    pubsub,
    redisState: () => (publishClient.status === 'ready' && subscribeClient.status === 'ready' && confirmed ? 'up' : 'down'),
    onResubscribed(listener) {
      resubscribed.add(listener);
      return () => resubscribed.delete(listener);
    },
    async close() {
      resubscribed.clear();
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
