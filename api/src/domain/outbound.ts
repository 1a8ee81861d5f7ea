// Outbound HTTP through one guarded client (webhooks, SMS replies, the geocoder): http and https only; the
// host resolved once and every address it resolves to checked, the connection made to exactly
// the checked addresses (the check is the socket's own lookup, so there is no second DNS
// answer to race); no redirects followed; a deadline; at most a few KB of the answer read.
// Loopback, private, link-local (cloud metadata), CGNAT, multicast, unspecified, reserved and
// IPv4-in-IPv6 tunnel ranges are refused unless the operator allow-lists the host.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { HOST_PORT } from '../config.ts';

/** Addresses outside ipaddr.js's special ranges that are no public destination either. */
const ALSO_BLOCKED: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [
  // IPv4-compatible IPv6 (deprecated, ::a.b.c.d), which ipaddr.js counts as unicast.
  [ipaddr.parse('::'), 96],
  // Azure's wire server and instance metadata (a public address, answered by the host).
  [ipaddr.parse('168.63.129.16'), 32],
];

/**
 * Why an IP address may not be contacted (the name of its range), or null for a public unicast
 * address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address inside it.
 */
export function blockedRange(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return 'not an IP address';
  let ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range !== 'unicast') return range;
  return ALSO_BLOCKED.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits)) ? 'reserved' : null;
}

/** Refused by the guard (the caller reports it like any other failure to connect). */
export class OutboundRefused extends Error {}

/** A GET whose answer was longer than the caller accepts. */
export class OutboundTooLarge extends Error {}

export type OutboundResponse = { status: number; body: string };

export type Outbound = Readonly<{
  /** POSTs `body` to `url`; the answer's status and at most the first few KB of its body. */
  post(url: string, init: { headers: Record<string, string>; body: string | URLSearchParams; timeoutMs: number }): Promise<OutboundResponse>;
  /**
   * GETs `url` under the same guard; an answer longer than `maxResponseBytes` (default: the
   * client's cap) fails with OutboundTooLarge rather than coming back cut (a cut JSON is no answer).
   */
  get(url: string, init: { headers: Record<string, string>; timeoutMs: number; maxResponseBytes?: number }): Promise<OutboundResponse>;
  /** Visibly refused before any DNS lookup: `localhost`, or a blocked literal address, not allow-listed. */
  refusesOnSight(url: URL): boolean;
}>;

type Allowed = { host: string; port: string | null };

function parseAllowed(entry: string): Allowed {
  const m = HOST_PORT.exec(entry.trim());
  if (!m) throw new Error(`Not a host[:port]: ${entry}`);
  return { host: new URL(`http://${m[1]}`).hostname, port: m[2] ?? null };
}

const portOf = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** `host:port` of a URL, as an allow-list entry. */
export const hostPortOf = (url: string): string => {
  const u = new URL(url);
  return `${u.hostname}:${portOf(u)}`;
};

const isLocalhostName = (hostname: string) => /(^|\.)localhost\.?$/i.test(hostname);

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** dns.lookup's shape, every answer wanted (`all: true`). */
export type Resolve = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/** A socket lookup over `resolve`, every answer checked: the socket connects to what this returns, nothing else. */
const guardedLookup = (resolve: Resolve) => (hostname: string, options: LookupOptions, callback: LookupCallback) => {
  resolve(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    if (addresses.length === 0 || addresses.some((a) => blockedRange(a.address))) return callback(new OutboundRefused(`${hostname} resolves to a blocked address`), []);
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

export function createOutbound(options: { allowHosts: readonly string[]; maxResponseBytes?: number; resolve?: Resolve }): Outbound {
  const allowed = options.allowHosts.map(parseAllowed);
  const maxBytes = options.maxResponseBytes ?? 4_096;
  const lookup = guardedLookup(options.resolve ?? (dnsLookup as Resolve));
  const isAllowed = (url: URL) => allowed.some((a) => a.host === url.hostname && (a.port === null || a.port === portOf(url)));

  function target(raw: string): { url: URL; guarded: boolean } {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(`Not http or https: ${url.protocol}`);
    if (isAllowed(url)) return { url, guarded: false };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address never reaches the lookup: the socket connects to it directly.
    if (isLocalhostName(host) || (isIP(host) && blockedRange(host))) throw new OutboundRefused(`${url.hostname} is a blocked address`);
    return { url, guarded: true };
  }

  /** One request under the guard; the answer cut at `limit` bytes, or refused past it when `whole`. */
  async function send(method: 'GET' | 'POST', raw: string, headers: Record<string, string>, body: string | null, timeoutMs: number, limit: number, whole: boolean): Promise<OutboundResponse> {
    const { url, guarded } = target(raw);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<OutboundResponse>((resolve, reject) => {
      const req = request(url, {
        method,
        headers,
        // A fresh connection each time: no pooled socket outlives its check.
        agent: false,
        lookup: guarded ? (lookup as never) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.on('error', reject);
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, limit) });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, Math.max(0, limit - size)));
          size += chunk.length;
          if (size > limit && whole) {
            reject(new OutboundTooLarge(`${url.host} answered more than ${limit} bytes`));
            res.destroy();
          } else if (size >= limit && !whole) done();
        });
        res.on('end', done);
        res.on('error', reject);
      });
      req.end(body ?? undefined);
    });
  }

  return Object.freeze({
    refusesOnSight(url: URL) {
      try {
        target(url.toString());
        return false;
      } catch {
        return true;
      }
    },

    post(raw, init) {
      const body = typeof init.body === 'string' ? init.body : init.body.toString();
      return send('POST', raw, { ...init.headers, 'content-length': String(Buffer.byteLength(body)) }, body, init.timeoutMs, maxBytes, false);
    },

    get(raw, init) {
      return send('GET', raw, init.headers, null, init.timeoutMs, init.maxResponseBytes ?? maxBytes, true);
    },
  });
}
