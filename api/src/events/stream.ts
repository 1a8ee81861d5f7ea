// The process's event stream: one reader of the NeedEvent outbox per process, fanning out
// to every local subscriber. A commit anywhere publishes a wake-up; a slow poll is the
// safety net when the bus is down. Subscribers that pass a cursor get the stored events
// after it, then the live ones, with no gap and no duplicate at the seam.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '../errors.ts';
import { retryWhileUnavailable, type RetryPolicy } from './retry.ts';
import { MAX_SLICE_EVENTS, ReplayBudget, SLICE_MS } from './replayBudget.ts';
import type { Need, NeedEvent, PrismaClient } from '../generated/prisma/client.ts';
import { matchesBoard, type BoardFilter } from '../domain/boardFilter.ts';
import type { Bus } from './pubsub.ts';
import { latestSeq, sequenced, type Sequenced, type Sequencer } from './outbox.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { WriteAdmission } from './writeAdmission.ts';

/** Where the stream reports what it does: counters and failures. */
export type StreamObservers = { metrics: Pick<Metrics, 'eventsDelivered' | 'eventsReplayed' | 'eventReadFailures' | 'slowConsumerCloses'>; log: Pick<Logger, 'warn'> };

export type StreamEvent = Sequenced<NeedEvent> & { need: Need };

export type EventFilter = BoardFilter;

const PAGE = 500;
/**
 * The longest a live delivery round runs before it lets the process answer its I/O (a write's
 * next database reply, a request); at 10,000 sockets one event's fan-out takes ~100 ms.
 */
export const LIVE_SLICE_MS = 10;
/** A subscriber this far behind is dropped; it resumes from its cursor. */
export const MAX_BUFFERED_EVENTS = 10_000;

export function matchesFilter(e: StreamEvent, f: EventFilter): boolean {
  // The need as this event left it: its status then; the rest of the need as it is now.
  const n = e.need;
  return matchesBoard(
    { id: e.needId, communityId: e.communityId, status: e.toStatus, category: n.category, urgency: n.urgency, publicLat: n.publicLat, publicLng: n.publicLng, title: n.title, description: n.description, onBoard: n.onBoard },
    f,
  );
}

type Listener = (batch: StreamEvent[]) => void;

/**
 * A subscriber's events. `direct(deliver)` asks for its live events to be handed to `deliver`
 * as they arrive, in order, instead of through the iterator: once the iterator has caught up
 * (replay done, nothing queued) and waits. Used by shared executions (events/sharedExecution.ts),
 * which send one frame per subscriber without a promise chain per subscriber and event.
 */
export type SubscriberEvents = AsyncIterableIterator<StreamEvent> & { direct(deliver: (events: StreamEvent[]) => void): void };

export type StreamOptions = {
  prisma: PrismaClient;
  /** Gives committed events their seq (events/outbox.ts); the stream stamps before it reads. */
  sequencer: Sequencer;
  bus: Bus;
  /** The safety-net poll, for when a wake-up is lost (EVENT_POLL_MS). */
  pollMs?: number;
  observers?: StreamObservers;
  /** How a subscriber's replay waits out the database being away. */
  retry?: RetryPolicy;
  /** How many events back a cursor may resume (REPLAY_WINDOW_EVENTS). */
  replayWindowEvents?: number;
  /** Events per second all replays of this process share (REPLAY_EVENTS_PER_SECOND). */
  replayEventsPerSecond?: number;
};

export class EventStream {
  #head = 0n;
  #listeners = new Set<Listener>();
  /** Each subscriber's queue of events not yet taken (for the buffered-events gauge). */
  #queues = new Set<StreamEvent[]>();
  #pulling: Promise<void> | null = null;
  #again = false;
  #stampAgain = false;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #started = false;
  readonly #prisma: PrismaClient;
  readonly #sequencer: Sequencer;
  readonly #bus: Bus;
  /** Names this stream's wake-ups on the bus, which it does not answer itself (announce has pulled). */
  readonly #origin = randomUUID();
  readonly #pollMs: number;
  readonly #observers: StreamObservers | undefined;
  /** How a subscriber's replay waits out the database being away. */
  readonly retry: RetryPolicy;
  /** How many events back a cursor may resume (REPLAY_WINDOW_EVENTS). */
  readonly replayWindow: number;
  readonly #replayBudget: ReplayBudget;
  /**
   * Where a subscription without a cursor starts when its subscribe had to wait for the
   * database (graphql/subscribeRetry.ts): the head when the client asked, not when the database
   * came back, so the events committed in between are not lost to it.
   */
  readonly liveSince = new AsyncLocalStorage<bigint>();
  /** When writes may begin: one at a time while the fan-out is slow (events/writeAdmission.ts). */
  readonly writes = new WriteAdmission({ slowRoundMs: LIVE_SLICE_MS });
  /** Announced commits waiting for the delivery round that reads their events. */
  #awaitingRound: (() => void)[] = [];

