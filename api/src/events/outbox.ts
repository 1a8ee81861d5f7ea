// Writing events: every change appends its NeedEvent in the same transaction as the change, with
// no lock: independent writes commit in parallel, in any order. An event's place in the stream,
// `seq`, is given after its commit by the sequencer: one short statement (the SQL function
// `stamp_need_events`, in the migration 20261205020000_event_sequencer) that, under a
// transaction-scoped advisory lock, numbers every committed event that has no `seq` yet, in
// insertion order, continuing from the highest `seq`. Stamps are serialised and each is visible
// before the next begins, so `seq` is dense and a reader that has seen seq N has seen every event
// that will ever have a seq ≤ N: a cursor resumes without gaps or duplicates. Two events of one
// need keep their order: the second one's transaction waited for the first's commit (the need's
// row lock), so it was inserted later and is numbered later or in a later stamp.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { NeedEventType, NeedStatus } from '../generated/prisma/enums.ts';

export type Tx = Prisma.TransactionClient;

export type NewEvent = {
  needId: string;
  communityId: string;
  type: NeedEventType;
  fromStatus: NeedStatus | null;
  toStatus: NeedStatus;
  actorId: string | null;
  claimId?: string | null;
  at: Date;
  payload?: Record<string, string | number | boolean | null>;
};

export async function appendEvent(tx: Tx, event: NewEvent) {
  return tx.needEvent.create({
    data: { ...event, claimId: event.claimId ?? null, payload: event.payload ?? {} },
  });
}

/**
 * Events one stamp numbers at most; a longer backlog (events inserted in bulk by SQL, a restore)
 * takes several. Each stamp sorts what is still pending, so batches are large: a million pending
 * events take ten.
 */
const STAMP_BATCH = 100_000;

/**
 * Numbers committed events. Single-flight per process: callers during a stamp share the next one,
 * which starts after it (a stamp that began before a caller's commit may not have seen its
 * events), so many concurrent commits cost one or two statements, not one each.
 */
export class Sequencer {
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  /** Resolves once every event committed before the call has its `seq`. */
  stamp(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#run().finally(() => (this.#running = null));
      return this.#running;
    }
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = null;
        return this.stamp();
      });
    return this.#queued;
  }

  async #run(): Promise<void> {
    for (;;) {
      const [row] = await this.#prisma.$queryRaw<{ stamped: number }[]>`SELECT stamp_need_events(${STAMP_BATCH}::int) AS stamped`;
      if (!row || row.stamped < STAMP_BATCH) return;
    }
  }
}

/** An event read by its place in the stream (`seq > n`), which therefore has one. */
export type Sequenced<E extends { seq: bigint | null }> = E & { seq: bigint };

/** Rows read with a `seq` condition: never null, and their type says so. */
export const sequenced = <E extends { seq: bigint | null }>(rows: E[]): Sequenced<E>[] => rows as Sequenced<E>[];

/** The newest event's place in the stream (null when none is numbered yet). */
export async function latestSeq(prisma: Pick<PrismaClient, 'needEvent'>): Promise<bigint | null> {
  return (await prisma.needEvent.aggregate({ _max: { seq: true } }))._max.seq;
}

/** An event's seq, stamping it first when another process committed it a moment ago. */
export async function seqOf(s: { prisma: PrismaClient; sequencer: Sequencer }, id: bigint): Promise<bigint> {
  await s.sequencer.stamp();
  const { seq } = await s.prisma.needEvent.findUniqueOrThrow({ where: { id }, select: { seq: true } });
  if (seq === null) throw new Error(`event ${id} has no seq after a stamp`);
  return seq;
}
