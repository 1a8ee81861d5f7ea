// Abusive requests beyond tests/api/hardening.test.ts: the same limits when the abuse hides
// in fragments, subscriptions or mutations, recursive fragments, batches and operation
// tricks, huge strings and deeply nested variables, CSRF by other simple requests. Each is
// refused on HTTP and WebSocket alike before any resolver (and so any SQL) runs, and the
// server stays up. Runs in development, where introspection is allowed (production:
// introspection.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { overHttp, overWs } from '../helpers/transports.ts';
import { openAcknowledged } from '../helpers/rawWs.ts';

let s: TestServer;

beforeAll(async () => {
  // No background outbox poll: it would show up in the statement counts.
  s = await startServer({ NODE_ENV: 'development', EVENT_POLL_MS: '3600000', LOG_LEVEL: 'silent' });
});
afterAll(async () => s?.stop());

const repeat = (n: number, f: (i: number) => string, sep = ' ') => Array.from({ length: n }, (_, i) => f(i)).join(sep);
const nest = (depth: number, inner: string, wrap: (x: string) => string) => (depth === 0 ? inner : wrap(nest(depth - 1, inner, wrap)));

const DOCUMENTS: [string, string, RegExp][] = [
  [
    'depth hidden in a chain of fragments',
    `{ needs(first: 1) { edges { node { ...A } } } } ${repeat(12, (i) => `fragment ${String.fromCharCode(65 + i)} on ${i % 2 ? 'Community' : 'Need'} { ${i % 2 ? `members(first: 1) { edges { node { user { memberships { community { ...${String.fromCharCode(66 + i)} } } } } } }` : `community { ...${String.fromCharCode(66 + i)} }`} }`)} fragment M on Need { id }`,
    /depth|cost/i,
  ],
  ['depth in a subscription', `subscription { needEvents { need { community { members(first: 1) { edges { node { user { memberships { community { members(first: 1) { edges { node { user { name } } } } } } } } } } } } } }`, /depth/i],
  ['aliases in a mutation', `mutation { ${repeat(60, (i) => `a${i}: signOut`)} }`, /alias/i],
  ['aliases spread over fragments', `{ ...F1 ...F2 ...F3 ...F4 } ${repeat(4, (k) => `fragment F${k + 1} on Query { ${repeat(6, (i) => `f${k}_${i}: latestEventCursor`)} }`)}`, /alias/i],
  ['directives on fragment spreads and inline fragments', `{ ...F ${'@include(if: true) '.repeat(30)} ... on Query ${'@skip(if: false) '.repeat(30)} { latestEventCursor } } fragment F on Query { latestEventCursor }`, /directive/i],
  ['tokens in a subscription', `subscription { needEvents { ${repeat(2_500, () => '__typename')} } }`, /token/i],
  ['mutually recursive fragments', `{ ...A } fragment A on Query { ...B latestEventCursor } fragment B on Query { ...A }`, /cycle|recurs|spread itself|Cannot spread/i],
  ['a self-recursive fragment named __type', `{ needs(first: 1) { edges { node { ...__type } } } } fragment __type on Need { community { __typename } ...__type }`, /cycle|recurs|spread itself|Cannot spread/i],
  ['recursive fragments in a subscription', `subscription { needEvents { ...E } } fragment E on NeedEvent { need { events(first: 1) { edges { node { ...E } } } } }`, /cycle|recurs|spread itself|Cannot spread/i],
  ['several operations and no operation name', `query A { latestEventCursor } mutation B { signOut }`, /operation/i],
];
/** Refused on both, but by each transport's own check (wording may differ). */
const OWN_WORDING = new Set<string>();

async function statementsDuring<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const before = s.app.services.db.statements.count;
  const out = await fn();
  return [out, s.app.services.db.statements.count - before];
}

describe('abusive documents, both transports, nothing executed', () => {
  for (const [label, query, message] of DOCUMENTS) {
    it(label, async () => {
      const [[http, ws], statements] = await statementsDuring(() => Promise.all([overHttp(s.url, query), overWs(s.url, query)]));
      expect(http.data, label).toBeNull();
      expect(ws.data, label).toBeNull();
      expect(http.errors.length, label).toBeGreaterThan(0);
      expect(ws.errors.length, label).toBeGreaterThan(0);
      expect(http.errors.map((e) => e.message).join(' | '), label).toMatch(message);
      // The same rule said the same thing on both transports.
      if (OWN_WORDING.has(label)) expect(ws.errors.map((e) => e.message).join(' | '), label).toMatch(message);
      else expect(ws.errors.map((e) => e.message), label).toEqual(http.errors.map((e) => e.message));
      expect(statements, label).toBe(0);
      // Refused with a code a client can act on, like every other error.
      for (const e of [...http.errors, ...ws.errors]) expect(e.extensions?.code, `${label}: ${e.message}`).toMatch(/^(GRAPHQL_(VALIDATION|PARSE)_FAILED|OPERATION_RESOLUTION_FAILURE)$/);
    });
  }

  it('the limits are not off by one: just under them is served', async () => {
    const [[http, ws]] = await statementsDuring(() =>
      Promise.all([overHttp(s.url, `{ ${repeat(15, (i) => `a${i}: latestEventCursor`)} }`), overWs(s.url, `{ ${repeat(10, () => '__typename')} latestEventCursor @include(if: true) }`)]),
    );
    expect(http.errors).toEqual([]);
    expect(ws.errors).toEqual([]);
  });
});

