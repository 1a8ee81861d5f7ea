// Bench-only entry of the API: buildApp() as in api/src/main.ts, plus an IPC channel (present
// only when the harness spawns this file with one; nothing is exposed over the network) to
// force a GC (node --expose-gc), read memory/CPU, and count the SQL statements sent.
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// A request sent with `x-bench-count` runs in this scope: the statements sent on its behalf are
// counted apart from what background work (the event stream's safety-net poll, the worker's
// rounds) sends meanwhile.
const counted = new AsyncLocalStorage<true>();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (event === 'request' && (args[0] as http.IncomingMessage).headers['x-bench-count']) return counted.run(true, () => emit.call(this, event, ...args));
  return emit.call(this, event, ...args);
} as typeof emit;

// Count every statement that reaches PostgreSQL, at the driver (BEGIN/COMMIT included):
// patch pg's Client before the API loads it. PGlite is counted by the API's own counter.
const apiRequire = createRequire(fileURLToPath(new URL('../../api/package.json', import.meta.url)));
const pg = apiRequire('pg');
const pgStatements = { count: 0, inCountedRequests: 0, texts: [] as string[], keepTexts: false };
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
  pgStatements.count++;
  if (counted.getStore()) pgStatements.inCountedRequests++;
  if (pgStatements.keepTexts && pgStatements.texts.length < 200) {
    const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
    pgStatements.texts.push(String(text).slice(0, 300));
  }
  return originalQuery.call(this, config, ...rest);
};

const { buildApp } = await import('../../api/src/server.ts');
const { collectStartGarbage } = await import('../../api/src/runtime.ts');

const t0 = performance.now();
const app = await buildApp();
collectStartGarbage(); // as api/src/run.ts does before it listens
const { url, port } = await app.start();
const gc = (globalThis as { gc?: () => void }).gc;

function stats() {
  return {
    memory: process.memoryUsage(),
    cpu: process.cpuUsage(),
    statements: { prisma: app.services.db.statements.count, driver: pgStatements.count, inCountedRequests: pgStatements.inCountedRequests },
    subscribers: app.services.stream.subscriberCount,
  };
}

process.on('message', async (m: { type: string; keepTexts?: boolean }) => {
  try {
    if (m.type === 'stats') process.send!({ type: 'stats', ...stats() });
    else if (m.type === 'statement-texts') {
      pgStatements.keepTexts = !!m.keepTexts;
      const texts = pgStatements.texts.splice(0);
      process.send!({ type: 'statement-texts', texts });
    } else if (m.type === 'gc') {
      if (!gc) throw new Error('start with --expose-gc');
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 50));
      }
      process.send!({ type: 'gc', ...stats() });
    } else if (m.type === 'stop') {
      await app.stop();
      process.exit(0);
    }
  } catch (err) {
    process.send!({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
});

process.on('SIGTERM', () => {
  app.stop().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', url, port, buildMs: performance.now() - t0 });
