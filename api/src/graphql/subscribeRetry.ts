// Subscribing reads the database: the cursor checked (CURSOR_AHEAD), the scope of a dashboard,
// the need that must exist, the drafts a coordinator may see, … A subscribe that fails only
// because the database is away is done again (retry.ts) until it works or the policy gives up
// (then SERVICE_UNAVAILABLE): answered with one error, the subscription would complete, and
// graphql-ws clients never resubscribe to a completed one, so the live view would end for good.
// A subscription without a cursor that had to wait starts from the event stream's head at the
// first attempt (EventStream.liveSince): what was committed while it waited is not lost to it.
// Registered last, so that it wraps every way of subscribing (signed-in, shared, default).
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { retryWhileUnavailable, type RetryPolicy } from '../events/retry.ts';
import type { EventStream } from '../events/stream.ts';

/** The subscribe failed only because the database was away (every error says so): worth doing again. */
function failedForTheDatabase(result: unknown): boolean {
  const errors = (result as ExecutionResult | null)?.errors;
  return !!errors?.length && !(Symbol.asyncIterator in (result as object)) && errors.every((e) => isDatabaseUnavailable(e));
}

export async function subscribeWhileUnavailable(subscribe: () => unknown, retry: RetryPolicy, stream?: Pick<EventStream, 'head' | 'liveSince'>): Promise<unknown> {
  // A live subscription (no cursor) that waited starts where the stream was when it was asked for.
  const since = stream?.head;
  const attempt = () => (stream && since !== undefined ? stream.liveSince.run(since, subscribe) : subscribe());
  try {
    return await retryWhileUnavailable(async () => {
      const result = await attempt();
      if (failedForTheDatabase(result)) throw (result as ExecutionResult).errors![0];
      return result;
    }, retry);
  } catch (err) {
    if (err instanceof AppError) return { errors: [err] };
    throw err;
  }
}

/** Envelop plugin: every subscribe waits out a database that is away. */
export function useSubscribeRetry(): Plugin {
  return {
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      const inner = subscribeFn;
      setSubscribeFn(((a: ExecutionArgs) => {
        const { stream } = (a.contextValue as Context).services;
        return subscribeWhileUnavailable(() => inner(a), stream.retry, stream);
      }) as typeof subscribeFn);
    },
  };
}
