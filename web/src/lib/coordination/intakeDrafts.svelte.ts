// The live list of text messages waiting for a coordinator: `intakeDraftsChanged` answers with the pending
// drafts at once and again after every change, each time the whole list, so a reconnect (graphql-ws subscribes
// again) loses nothing. A draft decided here leaves at once and is not shown again even if a list computed
// before the decision arrives after it.
import type { Client } from '@urql/core';
import { IntakeDraftFields, IntakeDraftsSubscription, type IntakeDraftData } from '../graphql/coordination.ts';
import { readFragment } from '../graphql/graphql.ts';
import { toUiError, type UiError } from '../graphql/errors.ts';

/** After a failure that is not a refusal (the server briefly unable to answer), subscribe again this much later. */
const RETRY_MS = 5_000;

export class IntakeDraftList {
  drafts = $state.raw<IntakeDraftData[]>([]);
  /** Until the first list (or error) arrives. */
  loading = $state(true);
  error = $state.raw<UiError | null>(null);
  /** When the last list arrived. */
  updatedAt = $state(Date.now());
  #decided = new Set<string>();
  #unsubscribe: (() => void) | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;

  /** `communityIds` null: every community the viewer coordinates, and the unrouted texts. */
  start(client: Client, communityIds: string[] | null) {
    this.stop();
    this.loading = true;
    this.error = null;
    this.#subscribe(client, communityIds);
  }

  #subscribe(client: Client, communityIds: string[] | null) {
    this.#unsubscribe = client.subscription(IntakeDraftsSubscription, { communityIds }).subscribe((result) => {
      this.loading = false;
      if (result.error) {
        this.error = toUiError(result.error);
        if (this.error.code === 'network' || this.error.code === 'unknown') {
          clearTimeout(this.#retry);
          this.#retry = setTimeout(() => {
            this.#unsubscribe?.();
            this.#subscribe(client, communityIds);
          }, RETRY_MS);
        }
        return;
      }
      if (!result.data) return;
      this.error = null;
      this.updatedAt = Date.now();
      this.drafts = result.data.intakeDraftsChanged
        .map((d) => readFragment(IntakeDraftFields, d))
        .filter((d) => d.status === 'PENDING' && !this.#decided.has(d.id));
    }).unsubscribe;
  }

  stop() {
    clearTimeout(this.#retry);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Confirmed or rejected here: it leaves the list now. */
  decided(id: string) {
    this.#decided.add(id);
    this.drafts = this.drafts.filter((d) => d.id !== id);
  }
}
