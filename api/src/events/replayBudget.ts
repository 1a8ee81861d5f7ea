// Replays share one budget per process, so that many views resuming at once (after an outage,
// every dashboard with a cursor) cannot starve live delivery: each page of a replay waits for
// its events' worth of tokens, first come first served (rate-limiter-flexible's queue), and live
// events never wait for it. Between pages and every few events a replay yields to the event loop,
// so live deliveries and requests go between its events.
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';

export class ReplayBudget {
  readonly #queue: RateLimiterQueue;
  readonly #perSecond: number;
  #waiting = 0;

  constructor(eventsPerSecond: number) {
    this.#perSecond = eventsPerSecond;
    this.#queue = new RateLimiterQueue(new RateLimiterMemory({ points: eventsPerSecond, duration: 1 }));
  }

  /** Replays waiting for their turn now (the replay queue's depth). */
  get waiting(): number {
    return this.#waiting;
  }

  /** How many events a replay reads at a time: `largest`, or a second's worth when that is less. */
  pageSize(largest: number): number {
    return Math.min(largest, this.#perSecond);
  }

  /** Waits until `events` (at most a page) more events may be replayed. */
  async take(events: number): Promise<void> {
    this.#waiting++;
    try {
      await this.#queue.removeTokens(Math.max(1, Math.min(events, this.#perSecond)));
    } finally {
      this.#waiting--;
    }
  }
}

/** Lets whatever else is ready run (live deliveries, requests) before going on. */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
