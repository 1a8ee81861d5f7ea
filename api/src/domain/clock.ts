// One clock per app for every time-based rule (claim expiry, staleness, reminders), so a
// test can move it without touching another app in the same process.
export class Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  /** Tests only: move the clock forward (or back). */
  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  /** Seeding and tests: make now() read as `date`. */
  set(date: Date): void {
    this.#offsetMs = date.getTime() - Date.now();
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
