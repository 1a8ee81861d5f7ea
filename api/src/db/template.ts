// A migrated, empty PGlite data directory kept as a template: a fresh embedded database is
// unpacked from it (about a second) instead of running initdb and then every migration through
// the WASM schema engine (several seconds, and the engine's memory). The template is named by a
// hash of the PGlite version and every migration's name and text, so a changed or added
// migration never starts from a stale one: without a matching template the database is created
// and migrated as before, and that result becomes the template for next time. `pnpm install`
// builds it (scripts/pglite-template.ts), so the first `pnpm start` is already fast.
// It is kept twice: unpacked, a data directory that a new database on disk is copied from before
// PGlite opens it (PGlite then opens an existing database: handing it the archive instead would
// unpack some 40 MB through its own memory, which a WebAssembly instance never gives back, and
// the idle API was 170 MB bigger); and archived, for a database in memory (`memory://`, tests),
// which has no directory to copy into.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { PGlite } from '@electric-sql/pglite';
import { extract } from 'tar';
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

/** How a template is made (saveTemplate): a change makes every template built before stale. */
const TEMPLATE_FORMAT = 2;

/** The template's name for these migrations (sha-256 of the format, the PGlite version, names and texts). */
export function templateKey(migrationsDir: string = repoPaths.migrations): string {
  const hash = createHash('sha256').update(`template ${TEMPLATE_FORMAT}\npglite ${pgliteVersion()}\n`);
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
const templateData = (key: string) => join(templateDir, `pglite-${key}`);
/** A template's two forms; partial ones (being written) have a random part and end otherwise. */
const TEMPLATE_NAME = /^pglite-([0-9a-f]+)(\.tar\.gz)?$/;
/** Written last, as PostgreSQL marks a data directory with it: a copy cut short is still fresh. */
const VERSION_FILE = 'PG_VERSION';

/** The archived template for `key` (for a database in memory), or null when there is none. */
export function readTemplate(key: string): Buffer | null {
  try {
    return readFileSync(templateFile(key));
  } catch {
    return null;
  }
}

/** True when both forms of the template for `key` are there. */
export function hasTemplate(key: string): boolean {
  return existsSync(templateFile(key)) && existsSync(join(templateData(key), VERSION_FILE));
}

/**
 * Copies the unpacked template for `key` into the data directory `dir` (which holds no database
 * yet), so that PGlite opens it as an existing database. False when there is no such template.
 */
export function copyTemplate(key: string, dir: string): boolean {
  const source = templateData(key);
  if (!existsSync(join(source, VERSION_FILE))) return false;
  cpSync(source, dir, { recursive: true, filter: (from) => from !== join(source, VERSION_FILE) });
  copyFileSync(join(source, VERSION_FILE), join(dir, VERSION_FILE));
  return true;
}

/** True when `dir` holds no database yet (an in-memory one always starts empty). */
export function isFreshDataDir(dir: string): boolean {
  return dir.startsWith('memory://') || !existsSync(join(dir, VERSION_FILE));
}

/**
 * Keeps `client`'s data directory as the template for `key`. Call only on a database that holds
 * the migrations and nothing else. Each form is written under a temporary name and renamed, so
 * processes that build it at once (parallel test files) never read half of one; older templates
 * are removed.
 */
export async function saveTemplate(client: PGlite, key: string): Promise<void> {
  // A copy of a running database starts with crash recovery from its last checkpoint: without
  // this one, every new database would replay the WAL of every migration (initdb's shutdown
  // checkpoint is the last one otherwise).
  await client.exec('CHECKPOINT');
  const dump = Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer());
  mkdirSync(templateDir, { recursive: true });
  const target = templateFile(key);
  const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
  writeFileSync(partial, dump);
  renameSync(partial, target);
  await unpackTemplate(key);
  for (const name of readdirSync(templateDir)) {
    const match = TEMPLATE_NAME.exec(name);
    if (match && match[1] !== key) rmSync(join(templateDir, name), { recursive: true, force: true });
  }
}

/** Unpacks the archived template for `key` into its directory form (a no-op when that is there). */
export async function unpackTemplate(key: string): Promise<void> {
  const target = templateData(key);
  if (existsSync(join(target, VERSION_FILE))) return;
  const partial = `${target}.${randomBytes(6).toString('hex')}.partial`;
  mkdirSync(partial, { recursive: true });
  try {
    // The archive names its entries from the data directory's root ("/base/1/…").
    await extract({ file: templateFile(key), cwd: partial, onwarn: () => {} });
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  } catch (err) {
    // Another process renamed its copy into place first: theirs is as good.
    if (!existsSync(join(target, VERSION_FILE))) throw err;
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}
