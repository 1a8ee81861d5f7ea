// Every mutation the web app sends carries an idempotency key (the API's Idempotency-Key
// header): a retry of a mutation whose answer was lost — a dropped connection, a restarted
// server — gets the first result instead of running again (or failing as ILLEGAL_TRANSITION).
// A caller that retries by itself (the offline queue) passes its own stable key in the
// operation's context; anything else gets a fresh one per mutation.
import { makeOperation, mapExchange, type Operation, type OperationContext } from '@urql/core';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The context to pass to `client.mutation(…, …, context)` to send this key. */
export const withIdempotencyKey = (idempotencyKey: string): Partial<OperationContext> => ({ idempotencyKey });

function headersOf(init: RequestInit): Record<string, string> {
  return Object.fromEntries(new Headers(init.headers).entries());
}

function keyed(operation: Operation): Operation {
  const key = typeof operation.context.idempotencyKey === 'string' ? operation.context.idempotencyKey : crypto.randomUUID();
  const base = operation.context.fetchOptions;
  const init: RequestInit = (typeof base === 'function' ? base() : base) ?? {};
  return makeOperation(operation.kind, operation, {
    ...operation.context,
    idempotencyKey: key,
    fetchOptions: { ...init, headers: { ...headersOf(init), [IDEMPOTENCY_HEADER]: key } },
  });
}

export const idempotencyExchange = mapExchange({
  onOperation: (operation) => (operation.kind === 'mutation' ? keyed(operation) : operation),
});
