// One clock for every time-based rule (claim expiry, staleness), so tests can move it.
let offsetMs = 0;

export const clock = {
  now: (): Date => new Date(Date.now() + offsetMs),
  /** Tests only: move the clock forward (or back). */
  advance(ms: number) {
    offsetMs += ms;
  },
  /** Seeding and tests: make now() read as `date`. */
  set(date: Date) {
    offsetMs = date.getTime() - Date.now();
  },
  reset() {
    offsetMs = 0;
  },
};
