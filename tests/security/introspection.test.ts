// Introspection in production: refused on HTTP and WebSocket alike, however it is dressed
// (aliases, fragments, a fragment named `__schema`, nested under data), before any
// resolver or SQL runs; `__typename` still works. (Development allows it: abuse.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { overHttp, overWs } from '../helpers/transports.ts';
import { Api } from '../helpers/client.ts';

let s: TestServer;
let token: string;

beforeAll(async () => {
  // No background outbox poll: it would show up in the statement counts.
  s = await startServer({ NODE_ENV: 'production', EVENT_POLL_MS: '3600000', LOG_LEVEL: 'silent' });
  const api = new Api(s.url);
  await api.signUp(`introspector-${Date.now()}@example.org`);
  token = api.token!;
});
afterAll(async () => s?.stop());

const PROBES: [string, string][] = [
  ['__schema', `{ __schema { types { name fields { name } } } }`],
  ['__type', `{ __type(name: "NeedPrivateDetails") { fields { name } } }`],
  ['aliased', `{ s: __schema { queryType { name } } }`],
  ['inside a fragment', `query { ...F } fragment F on Query { __schema { mutationType { name } } }`],
  ['a fragment named __schema', `query { ...__schema } fragment __schema on Query { __type(name: "User") { name } }`],
  ['nested under a field', `{ needs(first: 1) { edges { node { __typename community { __typename } } } } __type(name: "Need") { name } }`],
];

describe('introspection in production', () => {
  for (const [label, query] of PROBES) {
    it(`${label}: refused on both transports, before any SQL`, async () => {
      for (const who of [null, token]) {
        // What authenticating costs on both transports (a document refused by validation runs nothing else).
        let before = s.app.services.db.statements.count;
        await overHttp(s.url, '{ nothingHere }', {}, who);
        await overWs(s.url, '{ nothingHere }', {}, who);
        const authStatements = s.app.services.db.statements.count - before;
        before = s.app.services.db.statements.count;
        const http = await overHttp(s.url, query, {}, who);
        const ws = await overWs(s.url, query, {}, who);
        const label2 = `${label} (${who ? 'signed in' : 'anonymous'})`;
        expect(http.data, label2).toBeNull();
        expect(http.errors.map((e) => e.message).join(' '), label2).toMatch(/introspection/i);
        expect(ws.data, label2).toBeNull();
        expect(ws.errors.map((e) => e.message).join(' '), label2).toMatch(/introspection/i);
        // Nothing ran but the session checks of a signed-in caller.
        expect(s.app.services.db.statements.count - before, label2).toBe(authStatements);
        expect(JSON.stringify([http, ws]), label2).not.toMatch(/privateDetails|requesterPhone|NeedPrivateDetails\b.*fields/);
      }
    });
  }

  it('__typename is not introspection and still works on both transports', async () => {
    const http = await overHttp(s.url, `{ __typename latestEventCursor }`);
    const ws = await overWs(s.url, `{ __typename }`);
    expect(http.data).toMatchObject({ __typename: 'Query' });
    expect(ws.data).toEqual({ __typename: 'Query' });
  });

  it('no field, argument, type, enum or input-field suggestions leak the schema, in documents or in variables', async () => {
    const probes: [string, Record<string, unknown>][] = [
      [`{ needz { id } }`, {}],
      [`{ needs(frist: 1) { totalCount } }`, {}],
      [`{ needs(sort: URGENT) { totalCount } }`, {}],
      [`query($s: NeedSort) { needs(sort: $s) { totalCount } }`, { s: 'URGENT' }],
      [`{ ... on Qurey { me { name } } }`, {}],
      [`{ me { nmae } }`, {}],
      [`query($f: NeedFilter) { needs(filter: $f) { totalCount } }`, { f: { statuss: ['OPEN'] } }],
      [`{ needs(filter: { statuss: [OPEN] }) { totalCount } }`, {}],
      [`subscription($f: NeedEventFilter) { needEvents(filter: $f) { cursor } }`, { f: { categories: ['FOOOD'] } }],
    ];
    for (const [query, variables] of probes) {
      for (const out of [await overHttp(s.url, query, variables), await overWs(s.url, query, variables)]) {
        expect(out.errors.length, query).toBeGreaterThan(0);
        expect(JSON.stringify(out.errors), query).not.toMatch(/did you mean|URGENCY|"statuses"|"FOOD"/i);
      }
    }
  });

  it('GraphiQL is not served', async () => {
    const res = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/graphiql/i);
  });
});
