// Members: applications and their decisions, the members list with contact details on request,
// the join policy, and invitations from a coordinator's import.
import { graphql, type ResultOf } from './graphql.ts';

export const ApplicationFields = graphql(`
  fragment ApplicationFields on Membership {
    status
    note
    since
    user { id name }
  }
`);

export type ApplicationData = ResultOf<typeof ApplicationFields>;

export const ApplicationsSubscription = graphql(
  `
    subscription Applications($communityId: ID!) {
      membershipApplicationsChanged(communityId: $communityId) { ...ApplicationFields }
    }
  `,
  [ApplicationFields],
);

export const CommunityMembersQuery = graphql(`
  query CommunityMembers($id: ID!) {
    node(id: $id) {
      ... on Community {
        id
        name
        joinPolicy
        activeMembers { role since user { id name } }
      }
    }
  }
`);

export const MemberContactQuery = graphql(`
  query MemberContact($communityId: ID!, $userId: ID!) {
    memberContact(communityId: $communityId, userId: $userId) { email phone }
  }
`);

export const ApproveMembershipMutation = graphql(`
  mutation ApproveMembership($communityId: ID!, $userId: ID!) {
    approveMembership(communityId: $communityId, userId: $userId) { status user { id name } }
  }
`);

export const DeclineMembershipMutation = graphql(`
  mutation DeclineMembership($communityId: ID!, $userId: ID!, $reason: String) {
    declineMembership(communityId: $communityId, userId: $userId, reason: $reason) { status }
  }
`);

export const SetJoinPolicyMutation = graphql(`
  mutation SetJoinPolicy($communityId: ID!, $joinPolicy: JoinPolicy!) {
    setJoinPolicy(communityId: $communityId, joinPolicy: $joinPolicy) { id joinPolicy }
  }
`);

export const MyInvitationsQuery = graphql(`
  query MyInvitations {
    me { id invitations { id invitedAt community { id name slug centerLat centerLng } } }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($invitationId: ID!) {
    acceptInvitation(invitationId: $invitationId) { id acceptedAt }
  }
`);

export const DeclineInvitationMutation = graphql(`
  mutation DeclineInvitation($invitationId: ID!) {
    declineInvitation(invitationId: $invitationId) { id declinedAt }
  }
`);
