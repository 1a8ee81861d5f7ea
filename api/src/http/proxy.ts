// What the server believes about the client behind reverse proxies (TRUST_PROXY): the
// client's address (rate limits) and whether it came over HTTPS (Secure cookies, the
// signed SMS URL). With no trusted proxy, X-Forwarded-* headers are ignored: anyone can send them.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from '@fastify/proxy-addr';
import type { Config } from '../config.ts';

export type ProxyTrust = {
  /** The nearest address not among the trusted proxies (the socket's peer when none is trusted). */
  clientAddress(req: IncomingMessage): string;
  /** TLS on the socket, or X-Forwarded-Proto: https from a trusted proxy. */
  isHttps(req: IncomingMessage): boolean;
};

export function proxyTrust(setting: Config['TRUST_PROXY']): ProxyTrust {
  const trust =
    setting === false ? () => false : typeof setting === 'number' ? (_addr: string, hop: number) => hop < setting : proxyaddr.compile(setting);
  return {
    clientAddress: (req) => (req.socket.remoteAddress ? proxyaddr(req, trust) : 'unknown'),
    isHttps(req) {
      if ((req.socket as TLSSocket).encrypted) return true;
      if (!trust(req.socket.remoteAddress ?? '', 0)) return false;
      // The first value is the scheme the client used with the outermost proxy (as Express reads it).
      const header = req.headers['x-forwarded-proto'];
      const proto = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
      return proto === 'https';
    },
  };
}
