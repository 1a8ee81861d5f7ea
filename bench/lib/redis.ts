// A redis-server of the benchmark's own (no persistence) on a free loopback port, for runs with
// several API processes: recorded by the harness like every child, so only it is ever signalled.
import { createConnection } from 'node:net';
import { freePort, sleep, spawnChild, type Child } from './harness.ts';

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.once('data', (d) => (socket.destroy(), resolve(d.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<{ url: string; child: Child }> {
  const port = await freePort();
  const child = spawnChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { label: 'redis' });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${child.output()}`);
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, child };
}
