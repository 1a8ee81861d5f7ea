// The error codes as a GraphQL enum: clients take the list of `extensions.code` values from the
// schema (the web's error types do) instead of copying it. Defined once in errors.ts.
import { builder } from './builder.ts';
import { errorCodes, type ErrorCode } from '../errors.ts';

builder.enumType('ErrorCode', {
  description:
    'The `extensions.code` of every error this API sends. Not the type of any field: errors are not data. ' +
    'Besides these, graphql-yoga itself may answer BAD_REQUEST (a malformed HTTP request), GRAPHQL_PARSE_FAILED ' +
    'and INTERNAL_SERVER_ERROR ("Unexpected error.", the cause hidden); a client treats those as unknown.',
  values: Object.fromEntries(Object.entries(errorCodes).map(([code, description]) => [code, { description }])) as Record<ErrorCode, { description: string }>,
});
