// Consent and retention: the call-back a claimant asks for when the requester keeps their
// contact to the coordinator, and an admin erasing a requester's data.
import { graphql } from './graphql.ts';

export const RequestCallbackMutation = graphql(`
  mutation RequestCallback($needId: ID!) {
    requestCallback(needId: $needId) { need { id } }
  }
`);

export const EraseRequesterDataMutation = graphql(`
  mutation EraseRequesterData($needId: ID!) {
    eraseRequesterData(input: { needId: $needId }) { needs { id privateErasedAt } erasedDrafts }
  }
`);
