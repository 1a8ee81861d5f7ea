// Browser origins in production ("Attack surface"): a foreign page gets no CORS grant and
// no answer carrying the user's data; a listed origin (and the API's own) does; WebSockets
// follow the same rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/server.ts';
import { Api } from '../helpers/client.ts';

const LISTED = 'https://aid.example';
const EVIL = 'https://evil.test';

let s: TestServer;
let cookie: string;
let email: string;

beforeAll(async () => {
  s = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ALLOWED_ORIGINS: LISTED });
  const api = new Api(s.url);
  email = `origin-${Date.now()}@example.org`;
  await api.signUp(email);
  cookie = `ma_session=${api.token}`;
});
afterAll(async () => s?.stop());

const preflight = (origin: string) =>
  fetch(`${s.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

const me = (origin: string | undefined) =>
  fetch(`${s.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...(origin ? { origin } : {}) },
    body: JSON.stringify({ query: '{ me { email } }' }),
  });

const wsOutcome = (origin: string) =>
  new Promise<string>((resolve) => {
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { headers: { origin, cookie } });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    ws.on('error', () => resolve('error'));
  });

describe('CORS in production', () => {
  it('a foreign origin gets no CORS grant on a preflight', async () => {
    const res = await preflight(EVIL);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a credentialed request from a foreign origin is refused and carries no user data', async () => {
    const res = await me(EVIL);
    const body = await res.text();
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(body).not.toContain(email);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('a foreign origin is refused on the CSV routes too', async () => {
    // An unknown export: 404 when it reaches the route, 403 when refused before it.
    const url = `${s.url}/api/export/nothing.csv`;
    expect((await fetch(url, { headers: { cookie } })).status).toBe(404);
    const res = await fetch(url, { headers: { origin: EVIL, cookie } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a listed origin gets the grant with credentials and its answer', async () => {
    const pre = await preflight(LISTED);
    expect(pre.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    const res = await me(LISTED);
    expect(res.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await res.json()).data.me.email).toBe(email);
  });

  it('the same origin, and a client that sends no Origin, are answered', async () => {
    const same = await me(s.url);
    expect(same.headers.get('access-control-allow-origin')).toBe(s.url);
    expect((await same.json()).data.me.email).toBe(email);
    const none = await me(undefined);
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    expect((await none.json()).data.me.email).toBe(email);
  });

  it('WebSockets follow the same rule: a foreign origin is refused, a listed one opens', async () => {
    expect(await wsOutcome(EVIL)).toBe('http 403');
    expect(await wsOutcome(LISTED)).toBe('open');
  });
});
