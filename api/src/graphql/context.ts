// The GraphQL context of one operation, on either transport: who is asking (from the session
// cookie, the Authorization header or the WebSocket's connection params), where to set a
// cookie (HTTP only), and the app's services.
import type { IncomingMessage } from 'node:http';
import type { Services } from '../services.ts';
import type { Context } from '../context.ts';
import type { Viewer } from '../auth/viewer.ts';
import { SESSION_COOKIE, tokenFromAuthorization, tokenFromCookieHeader, viewerFromToken } from '../auth/sessions.ts';
import { proxyTrust } from '../http/proxy.ts';

/** What the WebSocket transport learnt at connection time (see websocket.ts). */
export type WsExtra = { request: IncomingMessage; viewer?: Viewer | null; token?: string | null };

/** The session token of an HTTP request: the Authorization header, else the cookie. */
export const tokenOfRequest = (authorization: string | null | undefined, cookie: string | null | undefined) =>
  tokenFromAuthorization(authorization) ?? tokenFromCookieHeader(cookie);

function liveClaimLoader(s: Services, viewer: Viewer | null): () => Promise<ReadonlySet<string>> {
  let loaded: Promise<ReadonlySet<string>> | undefined;
  return () =>
    (loaded ??= viewer
      ? s.prisma.claim
          .findMany({ where: { volunteerId: viewer.id, status: { in: ['ACTIVE', 'STARTED'] } }, select: { needId: true } })
          .then((rows) => new Set(rows.map((r) => r.needId)))
      : Promise.resolve(new Set<string>()));
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
  const proxy = proxyTrust(s.config.TRUST_PROXY);
  return async (initial: { request?: Request; wsExtra?: WsExtra; req?: IncomingMessage }): Promise<Context> => {
    if (initial.wsExtra) {
      const extra = initial.wsExtra;
      const viewer = extra.viewer ?? null;
      return {
        services: s,
        viewer,
        sessionToken: extra.token ?? null,
        clientKey: proxy.clientAddress(extra.request),
        transport: 'ws',
        liveClaimNeedIds: liveClaimLoader(s, viewer),
      };
    }
    const request = initial.request!;
    const token = tokenOfRequest(request.headers.get('authorization'), request.headers.get('cookie'));
    const viewer = await viewerFromToken(s, token);
    // Behind a TLS-terminating proxy the request itself is plain HTTP: TRUST_PROXY says whom to believe.
    const secure = initial.req ? proxy.isHttps(initial.req) : request.url.startsWith('https:');
    return {
      services: s,
      viewer,
      sessionToken: token,
      clientKey: initial.req ? proxy.clientAddress(initial.req) : 'http',
      transport: 'http',
      liveClaimNeedIds: liveClaimLoader(s, viewer),
      setSessionCookie: (t, expiresAt) => cookies.add(request, cookieHeader(t, expiresAt, secure)),
    };
  };
}
