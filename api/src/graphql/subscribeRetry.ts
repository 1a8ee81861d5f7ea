// Subscribing reads the database: the cursor checked (CURSOR_AHEAD), the scope of a dashboard,
// the need that must exist, the drafts a coordinator may see, … A subscribe that fails only
// because the database is away is done again (retry.ts) until it works or the policy gives up
// (then SERVICE_UNAVAILABLE): answered with one error, the subscription would complete, and
// graphql-ws clients never resubscribe to a completed one, so the live view would end for good.
// Registered last, so that it wraps every way of subscribing (signed-in, shared, default).
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { retryWhileUnavailable, type RetryPolicy } from '../events/retry.ts';

/** The subscribe failed only because the database was away (every error says so): worth doing again. */
function failedForTheDatabase(result: unknown): boolean {
  const errors = (result as ExecutionResult | null)?.errors;
  return !!errors?.length && !(Symbol.asyncIterator in (result as object)) && errors.every((e) => isDatabaseUnavailable(e));
}

export async function subscribeWhileUnavailable(subscribe: () => unknown, retry: RetryPolicy): Promise<unknown> {
  try {
    return await retryWhileUnavailable(async () => {
      const result = await subscribe();
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
      setSubscribeFn(((a: ExecutionArgs) => subscribeWhileUnavailable(() => inner(a), (a.contextValue as Context).services.stream.retry)) as typeof subscribeFn);
    },
  };
}
