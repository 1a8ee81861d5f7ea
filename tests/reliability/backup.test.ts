// Backup and restore, with the commands of docs/operations.md: PostgreSQL with pg_dump and
// pg_restore (the API running), the embedded database by copying its directory while the API
// is stopped, and with PGlite's dumpDataDir. Each round trip loses nothing: every table has
// the same rows (checksummed), the event history is the same, and the API serves the copy
// (events replay from the start, new writes continue the sequence).
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase } from '../helpers/db.ts';
import { spawnApi } from '../helpers/process.ts';
import { buildWorld, rebase, uuidOf, type World } from '../helpers/world.ts';
import { Workload } from '../helpers/workload.ts';
import { collect } from '../helpers/client.ts';
import { postgresBinDir } from '../helpers/postgresCluster.ts';
import { adminClient, createCommunity, member } from '../helpers/fixtures.ts';
import { requires, postgresServer, postgresPrograms, embeddedDatabase } from '../helpers/skips.ts';
import { buildApp } from '../../api/src/server.ts';

const run = promisify(execFile);

/** docs/operations.md, word for word: run from the repository root, the process stopped. */
const PGLITE_DUMP = `npx -y pnpm@12.20.0 --filter @mutual-aid/api exec node --input-type=module -e "
import { PGlite } from '@electric-sql/pglite';
import { writeFile } from 'node:fs/promises';
const db = await PGlite.create(process.env.PGLITE_DIR);
const tarball = await db.dumpDataDir('gzip');
await writeFile(process.env.BACKUP, Buffer.from(await tarball.arrayBuffer()));
await db.close();"`;
const PGLITE_RESTORE = `npx -y pnpm@12.20.0 --filter @mutual-aid/api exec node --input-type=module -e "
import { PGlite } from '@electric-sql/pglite';
import { readFile } from 'node:fs/promises';
const db = await PGlite.create(process.env.PGLITE_DIR, { loadDataDir: new Blob([await readFile(process.env.BACKUP)]) });
await db.close();"`;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

type Sql = (text: string) => Promise<any[]>;

/** Every table's rows, as one checksum per table (order-independent), plus the event history. */
async function snapshot(sql: Sql) {
  const tables = (await sql(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).map((r) => r.t as string);
  const sums: Record<string, string> = {};
  for (const t of tables) {
    const [row] = await sql(`SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS sum FROM "${t}" x`);
    sums[t] = `${row.n}:${row.sum}`;
  }
  const events = (await sql(`SELECT seq::text AS cursor, type::text AS type, "needId" AS need FROM "NeedEvent" ORDER BY seq`)).map((e) => `${e.cursor}:${e.type}:${e.need}`);
  return { sums, events };
}

/** Writes through the API: a few hundred mutations of every kind. */
async function populate(world: World, url: string): Promise<void> {
  await new Workload(world, () => url).run(250);
}

/** What a client sees of the history: every event from the first, over a WebSocket. */
async function replay(world: World, url: string, count: number): Promise<string[]> {
  const client = rebase(world.coordinator, url).ws();
  const sub = collect(client, `subscription { needEvents(after: "0") { cursor type } }`, {}, (items) => items.length >= count, 30_000);
  const got = (await sub.done).map((d) => `${d.needEvents.cursor}:${d.needEvents.type}`);
  await client.dispose();
  return got;
}


describe('PostgreSQL: pg_dump while serving, pg_restore into a new database', requires(postgresServer, postgresPrograms), () => {
  it('restores every row and event, and the API serves the copy', async () => {
    const bin = postgresBinDir()!;
    const source = await createTestDatabase();
    const target = await createTestDatabase();
    cleanups.push(() => source.drop(), () => target.drop());
    const sourceUrl = source.env.DATABASE_URL!;
    const targetUrl = target.env.DATABASE_URL!;
    const sqlOn = (url: string): Sql => async (text) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(text)).rows;
      } finally {
        await c.end();
      }
    };
    // No background worker: its bookkeeping (the webhook outbox cursor) would move between the
    // snapshot and the dump, and this test compares every table.
    const api = await spawnApi({ ...source.env, MIGRATE_ON_START: '1', WORKER_INTERVAL_MS: '3600000' });
    cleanups.push(() => api.stop());
    const world = await buildWorld(api.url, sourceUrl, 3);
    await populate(world, api.url);
    const before = await snapshot(sqlOn(sourceUrl));

    // The documented commands (docs/operations.md), against the running API's database.
    const dir = await mkdtemp(join(tmpdir(), 'pg-backup-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'mutual-aid.dump');
    const t0 = Date.now();
    await run(join(bin, 'pg_dump'), ['--format=custom', '--no-owner', `--file=${file}`, sourceUrl]);
    const dumpMs = Date.now() - t0;
    await run(join(bin, 'pg_restore'), ['--no-owner', '--exit-on-error', `--dbname=${targetUrl}`, file]);
    const restoreMs = Date.now() - t0 - dumpMs;

    const after = await snapshot(sqlOn(targetUrl));
    expect(after.events).toEqual(before.events);
    expect(after.sums).toEqual(before.sums);
    expect(before.events.length).toBeGreaterThan(100);

    // The API on the restored copy: ready (migrations recorded), the same history, and new events continue the sequence.
    const restored = await spawnApi({ ...target.env });
    cleanups.push(() => restored.stop());
    expect(await (await fetch(`${restored.url}/ready`)).json()).toMatchObject({ ready: true, pendingMigrations: [] });
    expect(await replay(world, restored.url, before.events.length)).toEqual(before.events.map((e) => e.split(':').slice(0, 2).join(':')));
    const fresh = await rebase(world.coordinator, restored.url).ok(
      `mutation($c: ID!) { createNeed(input: { communityId: $c, title: "After restore", category: FOOD, urgency: LOW, lat: 31.5, lng: 34.6, address: "1 Restore St", requesterName: "R" }) { need { id } } }`,
      { c: world.community },
    );
    const [{ seq }] = await sqlOn(targetUrl)(`SELECT max(seq)::text AS seq FROM "NeedEvent" WHERE "needId" = '${uuidOf(fresh.createNeed.need.id)}'`);
    expect(BigInt(seq)).toBeGreaterThan(BigInt(before.events.at(-1)!.split(':')[0]!));
    console.log(`[backup] PostgreSQL: ${before.events.length} events, ${Object.keys(before.sums).length} tables; pg_dump ${dumpMs} ms, pg_restore ${restoreMs} ms`);
  }, 180_000);
});

