// Idempotent mutations, on the unit of work's side. A mutation sent with an idempotency key
// (graphql/idempotency.ts) runs with an IdempotentRun in the app's `idempotency` scope; each
// `commit` of that run writes the key's row — claimed by the first, holding what every unit of
// work returned so far — in its own transaction, so a change and the result that answers it
// are durable together (a kill -9 after the commit loses neither). A retry runs the same
// document again: each `commit` already stored returns its stored result instead of working,
// and the resolvers build the answer from it (the records it names are read as they are now).
import { AsyncLocalStorage } from 'node:async_hooks';
import { Prisma } from '../generated/prisma/client.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Tx } from './outbox.ts';

/** One execution of a mutation with a key. */
export type IdempotentRun = {
  readonly scope: string;
  readonly key: string;
  readonly requestHash: string;
  /** Whether the key's row exists (an earlier attempt committed at least one unit of work). */
  exists: boolean;
  /** What the committed units of work returned, in order, as stored (tagged JSON). */
  stored: Prisma.InputJsonValue[];
  /** Units of work of this execution so far. */
  next: number;
};

export type Idempotency = AsyncLocalStorage<IdempotentRun>;
export const createIdempotency = (): Idempotency => new AsyncLocalStorage<IdempotentRun>();

/** JSON with dates and bigints kept: what a domain function returns survives a round trip. */
export function encodeResult(value: unknown): Prisma.InputJsonValue {
  const text = JSON.stringify(value ?? null, function (this: Record<string, unknown>, k, v: unknown) {
    const raw = this[k];
    if (raw instanceof Date) return { $date: raw.toISOString() };
    if (typeof v === 'bigint') return { $bigint: v.toString() };
    return v;
  });
  return JSON.parse(text) as Prisma.InputJsonValue;
}

export function decodeResult(stored: unknown): unknown {
  return JSON.parse(JSON.stringify(stored), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$date === 'string') return new Date(o.$date);
      if (keys.length === 1 && typeof o.$bigint === 'string') return BigInt(o.$bigint);
    }
    return v;
  });
}

/** The stored result of this unit of work when an earlier attempt committed it (`{ replay }`), else its index. */
export function replayOrIndex(run: IdempotentRun): { replay: unknown } | { index: number } {
  const index = run.next++;
  return index < run.stored.length ? { replay: decodeResult(run.stored[index]) } : { index };
}

/**
 * Claims the key before the unit of work writes anything: a concurrent attempt with the same
 * key (another process) waits on the row's lock and then fails with IDEMPOTENCY_IN_PROGRESS.
 */
export async function claimKey(tx: Tx, run: IdempotentRun, index: number, at: Date): Promise<void> {
  if (index > 0 || run.exists) return;
  try {
    await tx.idempotencyKey.create({ data: { scope: run.scope, key: run.key, requestHash: run.requestHash, createdAt: at } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new AppError(ErrorCode.IDEMPOTENCY_IN_PROGRESS, 'A request with this idempotency key is still running; retry in a moment.', { retryable: true });
  }
}

/**
 * Whether the key's row is there now though it was not when this run began: another attempt with
 * the same key has committed meanwhile (a retry racing the first attempt), and what it wrote may
 * be what this one would be refused for (the need's last place, taken by itself).
 */
export async function keyTakenSince(prisma: Pick<Tx, 'idempotencyKey'>, run: IdempotentRun): Promise<boolean> {
  if (run.exists) return false;
  return (await prisma.idempotencyKey.findUnique({ where: { scope_key: { scope: run.scope, key: run.key } }, select: { key: true } })) !== null;
}

/** Stores this unit of work's result with the key, in its transaction; `committed` once it is. */
export async function storeResult(tx: Tx, run: IdempotentRun, result: unknown) {
  const stored = [...run.stored, encodeResult(result)];
  await tx.idempotencyKey.update({ where: { scope_key: { scope: run.scope, key: run.key } }, data: { results: stored } });
  return () => {
    run.stored = stored;
    run.exists = true;
  };
}
