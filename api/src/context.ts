// The GraphQL context: who is asking, per-request helpers, and the app's services (which
// domain functions take as their first argument). Nothing per-request is shared.
import type { Viewer } from './auth/viewer.ts';
import type { Services } from './services.ts';
import type { ClaimStatus } from './generated/prisma/enums.ts';
import type { VettingFacts } from './domain/vetting.ts';
import type { WebSocket } from 'ws';

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
  /** A graphql-ws operation's socket and id: where a shared execution sends its frames directly (events/sharedExecution.ts). */
  liveSink?: { socket: WebSocket; id: string };
  /**
   * The viewer's live claims (active or started), by need: read at most once per context. A
   * subscription executes each event with a context of its own (`forEvent`), so they are read
   * again for each event it delivers.
   */
  liveClaims: () => Promise<ReadonlyMap<string, { status: ClaimStatus }>>;
  /** The viewer's vetting by community (domain/vetting.ts), read at most once per context, like liveClaims. */
  vetting: () => Promise<ReadonlyMap<string, VettingFacts>>;
  /**
   * A signed-in subscription's context for its next event (graphql/liveAccess.ts): the session
   * read again (roles as they are now, claims to be read anew), or null once it has ended, the
   * WebSocket then closed with 4403.
   */
  forEvent?: () => Promise<Context | null>;
};
