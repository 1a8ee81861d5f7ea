import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { createLogging } from '../observability/logger.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { errorMasker, maskedError, outcomeOf } from './errorPolicy.ts';

function masker() {
  const lines: string[] = [];
  const { log } = createLogging({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', NODE_ENV: 'test' }, { write: (l: string) => void lines.push(l) });
  const reported = new WeakSet<object>();
  return { mask: errorMasker(log, reported), reported, logged: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

/** What the pg adapter reports when PostgreSQL is restarting, wrapped as graphql-js wraps a resolver's error. */
const databaseAway = () => {
  const cause = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  return new GraphQLError('Connection terminated unexpectedly', { originalError: Object.assign(new Error('Invalid `prisma.need.findMany()` invocation'), { cause }) });
};

describe('the error policy', () => {
  // Regression: during a PostgreSQL outage every SERVICE_UNAVAILABLE was printed as
  // "[graphql] unexpected error" with a full stack (112 and 114 of them in two processes' logs).
  it('logs the database away as a warning without a stack, typed SERVICE_UNAVAILABLE', () => {
    const { mask, logged } = masker();
    const masked = mask(databaseAway(), 'Unexpected error.', false);
    expect((masked as GraphQLError).extensions.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    const lines = logged();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, outcome: 'SERVICE_UNAVAILABLE' });
    expect(JSON.stringify(lines)).not.toMatch(/unexpected|stack|\n\s+at /i);
  });

  it('logs an unexpected error at error with its stack, and masks it', () => {
    const { mask, logged } = masker();
    const masked = mask(new GraphQLError('boom', { originalError: new TypeError('x is undefined') }), 'Unexpected error.', false);
    expect(masked.message).toBe('Unexpected error.');
    expect(outcomeOf(masked)).toBe('unexpected');
    const [line] = logged();
    expect(line).toMatchObject({ level: 50, err: { type: 'TypeError', message: 'x is undefined' } });
    expect(line!.err.stack).toMatch(/\n\s+at /);
  });

  it('logs nothing for a typed error, nor for a failure the operation log already reported', () => {
    const { mask, reported, logged } = masker();
    mask(new AppError(ErrorCode.FORBIDDEN, 'No.'), 'Unexpected error.', false);
    const original = new TypeError('reported already');
    reported.add(original);
    mask(new GraphQLError('x', { originalError: original }), 'Unexpected error.', false);
    expect(logged()).toEqual([]);
  });

  it('tells outcomes apart without logging: ok codes kept, bad ids typed, bugs unexpected', () => {
    expect(outcomeOf(maskedError(new AppError(ErrorCode.CLAIM_CONFLICT, 'taken')))).toBe('CLAIM_CONFLICT');
    expect(outcomeOf(maskedError(new GraphQLError('x', { originalError: new Error('invalid input syntax for type uuid: "nope"') })))).toBe('BAD_USER_INPUT');
    expect(outcomeOf(maskedError(databaseAway()))).toBe('SERVICE_UNAVAILABLE');
    expect(outcomeOf(maskedError(new GraphQLError('x', { originalError: new RangeError('bug') })))).toBe('unexpected');
  });
});
