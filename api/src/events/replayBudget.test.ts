import { describe, expect, it } from 'vitest';
import { MIN_SHARE, ReplayBudget, TARGET_UTILISATION, pauseAfter, shareLeft } from './replayBudget.ts';

const work = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('ReplayBudget', () => {
  // bench:replay-storm on a slower machine: twenty replays each went on for 50 events per turn of
  // the loop, a thousand events between two database replies of a mutation (p99 31 s).
  it('grants one slice per turn of the event loop, however many replays wait', async () => {
    const budget = new ReplayBudget(1_000_000);
    // The turn of the loop each grant lands in.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const grantedIn = await Promise.all(Array.from({ length: 5 }, () => budget.next(0, 0).then(() => turn)));
    ticking = false;
    expect(new Set(grantedIn).size).toBe(grantedIn.length);
  });

  // A CI run (reliability/churn): sixteen replays of the whole history were each granted a slice,
  // with a pause after each, before a view that had just resumed got its first event (> 10 s).
  it('grants a replay that has just started before replays that have had slices', async () => {
    const budget = new ReplayBudget(1_000_000);
    const granted: string[] = [];
    let running = true;
    // Eight long replays, each slice reported as 4 ms of work.
    const replays = Array.from({ length: 8 }, async (_, r) => {
      const replay = { served: 0, stopped: () => !running };
      while (running) {
        await budget.next(1, 4, replay);
        replay.served++;
        granted.push(`long ${r}`);
      }
    });
    await expect.poll(() => granted.length).toBeGreaterThan(24);
    const before = granted.length;
    await budget.next(0, 0, { served: 0, stopped: () => false });
    const ahead = granted.length - before;
    running = false;
    await Promise.all(replays);
    // At most the slice whose pause had begun when it asked.
    expect(ahead).toBeLessThanOrEqual(1);
  });

  it('lets a replay whose view has gone go at once, with no pause on its account', async () => {
    const budget = new ReplayBudget(1_000_000);
    await budget.next(0, 0);
    // Its last slice took long enough that its pause would be minutes; but its view has gone.
    const gone = budget.next(1, 1_000_000, { served: 1, stopped: () => true });
    const live = budget.next(1, 0, { served: 1, stopped: () => false });
    await Promise.all([gone, live]);
  });

  it('leaves replays what the rest of the process does not use', async () => {
    const budget = new ReplayBudget(1_000_000);
    let busy = true;
    let replaying = true;
    // A replay whose slices take 2 ms each (the share is sampled while replays run) …
    const replay = (async () => {
      let took = 0;
      while (replaying) {
        await budget.next(1, took);
        const start = performance.now();
        work(2);
        took = performance.now() - start;
      }
    })();
    // … while something else keeps the loop busy, then stops.
    const hog = setInterval(() => busy && work(45), 1);
    try {
      await expect.poll(() => budget.share, { timeout: 30_000, interval: 50 }).toBeLessThan(0.2);
      busy = false;
      await expect.poll(() => budget.share, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0.5);
    } finally {
      clearInterval(hog);
      replaying = false;
      await replay;
    }
  });

  it('takes the share from what the rest used, within a floor and the target', () => {
    expect(shareLeft(0)).toBe(TARGET_UTILISATION);
    expect(shareLeft(0.5)).toBeCloseTo(TARGET_UTILISATION - 0.5);
    expect(shareLeft(0.95)).toBe(MIN_SHARE);
  });

  it('pauses after a slice in proportion to what the share leaves to others', () => {
    expect(pauseAfter(10, 1)).toBe(0);
    expect(pauseAfter(10, 0.5)).toBe(10);
    expect(pauseAfter(10, 0.25)).toBe(30);
  });
});
