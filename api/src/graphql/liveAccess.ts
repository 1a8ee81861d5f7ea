// Access that ends mid-subscription. A subscription's context lives as long as it does, so what
// the viewer may see is decided again for every event: a signed-in subscription executes each
// event with a context of its own (Context.forEvent), the session or API key read again (a
// sign-out, a revoked key or an expiry closes the WebSocket with 4403 before anything is
// executed; a removed role counts
// from the next event) and the viewer's claims loaded anew (a released claim's private
// details come back FORBIDDEN, the rest of the event delivered). One query per event per
// signed-in subscriber, plus the claims when a field asks for them; anonymous ones cost nothing.
import {
  createSourceEventStream,
  executeSubscriptionEvent,
  mapSourceToResponseEvent,
  validateSubscriptionArgs,
  type ExecutionArgs,
  type ExecutionResult,
  type ValidatedSubscriptionArgs,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { retryWhileUnavailable, type RetryPolicy } from '../events/retry.ts';

const sessionEnded = () => ({ errors: [new AppError(ErrorCode.UNAUTHENTICATED, 'Your session has ended; sign in again.')] });

/**
 * Executes each event with the context `forEvent` makes for it, or delivers no data once the
 * session has ended. The event itself is already read: a database blip while the session is read
 * again must not cost the subscriber that event (it would miss it for good), so the read is
 * retried as every live read is (retry.ts); only when that gives up does the event become
 * SERVICE_UNAVAILABLE.
 */
function perEvent(forEvent: NonNullable<Context['forEvent']>, retry: RetryPolicy) {
  return async (args: ValidatedSubscriptionArgs): Promise<ExecutionResult> => {
    let ctx: Context | null;
    try {
      ctx = await retryWhileUnavailable(forEvent, retry);
    } catch (err) {
      if (err instanceof AppError && err.extensions.code === ErrorCode.SERVICE_UNAVAILABLE) return { errors: [err] };
      throw err;
    }
    return ctx ? executeSubscriptionEvent({ ...args, contextValue: ctx }) : sessionEnded();
  };
}

/** Envelop plugin: takes over signed-in subscriptions so that each event is executed with fresh access. */
export function useLiveAccess(): Plugin {
  return {
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      const original = subscribeFn;
      const withAccess = (a: ExecutionArgs, retry: RetryPolicy) => {
        const forEvent = (a.contextValue as Context | undefined)?.forEvent;
        const validated = forEvent ? validateSubscriptionArgs(a) : null;
        // Anonymous, or anything unusual (invalid variables, …): the default path and its exact errors.
        if (!forEvent || !validated || !('schema' in validated)) return original(a);
        const stream = createSourceEventStream(validated);
        const map = (s: Awaited<typeof stream>) =>
          Symbol.asyncIterator in (s as object) ? mapSourceToResponseEvent(validated, s as AsyncIterable<unknown>, perEvent(forEvent, retry)) : (s as ExecutionResult);
        return stream instanceof Promise ? stream.then(map) : map(stream);
      };
      setSubscribeFn(((a: ExecutionArgs) => withAccess(a, (a.contextValue as Context).services.stream.retry)) as typeof subscribeFn);
    },
  };
}
