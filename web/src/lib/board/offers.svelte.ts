// The board's offers layer: standing offers of the board's community (or all), as map features of their
// public approximate points. Offers change rarely: loaded with the board, not streamed.
import type { Client } from '@urql/core';
import type { FeatureCollection, Point } from 'geojson';
import { BoardOffersQuery } from '../graphql/offers.ts';
import type { ResultOf } from '../graphql/graphql.ts';
import type { Bounds } from './board.svelte.ts';

export type BoardOffer = ResultOf<typeof BoardOffersQuery>['offers']['edges'][number]['node'];

export class BoardOffers {
  #all = $state.raw<BoardOffer[]>([]);
  #bounds = $state.raw<Bounds | null>(null);
  #generation = 0;

  readonly features: FeatureCollection<Point> = $derived({
    type: 'FeatureCollection',
    features: this.#all.map((o) => ({
      type: 'Feature',
      properties: { id: o.id, kind: o.kind, remaining: o.remaining },
      geometry: { type: 'Point', coordinates: [o.publicLng, o.publicLat] },
    })),
  });

  /** The offers whose point is in the map's view. */
  readonly visible: BoardOffer[] = $derived.by(() => {
    const b = this.#bounds;
    return b ? this.#all.filter((o) => o.publicLat >= b.south && o.publicLat <= b.north && o.publicLng >= b.west && o.publicLng <= b.east) : this.#all;
  });

  get(id: string): BoardOffer | undefined {
    return this.#all.find((o) => o.id === id);
  }

  setBounds(bounds: Bounds) {
    this.#bounds = bounds;
  }

  async load(client: Client, communityIds: string[]) {
    const generation = ++this.#generation;
    const result = await client.query(BoardOffersQuery, { filter: communityIds.length ? { communityIds } : null, first: 500 }, { requestPolicy: 'network-only' }).toPromise();
    if (generation !== this.#generation) return;
    this.#all = result.data?.offers.edges.map((e) => e.node) ?? [];
  }
}
