// The budget of unsent frames, on a real loopback socket whose client stops reading.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Socket } from 'node:net';
import { boundOutgoing, SLOW_CONSUMER_CLOSE, type Pending } from './socketPressure.ts';

let wss: WebSocketServer | undefined;
afterEach(() => new Promise<void>((r) => (wss ? (wss.clients.forEach((c) => c.terminate()), wss.close(() => r())) : r())));

/** A server socket with the budget, and a client that has stopped reading. */
async function pausedPair(budget: { maxBytes: number; maxFrames: number }) {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss!.once('listening', r));
  const slow: Pending[] = [];
  const server = new Promise<{ ws: WebSocket; socket: Socket }>((r) =>
    wss!.once('connection', (ws, req) => {
      boundOutgoing(ws, req.socket, budget, (p) => slow.push(p));
      r({ ws, socket: req.socket });
    }),
  );
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
  const closed = new Promise<{ code: number; reason: string }>((r) => client.on('close', (code, reason) => r({ code, reason: String(reason) })));
  await new Promise((r) => client.once('open', r));
  (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
  const { ws, socket } = await server;
  return { ws, socket, client, slow, closed, resume: () => (client as unknown as { _socket: { resume(): void } })._socket.resume() };
}

async function sendUntilCut(ws: WebSocket, frame: string, slow: Pending[]) {
  for (let i = 0; i < 100_000 && slow.length === 0; i++) {
    ws.send(frame, () => {});
    if (i % 16 === 0) await new Promise((r) => setImmediate(r)); // let the socket write what it can
  }
}

describe('boundOutgoing', () => {
  it('closes with 4429 at the frame that would cross the byte budget, never holding more', async () => {
    const { ws, slow, closed, resume } = await pausedPair({ maxBytes: 256 * 1024, maxFrames: 100_000 });
    await sendUntilCut(ws, 'x'.repeat(16 * 1024), slow);
    expect(slow).toHaveLength(1);
    expect(slow[0]!.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(slow[0]!.bytes + 16 * 1024).toBeGreaterThan(256 * 1024);
    resume();
    expect(await closed).toMatchObject({ code: SLOW_CONSUMER_CLOSE, reason: expect.stringMatching(/cursor of your last event/) });
  });

  it('closes with 4429 at the frame that would cross the frame budget', async () => {
    const { ws, slow, closed, resume } = await pausedPair({ maxBytes: 512 * 1024 * 1024, maxFrames: 20 });
    await sendUntilCut(ws, 'x'.repeat(64 * 1024), slow);
    expect(slow).toEqual([{ frames: 20, bytes: expect.any(Number) }]);
    resume();
    expect((await closed).code).toBe(SLOW_CONSUMER_CLOSE);
  });

  it('writes the frames sent to a socket in one turn of the event loop with one system call, in order', async () => {
    const { ws, socket, client, resume } = await pausedPair({ maxBytes: 512 * 1024 * 1024, maxFrames: 100_000 });
    resume();
    const received: string[] = [];
    const all = new Promise<void>((r) => client.on('message', (m) => received.push(String(m)) === 100 && r()));
    // What reaches the system: net.Socket hands a batch of buffered chunks to _writev, one to _write.
    const internals = socket as unknown as { _writev: (...a: unknown[]) => unknown; _write: (...a: unknown[]) => unknown };
    let writes = 0;
    for (const name of ['_writev', '_write'] as const) {
      const original = internals[name].bind(socket);
      internals[name] = (...a: unknown[]) => {
        writes++;
        return original(...a);
      };
    }
    for (let i = 0; i < 100; i++) ws.send(`frame ${i}`, () => {});
    expect(writes).toBe(0);
    await all;
    expect(writes).toBe(1);
    expect(received).toEqual(Array.from({ length: 100 }, (_, i) => `frame ${i}`));
  });
});
