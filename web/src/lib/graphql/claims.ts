import { graphql, type ResultOf } from './graphql.ts';
import { ClaimActions } from './needs.ts';

// The need's viewerCan comes along, so that a claim action's answer updates what the viewer may do next.
export const ClaimFields = graphql(
  `
  fragment ClaimFields on Claim {
    id
    status
    claimedAt
    expiresAt
    secondsLeft
    startedAt
    completedAt
    note
    need {
      id
      title
      category
      urgency
      status
      openSlots
      slots
      publicLat
      publicLng
      community { id name }
      viewerCan { ...ClaimActions }
    }
  }
`,
  [ClaimActions],
);

export const MyClaimsQuery = graphql(
  `
    query MyClaims($live: Boolean!) {
      myClaims(live: $live) { ...ClaimFields }
    }
  `,
  [ClaimFields],
);

export const ClaimNeedMutation = graphql(
  `
    mutation ClaimNeed($needId: ID!) {
      claimNeed(needId: $needId) { claim { ...ClaimFields } }
    }
  `,
  [ClaimFields],
);

export const ReleaseClaimMutation = graphql(
  `
    mutation ReleaseClaim($claimId: ID!, $reason: String) {
      releaseClaim(claimId: $claimId, reason: $reason) { claim { ...ClaimFields } }
    }
  `,
  [ClaimFields],
);

export const StartClaimMutation = graphql(
  `
    mutation StartClaim($claimId: ID!) {
      startClaim(claimId: $claimId) { claim { ...ClaimFields } }
    }
  `,
  [ClaimFields],
);

export const CompleteClaimMutation = graphql(
  `
    mutation CompleteClaim($claimId: ID!, $note: String) {
      completeClaim(claimId: $claimId, note: $note) { claim { ...ClaimFields } }
    }
  `,
  [ClaimFields],
);

export const ExtendClaimMutation = graphql(
  `
    mutation ExtendClaim($claimId: ID!) {
      extendClaim(claimId: $claimId) { claim { ...ClaimFields } }
    }
  `,
  [ClaimFields],
);

export type ClaimFieldsData = ResultOf<typeof ClaimFields>;
