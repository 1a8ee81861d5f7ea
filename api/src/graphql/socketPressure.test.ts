// The budget of unsent frames, on a real loopback socket whose client stops reading.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Socket } from 'node:net';
import { boundOutgoing, keepAlive, KEEPALIVE_CLOSE, KEEPALIVE_SLOTS, SLOW_CONSUMER_CLOSE, type Pending } from './socketPressure.ts';

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

describe('keepAlive', () => {
  /** Sockets that count their pings and answer them (or not), in a stand-in for the server. */
  function fakeServer(n: number, answers: (i: number) => boolean) {
    const clients = new Set<WebSocket>();
    const pings: number[] = [];
    const closed: number[] = [];
    for (let i = 0; i < n; i++) {
      const pong: (() => void)[] = [];
      clients.add({
        OPEN: 1,
        readyState: 1,
        on: (event: string, fn: () => void) => event === 'pong' && pong.push(fn),
        ping: () => {
          pings.push(i);
          if (answers(i)) for (const fn of pong) fn();
        },
        close: (code: number) => code === KEEPALIVE_CLOSE && closed.push(i),
      } as unknown as WebSocket);
    }
    return { wss: { clients } as unknown as WebSocketServer, pings, closed };
  }

  it('spreads its pings over the interval, each socket pinged once per interval', () => {
    // One sweep of every socket at once, and every pong back at once, held live events back
    // every interval at 10,000 sockets (bench:fanout's steady p99).
    vi.useFakeTimers();
    try {
      const { wss, pings } = fakeServer(1_600, () => true);
      const stop = keepAlive(wss, 16_000, () => {});
      let most = 0;
      for (let t = 0; t < 32; t++) {
        const before = pings.length;
        vi.advanceTimersByTime(1_000);
        most = Math.max(most, pings.length - before);
      }
      stop();
      expect(most).toBeLessThanOrEqual(1_600 / KEEPALIVE_SLOTS);
      const perSocket = new Map<number, number>();
      for (const i of pings) perSocket.set(i, (perSocket.get(i) ?? 0) + 1);
      expect(perSocket.size).toBe(1_600);
      expect(new Set(perSocket.values())).toEqual(new Set([2]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes a socket that did not answer its previous ping, one interval later', () => {
    vi.useFakeTimers();
    try {
      const silent = new Set([3, 40]);
      const { wss, closed } = fakeServer(64, (i) => !silent.has(i));
      const stop = keepAlive(wss, 16_000, () => {});
      vi.advanceTimersByTime(16_000);
      expect(closed).toEqual([]);
      vi.advanceTimersByTime(16_000);
      stop();
      expect(closed.sort((a, b) => a - b)).toEqual([3, 40]);
    } finally {
      vi.useRealTimers();
    }
  });
});
