// The live duplicate queue: the open pairs, most likely first, from the `duplicateQueue` subscription,
// which answers with the whole queue at once and again whenever a need in scope changes.
import { DuplicateFields, DuplicateQueueSubscription, DuplicateSide, type DuplicateData } from '../graphql/coordination.ts';
import { readFragment, type FragmentOf, type ResultOf } from '../graphql/graphql.ts';
import { LiveList } from '../live/liveList.svelte.ts';

export type DuplicateSideData = ResultOf<typeof DuplicateSide>;
export type DuplicatePair = Omit<DuplicateData, 'need' | 'otherNeed'> & { need: DuplicateSideData; otherNeed: DuplicateSideData };

const toPair = (raw: FragmentOf<typeof DuplicateFields>): DuplicatePair => {
  const c = readFragment(DuplicateFields, raw);
  return { ...c, need: readFragment(DuplicateSide, c.need), otherNeed: readFragment(DuplicateSide, c.otherNeed) };
};

export const duplicateQueue = () => new LiveList(DuplicateQueueSubscription, (d) => d.duplicateQueue.map(toPair).filter((p) => p.status === 'OPEN'));
