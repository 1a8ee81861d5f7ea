// Shared pieces of the benchmarks: child processes started and stopped by pid only, free
// loopback ports, CPU and RSS read from /proc, percentiles, alternating rounds, and the
// results file. Runs on the project's Node 24 (type stripping; no build step).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('../', import.meta.url));
export const repoDir = fileURLToPath(new URL('../../', import.meta.url));
export const apiDir = `${repoDir}api/`;
/** Resolves packages as the API does (its graphql, graphql-ws, pg). */
export const apiRequire = createRequire(`${apiDir}package.json`);
export const benchRequire = createRequire(`${benchDir}package.json`);

export const PG_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Wall clock in ms with sub-millisecond resolution, comparable across processes on one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

export function log(...args: unknown[]) {
  const t = new Date().toISOString().slice(11, 19);
  console.log(`[${t}]`, ...args);
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one we start is recorded by pid, and only those are ever signalled.

const children = new Set<ChildProcess>();

export type Child = ChildProcess & { output: () => string; stop: (timeoutMs?: number) => Promise<void> };

export function spawnChild(command: string, args: string[], opts: SpawnOptions & { label?: string; echo?: boolean } = {}): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe', ...(opts.stdio === 'ipc' ? ['ipc' as const] : [])], ...opts, ...(opts.stdio === 'ipc' ? { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] } : {}) }) as Child;
  let output = '';
  const label = opts.label ?? command;
  const keep = (d: Buffer) => {
    output += d;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (opts.echo) process.stderr.write(`  [${label}] ${d}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.output = () => output;
  child.stop = (timeoutMs = 10_000) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
      const timer = setTimeout(() => {
        try {
          process.kill(child.pid!, 'SIGKILL');
        } catch {}
      }, timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        process.kill(child.pid!, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  return child;
}

/** A Node child on the project's Node (process.execPath), optionally with an IPC channel. */
export function spawnNode(script: string, args: string[] = [], opts: { env?: Record<string, string | undefined>; ipc?: boolean; nodeArgs?: string[]; label?: string; cwd?: string; echo?: boolean } = {}): Child {
  return spawnChild(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], {
    cwd: opts.cwd ?? benchDir,
    env: { ...process.env, ...opts.env } as NodeJS.ProcessEnv,
    stdio: opts.ipc ? 'ipc' : undefined,
    label: opts.label ?? script.split('/').pop(),
    echo: opts.echo,
  });
}

export async function stopAll() {
  await Promise.all([...children].map((c) => (c as Child).stop(5_000)));
}

let cleaning = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaning) return;
    cleaning = true;
    console.error(`\n${signal}: stopping the processes this run started…`);
    stopAll().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  for (const c of children) {
    try {
      if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    } catch {}
  }
});

/** Sends `msg` over IPC and resolves with the first reply whose `type` is `reply`. */
export function ask<T = any>(child: ChildProcess, msg: Record<string, unknown>, reply: string, timeoutMs = 600_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`No '${reply}' from pid ${child.pid} in ${timeoutMs} ms (asked ${JSON.stringify(msg).slice(0, 120)})`));
    }, timeoutMs);
    const onMessage = (m: any) => {
      if (m?.type === 'error') {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(`pid ${child.pid}: ${m.message}`));
      } else if (m?.type === reply) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.send(msg);
  });
}

export function waitForMessage<T = any>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No '${type}' from pid ${child.pid} in ${timeoutMs} ms:\n${(child as Child).output?.() ?? ''}`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`pid ${child.pid} exited (${code}) before '${type}':\n${(child as Child).output?.() ?? ''}`));
    };
    child.once('exit', onExit);
    const onMessage = (m: any) => {
      if (m?.type === 'error') {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        reject(new Error(`pid ${child.pid}: ${m.message}`));
      } else if (m?.type === type) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 120_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered:\n${(child as Child).output?.() ?? ''}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms${child ? `:\n${(child as Child).output()}` : ''}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// /proc: CPU time (user + system, all threads) and resident memory of a process we started.

const CLK_TCK = 100;

export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Resident set size in bytes (VmRSS), or NaN if the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds used so far by the local PostgreSQL server: every process named `postgres` (the
 * postmaster and its backends). A backend that exits between two readings takes its seconds
 * with it, so read around a phase whose connections stay open (a pool).
 */
export function databaseCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const used = cpuSeconds(Number(entry));
    if (Number.isFinite(used)) total += used;
  }
  return total;
}

