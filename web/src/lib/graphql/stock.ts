// Drives and stock: a community's collection points with their opening hours, a point's stock (live
// through `stockChanged`, which answers at once and again after every movement there), the item
// catalogue, and the four movements of the ledger.
import { graphql, type ResultOf } from './graphql.ts';

export const StockLevelFields = graphql(`
  fragment StockLevelFields on StockLevel {
    quantity
    low
    lowThreshold
    updatedAt
    item { id name unit }
  }
`);

export type StockLevelData = ResultOf<typeof StockLevelFields>;

/** A point as the list of a community's points shows it. */
export const CollectionPointSummaryFields = graphql(`
  fragment CollectionPointSummaryFields on CollectionPoint {
    id
    name
    address
    active
    openingHours { weekday opens closes }
    stock { quantity low item { id } }
  }
`);

export type CollectionPointSummary = ResultOf<typeof CollectionPointSummaryFields>;

export const CollectionPointsQuery = graphql(
  `
    query CollectionPoints($communityId: ID!) {
      collectionPoints(communityId: $communityId) { ...CollectionPointSummaryFields }
    }
  `,
  [CollectionPointSummaryFields],
);

export const CreateCollectionPointMutation = graphql(
  `
    mutation CreateCollectionPoint($input: CreateCollectionPointInput!) {
      createCollectionPoint(input: $input) { ...CollectionPointSummaryFields }
    }
  `,
  [CollectionPointSummaryFields],
);

export const CollectionPointQuery = graphql(
  `
    query CollectionPoint($id: ID!) {
      node(id: $id) {
        ... on CollectionPoint {
          id
          name
          address
          active
          community { id name }
          openingHours { weekday opens closes }
        }
      }
    }
  `,
);

export const StockItemsQuery = graphql(`
  query StockItems($communityId: ID!) {
    stockItems(communityId: $communityId) { id name unit global }
  }
`);

export type StockItemData = ResultOf<typeof StockItemsQuery>['stockItems'][number];

/** The database id inside a global id (the relay plugin's base64 of "Type:id"), or null. */
export function globalIdOf(id: string): string | null {
  try {
    const decoded = atob(id);
    const colon = decoded.indexOf(':');
    return colon > 0 ? decoded.slice(colon + 1) : null;
  } catch {
    return null;
  }
}

/** The needs a delivery may be for: the community's needs not yet done. */
export const DeliverableNeedsQuery = graphql(`
  query DeliverableNeeds($communityId: ID!) {
    needs(filter: { communityIds: [$communityId], statuses: [OPEN, CLAIMED, IN_PROGRESS] }, first: 100, sort: URGENCY) {
      edges { node { id title status } }
    }
  }
`);

export const StockChangedSubscription = graphql(
  `
    subscription StockChanged($collectionPointId: ID!) {
      stockChanged(collectionPointId: $collectionPointId) { ...StockLevelFields }
    }
  `,
  [StockLevelFields],
);

// Each movement answers with the point's stock after it (the subscription brings it too).

export const RecordDonationMutation = graphql(
  `
    mutation RecordDonation($input: RecordDonationInput!) {
      recordDonation(input: $input) { movement { id kind } point { id stock { ...StockLevelFields } } }
    }
  `,
  [StockLevelFields],
);

export const RecordPackingMutation = graphql(
  `
    mutation RecordPacking($input: RecordPackingInput!) {
      recordPacking(input: $input) { movement { id kind } point { id stock { ...StockLevelFields } } }
    }
  `,
  [StockLevelFields],
);

export const RecordDeliveryMutation = graphql(
  `
    mutation RecordDelivery($input: RecordDeliveryInput!) {
      recordDelivery(input: $input) { movement { id kind need { id status } } point { id stock { ...StockLevelFields } } }
    }
  `,
  [StockLevelFields],
);

export const AdjustStockMutation = graphql(
  `
    mutation AdjustStock($input: AdjustStockInput!) {
      adjustStock(input: $input) { movement { id kind } point { id stock { ...StockLevelFields } } }
    }
  `,
  [StockLevelFields],
);

export const SetLowStockThresholdMutation = graphql(
  `
    mutation SetLowStockThreshold($collectionPointId: ID!, $itemId: ID!, $threshold: Int) {
      setLowStockThreshold(collectionPointId: $collectionPointId, itemId: $itemId, threshold: $threshold) { ...StockLevelFields }
    }
  `,
  [StockLevelFields],
);

export const CreateStockItemMutation = graphql(`
  mutation CreateStockItem($communityId: ID, $name: String!, $unit: StockUnit!) {
    createStockItem(communityId: $communityId, name: $name, unit: $unit) { id name unit global }
  }
`);

/** The point’s ledger, newest first (the community’s coordinators): ten entries, within the query cost limit. */
export const PointMovementsQuery = graphql(`
  query PointMovements($id: ID!) {
    node(id: $id) {
      ... on CollectionPoint {
        id
        movements(first: 10) {
          edges {
            node {
              id
              kind
              at
              reason
              drive
              donorName
              actor { id name }
              need { id title }
              lines { delta balanceAfter item { id name unit } }
            }
          }
        }
      }
    }
  }
`);
