// Offers of help (a room, a ride, goods, a skill) and their matching with needs: the documents the
// offer screens, the board's offers layer and the need page's candidates use.
import { graphql } from './graphql.ts';

/** What every screen shows of an offer: its public face. */
export const OfferSummary = graphql(`
  fragment OfferSummary on Offer {
    id
    kind
    title
    description
    capacity
    remaining
    beds
    seats
    households
    hours
    service
    items { item quantity unit }
    availableFrom
    availableUntil
    expiresAt
    stepFree
    petsAllowed
    languages
    publicLat
    publicLng
    community { id name }
  }
`);

/** A proposed or decided match, as both sides see it. */
export const OfferMatchFields = graphql(`
  fragment OfferMatchFields on OfferMatch {
    id
    status
    quantity
    proposedAt
    offerAcceptedAt
    needAcceptedAt
    acceptedAt
    need { id title status people openSlots slots viewerCan { seePrivate } }
  }
`);

export const MyOffersQuery = graphql(
  `
    query MyOffers {
      myOffers {
        ...OfferSummary
        privateDetails { address contactPhone }
        matches { ...OfferMatchFields }
      }
    }
  `,
  [OfferSummary, OfferMatchFields],
);

export const BoardOffersQuery = graphql(`
  query BoardOffers($filter: OfferFilter, $first: Int!) {
    offers(first: $first, filter: $filter) {
      edges { node { id kind title remaining capacity publicLat publicLng community { id name } } }
    }
  }
`);

export const OffersForNeedQuery = graphql(
  `
    query OffersForNeed($needId: ID!, $first: Int!) {
      offersForNeed(needId: $needId, first: $first) {
        score
        reasons { code text weight }
        offer { ...OfferSummary }
      }
    }
  `,
  [OfferSummary],
);

/** The offers proposed for a need, for its side (coordinators, whoever took it in). */
export const NeedOfferMatchesQuery = graphql(
  `
    query NeedOfferMatches($id: ID!) {
      need(id: $id) {
        id
        offerMatches { ...OfferMatchFields offer { ...OfferSummary } }
      }
    }
  `,
  [OfferSummary, OfferMatchFields],
);

export const OfferPrivateQuery = graphql(`
  query OfferPrivate($id: ID!) {
    offer(id: $id) { id privateDetails { address contactName contactPhone } }
  }
`);

export const CreateOfferMutation = graphql(`
  mutation CreateOffer($input: CreateOfferInput!) {
    createOffer(input: $input) { offer { id remaining capacity } }
  }
`);

export const WithdrawOfferMutation = graphql(`
  mutation WithdrawOffer($id: ID!) {
    withdrawOffer(id: $id) { offer { id expiresAt } }
  }
`);

export const ProposeOfferMatchMutation = graphql(
  `
    mutation ProposeOfferMatch($input: ProposeOfferMatchInput!) {
      proposeOfferMatch(input: $input) { match { ...OfferMatchFields offer { id remaining } } }
    }
  `,
  [OfferMatchFields],
);

export const AcceptOfferMatchMutation = graphql(
  `
    mutation AcceptOfferMatch($id: ID!) {
      acceptOfferMatch(id: $id) { match { ...OfferMatchFields offer { id remaining } } }
    }
  `,
  [OfferMatchFields],
);

export const DeclineOfferMatchMutation = graphql(
  `
    mutation DeclineOfferMatch($id: ID!) {
      declineOfferMatch(id: $id) { match { ...OfferMatchFields } }
    }
  `,
  [OfferMatchFields],
);
