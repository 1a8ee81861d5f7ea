// A collection point's stock, live: `stockChanged` answers with the whole list at once and again after
// every movement there (whoever records it), so there is no first query to make and a reconnect loses
// nothing. A movement recorded on this page shows its answer at once; per item the newer level wins,
// so a list computed before it that arrives after it does not take it back.
import { untrack } from 'svelte';
import type { Client } from '@urql/core';
import { readFragment, type FragmentOf } from '../graphql/graphql.ts';
import { StockChangedSubscription, StockLevelFields, type StockLevelData } from '../graphql/stock.ts';
import { toUiError, type UiError } from '../graphql/errors.ts';

type Level = FragmentOf<typeof StockLevelFields>;

export class PointStock {
  levels = $state.raw<StockLevelData[]>([]);
  /** Until the first list (or error) arrives. */
  loading = $state(true);
  /** A list has arrived and no error since. */
  live = $state(false);
  error = $state.raw<UiError | null>(null);
  #unsubscribe: (() => void) | undefined;

  /** Follows the point's stock while the component is mounted, starting over when `pointId()` changes. */
  follow(client: Client, pointId: () => string) {
    $effect(() => {
      const id = pointId();
      untrack(() => this.#start(client, id));
      return () => this.stop();
    });
  }

  #start(client: Client, collectionPointId: string) {
    this.stop();
    this.levels = [];
    this.loading = true;
    this.error = null;
    this.#unsubscribe = client.subscription(StockChangedSubscription, { collectionPointId }).subscribe((result) => {
      this.loading = false;
      if (result.error) {
        this.error = toUiError(result.error);
        this.live = false;
        return;
      }
      if (!result.data) return;
      this.error = null;
      this.live = true;
      this.apply(result.data.stockChanged);
    }).unsubscribe;
  }

  stop() {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.live = false;
  }

  /** A full list of the point's levels, from the subscription or a movement's answer. */
  apply(list: readonly Level[]) {
    const mine = new Map(this.levels.map((l) => [l.item.id, l]));
    this.levels = list
      .map((raw) => readFragment(StockLevelFields, raw))
      .map((level) => {
        const known = mine.get(level.item.id);
        return known && Date.parse(known.updatedAt) > Date.parse(level.updatedAt) ? known : level;
      });
  }

  /** One level, e.g. after its threshold was set. */
  put(level: StockLevelData) {
    this.levels = this.levels.some((l) => l.item.id === level.item.id) ? this.levels.map((l) => (l.item.id === level.item.id ? level : l)) : [...this.levels, level];
  }

  lowCount = $derived(this.levels.filter((l) => l.low).length);
}
