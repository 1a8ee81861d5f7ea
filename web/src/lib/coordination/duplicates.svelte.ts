// The live duplicate queue: the open pairs now (query), then the whole queue again from the
// `duplicateQueue` subscription whenever a need in scope changes. Decisions taken here leave the list at
// once; a pair decided here is not shown again even if a refresh computed before the decision arrives.
import { stringifyDocument, type Client } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { DuplicateCandidatesQuery, DuplicateFields, DuplicateQueueSubscription, DuplicateSide, type DuplicateData } from '../graphql/coordination.ts';
import { readFragment, type FragmentOf, type ResultOf } from '../graphql/graphql.ts';
import { toUiError, type UiError } from '../graphql/errors.ts';

export type DuplicateSideData = ResultOf<typeof DuplicateSide>;
export type DuplicatePair = Omit<DuplicateData, 'need' | 'otherNeed'> & { need: DuplicateSideData; otherNeed: DuplicateSideData };

const toPair = (raw: FragmentOf<typeof DuplicateFields>): DuplicatePair => {
  const c = readFragment(DuplicateFields, raw);
  return { ...c, need: readFragment(DuplicateSide, c.need), otherNeed: readFragment(DuplicateSide, c.otherNeed) };
};

export class DuplicateQueue {
  pairs = $state.raw<DuplicatePair[]>([]);
  loading = $state(true);
  live = $state(false);
  error = $state.raw<UiError | null>(null);
  #decided = new Set<string>();
  #dispose: (() => void) | undefined;
  #generation = 0;

  async start(client: Client, ws: WsClient, communityIds: string[] | null) {
    this.stop();
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    const result = await client.query(DuplicateCandidatesQuery, { communityIds }, { requestPolicy: 'network-only' }).toPromise();
    if (generation !== this.#generation) return;
    this.loading = false;
    if (result.error) this.error = toUiError(result.error);
    else if (result.data) this.#set(result.data.duplicateCandidates);

    this.#dispose = ws.subscribe<{ duplicateQueue: FragmentOf<typeof DuplicateFields>[] }>(
      { query: stringifyDocument(DuplicateQueueSubscription), variables: { communityIds } },
      {
        next: (r) => {
          if (generation !== this.#generation) return;
          if (r.data?.duplicateQueue) {
            this.live = true;
            this.error = null;
            this.#set(r.data.duplicateQueue);
          }
        },
        error: () => {
          this.live = false;
        },
        complete: () => {
          this.live = false;
        },
      },
    );
  }

  stop() {
    this.#generation++;
    this.#dispose?.();
    this.#dispose = undefined;
    this.live = false;
  }

  /** A pair merged or dismissed here: it leaves the list now. */
  decided(id: string) {
    this.#decided.add(id);
    this.pairs = this.pairs.filter((p) => p.id !== id);
  }

  #set(list: FragmentOf<typeof DuplicateFields>[]) {
    this.pairs = list.map(toPair).filter((p) => p.status === 'OPEN' && !this.#decided.has(p.id));
  }
}
