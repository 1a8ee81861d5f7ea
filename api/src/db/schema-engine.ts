// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) and opens
// engines over our driver adapters. Prisma 7's CLI only drives the native schema-engine binary,
// which cannot be downloaded here; the WASM build does the same work through a JS driver adapter.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, DriverAdapterError } from '@prisma/driver-adapter-utils';
import type {
  ErrorCapturingSqlMigrationAwareDriverAdapterFactory,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm';
export type * as EngineTypes from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

// Node has the WebAssembly global, but only lib.dom declares its types (and this project does
// not use lib.dom), so the little used here is declared for this module.
type WasmModule = object & { readonly __wasmModule?: never };
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
  RuntimeError: new (message?: string) => Error;
};

let compiled: Promise<WasmModule> | undefined;

/** The compiled module, cached: compiling the 5 MB of WASM takes a noticeable fraction of a second. */
export function schemaEngineModule(): Promise<WasmModule> {
  // The package does not export the .wasm file itself; it sits next to the exported glue.
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  compiled ??= readFile(wasmPath).then((bytes) => WebAssembly.compile(bytes));
  compiled.catch(() => {
    compiled = undefined; // a later call may retry
  });
  return compiled;
}

type EngineClass = typeof glue.SchemaEngine;

/**
 * The wasm-bindgen glue keeps its instance in a module-level variable, so each copy of the glue
 * module gets exactly one instance, and every engine is created from it. The registry lives on
 * globalThis, keyed by the glue module itself, because this file may be evaluated more than once
 * against one shared glue (test runners re-evaluate project files per test file): instantiating
 * again would swap the memory under engines that are still alive.
 */
const registryKey = Symbol.for('mutual-aid.schema-engine-wasm.instances');
const instances = ((globalThis as Record<symbol, unknown>)[registryKey] ??= new WeakMap()) as WeakMap<object, Promise<EngineClass>>;

function engineClass(): Promise<EngineClass> {
  let instantiated = instances.get(glue);
  if (!instantiated) {
    instantiated = (async () => {
      installPanicRegistry();
      const instance = await WebAssembly.instantiate(await schemaEngineModule(), {
        // The module imports every glue function from the file it was generated next to.
        './schema_engine_bg.js': glue,
      });
      glue.__wbg_set_wasm(instance.exports);
      (instance.exports.__wbindgen_start as () => void)();
      return glue.SchemaEngine;
    })();
    instances.set(glue, instantiated);
    instantiated.catch(() => instances.delete(glue));
  }
  return instantiated;
}

type PanicRegistry = { set_message(message: string): void; message?: string };

/** On a Rust panic the glue reports the message to this global, then traps with `unreachable`. */
function installPanicRegistry(): void {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      this.message = message;
    },
  };
}

