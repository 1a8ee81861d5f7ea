// The typed pubsub: in-process by default, Redis pub/sub when REDIS_URL is set, so events
// committed by one API process reach subscribers on all of them. Payloads are small and
// JSON-safe; the events themselves are read from the database (the outbox).
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

export type Topics = {
  /** "There are committed events up to at least `seq`": wakes every process's event stream. */
  'events:committed': [{ seq: string | null }];
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
  const options = {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  for (const c of [publishClient, subscribeClient]) c.on('error', () => {}); // state is read from .status
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
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
