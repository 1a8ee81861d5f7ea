// The listening socket's queue is deep enough for a reconnect storm. With Node's default backlog
// (511) a burst of connections overflowed it (the kernel's ListenOverflows counter went up by
// thousands during the authorisation matrix, which opens hundreds of sockets at once) and some
// of the overflow, answered with SYN cookies, ended in `read ECONNRESET` instead of a delay: all
// at once for every socket of one subscription's batch. After an outage, thousands of boards
// reconnect at once in the same way.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.stop());

it('listens with LISTEN_BACKLOG (4096 by default, as far as net.core.somaxconn allows)', () => {
  const port = new URL(s.url).port;
  // For a listening socket, ss shows the backlog in Send-Q.
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n')[0]!;
  const backlog = Number(line.trim().split(/\s+/)[2]);
  const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  expect(backlog).toBe(Math.min(4096, somaxconn));
});

it('answers every one of 1,500 connections opened at once', async () => {
  const { hostname, port } = new URL(s.url);
  const outcomes = await Promise.all(
    Array.from(
      { length: 1_500 },
      () =>
        new Promise<string>((resolve) => {
          const socket = net.connect(Number(port), hostname);
          let data = '';
          socket.setEncoding('utf8');
          socket.on('connect', () => socket.write(`GET /health HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
          socket.on('data', (chunk) => (data += chunk));
          socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
          socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
        }),
    ),
  );
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  expect(counts).toEqual({ 'HTTP/1.1 200 OK': 1_500 });
}, 120_000);
