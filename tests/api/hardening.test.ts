// Abusive documents are rejected the same way over HTTP and WebSocket, before any resolver
// (and so any SQL) runs; CSRF and foreign Origins are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';

let s: TestServer;
let volunteer: Api;

beforeAll(async () => {
  // No background outbox poll, so that "no SQL ran" is exact.
  s = await startServer({ EVENT_POLL_MS: '600000' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  const community = await createCommunity(admin);
  const coordinator = await member(s.url, admin, community, 'COORDINATOR');
  await createNeed(coordinator, community);
  volunteer = await member(s.url, admin, community, 'VOLUNTEER');
  await new Promise((r) => setTimeout(r, 300)); // the event stream's read after the last commit
});
afterAll(async () => s?.stop());

const deep = `{ needs(first: 1) { edges { node { community { members(first: 1) { edges { node { user { memberships { community { members(first: 1) { edges { node { user { memberships { community { name } } } } } } } } } } } } } } } } }`;
const aliases = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: latestEventCursor`).join(' ')} }`;
const directives = `{ latestEventCursor ${'@include(if: true) '.repeat(60)} }`;
const tokens = `{ ${Array.from({ length: 1500 }, () => '__typename').join(' ')} }`;
const recursiveFragment = `{ ...__schema } fragment __schema on Query { ...__schema latestEventCursor }`;
const suggestion = `{ needz { id } }`;

const costly = `{ needs(first: 1000) { edges { node { id title community { name } } } } }`;

const ABUSE: [string, string][] = [
  ['cost over the limit', costly],
  ['deep nesting', deep],
  ['alias flood', aliases],
  ['directive flood', directives],
  ['token flood', tokens],
  ['recursive fragment named __schema', recursiveFragment],
];

/** Runs one document over graphql-ws and returns the error messages it got. */
function overWebSocket(query: string, token: string | null): Promise<string[]> {
  const ws = new Api(s.url);
  ws.token = token;
  const client = ws.ws();
  return new Promise((resolve) => {
    client.subscribe(
      { query },
      {
        next: (r) => resolve((r.errors ?? []).map((e) => e.message)),
        error: (e) => resolve((Array.isArray(e) ? e : [e]).map((x: any) => String(x?.message ?? x))),
        complete: () => resolve([]),
      },
    );
  }).finally(() => client.dispose()) as Promise<string[]>;
}

describe('abusive documents', () => {
  for (const [label, query] of ABUSE) {
    it(`${label}: rejected on HTTP and WebSocket before any resolver runs`, async () => {
      const anonymous = new Api(s.url);
      const before = s.app.services.db.statements.count;
      const http = await anonymous.gql(query);
      expect(http.data ?? null, label).toBeNull();
      expect(http.errors?.length, label).toBeGreaterThan(0);
      // Said plainly, with its code; never masked as an unexpected error.
      expect(http.errors![0]!.message, label).not.toBe('Unexpected error.');
      expect(http.errors![0]!.extensions?.code, label).not.toBe('INTERNAL_SERVER_ERROR');
      const ws = await overWebSocket(query, null);
      expect(ws.length, label).toBeGreaterThan(0);
      // The same rule said the same thing on both transports.
      expect(ws[0]).toBe(http.errors![0]!.message);
      // No resolver ran: not one SQL statement.
      expect(s.app.services.db.statements.count - before, label).toBe(0);
      // Signed in, the same.
      expect((await volunteer.gql(query)).errors?.[0]?.message).toBe(http.errors![0]!.message);
    });
  }

  it('field suggestions are not offered to probers', async () => {
    const http = await volunteer.gql(suggestion);
    expect(http.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const ws = await overWebSocket(suggestion, null);
    expect(ws.join(' ')).not.toMatch(/Did you mean/);
  });

  it('batched requests are refused', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ latestEventCursor }' }, { query: '{ latestEventCursor }' }]),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('huge bodies are refused before they are read', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', variables: { e: 'a@b.org', p: 'x'.repeat(2_000_000) } }),
    });
    expect(res.status).toBe(413);
  });

  it('long strings in input are validation errors', async () => {
    const r = await volunteer.gql(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: 'a@b.org', p: 'x'.repeat(10_000) });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('cross-site requests', () => {
  it('a GET without the CSRF header is refused; with it, served', async () => {
    const url = `${s.url}/graphql?query=${encodeURIComponent('{ latestEventCursor }')}`;
    const bare = await fetch(url);
    expect(bare.status).toBe(403);
    const withHeader = await fetch(url, { headers: { 'x-graphql-csrf': '1' } });
    expect(withHeader.status).toBe(200);
  });

  it('a form-encoded POST (no preflight) is refused', async () => {
    const res = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B%20latestEventCursor%20%7D',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('a WebSocket from a foreign Origin is refused even with a valid cookie', async () => {
    const cookie = `ma_session=${volunteer.token}`;
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { headers: { origin: 'https://evil.example', cookie } });
      ws.on('open', () => resolve('open'));
      ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('http 403');
    const allowed = await new Promise<string>((resolve) => {
      const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { headers: { origin: 'http://localhost:5173', cookie } });
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    });
    expect(allowed).toBe('open');
  });

  it('a WebSocket with a bad session is closed with 4403', async () => {
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authToken: 'forged' } })));
      ws.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4403);
  });
});
