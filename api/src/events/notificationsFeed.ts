// Live notifications: a commit that notifies users publishes their ids on the bus; each
// subscriber re-reads its own unread list when its id goes by.
import type { Bus } from './pubsub.ts';
import { only, refreshOn } from './stream.ts';

let bus: Bus | undefined;
export function setNotificationsBus(b: Bus | undefined) {
  bus = b;
}

export function publishNotified(userIds: string[]) {
  bus?.pubsub.publish('notifications:changed', { userIds });
}

export function notificationsFeed<T>(userId: string, compute: () => Promise<T>): AsyncIterableIterator<T> {
  if (!bus) throw new Error('The bus is not running.');
  const all = bus.pubsub.subscribe('notifications:changed')[Symbol.asyncIterator]();
  // Only the wake-ups that name this user.
  const mine = only(all, (p) => p.userIds.includes(userId));
  return refreshOn(mine, compute, 0);
}
