// Turns the API's typed errors (extensions.code, extensions.issues) into what the UI shows.
import type { CombinedError } from '@urql/core';
import type { MessageKey } from '#lib/i18n/messages/en.ts';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CLAIM_CONFLICT'
  | 'CLAIM_LIMIT'
  | 'EMAIL_TAKEN'
  | 'ALREADY_CLAIMED'
  | 'ILLEGAL_TRANSITION';

export type UiError = {
  code: ErrorCode | 'network' | 'unknown';
  /** Message key for the whole action. */
  key: MessageKey;
  /** Parameters for the message, e.g. the current status of an illegal transition. */
  params: Record<string, string>;
  /** Server messages per input field (`input.title` is reported as `title`), from validation issues or the field a rule names. */
  fields: Record<string, string>;
  /** The server's own message, for logs and unknown cases. */
  detail: string;
};

/** A GraphQL error as the server sent it (over HTTP or graphql-ws). */
type ServerError = { readonly message: string; readonly extensions?: Readonly<Record<string, unknown>> };

const known: ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CLAIM_CONFLICT', 'CLAIM_LIMIT', 'EMAIL_TAKEN', 'ALREADY_CLAIMED', 'ILLEGAL_TRANSITION'];

export function toUiError(error: CombinedError): UiError {
  if (error.networkError && !error.graphQLErrors.length) return networkError(error.networkError.message);
  return fromGraphQLErrors(error.graphQLErrors, error.message);
}

/** How a graphql-ws subscription ended: the server's GraphQL errors, or the socket's own failure. */
export function toUiErrorFromWs(error: unknown): UiError {
  if (Array.isArray(error)) return fromGraphQLErrors(error as ServerError[], 'subscription error');
  return networkError(error instanceof Error ? error.message : String((error as { reason?: string } | null)?.reason || error));
}

const networkError = (detail: string): UiError => ({ code: 'network', key: 'error.network', params: {}, fields: {}, detail });

function fromGraphQLErrors(errors: readonly ServerError[], fallback: string): UiError {
  const first = errors[0];
  const ext = (first?.extensions ?? {}) as { code?: string; issues?: { field: string; message: string }[]; field?: string; currentStatus?: string };
  const code = known.find((c) => c === ext.code);
  const fields: Record<string, string> = {};
  for (const issue of ext.issues ?? []) {
    const field = issue.field.replace(/^input\./, '');
    fields[field] ??= issue.message;
  }
  // A domain rule names the one field it concerns (`badInput(message, field)`).
  if (ext.field) fields[ext.field] ??= first!.message;
  if (!code) return { code: 'unknown', key: 'error.unknown', params: {}, fields, detail: first?.message ?? fallback };
  return {
    code,
    key: `error.${code}`,
    params: ext.currentStatus ? { status: ext.currentStatus } : {},
    fields,
    detail: first?.message ?? '',
  };
}

/** True when the failure is the network, so an action may be queued and retried. */
export const isNetworkError = (error: CombinedError | undefined) => !!error?.networkError && !error.graphQLErrors.length;

/**
 * The message for one input field: a rule's own (a typed code other than BAD_USER_INPUT that names the
 * field, e.g. EMAIL_TAKEN) or ours for that field (`invalid.<field>`) when we have one, so it is
 * translated; the server's otherwise. `field` is the input's field name, e.g. `title`.
 */
export function fieldMessage(
  error: UiError | null,
  field: string,
  i18n: { has(key: string): key is MessageKey; t(key: MessageKey, params?: Record<string, string>): string },
): string | undefined {
  const server = error?.fields[field];
  if (server === undefined) return undefined;
  if (error!.code !== 'BAD_USER_INPUT' && error!.code !== 'unknown' && error!.code !== 'network') return i18n.t(error!.key, error!.params);
  const key = `invalid.${field}`;
  return i18n.has(key) ? i18n.t(key) : server;
}
