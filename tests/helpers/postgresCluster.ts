// A throwaway PostgreSQL cluster of our own (initdb + postgres in a temp dir, on a free
// loopback port) for tests that stop, restart or break the database: the machine's shared
// server is never touched. Run as the `postgres` user when we are root (postgres refuses root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './process.ts';

/** The newest installed PostgreSQL's binaries, or null when none is installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

/** uid/gid to run postgres as: ourselves, or the `postgres` user when we are root. */
function runAs(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('Running as root and there is no `postgres` user to run PostgreSQL as.');
  return { uid, gid };
}

export type PostgresCluster = {
  port: number;
  dataDir: string;
  /** URL of a database in this cluster (default `postgres`). */
  url(database?: string): string;
  /** The postmaster's pid while running, else null. */
  pid(): number | null;
  running(): boolean;
  /** (Re)starts the postmaster on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it: `fast` (SIGINT, clean) or `immediate` (SIGQUIT, crash-like, WAL replay on next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Runs SQL on a database of this cluster. */
  sql<T extends pg.QueryResultRow = any>(text: string, values?: unknown[], database?: string): Promise<T[]>;
  /** Stops it and deletes the data directory. */
  destroy(): Promise<void>;
  log(): string;
};

export async function startPostgresCluster(settings: Record<string, string> = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('No PostgreSQL binaries under /usr/lib/postgresql.');
  const user = runAs();
  const dataDir = await mkdtemp(join(tmpdir(), 'pg-cluster-'));
  if (user) await chown(dataDir, user.uid, user.gid);
  const init = spawnSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    encoding: 'utf8',
    ...(user ?? {}),
    cwd: dataDir,
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  let output = '';

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  async function start() {
    if (child && child.exitCode === null) return;
    output = '';
    const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`, '-c', 'fsync=off', '-c', 'max_connections=100'];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const proc = spawn(join(bin!, 'postgres'), args, { ...(user ?? {}), cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d) => (output += d));
    proc.stderr!.on('data', (d) => (output += d));
    child = proc;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`postgres exited (${proc.exitCode}):\n${output}`);
      const c = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 1_000 });
      try {
        await c.connect();
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch {
        await c.end().catch(() => {});
      }
      if (Date.now() > deadline) throw new Error(`postgres did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function stop(mode: 'fast' | 'immediate' = 'fast') {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(proc.pid!, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    const timer = setTimeout(() => proc.exitCode === null && process.kill(proc.pid!, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const c = new pg.Client({ connectionString: url(database) });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  }

  await start();
  return {
    port,
    dataDir,
    url,
    pid: () => (child && child.exitCode === null ? child.pid! : null),
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    start,
    stop,
    sql,
    async destroy() {
      await stop('fast');
      await rm(dataDir, { recursive: true, force: true });
    },
    log: () => output,
  };
}
