// Expected failures, each a GraphQLError with a stable `extensions.code`.
// Anything else thrown is unexpected and is masked by yoga before it reaches a client.
import { GraphQLError } from 'graphql';

/**
 * Every `extensions.code` this API sends, with what it means. Published in the schema as the
 * enum ErrorCode (schema/errorCodes.ts), so a client's types list the same codes.
 */
export const errorCodes = {
  UNAUTHENTICATED: 'Not signed in, or the session has expired: sign in and try again.',
  FORBIDDEN: 'Signed in, but not allowed to see or do this (for example, not a coordinator of the community).',
  BAD_USER_INPUT:
    'The input breaks a rule. `extensions.issues` lists the problem of each field (`{ field, message }`); a rule about one field names it in `extensions.field`.',
  NOT_FOUND: 'Nothing with this id, or it is gone.',
  CLAIM_CONFLICT: 'Someone else got there first: every slot of the need is taken, or fewer are open than a group needs (`extensions.slots`, `extensions.openSlots`, `extensions.currentStatus`).',
  CLAIM_LIMIT: 'The volunteer already holds the maximum number of live claims (`extensions.limit`): finish or release one first.',
  NOT_QUALIFIED:
    'The need asks for vetting the volunteer lacks: `extensions.missing` names each thing (IDENTITY_CHECK, BACKGROUND_CHECK, TRAINING:<key>; "(expired on YYYY-MM-DD)" when it ran out). A coordinator of the community records them.',
  INSUFFICIENT_STOCK:
    'A movement would take a collection point’s stock of an item below zero (`extensions.itemId`, `extensions.available`, `extensions.requested`): nothing was recorded.',
  ALREADY_CLAIMED: 'The volunteer already holds a live claim on this need.',
  OFFER_CAPACITY_EXHAUSTED:
    'The offer has not enough left for this match (`extensions.remaining`: beds, seats, hours or households still free): another match took it first. Nothing was changed.',
  OFFER_EXPIRED: 'The offer has expired (`extensions.expiresAt`): it is no longer listed nor matched.',
  ILLEGAL_TRANSITION: 'Not allowed from the current state (`extensions.currentStatus`; `extensions.action` for a need or claim).',
  EMAIL_TAKEN: 'An account with this e-mail address already exists (`extensions.field` is `email`).',
  INVALID_CREDENTIALS: 'Wrong e-mail address or password.',
  RATE_LIMITED: 'Too many attempts: wait `extensions.retryAfterSeconds` seconds.',
  SERVICE_UNAVAILABLE: 'The database is unreachable for a moment (restart, failover, lost connection): retry (`extensions.retryable`).',
  CONFLICT_PENDING: 'The same request is already waiting for an answer (a handover of this claim).',
  IDEMPOTENCY_KEY_REUSED:
    'The idempotency key was used before for a different operation or different variables: use a new key for a new request.',
  IDEMPOTENCY_IN_PROGRESS:
    'A request with this idempotency key is still running (in another process): retry in a moment (`extensions.retryable`) to get its result.',
  SHUTTING_DOWN: 'The server is shutting down (HTTP 503, `Retry-After`): retry; another process or the restarted one answers.',
  CURSOR_AHEAD:
    'The cursor is newer than the newest stored event (`extensions.latest`): the database was restored from an older backup or the cursor came from elsewhere. Load the view again and subscribe from its new cursor.',
  CURSOR_EXPIRED:
    'The cursor is older than the replay window (`extensions.windowEvents` events behind `extensions.latest`): the view was away too long to catch up event by event. Load the view again and subscribe from its new cursor.',
  SUBSCRIBER_TOO_SLOW: 'The subscription fell too far behind and was ended: subscribe again with `after` set to `extensions.cursor`.',
  PAYLOAD_TOO_LARGE:
    'The request body is larger than any operation of this API needs (HTTP 413); refused before reading it. A CSV import: the file or one of its lines is over the limit (`extensions.limitBytes`; `extensions.line`), read no further.',
  GRAPHQL_VALIDATION_FAILED:
    'The document is not valid against this schema, or exceeds the size, depth or cost limits. From a web page: a client older than the server, reload it.',
  OPERATION_RESOLUTION_FAILURE: 'The document holds several operations and the request names none of them (or an unknown one).',
  CSRF: 'A file upload without the `x-graphql-csrf` header (the import endpoint), or a private export with the session cookie alone: send an Authorization header, or POST the export token (`Query.exportToken`) as the form field `csrf`.',
} as const;
export type ErrorCode = keyof typeof errorCodes;
export const ErrorCode = Object.fromEntries(Object.keys(errorCodes).map((code) => [code, code])) as { readonly [C in ErrorCode]: C };

/**
 * An outcome the client is told by its code. It carries no stack: it is expected, its code and
 * message say what happened, and capturing and then formatting one (graphql copies it into the
 * located error) cost a contended claim's refusal more than its database read.
 */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    const frames = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, { extensions: { code, ...extra } });
    } finally {
      Error.stackTraceLimit = frames;
    }
  }
}

export const forbidden = (what = 'do this') => new AppError(ErrorCode.FORBIDDEN, `You are not allowed to ${what}.`);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