/** Samples CPU and RSS of some pids while a phase runs. */
export class ProcessMeter {
  #pids: number[];
  #cpu0: number[];
  #t0 = 0;
  #timer: NodeJS.Timeout | undefined;
  maxRss: number[] = [];
  constructor(pids: number[]) {
    this.#pids = pids;
    this.#cpu0 = pids.map(cpuSeconds);
    this.#t0 = performance.now();
    this.maxRss = pids.map(rssBytes);
    this.#timer = setInterval(() => this.#sample(), 250);
  }
  #sample() {
    this.#pids.forEach((p, i) => {
      const r = rssBytes(p);
      if (!(r <= this.maxRss[i]!)) this.maxRss[i] = r;
    });
  }
  /** CPU use over the phase as a percentage of one core, and the RSS peak, per pid. */
  stop(): { cpuPercent: number[]; cpuSeconds: number[]; maxRssMB: number[]; seconds: number } {
    clearInterval(this.#timer);
    this.#sample();
    const seconds = (performance.now() - this.#t0) / 1000;
    const used = this.#pids.map((p, i) => cpuSeconds(p) - this.#cpu0[i]!);
    return {
      cpuPercent: used.map((u) => round((u / seconds) * 100, 1)),
      cpuSeconds: used.map((u) => round(u, 2)),
      maxRssMB: this.maxRss.map((r) => round(r / 2 ** 20, 1)),
      seconds: round(seconds, 2),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics.

export const round = (x: number, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

export type Summary = { n: number; median: number; p95: number; p99: number; mean: number; min: number; max: number };

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(values: ArrayLike<number>, digits = 2): Summary {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    median: round(percentile(sorted, 50), digits),
    p95: round(percentile(sorted, 95), digits),
    p99: round(percentile(sorted, 99), digits),
    mean: round(sum / sorted.length, digits),
    min: round(sorted[0] ?? NaN, digits),
    max: round(sorted[sorted.length - 1] ?? NaN, digits),
  };
}

/** The median of a few rounds' figures: of an even count, the mean of the middle two (the lower one alone flattered a latency of two rounds). */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A latency histogram with 0.1 ms buckets up to 120 s: exact enough for p99, and mergeable
 * across processes (subscribers in several children).
 */
export class Histogram {
  static readonly STEP = 0.1;
  counts = new Map<number, number>();
  n = 0;
  add(ms: number) {
    const b = Math.max(0, Math.min(1_200_000, Math.round(ms / Histogram.STEP)));
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.n++;
  }
  merge(pairs: [number, number][]) {
    for (const [b, c] of pairs) {
      this.counts.set(b, (this.counts.get(b) ?? 0) + c);
      this.n += c;
    }
  }
  toPairs(): [number, number][] {
    return [...this.counts];
  }
  summary(): Summary {
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const at = (p: number) => {
      const target = Math.max(1, Math.ceil((p / 100) * this.n));
      let seen = 0;
      for (const k of keys) {
        seen += this.counts.get(k)!;
        if (seen >= target) return k * Histogram.STEP;
      }
      return NaN;
    };
    let sum = 0;
    for (const k of keys) sum += k * Histogram.STEP * this.counts.get(k)!;
    return {
      n: this.n,
      median: round(at(50), 1),
      p95: round(at(95), 1),
      p99: round(at(99), 1),
      mean: round(sum / this.n, 1),
      min: round((keys[0] ?? NaN) * Histogram.STEP, 1),
      max: round((keys[keys.length - 1] ?? NaN) * Histogram.STEP, 1),
    };
  }
}

/**
 * Runs `rounds` rounds of every variant in alternation (A, B, A, B, …), after `warmup` rounds
 * whose results are dropped, so that noise from other work on the machine lands on all
 * variants alike. Returns the kept results per variant.
 */
export async function alternate<V extends string, R>(variants: readonly V[], rounds: number, warmup: number, run: (variant: V, round: number) => Promise<R>): Promise<Record<V, R[]>> {
  const out = Object.fromEntries(variants.map((v) => [v, [] as R[]])) as Record<V, R[]>;
  for (let r = -warmup; r < rounds; r++) {
    // Rotate the starting variant each round so that neither always goes first.
    const order = variants.map((_, i) => variants[(i + Math.max(0, r)) % variants.length]!);
    for (const v of order) {
      const result = await run(v, r);
      if (r >= 0) out[v].push(result);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arguments: --name=value flags with defaults; BENCH_QUICK=1 for a short smoke run.

export function flags<T extends Record<string, string | number | boolean>>(defaults: T): T {
  const out: Record<string, unknown> = { ...defaults };
  for (const arg of process.argv.slice(2)) {
    const m = arg.match(/^--([\w-]+)(?:=(.*))?$/);
    if (!m) continue;
    const key = m[1]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    if (!(key in defaults)) throw new Error(`Unknown flag --${m[1]}; known: ${Object.keys(defaults).join(', ')}`);
    const d = defaults[key];
    const v = m[2] ?? 'true';
    out[key] = typeof d === 'number' ? Number(v) : typeof d === 'boolean' ? v !== 'false' && v !== '0' : v;
  }
  return out as T;
}

export const list = (s: string) => s.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0);

/** A deterministic PRNG (mulberry32), so every run places needs and viewports alike. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
