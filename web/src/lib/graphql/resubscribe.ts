// A subscription that outlives what graphql-ws gives up on. graphql-ws reconnects by itself after
// most closes, but not after 4429 (the server closed a socket whose client fell too far behind,
// or asked for too many subscriptions: a code it treats as fatal), and it never resubscribes to a
// subscription the server completed or ended with an error. The API asks for exactly that
// ("subscribe again with after: your last cursor"; SERVICE_UNAVAILABLE once a live view has
// waited out the database for as long as it may), so every subscription of the app is made
// through `resubscribing`: it subscribes again, after a growing jittered wait, whenever the
// subscription ends without the page asking. Variables are read at each subscribe, so a
// getter for the cursor resumes from the last event applied.
import type { Client as WsClient, FormattedExecutionResult, Sink, SubscribePayload } from 'graphql-ws';

/** Error codes that ask the client to come back later rather than give up. */
const COME_BACK_LATER = new Set(['SERVICE_UNAVAILABLE', 'SUBSCRIBER_TOO_SLOW']);
/** Close codes graphql-ws treats as fatal that only mean "come back": 4429 (too slow, too many). */
const COME_BACK_CLOSES = new Set([4429]);

const codeOf = (e: unknown) => (e as { extensions?: { code?: unknown } } | null)?.extensions?.code;

/** The subscription ended for a reason that subscribing again can cure. */
export function isResumable(err: unknown): boolean {
  const close = (err as { code?: unknown } | null)?.code;
  if (typeof close === 'number') return COME_BACK_CLOSES.has(close);
  return (Array.isArray(err) ? err : [err]).some((e) => COME_BACK_LATER.has(codeOf(e) as string));
}

/** The wait before the n-th attempt in a row: 0.5 s doubling to 8 s, ±25 %. */
export const resubscribeWait = (attempt: number) => Math.min(500 * 2 ** attempt, 8_000) * (0.75 + Math.random() / 2);

/**
 * `ws.subscribe(payload, sink)`, subscribed again whenever it completes or fails resumably without
 * the caller disposing of it. Other errors reach `sink.error`; `sink.complete` only on dispose.
 * Returns the dispose function.
 */
export function resubscribing<Data = Record<string, unknown>, Extensions = unknown>(
  ws: WsClient,
  payload: SubscribePayload,
  sink: Sink<FormattedExecutionResult<Data, Extensions>>,
): () => void {
  let disposed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dispose = () => {};
  const again = () => {
    if (disposed) return;
    timer = setTimeout(subscribe, resubscribeWait(attempt++));
  };
  function subscribe() {
    if (disposed) return;
    dispose = ws.subscribe<Data, Extensions>(payload, {
      next: (result) => {
        attempt = 0;
        sink.next(result);
      },
      error: (err) => (disposed ? undefined : isResumable(err) ? again() : sink.error(err)),
      complete: again,
    });
  }
  subscribe();
  return () => {
    disposed = true;
    clearTimeout(timer);
    dispose();
    sink.complete();
  };
}
