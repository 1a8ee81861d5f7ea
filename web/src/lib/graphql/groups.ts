// Group sign-up: a volunteer takes several places of a need for a named group, in one claim they hold.
import { graphql } from './graphql.ts';

export const ClaimNeedAsGroupMutation = graphql(`
  mutation ClaimNeedAsGroup($input: ClaimNeedAsGroupInput!) {
    claimNeedAsGroup(input: $input) {
      group { id name size claim { id status } need { id openSlots status } }
    }
  }
`);
