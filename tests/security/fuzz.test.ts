// Property-based inputs to every mutation, every query that takes arguments (the filters)
// and every subscription, generated from the schema (helpers/arbitraries.ts), sent by callers
// of every kind. Whatever comes in: no crash, no masked "Unexpected error.", and every error
// carries a typed `extensions.code`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { GraphQLField } from 'graphql';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { overWs } from '../helpers/transports.ts';
import { operationFor, variablesArbitrary, type IdPools } from '../helpers/arbitraries.ts';
import { schema } from '../../api/src/schema/index.ts';

/** Runs per field; the whole file stays around a minute on both engines. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

let s: TestServer;
let callers: Api[];
let pools: IdPools;
const seenCodes = new Map<string, number>();

beforeAll(async () => {
  s = await startServer({ LOG_LEVEL: 'silent' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  const home = await createCommunity(admin);
  const other = await createCommunity(admin);
  const coordinator = await member(s.url, admin, home, 'COORDINATOR');
  const otherCoordinator = await member(s.url, admin, other, 'COORDINATOR');
  const volunteer = await member(s.url, admin, home, 'VOLUNTEER');
  const victim = await member(s.url, admin, home, 'VOLUNTEER', 'victim');
  const needs = [];
  for (const [who, c, slots] of [[coordinator, home, 1], [coordinator, home, 3], [otherCoordinator, other, 2]] as const) needs.push(await createNeed(who, c, { slots }));
  const claims = [];
  for (const n of needs.slice(0, 2)) claims.push((await victim.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: n.id })).claimNeed.claim.id);
  const started = (await volunteer.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: needs[1].id })).claimNeed.claim.id;
  await volunteer.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: started });
  pools = {
    Need: needs.map((n) => n.id),
    Claim: [...claims, started],
    Community: [home, other],
    User: [victim.userId],
  };
  // Anonymous, a volunteer, a coordinator, a coordinator elsewhere, an admin.
  callers = [new Api(s.url), volunteer, coordinator, otherCoordinator, admin];
}, 120_000);
afterAll(async () => {
  console.log(`[fuzz] ${RUNS} runs per field, seed ${SEED}; error codes seen: ${JSON.stringify(Object.fromEntries(seenCodes))}`);
  await s?.stop();
});

type Result = { status?: number; body: any };

function check(label: string, result: Result, variables: unknown) {
  const context = `${label} with ${JSON.stringify(variables).slice(0, 400)}`;
  expect(result.status ?? 200, context).toBeLessThan(500);
  for (const e of result.body?.errors ?? []) {
    const code = e.extensions?.code;
    seenCodes.set(code ?? 'none', (seenCodes.get(code ?? 'none') ?? 0) + 1);
    expect(e.message, `${context}: ${JSON.stringify(e)}`).not.toBe('Unexpected error.');
    expect(code, `${context}: ${JSON.stringify(e)}`).toEqual(expect.any(String));
    expect(code, `${context}: ${JSON.stringify(e)}`).not.toBe('INTERNAL_SERVER_ERROR');
  }
}

/** Mutations a fuzz run must not aim at its own caller's session. */
const SKIP_FOR_SIGNED_IN = new Set(['signOut']);

function rootFields(kind: 'Query' | 'Mutation' | 'Subscription'): GraphQLField<unknown, unknown>[] {
  const type = kind === 'Query' ? schema.getQueryType() : kind === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return Object.values(type!.getFields()).filter((f) => kind !== 'Query' || f.args.length > 0);
}

describe('every mutation', () => {
  for (const field of rootFields('Mutation')) {
    it(field.name, async () => {
      const operation = operationFor('mutation', field);
      await fc.assert(
        fc.asyncProperty(variablesArbitrary(field, pools), fc.nat(callers.length - 1), async (variables, who) => {
          const caller = SKIP_FOR_SIGNED_IN.has(field.name) ? callers[0]! : callers[who]!;
          const res = await fetch(`${s.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}) },
            body: JSON.stringify({ query: operation, variables }),
          });
          check(field.name, { status: res.status, body: await res.json() }, variables);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }, 60_000);
  }
});

describe('every query with arguments (filters, ids, paging)', () => {
  for (const field of rootFields('Query')) {
    it(field.name, async () => {
      const operation = operationFor('query', field);
      await fc.assert(
        fc.asyncProperty(variablesArbitrary(field, pools), fc.nat(callers.length - 1), async (variables, who) => {
          const caller = callers[who]!;
          const res = await fetch(`${s.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}) },
            body: JSON.stringify({ query: operation, variables }),
          });
          check(field.name, { status: res.status, body: await res.json() }, variables);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }, 60_000);
  }
});

describe('text PostgreSQL cannot store', () => {
  it('a NUL byte in a text input, a filter or an id is a typed error, and stores nothing', async () => {
    const coordinator = callers[2]!;
    const community = pools.Community![0]!;
    const probes: [Api, string, Record<string, unknown>][] = [
      [coordinator, `mutation($t: String!, $c: ID!) { createNeed(input: { communityId: $c, title: $t, category: FOOD, urgency: LOW, lat: 31.5, lng: 34.6, address: "1 A St", requesterName: "R" }) { need { id } } }`, { t: 'milk\u0000bread', c: community }],
      [callers[0]!, `mutation($n: String!) { signUp(input: { email: "nul-${SEED}@example.org", name: $n, password: "correct horse battery" }) { token } }`, { n: 'Nul\u0000Name' }],
      [callers[1]!, `query($t: String) { needs(filter: { text: $t }) { totalCount } }`, { t: '\u0000' }],
      [callers[1]!, `query($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from('Need:\u0000').toString('base64') }],
    ];
    for (const [caller, query, variables] of probes) {
      const res = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      check('NUL byte', { status: res.status, body }, variables);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });
});

describe('every subscription, over WebSocket', () => {
  for (const field of rootFields('Subscription')) {
    it(field.name, async () => {
      const operation = operationFor('subscription', field);
      await fc.assert(
        fc.asyncProperty(variablesArbitrary(field, pools), fc.nat(callers.length - 1), async (variables, who) => {
          const out = await overWs(s.url, operation, variables, callers[who]!.token, 1_500);
          check(field.name, { body: out }, variables);
        }),
        { numRuns: Math.ceil(RUNS / 2), seed: SEED, endOnFailure: true },
      );
    }, 90_000);
  }

  it('the server is still up and serving', async () => {
    expect((await callers[2]!.gql(`{ me { name } }`)).data?.me?.name).toBeTruthy();
    expect(s.app.services.stream.subscriberCount).toBe(0);
  });
});
