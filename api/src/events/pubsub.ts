// The typed pubsub: in-process by default, Redis pub/sub when REDIS_URL is set, so events
// committed by one API process reach subscribers on all of them. Payloads are small and
// JSON-safe; the events themselves are read from the database (the outbox).
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

export type Topics = {
  /** "There are committed events up to at least `seq`": wakes every process's event stream. */
  'events:committed': [{ seq: string | null }];
  /** These users have new notifications. */
  'notifications:changed': [{ userIds: string[] }];
  /**
   * The pending SMS drafts of this community changed (one arrived, repeated, or was decided).
   * `communityId` null: an unrouted draft, which only admins see.
   */
  'intakeDrafts:changed': [{ communityId: string | null }];
  /** The applications (pending memberships) of this community changed: one arrived or was decided. */
  'members:changed': [{ communityId: string }];
};

export type Bus = {
  pubsub: PubSub<Topics>;
  /** Redis health: 'none' (single process), 'up', or 'down' (serving, cross-process degraded). */
  redisState(): 'none' | 'up' | 'down';
  close(): Promise<void>;
};

export function createBus(redisUrl: string | undefined): Bus {
  if (!redisUrl) {
    return { pubsub: createPubSub<Topics>(), redisState: () => 'none', close: async () => {} };
  }
  const retryStrategy = (times: number) => Math.min(times * 200, 2_000);
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
  // The event target publishes and forgets the promise: while Redis is away that promise
  // rejects, and an unhandled rejection ends the process. A lost wake-up is harmless (the
  // outbox poll delivers), so the publisher it is given swallows the failure.
  const publisher = { publish: (channel: string, message: string) => publishClient.publish(channel, message).catch(() => 0) };
  const eventTarget = createRedisEventTarget({ publishClient: publisher as unknown as Redis, subscribeClient });
  const pubsub = createPubSub<Topics>({ eventTarget });
  return {
    pubsub,
    redisState: () => (publishClient.status === 'ready' && subscribeClient.status === 'ready' ? 'up' : 'down'),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
