// What a client is told when something fails: expected errors keep their code, bad input is
// typed as such, the database away for a moment says SERVICE_UNAVAILABLE, and anything else
// is masked as "Unexpected error." (the operator's log gets the cause).
import { maskError, type Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { PothosSchemaError, PothosValidationError } from '@pothos/core';
import { AppError, ErrorCode } from '../errors.ts';
import { isDatabaseUnavailable, isUnstorableText } from '../db/errors.ts';
import type { Logger } from '../observability/logger.ts';

export const serviceUnavailable = () =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is briefly unavailable. Please try again in a moment.', { retryable: true });

/**
 * yoga's `maskedErrors.maskError`. A failure the operation log has not reported already
 * (observability/operations.ts reports those of operations it saw) is logged here: an
 * unexpected one at error with its stack, the database away at warn without one.
 */
export function errorMasker(log: Pick<Logger, 'warn' | 'error'>, reported: WeakSet<object>) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const masked = maskedError(error, message, isDev);
    const original = originalOf(error);
    if (typeof original === 'object' && original && !reported.has(original)) {
      const outcome = outcomeOf(masked);
      if (outcome === 'unexpected') log.error({ err: original }, 'graphql: unexpected error');
      else if (outcome === ErrorCode.SERVICE_UNAVAILABLE) log.warn({ outcome, cause: (original as Error).message }, 'graphql: the database is unavailable');
    }
    return masked;
  };
}

/** The error a GraphQL error wraps (what a resolver threw), or the error itself. */
export const originalOf = (error: unknown): unknown => (error as { originalError?: unknown }).originalError ?? error;

/** What a masked error says happened: its code, or `unexpected` for a masked bug. */
export function outcomeOf(masked: Error): string {
  const ext = (masked as GraphQLError).extensions ?? {};
  if (ext.unexpected) return 'unexpected';
  return typeof ext.code === 'string' ? ext.code : 'UNCODED';
}

/** The error as the client sees it (no logging): typed when expected, masked when not. */
export function maskedError(error: unknown, message = 'Unexpected error.', isDev = false): Error {
  const original = originalOf(error);
  // A GraphQLError built by another copy of graphql (graphql-armor's CommonJS build):
  // an expected, typed error, re-created so that yoga does not mask it.
  if (isForeignGraphQLError(original)) return asOwnGraphQLError(original);
  // An id that is not a UUID reached the database (e.g. through node(id)): bad input.
  if (original instanceof Error && /invalid input syntax for type uuid|Error creating UUID/i.test(original.message)) {
    return new AppError(ErrorCode.BAD_USER_INPUT, 'Malformed id.');
  }
  // A row that is not there (node(id) of a deleted or never-existing need, user, claim…).
  if ((original as { code?: unknown }).code === 'P2025') return new AppError(ErrorCode.NOT_FOUND, 'Not found.');
  if (isUnstorableText(original)) return new AppError(ErrorCode.BAD_USER_INPUT, 'Text may not contain NUL characters.');
  // The database away for a moment is not a bug: say so, typed, and nothing more.
  if (isDatabaseUnavailable(original)) return serviceUnavailable();
  return withBadInputCode(maskError(error, message, isDev), original);
}

/**
 * Bad input that graphql-js (variables of the wrong type) and Pothos (global ids that are
 * malformed or of another type) report as plain GraphQLErrors: typed like the rest.
 */
function withBadInputCode(error: Error, original: unknown): Error {
  // A global id naming a type that is not a node (`__Type:…`): Pothos reports a schema error.
  if (original instanceof PothosSchemaError && / has not been implemented$/.test(original.message)) {
    return new AppError(ErrorCode.BAD_USER_INPUT, 'Malformed id.');
  }
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return error;
  if (!(original instanceof PothosValidationError) && !/^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
  });
}

/**
 * graphql-armor throws its own GraphQLError with no code (it aborts validation, rather than
 * reporting, so that a huge document costs nothing more); it is handed to us just before the
 * throw, and given the code every other refused document carries.
 */
export function typedRejection(_context: unknown, error: GraphQLError): void {
  (error.extensions as Record<string, unknown>).code ??= ErrorCode.GRAPHQL_VALIDATION_FAILED;
}

/** A GraphQLError from another copy of the graphql package (not `instanceof` ours). */
export function isForeignGraphQLError(err: unknown): err is Error & { extensions?: Record<string, unknown> } {
  return err instanceof Error && !(err instanceof GraphQLError) && (err.name === 'GraphQLError' || err.constructor?.name === 'GraphQLError');
}

export function asOwnGraphQLError(err: Error & { extensions?: Record<string, unknown> }): GraphQLError {
  return new GraphQLError(err.message, { extensions: { ...(err.extensions ?? {}) } });
}

/** A thrown parse or validation failure as the client should see it, or a rethrow if unexpected. */
export function asDocumentError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  if (isForeignGraphQLError(err)) return asOwnGraphQLError(err);
  throw err;
}

/**
 * "Did you mean …?" hints map the schema for a prober. graphql-armor masks only the `Did you
 * mean "x"?` form in validation; graphql 17 also writes `the enum value "x"`, and variable
 * coercion writes hints at execution. Removed from all of them, on both transports.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
function withoutSuggestions<T>(errors: readonly T[]): T[] {
  for (const e of errors) if (e instanceof GraphQLError && e.message.includes('Did you mean')) e.message = e.message.replace(SUGGESTION, '').trim();
  return [...errors];
}
const resultWithoutSuggestions = ({ result, setResult }: { result: unknown; setResult: (r: never) => void }) => {
  const errors = (result as { errors?: readonly GraphQLError[] } | null)?.errors;
  if (errors?.length) setResult({ ...(result as object), errors: withoutSuggestions(errors) } as never);
};
export const hideSuggestionsPlugin: Plugin = {
  onValidate: () => ({ valid, result, setResult }) => {
    if (!valid) setResult(withoutSuggestions(result));
  },
  onExecute: () => ({ onExecuteDone: resultWithoutSuggestions as never }),
  onSubscribe: () => ({ onSubscribeResult: resultWithoutSuggestions as never }),
};
