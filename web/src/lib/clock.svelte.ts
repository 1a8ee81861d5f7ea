// The time now, for "3 minutes ago" and countdowns: it moves on every `everyMs` for as long as the
// component that made it is mounted. Make it while the component initialises.
export class Clock {
  now = $state(Date.now());

  constructor(everyMs: number) {
    $effect(() => {
      const timer = setInterval(() => (this.now = Date.now()), everyMs);
      return () => clearInterval(timer);
    });
  }
}
