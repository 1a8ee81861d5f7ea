// graphql-transport-ws spoken by hand: every way a client can break the protocol ends in
// the close code the protocol names, and leaves nothing running on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { openAcknowledged, openRawSocket, type RawSocket } from '../helpers/rawWs.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const SUBSCRIPTION = { query: 'subscription { needEvents { cursor type } }' };

let s: TestServer;
let volunteer: Api & { userId: string };

beforeAll(async () => {
  s = await startServer();
  const admin = await adminClient(s.url, s.app.services.prisma);
  const community = await createCommunity(admin);
  volunteer = await member(s.url, admin, community, 'VOLUNTEER');
});
afterAll(async () => s?.stop());

async function open(opts: { headers?: Record<string, string>; protocol?: string } = {}): Promise<RawSocket> {
  const sock = await openRawSocket(s.wsUrl, opts);
  if ('refused' in sock) throw new Error(`refused with HTTP ${sock.status}`);
  return sock;
}

async function settled() {
  const deadline = Date.now() + 5_000;
  while (s.app.services.stream.subscriberCount !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return s.app.services.stream.subscriberCount;
}

describe('graphql-transport-ws, broken by the client', () => {
  it('no connection_init within the timeout: 4408', async () => {
    const sock = await open();
    const opened = Date.now();
    const { code } = await sock.closed;
    expect(code).toBe(4408);
    // The server's connectionInitWaitTimeout is 5 s: not earlier, and not much later.
    expect(Date.now() - opened).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - opened).toBeLessThan(8_000);
  }, 15_000);

  it('a second connection_init: 4429', async () => {
    const sock = await openAcknowledged(s.wsUrl);
    sock.send({ type: 'connection_init', payload: {} });
    expect((await sock.closed).code).toBe(4429);
  });

  it('subscribe before the ack (and before any init): 4401, and nothing runs', async () => {
    const sock = await open();
    sock.send({ type: 'subscribe', id: '1', payload: SUBSCRIPTION });
    expect((await sock.closed).code).toBe(4401);
    expect(sock.frames.filter((f) => f.type === 'next')).toEqual([]);
    expect(await settled()).toBe(0);
  });

  it('a forged session in connectionParams or cookie: 4403', async () => {
    for (const variant of [{ payload: { authToken: 'forged-token' } }, { payload: {}, headers: { cookie: 'ma_session=forged-token' } }]) {
      const sock = await open({ headers: variant.headers });
      sock.send({ type: 'connection_init', payload: variant.payload });
      expect((await sock.closed).code, JSON.stringify(variant)).toBe(4403);
      expect(sock.frames.map((f) => f.type)).not.toContain('connection_ack');
    }
  });

  it('a session that expires, or is signed out, while the socket is open: 4403 on the next subscribe', async () => {
    for (const end of ['expire', 'signOut'] as const) {
      const api = new Api(s.url);
      const id = await api.signUp(`ending-${end}-${Date.now()}@example.org`, end);
      const sock = await openAcknowledged(s.wsUrl, { authToken: api.token });
      sock.send({ type: 'subscribe', id: 'first', payload: SUBSCRIPTION });
      await expect.poll(() => s.app.services.stream.subscriberCount).toBe(1);
      if (end === 'expire') {
        await s.app.services.prisma.session.updateMany({ where: { userId: uuidOf(id) }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      } else {
        await api.ok('mutation { signOut }');
      }
      sock.send({ type: 'subscribe', id: 'second', payload: SUBSCRIPTION });
      expect((await sock.closed).code, end).toBe(4403);
      // The first subscription ended with the socket.
      expect(await settled(), end).toBe(0);
    }
  });

  it('a subscription id already in use: 4409', async () => {
    const sock = await openAcknowledged(s.wsUrl, { authToken: volunteer.token });
    sock.send({ type: 'subscribe', id: 'same', payload: SUBSCRIPTION });
    sock.send({ type: 'subscribe', id: 'same', payload: SUBSCRIPTION });
    expect((await sock.closed).code).toBe(4409);
    expect(await settled()).toBe(0);
  });

  it('a message that is not a protocol message: 4400', async () => {
    const sock = await openAcknowledged(s.wsUrl);
    sock.ws.send('{"type":"subscribe","id":1}'); // no payload, numeric id
    expect((await sock.closed).code).toBe(4400);
    const garbage = await openAcknowledged(s.wsUrl);
    garbage.ws.send('not json at all');
    expect((await garbage.closed).code).toBe(4400);
  });

  it('no subprotocol: 4406; the legacy subscriptions-transport-ws one is not even negotiated', async () => {
    const none = await open({ protocol: '' });
    expect((await none.closed).code).toBe(4406);
    await expect(openRawSocket(s.wsUrl, { protocol: 'graphql-ws' })).rejects.toThrow(/no subprotocol/);
  });
});

describe('the upgrade itself', () => {
  const cookie = () => `ma_session=${volunteer.token}`;

  it('a foreign Origin carrying a valid cookie is refused with HTTP 403 before any WebSocket exists', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1.evil.example`]) {
      const sock = await openRawSocket(s.wsUrl, { headers: { origin, cookie: cookie() } });
      expect('refused' in sock && sock.status, origin).toBe(403);
    }
  });

  it('the same origin, an allowed origin and a non-browser client (no Origin) are served', async () => {
    for (const headers of [{ origin: s.url }, { origin: 'http://localhost:5173' }, {}]) {
      const sock = await open({ headers: { ...headers, cookie: cookie() } });
      sock.send({ type: 'connection_init', payload: {} });
      await sock.waitFor((f) => f.type === 'connection_ack');
      // The cookie made it a signed-in socket.
      sock.send({ type: 'subscribe', id: 'me', payload: { query: '{ me { name } }' } });
      const next = await sock.waitFor((f) => f.type === 'next' && f.id === 'me');
      expect(next.payload.data.me.name, JSON.stringify(headers)).toBe('volunteer');
      sock.close();
    }
  });

  it('an upgrade on another path is dropped', async () => {
    const outcome = await openRawSocket(s.wsUrl.replace('/graphql', '/elsewhere')).then(
      (r) => ('refused' in r ? `http ${r.status}` : 'open'),
      () => 'dropped',
    );
    expect(outcome).toBe('dropped');
  });
});
