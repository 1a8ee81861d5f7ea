// Vetting: a community's records, trainings and per-category requirements (coordinators), and a
// member's own status (the profile).
import { graphql, type ResultOf } from './graphql.ts';

export const VolunteerVettingFields = graphql(`
  fragment VolunteerVettingFields on VolunteerVetting {
    volunteer { id }
    volunteerName
    identityCheckedAt
    identityCheckedBy
    backgroundCheckedAt
    backgroundExpiresAt
    backgroundValid
    trainings { key completedAt expiresAt valid }
    lacks { category missing { requirement training expiredAt } }
  }
`);
export type VolunteerVettingData = ResultOf<typeof VolunteerVettingFields>;

export const VettingPageQuery = graphql(
  `
    query VettingPage($communityId: ID!) {
      vettingRecords(communityId: $communityId) { ...VolunteerVettingFields }
      vettingEvents(communityId: $communityId, first: 20) { id at change actorName volunteerName }
      node(id: $communityId) {
        ... on Community {
          id
          trainings(includeRetired: true) { key name retired isDefault }
          categoryRequirements { category identityCheck backgroundCheck trainings }
        }
      }
    }
  `,
  [VolunteerVettingFields],
);

export const RecordVettingMutation = graphql(
  `
    mutation RecordVetting($input: RecordVettingInput!) {
      recordVetting(input: $input) { ...VolunteerVettingFields }
    }
  `,
  [VolunteerVettingFields],
);

export const AddTrainingMutation = graphql(`
  mutation AddTraining($communityId: ID!, $name: String!) {
    addTraining(communityId: $communityId, name: $name) { key name retired isDefault }
  }
`);

export const SetTrainingRetiredMutation = graphql(`
  mutation SetTrainingRetired($communityId: ID!, $key: String!, $retired: Boolean!) {
    setTrainingRetired(communityId: $communityId, key: $key, retired: $retired) { key retired }
  }
`);

export const SetCategoryRequirementsMutation = graphql(`
  mutation SetCategoryRequirements($communityId: ID!, $category: NeedCategory!, $requirements: NeedRequirementsInput!) {
    setCategoryRequirements(communityId: $communityId, category: $category, requirements: $requirements) { category identityCheck backgroundCheck trainings }
  }
`);

export const MyVettingQuery = graphql(`
  query MyVetting {
    me {
      id
      memberships {
        community { id name trainings(includeRetired: true) { key name } }
        vetting {
          identityCheckedAt
          backgroundCheckedAt
          backgroundExpiresAt
          backgroundValid
          trainings { key completedAt expiresAt valid }
          lacks { category missing { requirement training expiredAt } }
        }
      }
    }
  }
`);

export const CommunityRequirementsQuery = graphql(`
  query CommunityRequirements($communityId: ID!) {
    node(id: $communityId) {
      ... on Community {
        id
        trainings { key name }
        categoryRequirements { category identityCheck backgroundCheck trainings }
      }
    }
  }
`);
