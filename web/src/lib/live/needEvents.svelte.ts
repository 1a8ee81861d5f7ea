// A resumable subscription to `needEvents`: it remembers the cursor of the last event received, and
// every (re)subscription — graphql-ws's own after a reconnect, and ours (resubscribe.ts) after the
// server closed a socket that fell behind (4429) or ended the subscription — asks for events after
// it, so a dropped connection loses nothing and replays nothing already applied.
import { stringifyDocument } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { NeedEventsSubscription } from '../graphql/needs.ts';
import type { ResultOf, VariablesOf } from '../graphql/graphql.ts';
import { resubscribing } from '../graphql/resubscribe.ts';

export type NeedEvent = ResultOf<typeof NeedEventsSubscription>['needEvents'];
export type NeedEventFilter = NonNullable<VariablesOf<typeof NeedEventsSubscription>['filter']>;

/**
 * Why the cursor is of no use any more, so the view loads again: newer than anything the server
 * holds (a restore from an older backup), or older than its replay window (away too long).
 */
export type StaleCursor = 'CURSOR_AHEAD' | 'CURSOR_EXPIRED';
const STALE_CURSOR = new Set<string>(['CURSOR_AHEAD', 'CURSOR_EXPIRED'] satisfies StaleCursor[]);
/** The code by which the server said the cursor is of no use any more (over `next` errors or the `error` sink), if it did. */
const staleCursor = (errors: unknown): StaleCursor | undefined =>
  (Array.isArray(errors) ? errors : [errors])
    .map((e) => (e as { extensions?: { code?: string } } | null)?.extensions?.code ?? '')
    .find((code): code is StaleCursor => STALE_CURSOR.has(code));

export class NeedEventStream {
  /** Cursor of the last event applied (or the one the view was loaded at). */
  cursor = $state<string | null>(null);
  error = $state<string | null>(null);
  #dispose: (() => void) | undefined;

  /**
   * `onStale` runs when the server no longer knows the cursor (a database restored from an
   * older backup) or will not replay that far back: the view loads its snapshot again and
   * subscribes from the new cursor.
   */
  start(ws: WsClient, filter: NeedEventFilter | null, after: string | null, onEvent: (event: NeedEvent) => void, onStale?: (why: StaleCursor) => void) {
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
    this.#dispose = resubscribing<{ needEvents: NeedEvent }>(
      ws,
      { query: stringifyDocument(NeedEventsSubscription), variables },
      {
        next: (result) => {
          const event = result.data?.needEvents;
          if (!event) {
            const stale = staleCursor(result.errors ?? []);
            if (onStale && stale) return onStale(stale);
            if (result.errors?.length) this.error = result.errors[0]!.message;
            return;
          }
          onEvent(event);
          this.cursor = event.cursor;
        },
        error: (err) => {
          const stale = staleCursor(err);
          if (onStale && stale) return onStale(stale);
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
