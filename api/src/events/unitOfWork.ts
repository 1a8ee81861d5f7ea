// One unit of work: the transaction, what the domain records while in it (need events in the
// outbox, users with new notifications, changed SMS drafts), and one publication of all of it
// after the commit — never before, never on rollback, never forgotten by a domain function,
// which cannot reach the bus or the stream except through here.
import type { NeedEvent } from '../generated/prisma/client.ts';
import type { Services } from '../services.ts';
import { appendEvent, type NewEvent, type Tx } from './outbox.ts';
import { claimKey, keyTakenSince, replayOrIndex, storeResult, type IdempotentRun } from './idempotency.ts';

export type UnitOfWork = {
  readonly tx: Tx;
  readonly s: Services;
  /** Appends a need event to the outbox, in this transaction. */
  event(event: NewEvent): Promise<NeedEvent>;
  /** These users got notifications in this transaction. */
  notified(userIds: readonly string[]): void;
  /** The pending SMS drafts of this community (null: unrouted) changed in this transaction. */
  draftsChanged(communityId: string | null): void;
  /** The applications (pending memberships) of this community changed in this transaction. */
  membersChanged(communityId: string): void;
  /** The stock of this collection point changed in this transaction. */
  stockChanged(collectionPointId: string): void;
};

/** What a committed unit of work announces. */
export type Committed = { events: boolean; notified: string[]; drafts: (string | null)[]; members?: string[]; stock?: string[] };

export type CommitOptions = {
  /**
   * What the work would refuse first under its locks, decided beforehand on the committed state,
   * without a transaction (it may only throw, never write). A refusal there is the answer the
   * work would have given at that moment; whatever passes is decided again under the locks. A
   * retry whose earlier attempt committed gets its stored result, never a refusal: one that began
   * before that attempt committed takes the locked path, which says IDEMPOTENCY_IN_PROGRESS (the
   * attempt's key row commits with its change, so a refusal that saw the change sees the key).
   */
  refuseEarly?: () => Promise<void>;
  /**
   * Units of work of this process with the same turn run one after another, the early refusal
   * and the transaction, up to the commit (events/turns.ts): the one after sees what the one
   * before committed, and is refused early rather than under the lock.
   */
  turn?: string;
};

export async function commit<T>(s: Services, work: (tx: Tx, w: UnitOfWork) => Promise<T>, options: CommitOptions = {}): Promise<T> {
  // A mutation with an idempotency key (events/idempotency.ts): a unit of work an earlier
  // attempt committed is not done again, its stored result is returned; a new one stores its
  // result with the key in its own transaction.
  const run = s.idempotency.getStore();
  const step = run && replayOrIndex(run);
  if (step && 'replay' in step) return step.replay as T;
  const decide = async () => {
    if (options.refuseEarly) {
      try {
        await options.refuseEarly();
      } catch (err) {
        if (!run || !(await keyTakenSince(s.prisma, run))) throw err;
      }
    }
    // Live delivery first (events/writeAdmission.ts): held until what this write committed is delivered.
    const leave = await s.stream.writes.enter();
    try {
      return { ...(await transaction(s, work, run, step)), leave };
    } catch (err) {
      leave();
      throw err;
    }
  };
  const { result, written, committed, stored, leave } = await (options.turn ? s.turns.take(options.turn, decide) : decide());
  let delivered: Promise<void> = Promise.resolve();
  try {
    stored?.();
    s.metrics.eventsWritten.inc(written);
    delivered = (await publish(s, committed)).delivered;
    return result;
  } finally {
    void delivered.then(leave);
  }
}

/** The work in one transaction, with what it records for the publication after the commit. */
function transaction<T>(s: Services, work: (tx: Tx, w: UnitOfWork) => Promise<T>, run: IdempotentRun | undefined, step: { index: number } | undefined) {
  return s.prisma.$transaction(async (tx) => {
    if (run && step) await claimKey(tx, run, step.index, s.clock.now());
    const recorded = { events: 0, notified: new Set<string>(), drafts: new Set<string | null>(), members: new Set<string>(), stock: new Set<string>() };
    const w: UnitOfWork = {
      tx,
      s,
      async event(e) {
        const appended = await appendEvent(tx, e);
        recorded.events++;
        return appended;
      },
      notified(ids) {
        for (const id of ids) recorded.notified.add(id);
      },
      draftsChanged(communityId) {
        recorded.drafts.add(communityId);
      },
      membersChanged(communityId) {
        recorded.members.add(communityId);
      },
      stockChanged(collectionPointId) {
        recorded.stock.add(collectionPointId);
      },
    };
    const result = await work(tx, w);
    const stored = run && (await storeResult(tx, run, result));
    return {
      result,
      stored,
      written: recorded.events,
      committed: { events: recorded.events > 0, notified: [...recorded.notified], drafts: [...recorded.drafts], members: [...recorded.members], stock: [...recorded.stock] },
    };
  });
}

/**
 * After the commit: wake the notification feeds, the draft lists, the applications lists and the
 * stock views, and the event streams once the new events have their place in the stream
 * (events/outbox.ts): when the unit of work returns, its events have cursors.
 */
export async function publish(s: Pick<Services, 'stream' | 'bus'>, c: Committed): Promise<{ delivered: Promise<void> }> {
  if (c.notified.length) s.bus.pubsub.publish('notifications:changed', { userIds: c.notified });
  for (const communityId of c.drafts) s.bus.pubsub.publish('intakeDrafts:changed', { communityId });
  for (const communityId of c.members ?? []) s.bus.pubsub.publish('members:changed', { communityId });
  for (const collectionPointId of c.stock ?? []) s.bus.pubsub.publish('stock:changed', { collectionPointId });
  return c.events ? s.stream.announce() : { delivered: Promise.resolve() };
}
