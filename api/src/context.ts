// The GraphQL context: who is asking, and per-request helpers. Nothing here is shared
// between requests; the database client is a module (db/client.ts), not a context field.
import type { Viewer } from './auth/viewer.ts';

export type Context = {
  viewer: Viewer | null;
  /** Set a cookie on the HTTP response (sign in / sign out); absent on WebSocket. */
  setSessionCookie?: (token: string | null, expiresAt?: Date) => void;
  /** The raw session token this request authenticated with (for sign-out). */
  sessionToken: string | null;
  /** Client address, for rate limits. */
  clientKey: string;
  transport: 'http' | 'ws';
  /** Needs on which the viewer holds a live claim; loaded at most once per request. */
  liveClaimNeedIds: () => Promise<ReadonlySet<string>>;
};
