// Units of work on one thing, in this process, one after another: a burst of claims on one need
// (ten volunteers answering the same call) is taken in turns here, not in the database. Each
// claim that waits its turn here holds no connection and no lock; when its turn comes, its early
// check reads the row the claim before it committed, and a need whose places went is refused
// without a transaction. Across processes the need's row lock still decides (domain/locks.ts):
// turns only spare the database the waits it would otherwise queue, never decide anything.
import AsyncLock from 'async-lock';

export type Turns = {
  /** Runs `work` once every earlier `take` of the same key in this process has settled. */
  take<T>(key: string, work: () => Promise<T>): Promise<T>;
};

export function createTurns(): Turns {
  // No bound on how many wait (async-lock refuses the 1,001st by default): a burst on one need
  // waits here as it would have on the row's lock.
  const lock = new AsyncLock({ maxPending: Infinity });
  return { take: (key, work) => lock.acquire(key, work) };
}
