// The GraphQL context of one operation, on either transport: who is asking (from the session
// cookie, the Authorization header or the WebSocket's connection params), where to set a
// cookie (HTTP only), and the app's services.
import type { IncomingMessage } from 'node:http';
import type { Extra } from 'graphql-ws/use/ws';
import { CloseCode } from 'graphql-ws';
import type { Services } from '../services.ts';
import type { Context } from '../context.ts';
import type { Viewer } from '../auth/viewer.ts';
import { SESSION_COOKIE, tokenFromAuthorization, tokenFromCookieHeader, viewerAgain, viewerFromToken } from '../auth/sessions.ts';
import { isApiKeyToken } from '../domain/apiKeys.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { liveClaim } from '../domain/needStatus.ts';
import { vettingByCommunity } from '../domain/vettingRecords.ts';

/** What the WebSocket transport learnt at connection time (see websocket.ts). */
export type WsExtra = { socket: Extra['socket']; request: IncomingMessage; viewer?: Viewer | null; token?: string | null };

/** The session token of an HTTP request: the Authorization header, else the cookie. */
export const tokenOfRequest = (authorization: string | null | undefined, cookie: string | null | undefined) =>
  tokenFromAuthorization(authorization) ?? tokenFromCookieHeader(cookie);

const NO_CLAIMS: Awaited<ReturnType<Context['liveClaims']>> = new Map();
const NO_VETTING: Awaited<ReturnType<Context['vetting']>> = new Map();

/** Something of the viewer's, read once per context whichever fields ask, again if the viewer changes (signIn and signUp set it during the operation). */
function perViewer<T>(viewerNow: () => Viewer | null, none: T, load: (viewer: Viewer) => Promise<T>): () => Promise<T> {
  let loaded: { viewerId: string; value: Promise<T> } | undefined;
  return () => {
    const viewer = viewerNow();
    if (!viewer) return Promise.resolve(none);
    if (loaded?.viewerId !== viewer.id) loaded = { viewerId: viewer.id, value: load(viewer) };
    return loaded.value;
  };
}

/** The viewer's live claims by need (`Context.liveClaims`). */
const liveClaimLoader = (s: Services, viewerNow: () => Viewer | null): Context['liveClaims'] =>
  perViewer(viewerNow, NO_CLAIMS, (viewer) =>
    s.prisma.claim
      .findMany({ where: { volunteerId: viewer.id, status: liveClaim }, select: { needId: true, status: true } })
      .then((rows) => new Map(rows.map((r) => [r.needId, { status: r.status }]))),
  );

/**
 * A context, with its claim loader and, for a signed-in viewer, the contexts of a subscription's
 * events: each reads the session (or the API key and its creator) again (one query: a sign-out, a
 * revoked key, an expiry or a changed role counts from the next event on) and loads claims anew;
 * once the session or key has ended, `ended` is called.
 */
function withViewer(s: Services, base: Omit<Context, 'liveClaims' | 'vetting' | 'forEvent'>, ended: () => void): Context {
  const ctx: Context = {
    ...base,
    liveClaims: liveClaimLoader(s, () => ctx.viewer),
    vetting: perViewer(() => ctx.viewer, NO_VETTING, (viewer) => vettingByCommunity(s.prisma, viewer.id)),
  };
  const signedIn = base.viewer;
  if (signedIn) {
    ctx.forEvent = async () => {
      const viewer = await viewerAgain(s, signedIn);
      if (!viewer) ended();
      return viewer && withViewer(s, { ...base, viewer }, ended);
    };
  }
  return ctx;
}

function cookieHeader(token: string | null, expiresAt: Date | undefined, secure: boolean): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) attrs.push('Secure');
  if (!token) return `${SESSION_COOKIE}=; ${attrs.join('; ')}; Max-Age=0`;
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attrs.join('; ')}; Expires=${expiresAt!.toUTCString()}`;
}

/** Cookies set while an HTTP operation runs, appended to its response (a yoga plugin's onResponse). */
export class PendingCookies {
  readonly #byRequest = new WeakMap<Request, string[]>();
  add(request: Request, cookie: string) {
    const list = this.#byRequest.get(request) ?? [];
    list.push(cookie);
    this.#byRequest.set(request, list);
  }
  of(request: Request): readonly string[] {
    return this.#byRequest.get(request) ?? [];
  }
}

export function contextFactory(s: Services, cookies: PendingCookies) {
  const { proxy } = s;
  return async (initial: { request?: Request; wsExtra?: WsExtra; wsOperationId?: string; req?: IncomingMessage }): Promise<Context> => {
    if (initial.wsExtra) {
      const extra = initial.wsExtra;
      const base = {
        services: s,
        viewer: extra.viewer ?? null,
        sessionToken: extra.token ?? null,
        clientKey: proxy.clientAddress(extra.request),
        transport: 'ws' as const,
        ...(initial.wsOperationId === undefined ? {} : { liveSink: { socket: extra.socket, id: initial.wsOperationId } }),
      };
      // graphql-ws's "Forbidden": the client must sign in again; what is queued unsent stays unsent.
      return withViewer(s, base, () => extra.socket.close(CloseCode.Forbidden, 'Session ended'));
    }
    const request = initial.request!;
    const token = tokenOfRequest(request.headers.get('authorization'), request.headers.get('cookie'));
    const viewer = await viewerFromToken(s, token);
    // A partner system is told its key no longer works rather than answered as anyone.
    if (token && !viewer && isApiKeyToken(token)) throw new AppError(ErrorCode.UNAUTHENTICATED, 'This API key is unknown, revoked or expired.');
    // Behind a TLS-terminating proxy the request itself is plain HTTP: TRUST_PROXY says whom to believe.
    const secure = initial.req ? proxy.isHttps(initial.req) : request.url.startsWith('https:');
    const base = {
      services: s,
      viewer,
      sessionToken: token,
      clientKey: initial.req ? proxy.clientAddress(initial.req) : 'http',
      transport: 'http' as const,
      setSessionCookie: (t: string | null, expiresAt?: Date) => cookies.add(request, cookieHeader(t, expiresAt, secure)),
    };
    // An event-stream subscription whose session ended gets UNAUTHENTICATED for each further event.
    return withViewer(s, base, () => {});
  };
}
