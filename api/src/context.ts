// The GraphQL context: who is asking, per-request helpers, and the app's services (which
// domain functions take as their first argument). Nothing per-request is shared.
import type { Viewer } from './auth/viewer.ts';
import type { Services } from './services.ts';

export type Context = {
  /** The app's services (database, clock, rules, bus…), the same object for every request. */
  services: Services;
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
