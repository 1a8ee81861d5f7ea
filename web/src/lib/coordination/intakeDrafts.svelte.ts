// The live list of text messages waiting for a coordinator, from `intakeDraftsChanged`: the pending drafts
// at once and again after every change, each time the whole list.
import { IntakeDraftFields, IntakeDraftsSubscription } from '../graphql/coordination.ts';
import { readFragment } from '../graphql/graphql.ts';
import { LiveList } from '../live/liveList.svelte.ts';

export const intakeDraftList = () =>
  new LiveList(IntakeDraftsSubscription, (d) => d.intakeDraftsChanged.map((x) => readFragment(IntakeDraftFields, x)).filter((x) => x.status === 'PENDING'));
