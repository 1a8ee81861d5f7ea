// Live SMS drafts: a commit that creates, repeats or decides a draft publishes its community on
// the bus; each subscriber re-reads its pending list when a community it watches goes by, or an
// unrouted draft (which every coordinator sees).
import type { Bus } from './pubsub.ts';
import { only, refreshOn } from './stream.ts';

/** Changes closer together than this make one re-read. */
const COALESCE_MS = 100;

let bus: Bus | undefined;
export function setIntakeBus(b: Bus | undefined) {
  bus = b;
}

/** After the commit: the pending drafts of `communityId` (null: unrouted) changed. */
export function publishIntakeDraftsChanged(communityId: string | null) {
  bus?.pubsub.publish('intakeDrafts:changed', { communityId });
}

/** `compute()` now, and again after changes in a community that `watches` accepts or in an unrouted draft. */
export function intakeDraftsFeed<T>(watches: (communityId: string) => boolean, compute: () => Promise<T>): AsyncIterableIterator<T> {
  if (!bus) throw new Error('The bus is not running.');
  const all = bus.pubsub.subscribe('intakeDrafts:changed')[Symbol.asyncIterator]();
  return refreshOn(only(all, (p) => p.communityId === null || watches(p.communityId)), compute, COALESCE_MS);
}
