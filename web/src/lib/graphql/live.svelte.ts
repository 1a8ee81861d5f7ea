// A query that stays current: it re-reads the normalised cache whenever a mutation or subscription
// changes what it selected. Construct it during component initialisation.
import type { AnyVariables, Client, DocumentInput, OperationContext, OperationResult } from '@urql/core';

export class LiveQuery<Data, Variables extends AnyVariables> {
  result = $state.raw<OperationResult<Data, Variables> | null>(null);
  fetching = $state(true);
  readonly #client: Client;
  readonly #document: DocumentInput<Data, Variables>;
  readonly #variables: () => Variables | null;

  /** `variables` returning null pauses the query (e.g. until the viewer is known). */
  constructor(client: Client, document: DocumentInput<Data, Variables>, variables: () => Variables | null, context?: Partial<OperationContext>) {
    this.#client = client;
    this.#document = document;
    this.#variables = variables;
    $effect(() => {
      const vars = variables();
      if (vars === null) {
        this.fetching = false;
        return;
      }
      this.fetching = true;
      const subscription = client.query(document, vars, context).subscribe((result) => {
        this.result = result;
        this.fetching = result.stale;
      });
      return () => subscription.unsubscribe();
    });
  }

  get data(): Data | undefined {
    return this.result?.data;
  }

  get error() {
    return this.result?.error;
  }

  refetch() {
    const vars = this.#variables();
    if (vars !== null) void this.#client.query(this.#document, vars, { requestPolicy: 'network-only' }).toPromise();
  }
}
