// Intake on a call: the caller's needs, the needs a draft likely repeats, a call attached to one.
import { graphql, type VariablesOf } from './graphql.ts';

export const CallerNeed = graphql(`
  fragment CallerNeed on Need {
    id
    title
    status
    category
    urgency
    createdAt
    community { id name }
  }
`);

export const CallerNeedsQuery = graphql(
  `
    query CallerNeeds($phone: String!) {
      callerNeeds(phone: $phone) { ...CallerNeed }
    }
  `,
  [CallerNeed],
);

export const PossibleDuplicatesQuery = graphql(
  `
    query PossibleDuplicates($draft: NeedDraftInput!) {
      possibleDuplicates(draft: $draft) { score reasons need { ...CallerNeed } }
    }
  `,
  [CallerNeed],
);

export const AttachCallMutation = graphql(`
  mutation AttachCall($needId: ID!, $note: String!) {
    attachCall(needId: $needId, note: $note) { need { id title status } }
  }
`);

export type NeedDraftInput = VariablesOf<typeof PossibleDuplicatesQuery>['draft'];
