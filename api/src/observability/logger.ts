// The app's log: JSON lines through pino (pretty in development when pino-pretty is installed),
// at LOG_LEVEL. Every line written while an HTTP request is handled carries its request id,
// and the operation and viewer id once known (an AsyncLocalStorage per app, not per process).
// Secrets and contact details never reach it: headers, tokens, passwords, cookies, e-mail
// addresses and phone numbers are redacted wherever they appear in a logged object.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.ts';

export type { Logger, DestinationStream };

/** What is known of the request being handled; log lines written meanwhile carry it. */
export type RequestScope = { requestId: string; operation?: string; viewerId?: string };

export type Logging = { log: Logger; scope: AsyncLocalStorage<RequestScope> };

/** Keys whose values are secrets or contact details, at any of the first levels of a logged object. */
const SECRET_KEYS = [
  'authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization',
  'password', 'newPassword', 'currentPassword', 'token', 'authToken', 'sessionToken', 'secret', 'apiKey',
  'email', 'phone', 'requesterPhone', 'requesterEmail', 'contact', 'address',
];
const quoted = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`);
/** pino's redaction paths: each key at the top level and up to three levels down (wildcards). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*${quoted(k)}`, `*.*${quoted(k)}`, `*.*.*${quoted(k)}`].map((p) => p.replace(/^\./, '')));

/** Reads `X-Request-Id` when it is well formed (a short token of safe characters), else makes one. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && /^[A-Za-z0-9._:-]{8,128}$/.test(v) ? v : randomUUID();
}

/** pino-pretty as a synchronous stream when installed (a dev dependency); null otherwise. */
function prettyStream(): DestinationStream | null {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (o: object) => DestinationStream;
    return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return null;
  }
}

export function createLogging(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT' | 'NODE_ENV'>, destination?: DestinationStream): Logging {
  const scope = new AsyncLocalStorage<RequestScope>();
  const format = config.LOG_FORMAT ?? (config.NODE_ENV === 'development' ? 'pretty' : 'json');
  const stream = destination ?? (format === 'pretty' ? prettyStream() : null) ?? pino.destination({ dest: 1, sync: false });
  const log = pino(
    {
      level: config.LOG_LEVEL,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // A copy: pino merges the line into what mixin returns, and the scope must not collect each line's fields.
      mixin: () => ({ ...scope.getStore() }),
    },
    stream,
  );
  return { log, scope };
}

/** yoga's own messages in the app's log; its "masked an error" lines are left to the masker (graphql/errorPolicy.ts), which logs what matters once. */
export const yogaLogger = (log: Logger) => ({
  debug: (...args: unknown[]) => log.debug(args.map(String).join(' ')),
  info: (...args: unknown[]) => log.info(args.map(String).join(' ')),
  warn: (...args: unknown[]) => log.warn(args.map(String).join(' ')),
  error: () => {},
});
