// Expected failures, each a GraphQLError with a stable `extensions.code`.
// Anything else thrown is unexpected and is masked by yoga before it reaches a client.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  /** Someone else got there first: every slot of the need is taken. */
  CLAIM_CONFLICT: 'CLAIM_CONFLICT',
  /** The volunteer already holds the maximum number of active claims. */
  CLAIM_LIMIT: 'CLAIM_LIMIT',
  ALREADY_CLAIMED: 'ALREADY_CLAIMED',
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  RATE_LIMITED: 'RATE_LIMITED',
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  /** The database is unreachable for a moment (restart, failover, lost connection): retry. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The same request is already waiting for an answer. */
  CONFLICT_PENDING: 'CONFLICT_PENDING',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const unauthenticated = () => new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this.');
export const forbidden = (what = 'do this') => new AppError(ErrorCode.FORBIDDEN, `You are not allowed to ${what}.`);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
