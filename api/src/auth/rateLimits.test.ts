import { describe, expect, it } from 'vitest';
import { signInDelaySeconds } from './rateLimits.ts';

describe('signInDelaySeconds', () => {
  const policy = { signInFailuresPerPair: 10, signInDelaySeconds: 5, signInMaxDelaySeconds: 900 };

  it('waits nothing below the threshold, then doubles up to the cap', () => {
    expect([0, 1, 9].map((f) => signInDelaySeconds(policy, f))).toEqual([0, 0, 0]);
    expect([10, 11, 12, 13].map((f) => signInDelaySeconds(policy, f))).toEqual([5, 10, 20, 40]);
    expect(signInDelaySeconds(policy, 17)).toBe(640);
    expect(signInDelaySeconds(policy, 18)).toBe(900);
    expect(signInDelaySeconds(policy, 10_000)).toBe(900);
  });
});