describe('introspection in development', () => {
  it('is allowed on both transports (GraphiQL and codegen use it)', async () => {
    const query = `{ __schema { queryType { name } } __type(name: "Need") { name } }`;
    for (const out of [await overHttp(s.url, query), await overWs(s.url, query)]) {
      expect(out.errors).toEqual([]);
      expect(out.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { name: 'Need' } });
    }
  });
});

describe('batches and operation tricks', () => {
  it('a batch, or a list where a query belongs, is refused over HTTP', async () => {
    for (const body of [[{ query: '{ a: latestEventCursor }' }, { query: '{ b: latestEventCursor }' }], { query: ['{ latestEventCursor }', '{ me { name } }'] }, { query: { kind: 'Document' } }]) {
      const [res, statements] = await statementsDuring(() =>
        fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      );
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(statements).toBe(0);
    }
  });

  it('a batch over WebSocket (an array payload) closes the socket as a bad message', async () => {
    const sock = await openAcknowledged(s.wsUrl);
    sock.ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: [{ query: '{ latestEventCursor }' }, { query: '{ me { name } }' }] }));
    expect((await sock.closed).code).toBe(4400);
  });

  it('a mutation cannot ride a GET, even with the CSRF header', async () => {
    const [res, statements] = await statementsDuring(() =>
      fetch(`${s.url}/graphql?query=${encodeURIComponent('mutation { signOut }')}`, { headers: { 'x-graphql-csrf': '1' } }),
    );
    expect(res.status).toBe(405);
    expect(statements).toBe(0);
  });
});

describe('huge inputs', () => {
  it('a string of 200 kB in a document or a variable is a typed validation error, before any SQL', async () => {
    const huge = 'x'.repeat(200_000);
    const inDocument = `mutation { signIn(email: "${huge}@example.org", password: "correct horse") { token } }`;
    const inVariables = `query($t: String) { needs(filter: { text: $t }) { totalCount } }`;
    const outcomes = await statementsDuring(() =>
      Promise.all([overHttp(s.url, inDocument), overWs(s.url, inDocument), overHttp(s.url, inVariables, { t: huge }), overWs(s.url, inVariables, { t: huge })]),
    );
    for (const out of outcomes[0]) expect(out.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(outcomes[1]).toBe(0);
  });

  it('10,000 ids in a filter are refused by the list limit, before any SQL', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`Need:${i}`).toString('base64'));
    const [outs, statements] = await statementsDuring(() =>
      Promise.all([
        overHttp(s.url, `query($f: NeedEventFilter) { needEvents: latestEventCursor }`, {}),
        overWs(s.url, `subscription($f: NeedEventFilter) { needEvents(filter: $f) { cursor } }`, { f: { needIds: ids.slice(0, 5_000) } }),
      ]),
    );
    expect(outs[1].errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(statements).toBe(0);
  });

  it('variables nested 50,000 deep are an error, not a crash', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const body = `{"query":"query($c: [NeedCategory!]) { needs(filter: { categories: $c }) { totalCount } }","variables":{"c":${deep}}}`;
    const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = await res.json();
    expect(json.data ?? null).toBeNull();
    expect(json.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(json)).not.toMatch(/Maximum call stack|RangeError/);
    // Still serving.
    expect((await overHttp(s.url, `{ latestEventCursor }`)).errors).toEqual([]);
  });

  it('a WebSocket message over the size limit closes the socket (1009) without reading it', async () => {
    const sock = await openAcknowledged(s.wsUrl);
    sock.ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: `{ latestEventCursor }`, variables: { pad: 'x'.repeat(300_000) } } }));
    expect((await sock.closed).code).toBe(1009);
  });
});

describe('cross-site requests without the CSRF header', () => {
  it('text/plain and multipart POSTs (simple requests, no preflight) are refused before any SQL', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: 'mutation { signOut }' }));
    form.set('map', '{}');
    const [responses, statements] = await statementsDuring(() =>
      Promise.all([
        fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { signOut }' }) }),
        fetch(`${s.url}/graphql`, { method: 'POST', body: form }),
      ]),
    );
    for (const res of responses) expect(res.status).toBeGreaterThanOrEqual(400);
    expect(statements).toBe(0);
  });
});
