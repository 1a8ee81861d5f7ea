// Handover: asking to take over a claim someone else holds, and the holder's answer.
import { graphql, type ResultOf } from './graphql.ts';

export const HandoverFields = graphql(`
  fragment HandoverFields on HandoverRequest {
    id
    status
    note
    createdAt
    respondBy
    decidedAt
    need { id title }
    requestedBy { id name }
    holder { id name }
  }
`);

export const MyHandoverRequestsQuery = graphql(
  `
    query MyHandoverRequests {
      myHandoverRequests { ...HandoverFields }
    }
  `,
  [HandoverFields],
);

/** The live claims on a need that the viewer could ask to take over. */
export const NeedHandoverQuery = graphql(`
  query NeedHandover($id: ID!) {
    need(id: $id) { id handoverClaimIds }
  }
`);

export const RequestHandoverMutation = graphql(
  `
    mutation RequestHandover($claimId: ID!, $note: String) {
      requestHandover(claimId: $claimId, note: $note) { ...HandoverFields }
    }
  `,
  [HandoverFields],
);

export const RespondToHandoverMutation = graphql(
  `
    mutation RespondToHandover($requestId: ID!, $accept: Boolean!) {
      respondToHandover(requestId: $requestId, accept: $accept) { ...HandoverFields }
    }
  `,
  [HandoverFields],
);

export type HandoverData = ResultOf<typeof HandoverFields>;
