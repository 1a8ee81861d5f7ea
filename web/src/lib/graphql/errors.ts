// Turns the API's typed errors (extensions.code, extensions.issues) into what the UI shows.
import type { CombinedError } from '@urql/core';
import type { MessageKey } from '#lib/i18n/messages/en.ts';
import type { introspection_types } from './graphql-env.d.ts';

/** Every code the API sends, from the schema's ErrorCode enum: a new one is a type error below until it is handled. */
export type ErrorCode = introspection_types['ErrorCode']['enumValues'];

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

/** The codes this app knows, each with its message `error.<code>` in every locale (the catalogues' types check that). */
const handled: Record<ErrorCode, true> = {
  UNAUTHENTICATED: true,
  FORBIDDEN: true,
  BAD_USER_INPUT: true,
  NOT_FOUND: true,
  CLAIM_CONFLICT: true,
  CLAIM_LIMIT: true,
  ALREADY_CLAIMED: true,
  INSUFFICIENT_STOCK: true,
  OFFER_CAPACITY_EXHAUSTED: true,
  OFFER_EXPIRED: true,
  NOT_QUALIFIED: true,
  ILLEGAL_TRANSITION: true,
  EMAIL_TAKEN: true,
  INVALID_CREDENTIALS: true,
  RATE_LIMITED: true,
  SERVICE_UNAVAILABLE: true,
  CONFLICT_PENDING: true,
  SUBSCRIBER_TOO_SLOW: true,
  CURSOR_AHEAD: true,
  CURSOR_EXPIRED: true,
  PAYLOAD_TOO_LARGE: true,
  GRAPHQL_VALIDATION_FAILED: true,
  OPERATION_RESOLUTION_FAILURE: true,
  CSRF: true,
  SHUTTING_DOWN: true,
  IDEMPOTENCY_IN_PROGRESS: true,
  IDEMPOTENCY_KEY_REUSED: true,
};
const isKnown = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(handled, code);

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
  const ext = (first?.extensions ?? {}) as {
    code?: string;
    issues?: { field: string; message: string }[];
    field?: string;
    currentStatus?: string;
    /** INSUFFICIENT_STOCK: which item ran short, what is left, what was asked for. */
    itemId?: string;
    available?: number;
    requested?: number;
  };
  const code = isKnown(ext.code) ? ext.code : undefined;
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
    params: {
      ...(ext.currentStatus ? { status: ext.currentStatus } : {}),
      ...(ext.available !== undefined ? { itemId: String(ext.itemId ?? ''), available: String(ext.available), requested: String(ext.requested ?? '') } : {}),
    },
    fields,
    detail: first?.message ?? '',
  };
}

/** True when the failure is the network, so an action may be queued and retried. */
export const isNetworkError = (error: CombinedError | undefined) => !!error?.networkError && !error.graphQLErrors.length;

/** Refusals that say "not now" (the database away, a restart, the same request still running): safe to send again with the same idempotency key. */
const RETRY_LATER = new Set<string>(['SERVICE_UNAVAILABLE', 'SHUTTING_DOWN', 'IDEMPOTENCY_IN_PROGRESS']);

/** A network failure, or a refusal to send again later: what the offline queue keeps instead of reporting a conflict. */
export const isRetryLater = (error: CombinedError | undefined) =>
  isNetworkError(error) || (!!error?.graphQLErrors.length && error.graphQLErrors.every((e) => RETRY_LATER.has(String(e.extensions?.code))));

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
