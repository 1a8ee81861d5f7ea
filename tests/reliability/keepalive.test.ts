// A socket whose client stops answering pings is closed by the server's keep-alive with a code
// and a reason that say why (4408, "Keep-alive: …"), not terminated without one (graphql-ws's own
// keep-alive: the client saw 1006 and nothing else); and its subscriptions are let go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/server.ts';
import { KEEPALIVE_CLOSE } from '../../api/src/graphql/socketPressure.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ WS_KEEPALIVE_MS: '1000' });
});
afterAll(async () => s?.stop());

describe('the WebSocket keep-alive', () => {
  it('closes a socket that does not answer pings with 4408 and a reason', async () => {
    // autoPong off: the client reads everything but never answers a ping (a half-dead peer).
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { autoPong: false });
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason) })));
    let pinged = 0;
    ws.on('ping', () => pinged++);
    await new Promise((r) => ws.once('open', r));
    const acked = new Promise((r) => ws.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && r(null)));
    ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await acked;
    ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'subscription { needEvents { cursor } }' } }));
    await expect.poll(() => s.app.services.stream.subscriberCount).toBe(1);
    const { code, reason } = await closed;
    expect(pinged).toBeGreaterThan(0);
    expect(code).toBe(KEEPALIVE_CLOSE);
    expect(reason).toMatch(/^Keep-alive: no answer to a ping/);
    await expect.poll(() => s.app.services.stream.subscriberCount).toBe(0);
  }, 30_000);

  it('leaves a socket that answers alone', async () => {
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
    let pinged = 0;
    ws.on('ping', () => pinged++);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    // Several keep-alive rounds have gone by (a positive signal: pings received and answered).
    await expect.poll(() => pinged, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  }, 30_000);
});
