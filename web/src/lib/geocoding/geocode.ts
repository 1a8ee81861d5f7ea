// Address search for intake (Query.geocode): what the caller says, as places to pin.
import { graphql, type ResultOf } from '#lib/graphql/graphql.ts';

export const GeocodeQuery = graphql(`
  query Geocode($text: String!, $communityId: ID, $language: Locale, $first: Int) {
    geocode(text: $text, communityId: $communityId, language: $language, first: $first) {
      label
      point { lat lng }
      precision
      source
    }
  }
`);

export type GeocodeCandidate = ResultOf<typeof GeocodeQuery>['geocode'][number];
