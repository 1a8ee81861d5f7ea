// Throwaway PostgreSQL databases for the benchmarks, migrated with the API's own runner
// (applyMigrations, run in a child process) and filled with deterministic data in SQL.
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { PG_ADMIN_URL, apiDir, benchDir, spawnNode } from './harness.ts';

export type BenchDatabase = { name: string; url: string; drop(): Promise<void> };

export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Applies the API's migrations to `url` with applyMigrations (api/src/db/migrations.ts). */
export async function migrate(url: string): Promise<string[]> {
  const child = spawnNode(`${benchDir}lib/migrate.ts`, [], { env: { DATABASE_URL: url }, cwd: apiDir, label: 'migrate' });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const out = child.output();
  if (code !== 0) throw new Error(`migration failed (${code}):\n${out}`);
  const m = out.match(/^APPLIED (.*)$/m);
  return m ? JSON.parse(m[1]!) : [];
}

export const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** A token whose session row we insert directly (the API stores sha256(token) hex as the id). */
export const benchToken = (label: string, i: number) => `bench-${label}-${i}-${'x'.repeat(16)}`;

export type Seeded = { communityId: string; coordinator: { id: string; token: string } };

/** One community with a coordinator (signed in by token). */
export async function seedCommunity(client: pg.Client, slug: string, center = { lat: 31.525, lng: 34.597 }): Promise<Seeded> {
  const { rows } = await client.query(
    `INSERT INTO "Community" (id, slug, name, kind, area, "centerLat", "centerLng") VALUES (gen_random_uuid(), $1, $1, 'TOWN', 'Bench', $2, $3) RETURNING id`,
    [slug, center.lat, center.lng],
  );
  const communityId = rows[0].id as string;
  const [coordinator] = await seedUsers(client, `${slug}-coord`, 1, communityId, 'COORDINATOR');
  return { communityId, coordinator: coordinator! };
}

/** `count` users, members of the community with `role`, each with a live session token. */
export async function seedUsers(client: pg.Client, label: string, count: number, communityId: string, role: 'VOLUNTEER' | 'COORDINATOR'): Promise<{ id: string; token: string }[]> {
  const tokens = Array.from({ length: count }, (_, i) => benchToken(label, i));
  const { rows } = await client.query(
    `WITH u AS (
       INSERT INTO "User" (id, email, name, "passwordHash")
       SELECT gen_random_uuid(), $1 || '-' || i || '@bench.invalid', 'Bench ' || i, 'not-a-hash' FROM generate_series(0, $2 - 1) AS i
       RETURNING id, email)
     SELECT id, split_part(split_part(email, '@', 1), '-', -1)::int AS i FROM u ORDER BY i`,
    [label, count],
  );
  const ids = rows.map((r) => r.id as string);
  await client.query(
    `INSERT INTO "Membership" ("userId", "communityId", role) SELECT unnest($1::uuid[]), $2, $3::"MembershipRole"`,
    [ids, communityId, role],
  );
  await client.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt") SELECT unnest($1::text[]), unnest($2::uuid[]), now() + interval '7 days'`,
    [tokens.map(sha256hex), ids],
  );
  return ids.map((id, i) => ({ id, token: tokens[i]! }));
}
