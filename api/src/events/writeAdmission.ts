// Live delivery first, for writes. When fanning out an event costs this process more than one
// slice of the event loop (thousands of open boards: events/stream.ts then delivers in slices,
// with the process's I/O between them), writes begin one at a time, each once what the one
// before it committed has been delivered. Without this, a burst of writes commits far ahead of
// the fan-out, and every write's event waits behind the fan-out of all the others
// (bench:fanout at 10,000 subscribers: burst p99 840–1,260 ms against the raw ws floor's
// 150–180 ms, whose writes wait for their own fan-out by construction). While the fan-out is
// cheap, writes are admitted at once, as many as come.
//
// The fan-out counts as slow while its rounds take LIVE_SLICE_MS or more on average (a moving
// average: a round that happens to reach few subscribers must not let every waiting write in
// at once). A round's cost is all the fan-out work it caused: the listeners' calls, and the
// frames sent once a group's shared execution settled (events/sharedExecution.ts), which come
// between the round's slices or after it (`spent`). Counting only the calls, a round at 10,000
// subscribers measured 5–20 ms where it cost 20–40, so the gate opened and closed with the
// machine's speed (bench:fanout burst p99 303 ms in one round, 827 ms in the next).
//
// A write waits at most `maxWaitMs`: the gate trades write latency for delivery latency, and
// holds a write back no longer than that however far behind the fan-out is (then it goes, and
// the fan-out falls behind as it would without the gate).
export const DEFAULT_MAX_WAIT_MS = 2_000;
/** The weight of the newest round in the moving average of round durations. */
const WEIGHT = 0.2;

export type WriteAdmissionOptions = { maxWaitMs?: number; slowRoundMs: number };

export class WriteAdmission {
  /** Moving average of how long delivery rounds take (ms). */
  #roundMs = 0;
  /** Fan-out work done since the last round was counted, outside it (`spent`). */
  #spentMs = 0;
  /** Writes admitted whose events are not delivered yet (or that are still running). */
  #holders = 0;
  readonly #queue: (() => void)[] = [];
  readonly #maxWaitMs: number;
  readonly #slowRoundMs: number;

  constructor(o: WriteAdmissionOptions) {
    this.#maxWaitMs = o.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.#slowRoundMs = o.slowRoundMs;
  }

  /** Writes waiting for their turn. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Whether writes go one at a time now. */
  get serialised(): boolean {
    return this.#roundMs >= this.#slowRoundMs;
  }

  /** A delivery round (events/stream.ts) took `ms`, besides what was `spent` since the last one. */
  delivered(ms: number): void {
    const cost = ms + this.#spentMs;
    this.#spentMs = 0;
    this.#roundMs += WEIGHT * (cost - this.#roundMs);
    this.#admit();
  }

  /** Fan-out work outside a round (frames of a settled shared execution): counted with the next round. */
  spent(ms: number): void {
    this.#spentMs += ms;
  }

  /**
   * Resolves when a write may begin, with the function to call once what it committed has been
   * delivered (or it failed, or committed nothing); calling it more than once counts once.
   */
  enter(): Promise<() => void> | (() => void) {
    if (this.#queue.length === 0 && this.#room()) {
      this.#holders++;
      return this.#release();
    }
    return new Promise((resolve) => {
      const go = () => {
        clearTimeout(timer);
        resolve(this.#release());
      };
      // Waited long enough: goes past the gate (and out of the queue) whatever the fan-out.
      const timer = setTimeout(() => {
        this.#queue.splice(this.#queue.indexOf(go), 1);
        this.#holders++;
        go();
      }, this.#maxWaitMs);
      timer.unref?.();
      this.#queue.push(go);
    });
  }

  #room(): boolean {
    return this.#holders === 0 || !this.serialised;
  }

  #release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holders--;
      this.#admit();
    };
  }

  #admit(): void {
    while (this.#queue.length > 0 && this.#room()) {
      this.#holders++;
      this.#queue.shift()!();
    }
  }
}