function takePanicMessage(): string | undefined {
  const registry = (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY;
  const message = registry?.message;
  if (registry) registry.message = undefined;
  return message;
}

/** The engine's version: the prisma-engines commit it was built from. */
export async function schemaEngineVersion(): Promise<string> {
  await engineClass();
  return glue.version();
}

export class SchemaEngineError extends Error {
  override name = 'SchemaEngineError';
  readonly command: string;
  /** The engine's own message (with its span trace), unchanged. */
  readonly engineMessage: string;
  /** Prisma error code (e.g. P3019) when the engine gave one. */
  readonly code: string | undefined;
  constructor(command: string, engineMessage: string, code: string | undefined, options?: ErrorOptions) {
    super(`Schema engine ${command} failed${code ? ` (${code})` : ''}: ${engineMessage}`, options);
    this.command = command;
    this.engineMessage = engineMessage;
    this.code = code;
  }
}

export type OpenedEngine = {
  /** Runs one engine command; failures become SchemaEngineError carrying the engine's message. */
  run<R>(command: string, call: (engine: SchemaEngine) => Promise<R>): Promise<R>;
  /** A plain query on the engine's connection (text results), for what the engine does not report. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

export type OpenEngineOptions = {
  /** Schema files, for commands that read the datasource from the schema. */
  schema?: { path: string; content: string };
  /**
   * Connects to a new, empty shadow database; called each time the engine wants one. Only for
   * diagnostics in tests: nothing here needs a shadow database.
   */
  shadowDatabase?: () => Promise<SqlDriverAdapter>;
  /** Receives the engine's tracing output. */
  log?: (line: string) => void;
};

/** Opens a schema engine on the database behind `adapterFactory`. Close it when done. */
export async function openSchemaEngine(adapterFactory: SqlDriverAdapterFactory, opts: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const Engine = await engineClass();
  const connection = await dedicatedConnection(adapterFactory);
  const bound = bindMigrationAwareSqlAdapterFactory({
    provider: connection.factory.provider,
    adapterName: connection.factory.adapterName,
    connect: async () => forEngine(await connection.factory.connect()),
    connectToShadowDb: async () => {
      if (!opts.shadowDatabase) {
        throw new Error('No shadow database is configured: replay the migration history into a throwaway PGlite instead.');
      }
      return forEngine(await opts.shadowDatabase());
    },
  } satisfies SqlMigrationAwareDriverAdapterFactory);
  const datamodels: [string, string][] | undefined = opts.schema ? [[opts.schema.path, opts.schema.content]] : undefined;

  let engine: SchemaEngine;
  try {
    engine = await Engine.new({ datamodels }, opts.log ?? (() => {}), bound);
  } catch (error) {
    await connection.close();
    throw engineError('start', error, bound);
  }
  let adapter: SqlDriverAdapter | undefined;
  let closed = false;
  return {
    async run(command, call) {
      try {
        return await call(engine);
      } catch (error) {
        throw engineError(command, error, bound);
      }
    },
    async query(sql) {
      adapter ??= await connection.factory.connect();
      const result = await adapter.queryRaw({ sql, args: [], argTypes: [] });
      return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, row[i]])));
    },
    async close() {
      if (closed) return;
      closed = true;
      engine.free();
      await adapter?.dispose();
      await connection.close();
    },
  };
}

/**
 * The engine takes PostgreSQL's session-level advisory lock before migrating and never releases
 * it, relying (like the native engine) on its connection closing afterwards. Over a shared pool
 * the lock would stay on an idle pooled connection and the next migration run could wait on it,
 * so on PostgreSQL the engine gets its own single connection (same settings), closed with the
 * engine. PGlite is a single session anyway, where the lock is re-entrant.
 */
async function dedicatedConnection(factory: SqlDriverAdapterFactory): Promise<{ factory: SqlDriverAdapterFactory; close(): Promise<void> }> {
  const probe = await factory.connect();
  const underlying = (probe as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  await probe.dispose();
  if (!(underlying instanceof pg.Pool)) return { factory, close: async () => {} };
  const pool = new pg.Pool({ ...underlying.options, max: 1 });
  pool.on('error', () => {}); // an idle connection dropping is reported by the next query
  reportCharColumnsAsText(pool);
  return { factory: new PrismaPg(pool), close: () => pool.end() };
}

/** PostgreSQL's one-byte `"char"` type, used all over pg_catalog (relkind, contype, ...). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
/** Result rows (by identity) to the indexes of their `"char"` columns. */
const charColumns = new WeakMap<object, number[]>();

/**
 * @prisma/adapter-pg rejects `"char"` result columns as an unsupported type, and the engine reads
 * pg_catalog's `"char"` columns whenever it inspects a database (diff, db push, drift checks).
 * The engine's pool hands such columns to the adapter as text (pg already parsed the values as
 * strings) and remembers where they were, so `queryRaw` can report them as Character, as
 * PrismaPGlite does.
 */
function reportCharColumnsAsText(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result; // callback style; the adapter never uses it
    return result.then((r: pg.QueryResult) => {
      const indexes = r.fields.flatMap((field, i) => (field.dataTypeID === PG_CHAR_OID ? [i] : []));
      if (indexes.length) {
        for (const i of indexes) r.fields[i]!.dataTypeID = PG_TEXT_OID;
        charColumns.set(r.rows, indexes);
      }
      return r;
    });
  }) as typeof pool.query;
}

