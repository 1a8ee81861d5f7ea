// How a server process runs: settings that only take effect when given before Node starts, so
// main.ts executes itself again with them, once (process.execve: the same process, pid and
// standard streams, a new program image). bench:startup measures what they save.
//
// glibc's malloc gives large blocks back to the system (M_TRIM_THRESHOLD set, which also keeps
// the mmap threshold at 128 KiB instead of raising it after each large free). Without it, the
// memory V8's background threads take to compile the embedded database's WebAssembly stays in
// their arenas once freed: some 50 MB of an idle server on PGlite that it never uses again. Other
// C libraries ignore the variable.
//
// Node's compile cache (NODE_COMPILE_CACHE, under node_modules/.cache): given in the
// environment, it covers main.ts and this file too, which Node loads before main.ts could enable
// the cache itself. With every module's type-stripped source in the cache, Node never loads its
// TypeScript stripper (amaro: SWC in WebAssembly, about 7 MB of an idle server).
//
// Not here, measured and left out: capping V8's young generation (--max-semi-space-size=16, what
// Node 20 kept) took a further 40 MB off the idle heap but cost the board query a fifth of its
// throughput.
//
// A variable the operator set wins, and a process that has them all runs on without executing again.
//
// Then, once the app is built and before it listens, one full collection (collectStartGarbage):
// starting (the migrated template unpacked, the schema built, Prisma's and PGlite's WebAssembly
// compiled) grows V8's young generation to its largest and leaves it full of garbage that an idle
// server would carry for minutes. Collected once, with V8's memory-reducing flavour, the young
// generation shrinks back to its first size. And while the server is idle (collectWhileIdle), the
// same collection each time the heap has grown by 8 MB since the last.

import { fileURLToPath } from 'node:url';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Node's compile cache of this checkout: kept between starts; Node checks each file's content, so an edited file is compiled again. */
export const COMPILE_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/mutual-aid/node-compile', import.meta.url));

/** Environment of a server process that glibc and Node read only at start. */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: '131072', NODE_COMPILE_CACHE: COMPILE_CACHE_DIR };

/** What of SERVER_ENV a process with `env` lacks: nothing when it has them all. */
export function missingServerEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(SERVER_ENV).filter(([name]) => env[name] === undefined));
}

/**
 * Executes this process again with the server settings it lacks, and does not return when it
 * does. It returns (and the process runs as it is) when it has them all, where execve is missing
 * or refused (Windows, some sandboxes), and under a parent that talks to it over an IPC channel,
 * whose descriptor a new program image would not take over.
 */
export function execWithServerEnv(entry: string): void {
  if (typeof process.execve !== 'function' || process.channel) return;
  const missing = missingServerEnv(process.env);
  if (Object.keys(missing).length === 0) return;
  try {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, entry, ...process.argv.slice(2)], { ...process.env, ...missing });
  } catch (err) {
    // Refused by the platform or a sandbox: the process runs on as it is, and says so once.
    process.stderr.write(`runtime: could not start again with ${Object.keys(missing).join(', ')} (${(err as Error).message}); running without\n`);
  }
}

type Collect = () => void;

/** V8's full collection with its memory-reducing flavour (what it runs itself under memory pressure). */
function memoryReducingCollection(): Collect {
  // V8 installs `gc` in contexts made while --expose-gc is on; the flag is off again at once, so
  // nothing else (no dependency) sees a global gc.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
  setFlagsFromString('--no-expose-gc');
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** The garbage of starting, collected once before the server takes traffic. */
export function collectStartGarbage(): void {
  memoryReducingCollection()();
}

/**
 * An idle server's heap still grows: the worker's rounds every few seconds allocate, and each
 * young-generation collection that keeps a little makes V8 enlarge the young generation, step by
 * step up to 128 MB, with no full collection to shrink it again (bench:startup's idle watch: 243
 * to 272 MB in 3 minutes after the start's collection). So while `isIdle()`, one memory-reducing
 * collection each time V8's heap has grown by `growthBytes` since the last one; never otherwise.
 * Returns how to stop it.
 */
export function collectWhileIdle(
  isIdle: () => boolean,
  o: { everyMs?: number; growthBytes?: number; heapBytes?: () => number; collect?: Collect } = {},
): () => void {
  const growthBytes = o.growthBytes ?? 8 * 2 ** 20;
  const heapBytes = o.heapBytes ?? (() => getHeapStatistics().total_physical_size);
  const collect = o.collect ?? memoryReducingCollection();
  let after = heapBytes();
  const timer = setInterval(() => {
    if (heapBytes() - after < growthBytes || !isIdle()) return;
    collect();
    after = heapBytes();
  }, o.everyMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