  constructor(o: StreamOptions) {
    this.replayWindow = o.replayWindowEvents ?? 100_000;
    this.#replayBudget = new ReplayBudget(o.replayEventsPerSecond ?? 5_000);
    this.#prisma = o.prisma;
    this.#sequencer = o.sequencer;
    this.#bus = o.bus;
    this.#pollMs = o.pollMs ?? 1_000;
    this.#observers = o.observers;
    this.retry = o.retry ?? { giveUpAfterMs: 0 };
  }

  /** Replays waiting for their share of the replay budget. */
  get replaysWaiting(): number {
    return this.#replayBudget.waiting;
  }

  /** The share of the event loop replays may take now. */
  get replayShare(): number {
    return this.#replayBudget.share;
  }

  get head(): bigint {
    return this.#head;
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }

  /** Events read but not yet taken by their subscribers, all subscribers together. */
  get bufferedEvents(): number {
    let n = 0;
    for (const q of this.#queues) n += q.length;
    return n;
  }

  async start(): Promise<void> {
    this.#started = true;
    // Events written without a unit of work (a seed, a restore) are numbered before the head is read.
    await this.#sequencer.stamp();
    this.#head = (await latestSeq(this.#prisma)) ?? 0n;
    const iterator = this.#bus.pubsub.subscribe('events:committed')[Symbol.asyncIterator]();
    // Back on Redis after an outage: what other processes committed meanwhile woke nobody here.
    const offResubscribed = this.#bus.onResubscribed(() => void this.pull());
    this.#unsubscribe = () => {
      offResubscribed();
      void iterator.return?.();
    };
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (next.value.from !== this.#origin) this.pull();
      }
    })();
    this.#timer = setInterval(() => this.pull(), this.#pollMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#started = false;
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    this.#listeners.clear();
  }

  /**
   * Called after a commit in this process: stamps its events (resolving once they have their seq,
   * so whoever committed them can see their cursors), reads them when reading, and wakes the other
   * processes. A stamp that fails (the database went away just after the commit) is left to the
   * next wake-up or poll of any process.
   */
  async announce(): Promise<{ delivered: Promise<void> }> {
    const stamped = await this.#sequencer.stamp().then(
      () => true,
      (err: Error) => {
        this.#observers?.log.warn({ cause: err.message }, 'event stream: numbering committed events failed; the next wake-up or poll tries again');
        return false;
      },
    );
    let delivered = Promise.resolve();
    if (this.#started) {
      delivered = new Promise((resolve) => this.#awaitingRound.push(resolve));
      void this.pull(!stamped);
    }
    this.#bus.pubsub.publish('events:committed', { seq: null, from: this.#origin });
    return { delivered };
  }

  /**
   * Reads every committed event past the head and hands it to the listeners, after numbering
   * what was committed unnumbered (`stamp`: any process's commit, a wake-up or the poll).
   * Single-flight.
   */
  pull(stamp = true): Promise<void> {
    if (this.#pulling) {
      this.#again = true;
      this.#stampAgain ||= stamp;
      return this.#pulling;
    }
    this.#pulling = (async () => {
      try {
        let stampNow = stamp;
        do {
          this.#again = false;
          const stampThisTime = stampNow || this.#stampAgain;
          this.#stampAgain = false;
          stampNow = false;
          // Commits announced from here on may not be read by this round: they wait for the next.
          const covered = this.#awaitingRound;
          this.#awaitingRound = [];
          try {
            if (stampThisTime) await this.#sequencer.stamp();
            for (;;) {
              const batch: StreamEvent[] = sequenced(
                await this.#prisma.needEvent.findMany({ where: { seq: { gt: this.#head } }, orderBy: { seq: 'asc' }, take: PAGE, include: { need: true } }),
              );
              if (batch.length === 0) break;
              this.#head = batch[batch.length - 1]!.seq;
              this.#observers?.metrics.eventsDelivered.inc(batch.length);
              await this.#deliver(batch);
              if (batch.length < PAGE) break;
            }
          } finally {
            for (const done of covered) done();
          }
        } while (this.#again);
      } catch (err) {
        // The database may be briefly away; the next wake-up or poll tries again.
        this.#observers?.metrics.eventReadFailures.inc();
        this.#observers?.log.warn({ cause: (err as Error).message }, 'event stream: reading the outbox failed; the next wake-up or poll tries again');
      } finally {
        this.#pulling = null;
        // After a failed round: its commits do not hold writes back (the next wake-up or poll delivers them).
        for (const done of this.#awaitingRound.splice(0)) done();
      }
    })();
    return this.#pulling;
  }

  /**
   * Hands `batch` to every listener. When that takes longer than LIVE_SLICE_MS (thousands of
   * sockets), it goes on in slices with the process's I/O between them, so a write's next
   * database reply does not wait for the whole fan-out; the listeners are the ones registered
   * when the round began (one registered later starts after this batch: events/stream.ts
   * subscribe), each called once.
   */
  async #deliver(batch: StreamEvent[]): Promise<void> {
    const listeners = [...this.#listeners];
    let busyMs = 0;
    let sliceStart = performance.now();
    for (let i = 0; i < listeners.length; i++) {
      listeners[i]!(batch);
      if ((i & 63) === 63 && performance.now() - sliceStart >= LIVE_SLICE_MS) {
        busyMs += performance.now() - sliceStart;
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    this.writes.delivered(busyMs + performance.now() - sliceStart);
  }

  /**
   * Refuses a cursor no stored event has reached: after a restore from an older backup every
   * open view holds one, and replaying from it would deliver nothing until the sequence caught
   * up, while the view looked live. The newest stored event decides, not this process's head,
   * which may lag another process's writes. And refuses one further back than the replay window
   * (CURSOR_EXPIRED): a view away that long loads itself again rather than replay it all.
   */
  async assertCursorReplayable(after: bigint): Promise<void> {
    const newest = await latestSeq(this.#prisma);
    const latest = newest ?? 0n;
    if (after > latest) {
      throw new AppError(ErrorCode.CURSOR_AHEAD, 'This cursor is newer than any stored event: load the view again.', {
        cursor: after.toString(),
        latest: newest === null ? null : latest.toString(),
      });
    }
    if (latest - after > BigInt(this.replayWindow)) {
      throw new AppError(ErrorCode.CURSOR_EXPIRED, `This cursor is more than ${this.replayWindow} events old: load the view again.`, {
        cursor: after.toString(),
        latest: latest.toString(),
        windowEvents: this.replayWindow,
      });
    }
  }

  /**
   * Events matching `filter`: first those stored after `after` (when given), then live ones.
   * The listener is registered and the head captured in one synchronous step, so the
   * replay covers (after, head] and the live feed starts at head + 1.
   */
  subscribe(filter: EventFilter, cursor: bigint | null): SubscriberEvents {
    const since = cursor === null ? this.liveSince.getStore() : undefined;
    const after = since !== undefined && since < this.#head ? since : cursor;
    const queue: StreamEvent[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    let failure: Error | null = null;
    const stream = this;
    let lastDelivered = after ?? this.#head;
    const replayUpTo = this.#head;
    let deliver: ((events: StreamEvent[]) => void) | null = null;
    /** The iterator has caught up and waits: with `deliver`, live events go straight to it. */
    let waiting = false;

    const listener: Listener = (batch) => {
      // A round hands a batch to the listeners it began with; this one may have gone since.
      if (closed || failure) return;
      if (deliver && waiting && queue.length === 0) {
        let matched: StreamEvent[] | null = null;
        for (const e of batch) {
          if (e.seq <= lastDelivered || !matchesFilter(e, filter)) continue;
          (matched ??= []).push(e);
          lastDelivered = e.seq;
        }
        if (matched) deliver(matched);
        return;
      }
      for (const e of batch) if (matchesFilter(e, filter)) queue.push(e);
      if (queue.length > MAX_BUFFERED_EVENTS) {
        failure = new AppError(ErrorCode.SUBSCRIBER_TOO_SLOW, 'This subscription fell too far behind; resume from your last cursor.', {
          cursor: lastDelivered.toString(),
        });
        queue.length = 0;
        stream.#listeners.delete(listener);
        stream.#observers?.metrics.slowConsumerCloses.inc({ reason: 'queue' });
      }
      wake?.();
    };
    this.#listeners.add(listener);
    this.#queues.add(queue);

    const finish = () => {
      closed = true;
      deliver = null;
      stream.#listeners.delete(listener);
      stream.#queues.delete(queue);
      wake?.();
    };

    async function* run(): AsyncGenerator<StreamEvent> {
      try {
        if (after !== null && after < replayUpTo) {
          let from = after;
          // Slices of this replay, each granted by the process's replay budget (replayBudget.ts).
          let sliceStart = -Infinity;
          let sliceEvents = 0;
          const slices = { served: 0, stopped: () => closed };
          replay: while (!closed) {
            // A page that cannot be read while the database is away is read again (retry.ts):
            // the live events meanwhile wait in the queue, so nothing is lost at the seam.
            const page = (await retryWhileUnavailable(
              () => stream.#prisma.needEvent.findMany({ where: { seq: { gt: from, lte: replayUpTo } }, orderBy: { seq: 'asc' }, take: PAGE, include: { need: true } }),
              stream.retry,
              { stopped: () => closed },
            )) as StreamEvent[];
            for (const e of page) {
              if (matchesFilter(e, filter)) {
                if (sliceEvents >= MAX_SLICE_EVENTS || performance.now() - sliceStart >= SLICE_MS) {
                  await stream.#replayBudget.next(sliceEvents, sliceEvents ? performance.now() - sliceStart : 0, slices);
                  if (closed) break replay;
                  slices.served++;
                  sliceStart = performance.now();
                  sliceEvents = 0;
                }
                sliceEvents++;
                stream.#observers?.metrics.eventsReplayed.inc();
                yield e;
              }
              lastDelivered = e.seq;
            }
            if (page.length < PAGE) break;
            from = page[page.length - 1]!.seq;
          }
          lastDelivered = replayUpTo;
        }
        while (!closed) {
          if (failure) throw failure;
          const next = queue.shift();
          if (next) {
            if (next.seq <= lastDelivered) continue;
            lastDelivered = next.seq;
            yield next;
            continue;
          }
          waiting = true;
          await new Promise<void>((resolve) => (wake = resolve));
          waiting = false;
          wake = null;
        }
      } finally {
        finish();
      }
    }
    // A generator parked on an await ignores return() until it resumes, which would leak the
    // listener of a subscriber that went away; this wrapper closes at once and wakes it.
    const inner = run();
    const done = { done: true as const, value: undefined };
    const iterator: SubscriberEvents = {
      direct: (to) => {
        deliver = to;
      },
      next: () => (closed ? Promise.resolve(done) : inner.next()),
      return: () => {
        finish();
        void inner.return(undefined);
        return Promise.resolve(done);
      },
      throw: (err) => {
        finish();
        void inner.return(undefined);
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}


/** Maps a subscription's events, passing return() straight through so nothing leaks. */
export function mapEvents<T>(source: AsyncIterableIterator<StreamEvent>, fn: (e: StreamEvent) => T): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: async () => {
      const r = await source.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: fn(r.value) };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * A view that is recomputed when matching events arrive: yields `compute()` at once, then
 * again after events, at most every `intervalMs` (bursts collapse into one refresh).
 * A read that fails because the database is away does not end the view (a dashboard would
 * silently stop updating): it is tried again (retry.ts), with growing jittered waits, until it
 * succeeds, the subscriber leaves or the policy gives up (SERVICE_UNAVAILABLE). Any other
 * failure ends it.
 */
export function refreshOn<T>(
  source: AsyncIterator<unknown>,
  compute: () => Promise<T>,
  intervalMs: number,
  retry: RetryPolicy,
  log?: Pick<Logger, 'warn'>,
): AsyncIterableIterator<T> {
  let dirty = true;
  let closed = false;
  let wake = null as (() => void) | null;
  let last = 0;
  /** Sleeps; a return() ends the sleep at once, and a new event makes the retry come sooner. */
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      wake = () => {
        clearTimeout(timer);
        r();
      };
    });
  void (async () => {
    for (;;) {
      const r = await source.next();
      if (r.done) return;
      dirty = true;
      wake?.();
    }
  })();
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (!closed && !dirty) await new Promise<void>((r) => (wake = r));
      if (closed) return { done: true, value: undefined };
      const wait = last + intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      dirty = false;
      try {
        const value = await retryWhileUnavailable(
          () => {
            last = Date.now();
            return compute();
          },
          retry,
          {
            sleep: pause,
            stopped: () => closed,
            // Once per outage and view: every open dashboard retries, the log need not say so each time.
            onRetry: (err, attempt) => attempt === 0 && log?.warn({ cause: (err as Error).message }, 'live view: refresh failed, retrying until the database is back'),
          },
        );
        return { done: false, value };
      } catch (err) {
        if (closed) return { done: true, value: undefined };
        throw err;
      }
    },
    async return() {
      closed = true;
      wake?.();
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
