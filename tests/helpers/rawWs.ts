// A raw WebSocket speaking graphql-transport-ws by hand, for tests of the protocol itself
// (what the server does with clients that break it) and of flow control (a client that
// stops reading). The graphql-ws client in client.ts would refuse to misbehave.
import WebSocket from 'ws';

export type Frame = { type: string; id?: string; payload?: any };

export type RawSocket = {
  ws: WebSocket;
  frames: Frame[];
  /** Frames that came as binary (graphql-transport-ws sends text only). */
  binaryFrames: number;
  send(frame: Frame): void;
  /** Resolves with the first frame (already received or future) that matches. */
  waitFor(match: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Resolves when the socket closes, with the close code and reason the client saw. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

export type UpgradeRefused = { refused: true; status: number };

export function openRawSocket(
  wsUrl: string,
  opts: { headers?: Record<string, string>; protocol?: string } = {},
): Promise<RawSocket | UpgradeRefused> {
  return new Promise((resolve, reject) => {
    const protocol = opts.protocol ?? 'graphql-transport-ws';
    const ws = new WebSocket(wsUrl, protocol ? [protocol] : [], { headers: opts.headers });
    const frames: Frame[] = [];
    const waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
    let binaryFrames = 0;
    ws.on('message', (data, isBinary) => {
      if (isBinary) binaryFrames++;
      const frame = JSON.parse(String(data)) as Frame;
      frames.push(frame);
      for (const w of [...waiters]) {
        if (w.match(frame)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    const closed = new Promise<{ code: number; reason: string }>((res) => ws.on('close', (code, reason) => res({ code, reason: String(reason) })));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: true, status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.on('error', (err) => reject(err));
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        get binaryFrames() {
          return binaryFrames;
        },
        send: (frame) => ws.send(JSON.stringify(frame)),
        waitFor: (match, timeoutMs = 10_000) => {
          const found = frames.find(match);
          if (found) return Promise.resolve(found);
          return new Promise<Frame>((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`No matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 500)}`)), timeoutMs);
            waiters.push({
              match,
              resolve: (f) => {
                clearTimeout(timer);
                res(f);
              },
            });
          });
        },
        closed,
        close: () => ws.terminate(),
      }),
    );
  });
}

/** Opens a socket and completes the handshake (connection_init → connection_ack). */
export async function openAcknowledged(wsUrl: string, payload: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<RawSocket> {
  const s = await openRawSocket(wsUrl, { headers });
  if ('refused' in s) throw new Error(`WebSocket upgrade refused with HTTP ${s.status}`);
  s.send({ type: 'connection_init', payload });
  await s.waitFor((f) => f.type === 'connection_ack');
  return s;
}
