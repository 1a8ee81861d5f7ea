// The live list of people waiting to join a community, from `membershipApplicationsChanged`: the
// applications at once and again after every change, each time the whole list.
import { ApplicationFields, ApplicationsSubscription } from '../graphql/members.ts';
import { readFragment } from '../graphql/graphql.ts';
import { LiveList } from '../live/liveList.svelte.ts';

export const applicationList = () =>
  new LiveList(ApplicationsSubscription, (d) =>
    d.membershipApplicationsChanged.map((x) => readFragment(ApplicationFields, x)).filter((x) => x.status === 'PENDING').map((x) => ({ ...x, id: x.user.id })),
  );
