import { describe, expect, it } from 'vitest';
import { jitteredWait, retryWhileUnavailable } from './retry.ts';
import { ErrorCode } from '../errors.ts';

const databaseAway = () => Object.assign(new Error('Invalid invocation'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) });
const noWait = async () => {};

describe('retryWhileUnavailable', () => {
  it('tries again while the database is away, and returns the first success', async () => {
    let calls = 0;
    const value = await retryWhileUnavailable(async () => (++calls < 4 ? Promise.reject(databaseAway()) : 'ok'), { giveUpAfterMs: 60_000 }, { sleep: noWait });
    expect(value).toBe('ok');
    expect(calls).toBe(4);
  });

  it('throws any other failure at once', async () => {
    let calls = 0;
    await expect(retryWhileUnavailable(async () => (calls++, Promise.reject(new TypeError('a bug'))), { giveUpAfterMs: 60_000 }, { sleep: noWait })).rejects.toThrow('a bug');
    expect(calls).toBe(1);
  });

  it('gives up with a typed SERVICE_UNAVAILABLE once the bound has gone by', async () => {
    const err = await retryWhileUnavailable(() => Promise.reject(databaseAway()), { giveUpAfterMs: 30 }, { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) }).catch((e) => e);
    expect(err.extensions).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true });
  });

  it('stops when the caller has left', async () => {
    let calls = 0;
    await expect(retryWhileUnavailable(() => (calls++, Promise.reject(databaseAway())), { giveUpAfterMs: 60_000 }, { sleep: noWait, stopped: () => true })).rejects.toThrow('Invalid invocation');
    expect(calls).toBe(1);
  });
});

describe('jitteredWait', () => {
  it('stays within 50–150 % of the base, the last base repeating', () => {
    for (let i = 0; i < 200; i++) {
      const w = jitteredWait([100, 1_000], 5);
      expect(w).toBeGreaterThanOrEqual(500);
      expect(w).toBeLessThanOrEqual(1_500);
    }
  });
});
