// A list that its subscription answers in full, at once and after every change (the duplicate queue,
// text-message drafts): there is no first query to make, and a reconnect (graphql-ws subscribes again)
// loses nothing. An item decided on this page leaves at once and is not shown again, even if a list
// computed before the decision arrives after it.
import { untrack } from 'svelte';
import type { AnyVariables, Client, DocumentInput } from '@urql/core';
import { toUiError, type UiError } from '../graphql/errors.ts';

export class LiveList<Data, Variables extends AnyVariables, Item extends { id: string }> {
  items = $state.raw<Item[]>([]);
  /** Until the first list (or error) arrives. */
  loading = $state(true);
  /** A list has arrived and no error since. */
  live = $state(false);
  error = $state.raw<UiError | null>(null);
  /** When the last list arrived. */
  updatedAt = $state(Date.now());
  readonly #document: DocumentInput<Data, Variables>;
  /** The items of a message that are still to decide. */
  readonly #read: (data: Data) => Item[];
  #decided = new Set<string>();
  #unsubscribe: (() => void) | undefined;

  constructor(document: DocumentInput<Data, Variables>, read: (data: Data) => Item[]) {
    this.#document = document;
    this.#read = read;
  }

  #start(client: Client, variables: Variables) {
    this.stop();
    this.loading = true;
    this.error = null;
    this.#unsubscribe = client.subscription(this.#document, variables).subscribe((result) => {
      this.loading = false;
      if (result.error) {
        this.error = toUiError(result.error);
        this.live = false;
        return;
      }
      if (!result.data) return;
      this.error = null;
      this.live = true;
      this.updatedAt = Date.now();
      this.items = this.#read(result.data).filter((item) => !this.#decided.has(item.id));
    }).unsubscribe;
  }

  /**
   * Follows the subscription for as long as the component is mounted, starting over when what
   * `variables()` reads changes (a scope picked on the page). Call while the component initialises.
   */
  follow(client: Client, variables: () => Variables) {
    $effect(() => {
      const v = variables();
      untrack(() => this.#start(client, v));
      return () => this.stop();
    });
  }

  stop() {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.live = false;
  }

  /** Decided here: it leaves the list now. */
  decided(id: string) {
    this.#decided.add(id);
    this.items = this.items.filter((item) => item.id !== id);
  }
}
