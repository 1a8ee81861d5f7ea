// A migrated, empty PGlite data directory kept as a template: a fresh embedded database is
// unpacked from it (about a second) instead of running initdb and then every migration through
// the WASM schema engine (several seconds, and the engine's memory). The template is named by a
// hash of the PGlite version and every migration's name and text, so a changed or added
// migration never starts from a stale one: without a matching template the database is created
// and migrated as before, and that result becomes the template for next time. `pnpm install`
// builds it (scripts/pglite-template.ts), so the first `pnpm start` is already fast.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { PGlite } from '@electric-sql/pglite';
import { repoPaths } from '../config.ts';

export const templateDir = `${repoPaths.root}node_modules/.cache/mutual-aid`;

/** The installed PGlite's version (its package.json is not exported: found from its entry point). */
const pgliteVersion = (): string => {
  for (let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (pkg.name === '@electric-sql/pglite') return pkg.version;
  }
  return 'unknown';
};

/** The template's name for these migrations (sha-256 of the PGlite version, names and texts). */
export function templateKey(migrationsDir: string = repoPaths.migrations): string {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`);
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const file = join(migrationsDir, name, 'migration.sql');
    hash.update(`${name}\n`).update(existsSync(file) ? readFileSync(file) : 'missing').update('\n');
  }
  return hash.digest('hex').slice(0, 24);
}

const templateFile = (key: string) => join(templateDir, `pglite-${key}.tar.gz`);

/** The template for `key`, or null when none has been built for these migrations. */
export function readTemplate(key: string): Buffer | null {
  try {
    return readFileSync(templateFile(key));
  } catch {
    return null;
  }
}

/** True when `dir` holds no database yet (an in-memory one always starts empty). */
export function isFreshDataDir(dir: string): boolean {
  return dir.startsWith('memory://') || !existsSync(join(dir, 'PG_VERSION'));
}

/**
 * Keeps `client`'s data directory as the template for `key`. Call only on a database that holds
 * the migrations and nothing else. Written to a temporary name and renamed, so processes that
 * build it at once (parallel test files) never read half a file; older templates are removed.
 */
export async function saveTemplate(client: PGlite, key: string): Promise<void> {
  const dump = Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer());
  mkdirSync(templateDir, { recursive: true });
  const target = templateFile(key);
  const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
  writeFileSync(partial, dump);
  renameSync(partial, target);
  for (const name of readdirSync(templateDir)) {
    if (name.startsWith('pglite-') && name.endsWith('.tar.gz') && join(templateDir, name) !== target) rmSync(join(templateDir, name), { force: true });
  }
}
