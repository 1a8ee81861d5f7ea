// Waiting out a database that is briefly away, for the live views. A read that fails because
// PostgreSQL is restarting (or a backend was cut) must not end a subscription: graphql-ws
// clients never resubscribe to a completed one, so a view opened or running during a blip
// would stay silent for good. Every live read goes through `retryWhileUnavailable`: the
// subscribe itself (liveAccess.ts), the replay after a cursor (stream.ts), the re-read of a
// view (refreshOn), the session read again per subscribe and per event. Waits grow, with
// jitter so that every open view of every process does not come back in the same instant,
// and the total is bounded (LIVE_RETRY_MAX_SECONDS): then the typed SERVICE_UNAVAILABLE.
import { AppError, ErrorCode } from '../errors.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';

/** Base waits between attempts (the last one repeats); each is jittered to 50–150 %. */
export const RETRY_WAITS_MS = [250, 1_000, 2_000, 5_000] as const;

export type RetryPolicy = {
  /** Give up (SERVICE_UNAVAILABLE) once this long has gone by since the first failure. */
  giveUpAfterMs: number;
  waitsMs?: readonly number[];
};

export type RetryHooks = {
  /** The wait between attempts; a caller may end it early (its subscriber left, or an event arrived). */
  sleep?: (ms: number) => Promise<void>;
  /** Checked after each wait: true ends the retries with the last failure (the subscriber left). */
  stopped?: () => boolean;
  /** Called before each wait, with the failure and the attempt (0 for the first). */
  onRetry?: (err: unknown, attempt: number) => void;
};

export const unavailableAfterRetries = (waitedMs: number) =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is unavailable; the live view gave up waiting for it. Subscribe again later.', {
    retryable: true,
    waitedSeconds: Math.round(waitedMs / 1000),
  });

export function jitteredWait(waitsMs: readonly number[], attempt: number): number {
  const base = waitsMs[Math.min(attempt, waitsMs.length - 1)] ?? 1_000;
  return Math.round(base * (0.5 + Math.random()));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `read()`, tried again while it fails with the database away; any other failure is thrown at once. */
export async function retryWhileUnavailable<T>(read: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  let firstFailure = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const now = Date.now();
      if (attempt === 0) firstFailure = now;
      if (now - firstFailure >= policy.giveUpAfterMs) throw unavailableAfterRetries(now - firstFailure);
      hooks.onRetry?.(err, attempt);
      await (hooks.sleep ?? sleep)(jitteredWait(policy.waitsMs ?? RETRY_WAITS_MS, attempt));
      if (hooks.stopped?.()) throw err;
    }
  }
}
