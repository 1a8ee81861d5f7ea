// Graceful shutdown (SIGTERM/SIGINT, app.stop()): once draining, new HTTP requests are answered
// 503 with Retry-After (so a load balancer or client goes elsewhere), new WebSockets are refused
// with 503 at the upgrade, and new operations on open sockets get SHUTTING_DOWN; what is in flight
// — HTTP requests, operations over WebSocket — may finish within SHUTDOWN_GRACE_MS. The server
// (server.ts) then closes the sockets with 1001 and a reason, stops the worker and the event
// stream, and closes the database and Redis.
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import { AppError, ErrorCode } from '../errors.ts';
import type { Context } from '../context.ts';

/** Seconds a refused client is told to wait before it tries again (another process answers). */
export const RETRY_AFTER_SECONDS = 2;
const SHUTTING_DOWN_MESSAGE = 'The server is shutting down; retry in a moment.';

/** What is in flight, and whether new work is still taken. */
export class Drain {
  #draining = false;
  #active = 0;
  #waiters: (() => void)[] = [];

  get draining(): boolean {
    return this.#draining;
  }
  get active(): number {
    return this.#active;
  }

  /** One more piece of work in flight; call what it returns (once or more) when it is over. */
  enter(): () => void {
    this.#active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.#active === 0) for (const wake of this.#waiters.splice(0)) wake();
    };
  }

  start(): void {
    this.#draining = true;
  }

  /** True once nothing is in flight; false when `ms` passed first. */
  idle(ms: number): Promise<boolean> {
    if (this.#active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** HTTP requests: counted while in flight (event streams aside); refused with 503 once draining. */
export function gateRequests(drain: Drain, listener: RequestListener): RequestListener {
  return (req, res) => {
    if (drain.draining) {
      res
        .writeHead(503, { 'content-type': 'application/json', 'retry-after': String(RETRY_AFTER_SECONDS), connection: 'close' })
        .end(JSON.stringify({ errors: [{ message: SHUTTING_DOWN_MESSAGE, extensions: { code: ErrorCode.SHUTTING_DOWN } }] }));
      return;
    }
    // A subscription over server-sent events lasts as long as the client wants: not waited for,
    // it ends with the connections (its client reconnects elsewhere).
    if (req.headers.accept?.includes('text/event-stream')) return listener(req, res);
    const leave = drain.enter();
    res.once('close', leave);
    res.once('finish', leave);
    // A keep-alive connection is not kept past a shutdown that began while this request ran.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      if (drain.draining && !res.headersSent) res.setHeader('connection', 'close');
      return writeHead.apply(this, args);
    } as typeof writeHead;
    listener(req, res);
  };
}

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** WebSocket upgrades (the listeners already on `server`): refused with 503 once draining. */
export function gateUpgrades(server: Server, drain: Drain): void {
  const listeners = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (drain.draining) {
      socket.on('error', () => {});
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${RETRY_AFTER_SECONDS}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    for (const listener of listeners) listener.call(server, req, socket, head);
  });
}

/**
 * Operations over WebSocket (queries and mutations; subscriptions end with their socket): counted
 * while they execute, refused with SHUTTING_DOWN once draining. HTTP ones are counted as requests.
 */
export function useDrain(drain: Drain): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if ((args.contextValue as unknown as Context).transport !== 'ws') return;
      if (drain.draining) {
        setResultAndStopExecution({ errors: [new AppError(ErrorCode.SHUTTING_DOWN, SHUTTING_DOWN_MESSAGE, { retryable: true })] });
        return;
      }
      const leave = drain.enter();
      return { onExecuteDone: leave };
    },
  };
}
