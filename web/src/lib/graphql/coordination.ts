// Coordination: the duplicate queue and merges, SMS intake drafts, and matching volunteers to needs.
import { graphql, type ResultOf } from './graphql.ts';
import { NeedSummary } from './needs.ts';

/** One side of a likely-duplicate pair: enough to compare the two at a glance. */
export const DuplicateSide = graphql(`
  fragment DuplicateSide on Need {
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
    createdAt
    community { id name }
    mergedInto { id }
  }
`);

export const DuplicateFields = graphql(
  `
    fragment DuplicateFields on DuplicateCandidate {
      id
      score
      reasons
      status
      createdAt
      need { ...DuplicateSide }
      otherNeed { ...DuplicateSide }
    }
  `,
  [DuplicateSide],
);

export type DuplicateData = ResultOf<typeof DuplicateFields>;

export const DuplicateQueueSubscription = graphql(
  `
    subscription DuplicateQueue($communityIds: [ID!]) {
      duplicateQueue(communityIds: $communityIds) { ...DuplicateFields }
    }
  `,
  [DuplicateFields],
);

export const MergeNeedsMutation = graphql(`
  mutation MergeNeeds($survivorId: ID!, $duplicateId: ID!) {
    mergeNeeds(survivorId: $survivorId, duplicateId: $duplicateId) { id status slots openSlots }
  }
`);

export const DismissDuplicateMutation = graphql(`
  mutation DismissDuplicate($candidateId: ID!) {
    dismissDuplicate(candidateId: $candidateId) { id status }
  }
`);

export const IntakeDraftFields = graphql(`
  fragment IntakeDraftFields on IntakeDraft {
    id
    source
    fromNumber
    body
    status
    repeats
    receivedAt
    community { id name centerLat centerLng }
  }
`);

export type IntakeDraftData = ResultOf<typeof IntakeDraftFields>;

/** The pending drafts, now and again after every change: each message is the whole list. */
export const IntakeDraftsSubscription = graphql(
  `
    subscription IntakeDraftsLive($communityIds: [ID!]) {
      intakeDraftsChanged(communityIds: $communityIds) { ...IntakeDraftFields }
    }
  `,
  [IntakeDraftFields],
);

export const ConfirmIntakeDraftMutation = graphql(
  `
    mutation ConfirmIntakeDraft($draftId: ID!, $input: CreateNeedInput!) {
      confirmIntakeDraft(draftId: $draftId, input: $input) { ...NeedSummary }
    }
  `,
  [NeedSummary],
);

export const RejectIntakeDraftMutation = graphql(`
  mutation RejectIntakeDraft($draftId: ID!, $reason: String) {
    rejectIntakeDraft(draftId: $draftId, reason: $reason) { id status rejectReason }
  }
`);

/** Why a volunteer and a need fit: a code, its weight in the score, and an English text with the figures. */
export type MatchReasonData = { code: string; text: string; weight: number };

export const VolunteerMatchesQuery = graphql(
  `
    query VolunteerMatches($needId: ID!, $first: Int) {
      volunteerMatches(needId: $needId, first: $first) {
        score
        volunteer { id name homeArea skills }
        reasons { code text weight }
      }
    }
  `,
);

export const AskVolunteerMutation = graphql(`
  mutation AskVolunteer($needId: ID!, $volunteerId: ID!) {
    askVolunteer(needId: $needId, volunteerId: $volunteerId)
  }
`);

export const AssignNeedMutation = graphql(`
  mutation AssignNeed($needId: ID!, $volunteerId: ID!) {
    assignNeed(needId: $needId, volunteerId: $volunteerId) {
      claim { id status volunteer { id name } need { id status openSlots slots } }
    }
  }
`);

export const SuggestedNeedsQuery = graphql(
  `
    query SuggestedNeeds($first: Int) {
      suggestedNeeds(first: $first) {
        score
        need { ...NeedSummary viewerCan { claim } }
        reasons { code text weight }
      }
    }
  `,
  [NeedSummary],
);

/** Who holds a need now (coordinators see every claim of their community's needs). */
export const NeedVolunteersQuery = graphql(`
  query NeedVolunteers($id: ID!) {
    need(id: $id) {
      id
      claims { id status volunteer { id name } }
    }
  }
`);
