// A resumable subscription to `needEvents`: it remembers the cursor of the last event received, and
// every (re)subscription — including graphql-ws's own after a reconnect — asks for events after it,
// so a dropped connection loses nothing and replays nothing already applied.
import { stringifyDocument } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { NeedEventsSubscription } from '../graphql/needs.ts';
import type { ResultOf, VariablesOf } from '../graphql/graphql.ts';

export type NeedEvent = ResultOf<typeof NeedEventsSubscription>['needEvents'];
export type NeedEventFilter = NonNullable<VariablesOf<typeof NeedEventsSubscription>['filter']>;

export class NeedEventStream {
  /** Cursor of the last event applied (or the one the view was loaded at). */
  cursor = $state<string | null>(null);
  error = $state<string | null>(null);
  #dispose: (() => void) | undefined;

  start(ws: WsClient, filter: NeedEventFilter | null, after: string | null, onEvent: (event: NeedEvent) => void) {
    this.stop();
    this.cursor = after;
    this.error = null;
    const stream = this;
    const variables = {
      filter,
      // Read when graphql-ws serialises the subscribe message, i.e. on every reconnect too.
      get after() {
        return stream.cursor;
      },
    };
    this.#dispose = ws.subscribe<{ needEvents: NeedEvent }>(
      { query: stringifyDocument(NeedEventsSubscription), variables },
      {
        next: (result) => {
          const event = result.data?.needEvents;
          if (!event) {
            if (result.errors?.length) this.error = result.errors[0]!.message;
            return;
          }
          onEvent(event);
          this.cursor = event.cursor;
        },
        error: (err) => {
          this.error = err instanceof Error ? err.message : 'subscription error';
        },
        complete: () => {},
      },
    );
  }

  stop() {
    this.#dispose?.();
    this.#dispose = undefined;
  }
}
