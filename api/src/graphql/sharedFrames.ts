// One serialisation per shared payload. graphql-ws serialises every message it sends, so an
// event that one shared execution (events/sharedExecution.ts) answers for 5,000 subscriptions
// was turned into the same JSON 5,000 times: a tenth of the server's time in a burst, and most
// of its garbage. For such a result graphql-ws is handed a placeholder payload instead (its
// `onNext` hook), a few bytes to serialise; the socket's send puts the result's JSON, written
// once and kept with the result as bytes, in its place: the frame is those bytes behind a few of
// its own, with no text to encode per socket. Every other message goes out as graphql-ws wrote it.
import type { WebSocket } from 'ws';
import { isSharedResult, type DirectDelivery } from '../events/sharedExecution.ts';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Context } from '../context.ts';

/** The placeholder's key: `$` is not in any GraphQL name, so no result's payload has it. */
const KEY = '$shared';
const PLACEHOLDER = Object.freeze({ [KEY]: 1 });
/** How graphql-ws's frame of a placeholder ends (`…,"payload":{"$shared":1}}`). */
const TAIL = `${JSON.stringify(PLACEHOLDER)}}`;

const CLOSE = Buffer.from('}');
const serialised = new WeakMap<object, Buffer>();
const jsonOf = (result: object): Buffer => {
  let bytes = serialised.get(result);
  if (bytes === undefined) serialised.set(result, (bytes = Buffer.from(JSON.stringify(result))));
  return bytes;
};

/** Where one graphql-ws operation's frames go. */
export type LiveSink = NonNullable<Context['liveSink']>;
/** Per operation: the bytes its `next` frames start with, before the payload. */
const heads = new WeakMap<LiveSink, Buffer>();

/**
 * Sends a shared result as operation `sink.id`'s next frame, as graphql-ws would have (a `next`
 * message, as text), without graphql-ws: for live events delivered straight to the subscriber
 * (events/sharedExecution.ts). Nothing once the socket is closing.
 */
export function sendShared(sink: LiveSink, result: object): boolean {
  if (sink.socket.readyState !== sink.socket.OPEN) return false;
  let head = heads.get(sink);
  if (head === undefined) heads.set(sink, (head = Buffer.from(`{"id":${JSON.stringify(sink.id)},"type":"next","payload":`)));
  sink.socket.send(Buffer.concat([head, jsonOf(result), CLOSE]), { binary: false });
  return true;
}
/** Per socket: subscription id -> the JSON of the payload its next frame carries. */
const waiting = new WeakMap<WebSocket, Map<string, Buffer>>();

/**
 * graphql-ws `onNext`: for a shared result, remembers its JSON for the frame of subscription
 * `id` on `socket` and returns the placeholder graphql-ws sends instead; otherwise nothing
 * (graphql-ws sends the result itself).
 */
export function placeholderFor(socket: WebSocket, id: string, result: unknown): object | undefined {
  if (!isSharedResult(result)) return undefined;
  const bytes = jsonOf(result);
  let byId = waiting.get(socket);
  if (!byId) waiting.set(socket, (byId = new Map()));
  // graphql-ws sends a subscription's frames one after another (it awaits each), so one slot per id.
  byId.set(id, bytes);
  return PLACEHOLDER;
}

/** Makes `ws.send` put the remembered JSON in place of a placeholder. Install it outermost. */
export function spliceSharedPayloads(ws: WebSocket): void {
  const send = ws.send.bind(ws);
  ws.send = ((data: unknown, ...rest: unknown[]) => {
    if (typeof data === 'string' && data.endsWith(TAIL)) {
      const byId = waiting.get(ws);
      const id = (JSON.parse(data) as { id: string }).id;
      const bytes = byId?.get(id);
      if (bytes !== undefined) {
        byId!.delete(id);
        const frame = Buffer.concat([Buffer.from(data.slice(0, data.length - TAIL.length)), bytes, CLOSE]);
        // Bytes go out as a binary frame unless told otherwise; graphql-ws speaks text.
        return (send as (...a: unknown[]) => void)(frame, { binary: false }, ...rest.filter((r) => typeof r === 'function'));
      }
    }
    return (send as (...a: unknown[]) => void)(data, ...rest);
  }) as typeof ws.send;
}

/**
 * Live events straight to a shared subscription's socket (events/sharedExecution.ts), sent by
 * `sendShared`. A result with errors is masked first, as yoga masks every result graphql-ws
 * sends (`maskError`, graphql/errorPolicy.ts, which also logs what it masks): once per result,
 * however many subscribers it goes to.
 */
export function directDelivery(
  maskError: (error: unknown, message: string, isDev?: boolean) => Error,
  sent: { inc(): void },
  spent?: DirectDelivery['spent'],
): DirectDelivery {
  const masked = new WeakMap<ExecutionResult, ExecutionResult>();
  const asSent = (result: ExecutionResult): ExecutionResult => {
    if (!result.errors?.length) return result;
    let out = masked.get(result);
    if (!out) masked.set(result, (out = { ...result, errors: result.errors.map((e) => maskError(e, 'Unexpected error.', false) as GraphQLError) }));
    return out;
  };
  return {
    send(sink, result) {
      if (sendShared(sink, asSent(result))) sent.inc();
    },
    spent,
  };
}
