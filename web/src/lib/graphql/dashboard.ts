import { graphql } from './graphql.ts';
import { NeedSummary } from './needs.ts';

/** Everything the coordinator dashboard shows; the same selection for the query and the live subscription. */
export const BoardStatsFields = graphql(
  `
    fragment BoardStatsFields on BoardStats {
      asOf
      cursor
      open
      claimed
      inProgress
      doneToday
      medianMinutesToClaim
      openByCategory { category count }
      openByUrgency { urgency count }
      openByCommunity { count community { id name } }
      claimsPerHour { hour count }
      unclaimedCritical(first: 8) { ...NeedSummary }
      staleNeeds(first: 8, olderThanHours: 24) { ...NeedSummary }
    }
  `,
  [NeedSummary],
);

export const BoardStatsSubscription = graphql(
  `
    subscription BoardStatsLive($communityIds: [ID!]) {
      boardStats(communityIds: $communityIds) { ...BoardStatsFields }
    }
  `,
  [BoardStatsFields],
);