/**
 * Errors come back as a JS Error with the user-facing message (and a Prisma `code` for known
 * errors). Plain JS exceptions thrown by the adapter are parked in its error registry and only
 * referenced by id in the message; a Rust panic surfaces as `RuntimeError: unreachable`.
 */
function engineError(command: string, error: unknown, bound: ErrorCapturingSqlMigrationAwareDriverAdapterFactory): Error {
  if (error instanceof SchemaEngineError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  if (isWasmTrap(e)) {
    return new SchemaEngineError(command, `the engine panicked: ${takePanicMessage() ?? e.message}`, undefined, { cause: e });
  }
  const rawCode: unknown = (e as { code?: unknown }).code;
  const code = typeof rawCode === 'string' ? rawCode : undefined;
  let message = e.message;
  const jsErrorId = /External error id#(\d+)/.exec(message)?.[1];
  if (jsErrorId !== undefined) {
    const original = bound.errorRegistry.consumeError(Number(jsErrorId))?.error;
    if (original instanceof Error) message = `${original.message}\n${message}`;
  }
  return new SchemaEngineError(command, message, code, { cause: e });
}

function isWasmTrap(error: Error): boolean {
  return error instanceof WebAssembly.RuntimeError;
}

type PgliteLike = { exec(sql: string): Promise<unknown> };

/**
 * The adapter as the engine needs it. The engine applies each migration file with
 * `executeScript`, which both stock adapters get wrong for migrations: PrismaPGlite does not
 * await `exec` (a failing migration is recorded as applied, and its error becomes an unhandled
 * rejection), and PrismaPg splits the script on every `;` (breaking string literals and function
 * bodies) and runs the pieces one by one. Here a script goes to the database as one
 * simple-protocol query, which PostgreSQL runs in a single implicit transaction, as the native
 * schema engine does. `queryRaw` restores `"char"` columns (see reportCharColumnsAsText).
 */
function forEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const runScript = scriptRunner(adapter);
  if (!runScript) return adapter;
  // Everything else is the adapter's own (inherited methods keep working on their fields).
  return Object.assign(Object.create(adapter) as SqlDriverAdapter, {
    async executeScript(script: string) {
      try {
        await runScript(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    },
    async queryRaw(query: SqlQuery) {
      const result = await adapter.queryRaw(query);
      // adapter-pg passes pg's rows array through as is, so it identifies the result.
      const indexes = charColumns.get(result.rows);
      if (!indexes) return result;
      const columnTypes = [...result.columnTypes];
      for (const i of indexes) columnTypes[i] = ColumnTypeEnum.Character;
      return { ...result, columnTypes };
    },
  });
}

function scriptRunner(adapter: SqlDriverAdapter): ((script: string) => Promise<void>) | undefined {
  // @prisma/adapter-pg: its pool (single-connection for the engine, see dedicatedConnection).
  const underlying = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  if (underlying instanceof pg.Pool) {
    return async (script) => {
      const client = await underlying.connect();
      let broken: Error | undefined;
      try {
        await client.query(script);
      } catch (error) {
        // A script with its own BEGIN can fail inside that transaction; end it, keeping the
        // connection (and the engine's advisory lock on it) unless even that fails.
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    };
  }
  // pglite-prisma-adapter keeps its PGlite in `client`.
  const pglite = (adapter as { client?: unknown }).client;
  if (typeof pglite === 'object' && pglite !== null && typeof (pglite as PgliteLike).exec === 'function') {
    return async (script) => void (await (pglite as PgliteLike).exec(script));
  }
  return undefined;
}

/** A PostgreSQL error as a driver adapter error, so the engine's message carries its code and text. */
function toDriverAdapterError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as Record<string, unknown>;
  if (typeof e.code !== 'string' || typeof e.message !== 'string') return error;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return new DriverAdapterError({
    kind: 'postgres',
    code: e.code,
    severity: text(e.severity) ?? 'ERROR',
    message: e.message,
    detail: text(e.detail),
    column: text(e.column),
    hint: text(e.hint),
  });
}
