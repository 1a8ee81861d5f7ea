import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { blockedRange, createOutbound, OutboundRefused, OutboundTooLarge } from './outbound.ts';

/** The host as the WHATWG URL parser leaves it (what the client sees), then classified. */
const classify = (url: string) => blockedRange(new URL(url).hostname);

describe('blockedRange', () => {
  it.each([
    // IPv4, every spelling the URL parser accepts for it.
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://2130706433:1/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0.0.0.0:1/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://0xc0a80101/', 'private'],
    ['http://169.254.169.254/', 'linkLocal'],
    ['http://0xA9FEA9FE/', 'linkLocal'],
    ['http://2852039166/', 'linkLocal'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
    ['http://100.100.100.200/', 'carrierGradeNat'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://168.63.129.16/', 'reserved'],
    // IPv6, and IPv4 inside IPv6.
    ['http://[::1]:1/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::]/', 'unspecified'],
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://[fc00::1]/', 'uniqueLocal'],
    ['http://[fd00:ec2::254]/', 'uniqueLocal'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'linkLocal'],
    ['http://[::ffff:10.1.2.3]/', 'private'],
    ['http://[::127.0.0.1]/', 'reserved'],
    ['http://[64:ff9b::7f00:1]/', 'rfc6052'],
    ['http://[2002:7f00:1::]/', '6to4'],
    ['http://[2001::1]/', 'teredo'],
  ])('%s is %s', (url, range) => {
    expect(classify(url)).toBe(range);
  });

  it.each(['http://8.8.8.8/', 'http://134744072/', 'http://1.1.1.1:8443/', 'http://[2606:4700:4700::1111]/', 'http://[::ffff:8.8.8.8]/'])('%s is public', (url) => {
    expect(classify(url)).toBeNull();
  });

  it('is no IP address for a name', () => {
    expect(blockedRange('example.org')).toBe('not an IP address');
  });
});

describe('the guarded client', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** A loopback server; counts what reaches it. */
  async function listen(handler: (res: import('node:http').ServerResponse) => void) {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      req.on('end', () => handler(res));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    return { port, hits, url: `http://127.0.0.1:${port}/hook` };
  }

  const post = (client: ReturnType<typeof createOutbound>, url: string, timeoutMs = 10_000) =>
    client.post(url, { headers: { 'content-type': 'text/plain' }, body: 'hi', timeoutMs });

  it('refuses loopback by address and by name, before any byte is sent', async () => {
    const target = await listen((res) => res.end('ok'));
    const client = createOutbound({ allowHosts: [] });
    for (const url of [target.url, `http://localhost:${target.port}/`, `http://[::ffff:127.0.0.1]:${target.port}/`, `http://2130706433:${target.port}/`]) {
      await expect(post(client, url)).rejects.toBeInstanceOf(OutboundRefused);
    }
    expect(client.refusesOnSight(new URL(`http://localhost:${target.port}/`))).toBe(true);
    expect(client.refusesOnSight(new URL('http://LOCALHOST./'))).toBe(true);
    expect(client.refusesOnSight(new URL('http://api.localhost/'))).toBe(true);
    expect(client.refusesOnSight(new URL('https://example.org/hook'))).toBe(false);
    expect(target.hits).toEqual([]);
  });

  it('checks every address a name resolves to, once, at connect time', async () => {
    const target = await listen((res) => res.end('ok'));
    const asked: string[] = [];
    const dns: Record<string, string[]> = { 'rebind.test': ['127.0.0.1'], 'mixed.test': ['93.184.215.14', '127.0.0.1'], 'mapped.test': ['::ffff:127.0.0.1'] };
    const client = createOutbound({
      allowHosts: [],
      resolve: (host, _o, cb) => {
        asked.push(host);
        cb(null, (dns[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
      },
    });
    for (const host of Object.keys(dns)) {
      expect(client.refusesOnSight(new URL(`http://${host}:${target.port}/`))).toBe(false);
      await expect(post(client, `http://${host}:${target.port}/`)).rejects.toBeInstanceOf(OutboundRefused);
    }
    expect(asked).toEqual(Object.keys(dns));
    await expect(post(client, 'ftp://example.org/')).rejects.toBeInstanceOf(OutboundRefused);
    expect(target.hits).toEqual([]);
  });

  it('reaches an allow-listed host[:port], and only that port', async () => {
    const target = await listen((res) => res.end('ok'));
    const other = await listen((res) => res.end('ok'));
    const client = createOutbound({ allowHosts: [`127.0.0.1:${target.port}`] });
    expect(await post(client, target.url)).toEqual({ status: 200, body: 'ok' });
    await expect(post(client, other.url)).rejects.toBeInstanceOf(OutboundRefused);
    expect(other.hits).toEqual([]);
    const anyPort = createOutbound({ allowHosts: ['127.0.0.1'] });
    expect((await post(anyPort, other.url)).status).toBe(200);
  });

  it('follows no redirect', async () => {
    const elsewhere = await listen((res) => res.end('internal'));
    const target = await listen((res) => res.writeHead(302, { location: `${elsewhere.url}/internal-admin` }).end());
    const client = createOutbound({ allowHosts: ['127.0.0.1'] });
    expect((await post(client, target.url)).status).toBe(302);
    expect(elsewhere.hits).toEqual([]);
  });

  it('reads at most the cap of an endless answer', async () => {
    const target = await listen((res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const more = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', more);
      };
      res.on('error', () => {});
      more();
    });
    const client = createOutbound({ allowHosts: ['127.0.0.1'], maxResponseBytes: 1_000 });
    const res = await post(client, target.url);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(1_000);
  });

  it('GETs under the same guard: loopback refused unless allow-listed, the whole answer or a refusal past the cap', async () => {
    const target = await listen((res) => res.end('{"ok":true}'));
    const big = await listen((res) => res.end('x'.repeat(5_000)));
    const get = (client: ReturnType<typeof createOutbound>, url: string, maxResponseBytes?: number) =>
      client.get(url, { headers: { 'user-agent': 'test' }, timeoutMs: 10_000, maxResponseBytes });
    await expect(get(createOutbound({ allowHosts: [] }), `${target.url}?q=1`)).rejects.toBeInstanceOf(OutboundRefused);
    expect(target.hits).toEqual([]);
    const client = createOutbound({ allowHosts: ['127.0.0.1'] });
    expect(await get(client, `${target.url}?q=1`)).toEqual({ status: 200, body: '{"ok":true}' });
    expect(target.hits).toEqual(['/hook?q=1']);
    // Past the cap: refused, never a cut answer (a cut JSON would parse as nothing, or worse).
    await expect(get(client, big.url, 1_000)).rejects.toBeInstanceOf(OutboundTooLarge);
    expect((await get(client, big.url, 10_000)).body).toHaveLength(5_000);
  });

  it('gives up at the deadline on a peer that never answers', async () => {
    const target = await listen(() => {});
    const client = createOutbound({ allowHosts: ['127.0.0.1'] });
    await expect(post(client, target.url, 200)).rejects.toThrow(/abort|timeout/i);
  });

  it('gives up at the deadline on a peer that stops in the middle of its answer', async () => {
    const target = await listen((res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const client = createOutbound({ allowHosts: ['127.0.0.1'] });
    await expect(post(client, target.url, 300)).rejects.toThrow();
  });
});
