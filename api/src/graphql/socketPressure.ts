// What a WebSocket may cost the process when its client stops reading, and how a silent one is
// found. The kernel's socket buffers (several MiB on loopback) hide a stalled reader for a long
// time, and ws's bufferedAmount counts only what already sits in Node's own buffers; a guard on
// that alone never fired before the keep-alive cut the socket with 1006. So every frame handed
// to a socket is counted by this process until ws has written it out (its write callback), and
// the budget (WS_MAX_PENDING_BYTES, WS_MAX_PENDING_FRAMES) is checked before each write: the
// frame that would cross it is not written, and the socket is closed with 4429 at once. The
// client resumes each subscription from the cursor of the last event it received, which only
// it knows (frames the server wrote may still sit unread in the kernel).
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

export const SLOW_CONSUMER_CLOSE = 4429;
export const SLOW_CONSUMER_REASON = 'Too slow: events pile up unsent. Subscribe again with after: the cursor of your last event';
/** A socket that did not answer a ping (graphql-ws clients retry this code). */
export const KEEPALIVE_CLOSE = 4408;

export type OutgoingBudget = { maxBytes: number; maxFrames: number };
export type Pending = { bytes: number; frames: number };

const sizeOf = (data: unknown) => (typeof data === 'string' ? Buffer.byteLength(data) : ((data as { byteLength?: number }).byteLength ?? 0));

/** Sockets corked in this turn of the event loop (`batchWrites`). */
const corked = new Set<Duplex>();

function uncorkAll(): void {
  // A write while uncorking (a write callback that sends) starts the next turn's set.
  const these = [...corked];
  corked.clear();
  for (const socket of these) socket.uncork();
}

/**
 * Holds `socket`'s writes until this turn of the event loop has run its callbacks and
 * microtasks, then writes them at once. An event reaches thousands of sockets in one turn, and a
 * burst several events per socket: one system call per socket per turn instead of one per
 * frame (ws corks each frame's header and body on its own, which nests inside this).
 */
function batchWrites(socket: Duplex): void {
  if (corked.has(socket)) return;
  if (corked.size === 0) setImmediate(uncorkAll);
  socket.cork();
  corked.add(socket);
}

/**
 * graphql-ws waits for each frame to be flushed before it takes a subscription's next event, so
 * a client that stops reading would stall its subscription (events piling up in the stream's
 * queue) and never reach any limit. Each frame is acknowledged once queued instead, and counted
 * as pending until ws has written it; the frame that would take the pending bytes or frames
 * over the budget closes the socket with 4429 (`onSlow` first, for metrics and logs).
 */
export function boundOutgoing(ws: WebSocket, socket: Duplex, budget: OutgoingBudget, onSlow: (pending: Pending) => void): void {
  const send = ws.send.bind(ws);
  const pending: Pending = { bytes: 0, frames: 0 };
  let cut = false;
  ws.send = ((data: Parameters<typeof send>[0], ...rest: unknown[]) => {
    const cb = rest.find((r): r is (err?: Error) => void => typeof r === 'function');
    const options = (rest.find((r) => typeof r === 'object' && r !== null) ?? {}) as { binary?: boolean };
    if (cut || ws.readyState !== ws.OPEN) return cb?.();
    const size = sizeOf(data);
    // Ours and ws's own count overlap (both hold what is not written yet); the larger decides.
    const bytes = Math.max(pending.bytes, ws.bufferedAmount);
    if (bytes + size > budget.maxBytes || pending.frames + 1 > budget.maxFrames) {
      cut = true;
      onSlow({ bytes, frames: pending.frames });
      ws.close(SLOW_CONSUMER_CLOSE, SLOW_CONSUMER_REASON);
      return cb?.();
    }
    pending.bytes += size;
    pending.frames++;
    batchWrites(socket);
    send(data, options, () => {
      pending.bytes -= size;
      pending.frames--;
    });
    cb?.();
  }) as typeof ws.send;
}

/** graphql-ws's record of a socket's live operations (its Context's `subscriptions`). */
export type Operations = { readonly subscriptions: Record<string, AsyncGenerator<unknown> | AsyncIterable<unknown> | null> };

/**
 * Ends every live operation of a socket, as graphql-ws does once the socket has closed. For a
 * socket closed as too slow: its client is not reading, so it cannot answer the close, and ws
 * waits up to 30 s for it; meanwhile its subscriptions would go on resolving every event for
 * frames that are never sent.
 */
export function endOperations(ctx: Operations | undefined): void {
  if (!ctx) return;
  for (const id of Object.keys(ctx.subscriptions)) {
    const operation = ctx.subscriptions[id];
    delete ctx.subscriptions[id];
    if (operation && 'return' in operation && typeof operation.return === 'function') void operation.return(undefined).catch(() => {});
  }
}

/** The parts of one keep-alive interval its pings are spread over. */
export const KEEPALIVE_SLOTS = 16;

/**
 * Pings every open socket each `intervalMs`; one that has not answered the previous ping is
 * closed with KEEPALIVE_CLOSE and a reason that says so (graphql-ws's own keep-alive terminates
 * it, which the client sees as 1006 with no reason). The pings are spread over the interval: each
 * socket has one of KEEPALIVE_SLOTS slots, and every intervalMs / KEEPALIVE_SLOTS the sockets of
 * one slot are pinged. At 10,000 sockets one sweep of all of them, and the 10,000 pongs coming
 * back at once, held a live event's fan-out back by a few hundred milliseconds every interval
 * (bench:fanout, steady p99). Returns a stop function.
 */
export function keepAlive(wss: WebSocketServer, intervalMs: number, onSilent: (ws: WebSocket) => void): () => void {
  const answered = new WeakMap<WebSocket, boolean>();
  const slotOf = new WeakMap<WebSocket, number>();
  let nextSlot = 0;
  let tick = 0;
  const timer = setInterval(() => {
    const slot = tick++ % KEEPALIVE_SLOTS;
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      let mine = slotOf.get(ws);
      if (mine === undefined) slotOf.set(ws, (mine = nextSlot++ % KEEPALIVE_SLOTS));
      if (mine !== slot) continue;
      if (answered.get(ws) === false) {
        onSilent(ws);
        ws.close(KEEPALIVE_CLOSE, `Keep-alive: no answer to a ping within ${Math.round(intervalMs / 1000)} s`);
        continue;
      }
      if (!answered.has(ws)) ws.on('pong', () => answered.set(ws, true));
      answered.set(ws, false);
      ws.ping();
    }
  }, intervalMs / KEEPALIVE_SLOTS);
  timer.unref();
  return () => clearInterval(timer);
}
