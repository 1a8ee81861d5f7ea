// Real local peers for outbound traffic: an SMTP sink process, and HTTP receivers.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const apiDir = fileURLToPath(new URL('../../api/', import.meta.url));
const tsxCli = createRequire(`${apiDir}package.json`).resolve('tsx/cli');

export type Mail = { from: string; to: string[]; data: string };

export async function startSmtpSink(): Promise<{ url: string; mails: Mail[]; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [tsxCli, fileURLToPath(new URL('./smtp-sink.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const mails: Mail[] = [];
  let buffer = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`SMTP sink exited (${code})`)));
    child.stdout!.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (/^\d+$/.test(line)) resolve(Number(line));
        else if (line.trim()) mails.push(JSON.parse(line));
      }
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}

export type Received = { headers: IncomingMessage['headers']; body: string; at: number };

/** An HTTP receiver on loopback whose answers (a status, or a status and headers) the test decides. */
export async function startReceiver(answer: (r: Received, n: number) => number | { status: number; headers: Record<string, string> } = () => 200) {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(r);
      const a = answer(r, received.length);
      if (typeof a === 'number') res.writeHead(a).end();
      else res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, port, received, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
