import { graphql } from './graphql.ts';

/** What the map and the lists show of a need. */
export const NeedSummary = graphql(`
  fragment NeedSummary on Need {
    id
    title
    category
    urgency
    status
    slots
    openSlots
    publicLat
    publicLng
    remote
    createdAt
    occurrenceAt
    community { id name }
    requirements { vettedVolunteer }
  }
`);

export const LatestCursorQuery = graphql(`
  query LatestCursor { latestEventCursor }
`);

export const BoardNeedsQuery = graphql(
  `
    query BoardNeeds($filter: NeedFilter, $first: Int!, $after: String) {
      needs(filter: $filter, first: $first, after: $after, sort: URGENCY) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...NeedSummary } }
      }
    }
  `,
  [NeedSummary],
);

export const NeedEventsSubscription = graphql(
  `
    subscription NeedEvents($filter: NeedEventFilter, $after: String) {
      needEvents(filter: $filter, after: $after) {
        cursor
        type
        at
        fromStatus
        toStatus
        needId
        need { ...NeedSummary description onBoard }
      }
    }
  `,
  [NeedSummary],
);

export const NearbyNeedsQuery = graphql(
  `
    query NearbyNeeds($point: PointInput!, $radiusKm: Float!, $filter: NeedFilter) {
      nearbyNeeds(point: $point, radiusKm: $radiusKm, filter: $filter, first: 50) { ...NeedSummary }
    }
  `,
  [NeedSummary],
);

/** What the viewer may do with their claim on a need (the API's rules: Need.viewerCan). */
export const ClaimActions = graphql(`
  fragment ClaimActions on NeedPermissions { claim claimOnceMember start extend complete release }
`);

export const NeedDetails = graphql(
  `
  fragment NeedDetails on Need {
    id
    title
    description
    category
    urgency
    status
    slots
    openSlots
    publicLat
    publicLng
    remote
    neededFrom
    neededBy
    people
    createdAt
    updatedAt
    doneAt
    viewerCan { ...ClaimActions askHandover assign askVolunteer seePrivate }
    community { id name slug trainings(includeRetired: true) { key name } }
    requirements { identityCheck backgroundCheck trainings vettedVolunteer }
    viewerLacks { requirement training expiredAt }
  }
`,
  [ClaimActions],
);

export const NeedPageQuery = graphql(
  `
    query NeedPage($id: ID!) {
      need(id: $id) {
        ...NeedDetails
        events(last: 50) {
          edges { node { cursor type at fromStatus toStatus reason } }
        }
      }
    }
  `,
  [NeedDetails],
);

export const NeedPrivateQuery = graphql(`
  query NeedPrivate($id: ID!) {
    need(id: $id) {
      id
      privateDetails { address lat lng requesterName requesterPhone requesterEmail contactShared }
      privateErasedAt
    }
  }
`);

export const NeedChangedSubscription = graphql(
  `
    subscription NeedChanged($id: ID!) {
      needChanged(id: $id) {
        ...NeedDetails
        events(last: 50) {
          edges { node { cursor type at fromStatus toStatus reason } }
        }
      }
    }
  `,
  [NeedDetails],
);

export const CreateNeedMutation = graphql(
  `
    mutation CreateNeed($input: CreateNeedInput!) {
      createNeed(input: $input) { need { ...NeedSummary } }
    }
  `,
  [NeedSummary],
);
