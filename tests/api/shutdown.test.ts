// app.stop() in-process: what it waits for and what it does not. A live subscription over
// server-sent events is not "in flight" (it lasts as long as its client wants): a shutdown with a
// long grace still ends at once, and the stream is ended with the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const EVENTS = `subscription($after: String) { needEvents(after: $after) { cursor type } }`;

let s: TestServer;
let stopped = false;

beforeAll(async () => {
  s = await startServer({ SHUTDOWN_GRACE_MS: '600000' });
}, 120_000);
afterAll(async () => {
  if (!stopped) await s?.stop();
});

describe('app.stop()', () => {
  it('does not wait for an open server-sent events subscription', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: EVENTS, variables: { after: '0' } }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open: its first bytes arrived
    const ended = (async () => {
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
    })();
    await s.stop(); // with a 10-minute grace: this test times out if the stream is waited for
    stopped = true;
    expect(await ended).toBe(true);
  }, 60_000);
});
