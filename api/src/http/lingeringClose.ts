// A refused upload, closed so the sender reads the refusal. A server that answers before it has
// read the body (413) and closes at once leaves the client still sending into a closed socket:
// its kernel answers with a reset, and the client reports a network error instead of the typed
// answer already on its way. As nginx's lingering close does, the answer goes out, then the
// connection is half-closed (the client sees the end of the answer) and whatever the client
// still sends is read and dropped for at most a moment, then the socket is closed for good.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long, at most, the rest of a refused upload is read and dropped after the answer. */
export const LINGER_MS = 2000;

/**
 * Call before the answer ends (a refusal with `connection: close`, or a report already under
 * way): once it has ended, the connection is half-closed, and destroyed when the client closes
 * its side or after `lingerMs`. Node ends a `connection: close` answer with
 * `socket.destroySoon()` (end, then destroy as soon as written, a reset for a sender still
 * writing); for this socket only that is the half-close alone.
 */
export function closeLingering(req: IncomingMessage, res: ServerResponse, lingerMs = LINGER_MS): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    return socket;
  };
  res.once('finish', () => {
    socket.end();
    // The rest of the body, read and dropped (the parser still reads the socket).
    req.resume();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}
