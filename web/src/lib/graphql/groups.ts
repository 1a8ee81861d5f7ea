// Group sign-up: a volunteer takes several places of a need for a named group, in one claim they hold.
import { graphql } from './graphql.ts';

export const ClaimNeedAsGroupMutation = graphql(`
  mutation ClaimNeedAsGroup($input: ClaimNeedAsGroupInput!) {
    claimNeedAsGroup(input: $input) {
      group { id name size claim { id status } need { id openSlots status } }
    }
  }
`);

export const MyGroupsQuery = graphql(`
  query MyGroups {
    myGroups { id name size members { name } claim { id status } need { id } }
  }
`);

export const ReduceGroupMutation = graphql(`
  mutation ReduceGroup($groupId: ID!, $size: Int!) {
    reduceGroup(groupId: $groupId, size: $size) { group { id size need { id openSlots } } }
  }
`);
