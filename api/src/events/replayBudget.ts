// Replays share one budget per process, so that many views resuming at once (after an outage,
// every dashboard with a cursor) cannot starve live delivery. Live events never wait for it.
// - Slices, one at a time: a replay goes on in slices of at most SLICE_MS of its events' work
//   (or MAX_SLICE_EVENTS), and waits for its turn before each. The process grants one slice per
//   turn of the event loop: twenty replays cannot pile a thousand events into one turn while a
//   mutation waits for its next database reply behind them.
// - A replay's first slice first, then the others in turn: a view that has just resumed gets its
//   first events at the next grant, not after a slice of every long replay already running (a CI
//   run: sixteen replays of the whole history ahead of it held its first event back for over ten
//   seconds). Only the first slice jumps the queue: fewest-slices-first let views that resume
//   again and again hold back the long replays (bench:replay-storm, 26 replays completed against
//   80). A replay whose view has gone is let go at once, without a pause on its account.
// - A share of the event loop that adapts to what everything else needs: every SAMPLE_MS, the
//   loop's busy time less the replays' own is what live traffic, requests and jobs took; replays
//   may take what is left below TARGET_UTILISATION (never less than MIN_SHARE, so they end). A
//   replay whose last slice took t ms is granted its next t × (1 − share) / share later. So
//   replays use what the process has spare, on a fast machine or a slow one.
// - A ceiling: REPLAY_EVENTS_PER_SECOND for all replays together (rate-limiter-flexible's queue),
//   paid for each slice's events before the same replay's next slice.
import { performance } from 'node:perf_hooks';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';

/** The longest a replay's slice runs before it waits for its next turn. */
export const SLICE_MS = 5;
/** The most events in one slice. */
export const MAX_SLICE_EVENTS = 50;
/** How busy replays and everything else together may keep the event loop. */
export const TARGET_UTILISATION = 0.8;
/** The least share of the loop replays get, however busy the process: they still end. */
export const MIN_SHARE = 1 / 64;
const SAMPLE_MS = 100;

/** The share of the event loop replays may take, when everything else took `others` (0…1) of it. */
export function shareLeft(others: number): number {
  return Math.min(1, Math.max(MIN_SHARE, TARGET_UTILISATION - others));
}

/** How long after a slice that took `busyMs` the next is granted, at `share`. */
export function pauseAfter(busyMs: number, share: number): number {
  return (busyMs * (1 - share)) / share;
}

interface Turn {
  go: () => void;
  busyMs: number;
  served: number;
  stopped: () => boolean;
}

export class ReplayBudget {
  readonly #ceiling: RateLimiterQueue;
  readonly #perSecond: number;
  /** Replays waiting for their next slice, first slices first, with what their last one took. */
  readonly #turns: Turn[] = [];
  #granting = false;
  #waiting = 0;
  #share = TARGET_UTILISATION;
  /** The replays' own busy time since the last sample (ms). */
  #replayMs = 0;
  #sampler: NodeJS.Timeout | undefined;
  #utilisation = performance.eventLoopUtilization();
  #lastTurn = 0;

  constructor(eventsPerSecond: number) {
    this.#perSecond = eventsPerSecond;
    this.#ceiling = new RateLimiterQueue(new RateLimiterMemory({ points: eventsPerSecond, duration: 1 }));
  }

  /** Replays waiting for their turn now (the replay queue's depth). */
  get waiting(): number {
    return this.#waiting;
  }

  /** The share of the event loop replays may take now. */
  get share(): number {
    return this.#share;
  }

  /**
   * Waits for a replay's next slice. `spent` and `busyMs` are what its last slice delivered and
   * took: the ceiling is paid for those events, and the next turn is granted in proportion.
   * `served` is how many slices this replay has had; `stopped` says that its view has gone.
   */
  async next(spent: number, busyMs: number, replay: { served: number; stopped: () => boolean } = { served: 0, stopped: () => false }): Promise<void> {
    this.#replayMs += busyMs;
    this.#waiting++;
    try {
      if (spent > 0) await this.#ceiling.removeTokens(Math.min(spent, this.#perSecond));
      await new Promise<void>((go) => {
        const turn: Turn = { go, busyMs, served: replay.served, stopped: replay.stopped };
        // A first slice goes ahead of every later one; later ones take their turns in order.
        const behind = turn.served === 0 ? this.#turns.findIndex((t) => t.served > 0) : -1;
        this.#turns.splice(behind === -1 ? this.#turns.length : behind, 0, turn);
        this.#grant();
      });
    } finally {
      this.#waiting--;
    }
  }

  #grant(): void {
    if (this.#granting) return;
    let turn = this.#turns.shift();
    // Gone views end their replay now; they take no slice and cost no pause.
    while (turn?.stopped()) {
      turn.go();
      turn = this.#turns.shift();
    }
    if (!turn) return;
    this.#granting = true;
    this.#sample();
    const go = () => {
      turn.go();
      // The slice runs in this turn of the loop; the next is granted once the loop has come round.
      setImmediate(() => {
        this.#granting = false;
        this.#lastTurn = performance.now();
        this.#grant();
      });
    };
    // After a pause in proportion to what this replay's last slice took.
    const pause = pauseAfter(turn.busyMs, this.#share);
    if (pause >= 1) setTimeout(go, pause);
    else go();
  }

  /** Keeps the share current while replays run; stops a second after the last. */
  #sample(): void {
    if (this.#sampler) return;
    this.#utilisation = performance.eventLoopUtilization();
    this.#sampler = setInterval(() => {
      const now = performance.eventLoopUtilization();
      const { active, idle } = performance.eventLoopUtilization(now, this.#utilisation);
      const others = Math.max(0, active - this.#replayMs) / Math.max(1, active + idle);
      this.#share = shareLeft(others);
      this.#utilisation = now;
      this.#replayMs = 0;
      if (!this.#granting && this.#turns.length === 0 && performance.now() - this.#lastTurn > 1_000) {
        clearInterval(this.#sampler);
        this.#sampler = undefined;
      }
    }, SAMPLE_MS).unref();
  }
}