describe('embedded PGlite: the data directory copied while stopped, and dumpDataDir', requires(embeddedDatabase), () => {
  it('restores every row and event from both, and the API serves each copy', async () => {
    const apiDir = new URL('../../api/', import.meta.url).pathname;
    const { PGlite } = (await import(createRequire(`${apiDir}package.json`).resolve('@electric-sql/pglite'))) as typeof import('@electric-sql/pglite');
    const base = await mkdtemp(join(tmpdir(), 'pglite-backup-'));
    cleanups.push(() => rm(base, { recursive: true, force: true }));
    const live = join(base, 'live');
    // The API on a data directory, in this process (so the first admin can be made directly).
    const app = await buildApp({ NODE_ENV: 'test', LOG_LEVEL: 'error', HOST: '127.0.0.1', WEB_BUILD_DIR: '/nonexistent', PGLITE_DIR: live, RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: '100000', RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000' });
    const { url } = await app.start(0);
    const admin = await adminClient(url, app.services.prisma);
    const community = await createCommunity(admin);
    const coordinator = await member(url, admin, community, 'COORDINATOR');
    const volunteers = [];
    for (let i = 0; i < 3; i++) volunteers.push(await member(url, admin, community, 'VOLUNTEER', `backup${i}`));
    const world: World = { admin, community, coordinator, volunteers };
    await populate(world, url);
    // 1. Stop the process, copy the directory (docs/operations.md).
    await app.stop();
    const copy = join(base, 'copy');
    await cp(live, copy, { recursive: true });

    // 2. dumpDataDir and loadDataDir, with the very commands of docs/operations.md.
    const tarFile = join(base, 'mutual-aid-pglite.tar.gz');
    const loaded = join(base, 'loaded');
    const repo = new URL('../../', import.meta.url).pathname;
    await run('sh', ['-c', PGLITE_DUMP], { cwd: repo, env: { ...process.env, PGLITE_DIR: live, BACKUP: tarFile } });
    await run('sh', ['-c', PGLITE_RESTORE], { cwd: repo, env: { ...process.env, PGLITE_DIR: loaded, BACKUP: tarFile } });
    const sql = (db: InstanceType<typeof PGlite>): Sql => async (text) => (await db.query(text)).rows as any[];
    const open = async (dir: string) => {
      const db = await PGlite.create(dir);
      try {
        return await snapshot(sql(db));
      } finally {
        await db.close();
      }
    };
    const before = await open(live);
    const afterTar = await open(loaded);
    const afterCopy = await open(copy);

    expect(before.events.length).toBeGreaterThan(100);
    expect(afterCopy).toEqual(before);
    expect(afterTar).toEqual(before);

    // 3. The API serves each copy, with the whole history and new writes after it.
    for (const dir of [copy, loaded]) {
      const restored = await spawnApi({ PGLITE_DIR: dir });
      cleanups.push(() => restored.stop());
      expect(await replay(world, restored.url, before.events.length)).toEqual(before.events.map((e) => e.split(':').slice(0, 2).join(':')));
      await rebase(world.coordinator, restored.url).ok(
        `mutation($c: ID!) { createNeed(input: { communityId: $c, title: "After restore", category: FOOD, urgency: LOW, lat: 31.5, lng: 34.6, address: "1 Restore St", requesterName: "R" }) { need { id } } }`,
        { c: world.community },
      );
      await restored.stop();
    }
    console.log(`[backup] PGlite: ${before.events.length} events, ${Object.keys(before.sums).length} tables; directory copy and dumpDataDir (${(await readFile(tarFile)).length} bytes gzip) both restored`);
  }, 240_000);
});
