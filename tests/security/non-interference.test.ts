// Non-interference: no answer to a viewer without access may depend on a private value.
//
// One world (two communities, coordinators, volunteers with homes, needs with claims, a
// released claim with a reason, a done need, duplicates pending, a recurring series, a road map,
// a webhook, notifications). For each generated variation only the private columns are written,
// straight into the database: every need of community A gets an exact point anywhere within
// 500 m of its (unchanged) public point and another address, requester name, phone and e-mail;
// A's volunteers who are not viewers get another home (or none) and phone. Then four viewers
// without access to any of that (anonymous, a volunteer of A holding no claim, a volunteer of B,
// a coordinator of B) run every query of the schema, `node`/`nodes` on every id they have seen,
// every export, and every subscription (opened, then the same public events triggered), each
// with every field they could select, and each answer must be the baseline's, byte for byte.
//
// The operations come from api/schema.graphql: a new field of a type is selected the day it
// is added; a new root field fails the coverage test below until it has cases here (CASES,
// SUBSCRIPTION_CASES: the arguments worth calling it with) or a reason in NOT_COVERED.
//
// Held fixed, as every public value: the clock (it stands still from the start). Normalised,
// each where it is done and why: the order of alike errors (canonical), the log of this test's
// own reads (forgetThisTestsReads), and in subscriptions what is new in each run by
// construction: its events' cursors, its claims' ids, the updatedAt of the needs it touched.
import fc from 'fast-check';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import {
  canonical,
  fieldsAt,
  idsIn,
  schema,
  operationOf,
  readHomeSecrets,
  readNeedSecrets,
  rootFields,
  selectionOf,
  writeHomeSecrets,
  writeNeedSecrets,
  type HomeSecrets,
  type NeedSecrets,
} from '../helpers/nonInterference.ts';
import { KM_PER_DEGREE } from '../../api/src/shared/geo.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const M_PER_DEGREE = KM_PER_DEGREE * 1000;
const SEED = Number(process.env.NON_INTERFERENCE_SEED ?? 20261204);
// Each run asks every question of every viewer (some 600 requests): 10 runs by default, more
// for a soak (NON_INTERFERENCE_RUNS=50); a failure prints the seed and path to replay it
// (NON_INTERFERENCE_SEED).
const RUNS = Number(process.env.NON_INTERFERENCE_RUNS ?? 10);
const SUBSCRIPTION_RUNS = Number(process.env.NON_INTERFERENCE_SUBSCRIPTION_RUNS ?? 3);
/** How deep object fields are followed below a root field's type (connections not counted). */
const DEPTH = 1;

type Point = { lat: number; lng: number };
type Viewer = { name: string; api: Api };

let s: TestServer;
const w = {} as {
  A: string;
  B: string;
  coordA: Api & { userId: string };
  coordB: Api & { userId: string };
  volA: Api & { userId: string };
  volB: Api & { userId: string };
  /** Holds a live claim on n2: may read its private details, and is not a viewer here. */
  claimant: Api & { userId: string };
  /** Acts in the subscription runs (claims and releases): not a viewer. */
  actor: Api & { userId: string };
  n1: string;
  sentinel: string;
  needsA: string[];
  needsB: string[];
  allNeeds: string[];
  publicPoints: Map<string, Point>;
  originalNeeds: Map<string, NeedSecrets>;
  /** The users of A whose home varies: none of them a viewer, none a member of B. */
  homeOwners: string[];
  originalHomes: Map<string, HomeSecrets>;
  periodStart: string;
  from: string;
  to: string;
  needsAfter: string;
  /** The newest event of the world as built, and one a dozen events earlier (replayed from). */
  setupEnd: bigint;
  setupCursor: string;
  /** A collection point of A with stock (its donor's phone on the ledger). */
  pointA: string;
  /** A home offered in A by its coordinator (its exact place and phone private). */
  offerA: string;
};

// ─── The cases: every root field, with arguments worth asking ─────────────────────────────────

type Case = { args: Record<string, unknown>; depth?: number };

/** Query fields, each with the arguments to call it with (the viewer's answer may be an error: it is compared too). */
const CASES: Record<string, () => Case[]> = {
  apiKeys: () => [{ args: {} }],
  boardStats: () => [{ args: {} }, { args: { communityIds: [w.A] } }, { args: { communityIds: [w.B] } }],
  // A's callers, as first recorded (their phones vary in each run): asked in B, in A (refused), and everywhere.
  callerNeeds: () =>
    [...new Set([w.n1, ...w.needsA.slice(0, 3)].map((id) => w.originalNeeds.get(id)!.requesterPhone ?? '+972 50 123 4567'))].flatMap((phone) => [
      { args: { phone } },
      { args: { phone, communityIds: [w.A] } },
      { args: { phone, communityIds: [w.B] } },
    ]),
  collectionPoints: () => [w.A, w.B].map((communityId) => ({ args: { communityId }, depth: 2 })),
  myOffers: () => [{ args: {} }],
  // Offers are ranked against needs by public values only: a need's exact place must not move them.
  needsForOffer: () => [{ args: { offerId: w.offerA } }],
  offer: () => [{ args: { id: w.offerA } }],
  offers: () => [w.A, w.B].map((c) => ({ args: { first: 20, filter: { communityIds: [c] } } })),
  offersForNeed: () => w.needsA.slice(0, 3).map((needId) => ({ args: { needId } })),
  communities: () => [{ args: {} }],
  duplicateCandidates: () => [{ args: {} }, { args: { communityIds: [w.A] } }, { args: { communityIds: [w.B] } }],
  exportToken: () => [{ args: {} }],
  // Places come from the gazetteer and the communities' public names and centres, never from a need.
  geocode: () => [{ args: { text: 'שדרות' } }, { args: { text: 'הרצל 3, בארי', communityId: w.A, language: 'en' } }],
  householdIndicators: () => [undefined, [w.A], [w.B]].map((communityIds) => ({ args: { ...(communityIds ? { communityIds } : {}), from: w.from, to: w.to, period: 'MONTH' } })),
  // Households are not written by the variations; a phone asked about is one of A's requesters' (varied).
  households: () => [
    { args: {} },
    { args: { communityIds: [w.A] } },
    { args: { communityIds: [w.B] } },
    { args: { phone: w.originalNeeds.get(w.n1)!.requesterPhone ?? '+972 50 123 4567' } },
  ],
  indicatorHouseholds: () =>
    [w.A, w.B].flatMap((communityId) => (['HELPED', 'RETURNING'] as const).map((measure) => ({ args: { communityId, measure, period: 'MONTH', periodStart: w.periodStart } }))),
  indicatorNeeds: () =>
    [w.A, w.B].flatMap((communityId) =>
      (['RECEIVED', 'MET', 'CRITICAL_RECEIVED'] as const).map((measure) => ({ args: { communityId, measure, period: 'MONTH', periodStart: w.periodStart } })),
    ),
  intakeDrafts: () => [{ args: {} }, { args: { communityIds: [w.A] } }],
  latestEventCursor: () => [{ args: {} }],
  me: () => [{ args: {} }],
  memberContact: () => [w.A, w.B].flatMap((communityId) => w.homeOwners.map((userId) => ({ args: { communityId, userId } }))),
  membershipApplications: () => [w.A, w.B].map((communityId) => ({ args: { communityId } })),
  myClaims: () => [{ args: {} }, { args: { live: false } }],
  myGroups: () => [{ args: {} }],
  myHandoverRequests: () => [{ args: {} }],
  myNotifications: () => [{ args: {} }, { args: { unreadOnly: true } }],
  nearbyNeeds: () => {
    const pub = w.publicPoints.get(w.n1)!;
    const exact = w.originalNeeds.get(w.n1)!;
    return [
      { args: { point: pub, radiusKm: 0.05 } },
      { args: { point: pub, radiusKm: 1 } },
      { args: { point: pub, radiusKm: 5, filter: { allOccurrences: true } } },
      { args: { point: { lat: exact.lat, lng: exact.lng }, radiusKm: 0.3 } },
      { args: { point: pub, radiusKm: 30, first: 3, filter: { categories: ['FOOD'], statuses: ['OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'CANCELLED'] } } },
    ];
  },
  // Two levels down for one need at a time: a shift of the series and one of each kind of
  // need (the other shifts are in the lists, and in node/nodes).
  need: () => [...w.needsA.slice(0, 9), w.needsB[0]!].map((id) => ({ args: { id }, depth: 2 })),
  needIndicators: () => [undefined, [w.A], [w.B]].map((communityIds) => ({ args: { ...(communityIds ? { communityIds } : {}), from: w.from, to: w.to, period: 'WEEK' } })),
  needs: () => {
    const pub = w.publicPoints.get(w.n1)!;
    return [
      { args: { first: 50 } },
      { args: { first: 50, filter: { allOccurrences: true } } },
      { args: { first: 50, sort: 'NEWEST', filter: { statuses: ['OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'CANCELLED'], allOccurrences: true } } },
      { args: { first: 50, sort: 'OLDEST', filter: { bbox: { minLat: pub.lat - 0.005, maxLat: pub.lat + 0.005, minLng: pub.lng - 0.005, maxLng: pub.lng + 0.005 } } } },
      { args: { first: 50, filter: { text: 'groceries' } } },
      { args: { first: 3, after: w.needsAfter } },
      { args: { last: 3, sort: 'OLDEST' } },
    ];
  },
  // A draft with n1's original contact, exact place, category and words: in B (the viewer's own, for coordB) and in A (refused).
  possibleDuplicates: () => {
    const exact = w.originalNeeds.get(w.n1)!;
    const draft = { requesterPhone: exact.requesterPhone, requesterEmail: exact.requesterEmail, lat: exact.lat, lng: exact.lng, category: 'FOOD', title: 'groceries' };
    return [w.B, w.A].flatMap((communityId) => [{ args: { draft: { communityId, ...draft } } }, { args: { draft: { communityId, lat: exact.lat, lng: exact.lng, category: 'FOOD' } } }]);
  },
  partnershipTotals: () => (['PLEDGED', 'DISBURSED', 'REMAINING'] as const).map((of) => ({ args: { of } })),
  partnerships: () => [{ args: {} }],
  privateAccessLog: () => [{ args: {} }, { args: { communityIds: [w.A] } }, { args: { first: 5 } }],
  recoveryRoadmap: () => [{ args: { communityId: w.A } }, { args: { communityId: w.B } }],
  stockItems: () => [w.A, w.B].map((communityId) => ({ args: { communityId } })),
  suggestedNeeds: () => [{ args: {} }, { args: { first: 100 } }],
  volunteerIndicators: () => [undefined, [w.A], [w.B]].map((communityIds) => ({ args: { ...(communityIds ? { communityIds } : {}), from: w.from, to: w.to, period: 'MONTH' } })),
  volunteerMatches: () => w.allNeeds.map((needId) => ({ args: { needId, first: 100 } })),
  vettingEvents: () => [w.A, w.B].map((communityId) => ({ args: { communityId } })),
  vettingRecords: () => [w.A, w.B].map((communityId) => ({ args: { communityId } })),
  webhooks: () => [{ args: {} }],
};

/** Root fields not run from CASES, and why. */
const NOT_COVERED: Record<string, string> = {
  node: 'run on every id the viewer has seen (and every need), with a fragment on each Node type: see nodeRequests',
  nodes: 'as node, all the ids at once',
};

/** One of the public events each run triggers: which need, and its status after. */
type RunEvent = { needId: string; toStatus: 'CLAIMED' | 'OPEN' };

type SubscriptionCase = {
  args: Record<string, unknown>;
  depth?: number;
  until: 'first' | 'n1Twice' | 'sentinel';
  /** Which of the run's events it is sent (all of them unless said). */
  receives?: (e: RunEvent) => boolean;
};

const SUBSCRIPTION_CASES: Record<string, () => SubscriptionCase[]> = {
  boardStats: () => [{ args: {}, until: 'first' }, { args: { communityIds: [w.B] }, until: 'first' }],
  duplicateQueue: () => [{ args: {}, until: 'first' }],
  intakeDraftsChanged: () => [{ args: {}, until: 'first' }],
  membershipApplicationsChanged: () => [w.A, w.B].map((communityId) => ({ args: { communityId }, until: 'first' as const })),
  myNotifications: () => [{ args: {}, until: 'first' }],
  needChanged: () => [{ args: { id: w.n1 }, until: 'n1Twice', receives: (e) => e.needId === w.n1 }],
  stockChanged: () => [{ args: { collectionPointId: w.pointA }, until: 'first' }],
  needEvents: () => {
    const pub = w.publicPoints.get(w.n1)!;
    const sentinel = w.publicPoints.get(w.sentinel)!;
    // East of n1's public point (by ~95 m) to past the sentinel's: n1's exact point is inside
    // in some variations, its public point never.
    const east = { minLat: Math.min(pub.lat, sentinel.lat) - 0.006, maxLat: Math.max(pub.lat, sentinel.lat) + 0.006, minLng: pub.lng + 0.001, maxLng: sentinel.lng + 0.001 };
    return [
      { args: {}, until: 'sentinel' },
      { args: { filter: { needIds: [w.n1, w.sentinel] } }, until: 'sentinel' },
      { args: { filter: { bbox: east } }, until: 'sentinel', receives: (e) => e.needId === w.sentinel },
      { args: { filter: { communityIds: [w.A], statuses: ['OPEN', 'CLAIMED'] } }, until: 'sentinel' },
      // Replayed from the world's history, then live.
      { args: { after: w.setupCursor }, until: 'sentinel' },
    ];
  },
};

const NOT_COVERED_SUBSCRIPTIONS: Record<string, string> = {};

// ─── Running them ─────────────────────────────────────────────────────────────────────────────

/** An answer by request (its key); `status body` of each, in canonical form. */
type Answers = Map<string, string>;

async function post(api: Api, query: string, variables: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(api.token ? { authorization: `Bearer ${api.token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return `${res.status} ${canonical(await res.text())}`;
}

/** At most `n` at a time, answers in the order given. */
async function inTurn<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

type GraphqlRequest = {
  key: string;
  /** Root fields under aliases, and the one type an interface stands for in the answers (see fieldsAt). */
  aliases?: Record<string, string>;
  concrete?: string;
  build: (omit: readonly string[]) => { query: string; variables: Record<string, unknown> };
};

/**
 * nodes(ids) and node(id) for each id, the ids of one type together, 10 to a request (under the
 * alias and cost limits), with every field of that type (a fragment on every Node type at
 * once would merge fields of one name and different types, which GraphQL refuses): objects one
 * level down for node, leaves only for nodes (a list costs more).
 */
function nodeRequests(ids: string[]): GraphqlRequest[] {
  const byType = new Map<string, string[]>();
  for (const id of [...new Set(ids)].sort()) {
    const type = Buffer.from(id, 'base64').toString().split(':')[0]!;
    const named = schema.getType(type);
    if (!named || !isObjectType(named) || !named.getInterfaces().some((i) => i.name === 'Node')) continue;
    byType.set(type, [...(byType.get(type) ?? []), id]);
  }
  const out: GraphqlRequest[] = [];
  for (const [type, all] of byType) {
    const fragment = (omit: readonly string[], depth: number) => `fragment Fields on ${type} ${selectionOf(schema.getType(type)!, depth, omit)}`;
    for (let i = 0; i < all.length; i += 10) {
      const chunk = all.slice(i, i + 10);
      out.push({
        key: `nodes ${chunk.join(',')}`,
        concrete: type,
        build: (omit) => ({ query: `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ...Fields } } ${fragment(omit, 0)}`, variables: { ids: chunk } }),
      });
      out.push({
        key: `node ${chunk.join(',')}`,
        aliases: Object.fromEntries(chunk.map((_, j) => [`n${j}`, 'node'])),
        concrete: type,
        build: (omit) => ({
          query: `query(${chunk.map((_, j) => `$i${j}: ID!`).join(', ')}) { ${chunk.map((_, j) => `n${j}: node(id: $i${j}) { __typename id ...Fields }`).join(' ')} } ${fragment(omit, 0)}`,
          variables: Object.fromEntries(chunk.map((id, j) => [`i${j}`, id])),
        }),
      });
    }
  }
  return out;
}

const caseRequests = (): GraphqlRequest[] =>
  Object.entries(CASES).flatMap(([field, list]) =>
    list().map((c) => ({ key: `${field} ${JSON.stringify(c.args)}`, build: (omit: readonly string[]) => ({ query: operationOf('query', field, c.args, c.depth ?? DEPTH, omit), variables: c.args }) })),
  );

const EXPORTS = () => [
  ...(['needs', 'events', 'indicators', 'partnerships'] as const).flatMap((kind) => (['csv', 'ndjson', 'json'] as const).flatMap((format) => ['', '?private=1'].map((q) => `${kind}.${format}${q}`))),
  `needs.json?private=1&communityId=${w.A}`,
  `events.ndjson?communityId=${w.A}`,
];

async function exportAnswer(api: Api, path: string): Promise<string> {
  const res = await fetch(`${api.url}/api/export/${path}`, { headers: api.token ? { authorization: `Bearer ${api.token}` } : {} });
  return `${res.status} ${res.headers.get('content-type')} ${await res.text()}`;
}

type Job = { key: string; run: (api: Api) => Promise<string>; refused?: readonly string[] };

/** Answers that list the log of private reads: asked before anything of the pass is read. */
const readsTheLog = (key: string) => key.startsWith('privateAccessLog ');

const AUTHORIZATION = new Set(['FORBIDDEN', 'UNAUTHENTICATED']);

/**
 * What a viewer asks. Each operation twice: with every field (a field the viewer may not read
 * answers FORBIDDEN, and a non-null one takes its parent down with it), and with only the fields
 * they may read, found by leaving out, one round at a time, each field that answered
 * FORBIDDEN or UNAUTHENTICATED below the root. The first shows that refusals do not depend on
 * private values either; the second, that everything readable is compared, not nulled away.
 */
async function planFor(api: Api, requests: GraphqlRequest[], exports = false): Promise<Job[]> {
  const omitted = new Map(requests.map((r) => [r, [] as string[]]));
  let probing = requests;
  for (let round = 0; probing.length && round < 20; round++) {
    const bodies = await inTurn(probing, 4, (r) => {
      const { query, variables } = r.build(omitted.get(r)!);
      return post(api, query, variables);
    });
    probing = probing.filter((r, i) => {
      const body = JSON.parse(bodies[i]!.replace(/^\d+ /, ''));
      const omit = omitted.get(r)!;
      const refused = ((body.errors ?? []) as { path?: (string | number)[]; extensions?: { code?: string } }[])
        .filter((e) => AUTHORIZATION.has(e.extensions?.code ?? '') && (e.path?.length ?? 0) > 1)
        .flatMap((e) => fieldsAt('query', e.path!, r.aliases, r.concrete))
        .filter((f) => !omit.includes(f));
      omit.push(...new Set(refused));
      return refused.length > 0;
    });
  }
  const jobs: Job[] = [];
  for (const r of requests) {
    const full = r.build([]);
    jobs.push({ key: r.key, run: (a) => post(a, full.query, full.variables) });
    const omit = omitted.get(r)!;
    if (omit.length) {
      const readable = r.build(omit);
      jobs.push({ key: `${r.key} (what it may read)`, run: (a) => post(a, readable.query, readable.variables), refused: omit });
    }
  }
  if (exports) for (const path of EXPORTS()) jobs.push({ key: `GET /api/export/${path}`, run: (a) => exportAnswer(a, path) });
  return jobs;
}

/** The whole plan of a viewer: every case, every export, and node/nodes on every id in its answers (and every need's). */
async function fullPlanFor(api: Api): Promise<Job[]> {
  const cases = await planFor(api, caseRequests(), true);
  const seen = new Set<string>(w.allNeeds);
  for (const a of (await answersOf(api, cases)).values()) {
    const json = a.slice(a.indexOf(' ') + 1);
    if (json.startsWith('{')) idsIn(JSON.parse(json), seen);
  }
  return [...cases, ...(await planFor(api, nodeRequests([...seen])))];
}

/**
 * Reads of private details are logged, by design, and coordinators list that log: a viewer's
 * own reads in one pass (a coordinator of B reading B's needs) would show in the next. The log
 * goes back to what the world had before each pass: the reads logged since it was built are
 * taken out.
 */
async function forgetThisTestsReads(): Promise<void> {
  const prisma = s.app.services.prisma;
  await prisma.privateAccessLog.deleteMany({ where: { id: { notIn: worldReads.privateAccess } } });
  await prisma.draftAccessLog.deleteMany({ where: { id: { notIn: worldReads.draftAccess } } });
}

async function answersOf(api: Api, jobs: Job[]): Promise<Answers> {
  await forgetThisTestsReads();
  const ordered = [...jobs.filter((j) => readsTheLog(j.key)), ...jobs.filter((j) => !readsTheLog(j.key))];
  const logs = ordered.filter((j) => readsTheLog(j.key)).length;
  const answers = [...(await inTurn(ordered.slice(0, logs), 1, (j) => j.run(api))), ...(await inTurn(ordered.slice(logs), 4, (j) => j.run(api)))];
  return new Map(ordered.map((j, i) => [j.key, answers[i]!]));
}

/** The cases whose answers differ, with both answers (shortened), for the failure message. */
function differences(baseline: Answers, now: Answers): { key: string; baseline: string; now: string }[] {
  const out = [];
  for (const [key, b] of baseline) {
    const n = now.get(key);
    if (n === b) continue;
    // Where they part (long answers would be cut before it), with some context on each side.
    const other = n ?? '<missing>';
    let at = 0;
    while (at < b.length && b[at] === other[at]) at++;
    const from = Math.max(0, at - 1_000);
    out.push({ key, at, baseline: b.slice(from, at + 1_000), now: other.slice(from, at + 1_000) });
  }
  return out;
}

// ─── Variations of the private values ─────────────────────────────────────────────────────────

/** A point uniformly within `radiusM` of `p`. */
const pointWithin = (p: Point, radiusM: number) =>
  fc.record({ u: fc.double({ min: 0, max: 1, noNaN: true }), angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }) }).map(({ u, angle }) => {
    const r = radiusM * Math.sqrt(u);
    return {
      lat: p.lat + (r * Math.cos(angle)) / M_PER_DEGREE,
      lng: p.lng + (r * Math.sin(angle)) / (M_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180)),
    };
  });

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((t) => !t.includes('\u0000'));
const phone = fc.stringMatching(/^\+972-5[0-9]-[0-9]{3}-[0-9]{4}$/);
const email = fc.emailAddress().map((e) => e.toLowerCase());

const needSecrets = (pub: Point): fc.Arbitrary<NeedSecrets> =>
  fc.record({
    point: pointWithin(pub, 500),
    address: text,
    requesterName: text,
    requesterPhone: fc.option(phone),
    requesterEmail: fc.option(email),
  }).map(({ point, ...rest }) => ({ ...point, ...rest }));

const homeSecrets: fc.Arbitrary<HomeSecrets> = fc.record({
  home: fc.option(fc.record({ lat: fc.double({ min: 29.5, max: 33.3, noNaN: true }), lng: fc.double({ min: 34.3, max: 35.9, noNaN: true }) })),
  homeArea: fc.option(text),
  phone: fc.option(phone),
}).map(({ home, homeArea, phone: p }) => ({ homeLat: home?.lat ?? null, homeLng: home?.lng ?? null, homeArea, phone: p }));

/** The private values, and the order they are written in (rows move in the table as they are rewritten). */
type Variation = { needs: Map<string, NeedSecrets>; homes: Map<string, HomeSecrets> };

const variation = (): fc.Arbitrary<Variation> =>
  fc
    .record({
      needs: fc.tuple(...w.needsA.map((id) => needSecrets(w.publicPoints.get(id)!))),
      needOrder: fc.shuffledSubarray([...w.needsA.keys()], { minLength: w.needsA.length }),
      homes: fc.tuple(...w.homeOwners.map(() => homeSecrets)),
      homeOrder: fc.shuffledSubarray([...w.homeOwners.keys()], { minLength: w.homeOwners.length }),
    })
    .map(({ needs, needOrder, homes, homeOrder }) => ({
      needs: new Map(needOrder.map((i) => [w.needsA[i]!, needs[i]!])),
      homes: new Map(homeOrder.map((i) => [w.homeOwners[i]!, homes[i]!])),
    }));

async function write(v: Variation): Promise<void> {
  const prisma = s.app.services.prisma;
  for (const [id, secrets] of v.needs) await writeNeedSecrets(prisma, uuidOf(id), secrets);
  for (const [id, secrets] of v.homes) await writeHomeSecrets(prisma, uuidOf(id), secrets);
}

const original = (): Variation => ({ needs: w.originalNeeds, homes: w.originalHomes });

// ─── The world ────────────────────────────────────────────────────────────────────────────────

const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;
const RELEASE = `mutation($id: ID!, $r: String) { releaseClaim(claimId: $id, reason: $r) { claim { id } } }`;
const PROFILE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`;
const PUBLIC = `query($id: ID!) { need(id: $id) { publicLat publicLng } }`;

let viewers: Viewer[];
let frozenNow: () => Date;
/** Real time when the world was built: a need's `updatedAt` is the database client's, not the app clock's. */
let worldBuilt: number;
/** The logged reads of private details the world was built with. */
let worldReads: { privateAccess: string[]; draftAccess: string[] };

beforeAll(async () => {
  s = await startServer({ LOG_LEVEL: 'silent' });
  // The clock stands still from the start. Everything in the world happens at one instant, so
  // an order that falls back on where a row lies in its table (rewritten rows move) shows up;
  // and `asOf`, time left on claims and the periods of indicators are the same in every run
  // (time is an input held fixed, like every public value).
  const instant = s.app.services.clock.now();
  frozenNow = () => new Date(instant);
  s.app.services.clock.now = frozenNow;
  const admin = await adminClient(s.url, s.app.services.prisma);
  w.A = await createCommunity(admin, undefined, { lat: 31.525, lng: 34.5969 });
  w.B = await createCommunity(admin, undefined, { lat: 31.252, lng: 34.791 });
  w.coordA = await member(s.url, admin, w.A, 'COORDINATOR');
  w.coordB = await member(s.url, admin, w.B, 'COORDINATOR');
  w.volA = await member(s.url, admin, w.A, 'VOLUNTEER', 'volunteer');
  w.volB = await member(s.url, admin, w.B, 'VOLUNTEER', 'volunteer');
  w.claimant = await member(s.url, admin, w.A, 'VOLUNTEER', 'volunteer');
  w.actor = await member(s.url, admin, w.A, 'VOLUNTEER', 'volunteer');
  const extra = await member(s.url, admin, w.A, 'VOLUNTEER', 'volunteer');
  const otherB = await member(s.url, admin, w.B, 'VOLUNTEER', 'volunteer');
  await w.volA.ok(PROFILE, { input: { skills: ['FOOD', 'TRANSPORT'], homeLat: 31.531, homeLng: 34.603, homeArea: 'Sderot' } });
  await w.volB.ok(PROFILE, { input: { skills: ['FOOD'], homeLat: 31.26, homeLng: 34.8, homeArea: 'Beersheba' } });
  await otherB.ok(PROFILE, { input: { skills: ['FOOD'], homeLat: 31.25, homeLng: 34.78 } });
  await w.claimant.ok(PROFILE, { input: { skills: ['FOOD'], homeLat: 31.522, homeLng: 34.59, homeArea: 'Sderot', phone: '+972-50-111-1111' } });
  await extra.ok(PROFILE, { input: { skills: ['TRANSPORT'], homeLat: 31.51, homeLng: 34.61 } });

  // Community A: the needs whose private values vary.
  const at = { lat: 31.5251, lng: 34.5972 };
  const n1 = await createNeed(w.coordA, w.A, { ...at, title: 'Groceries for a family of five', urgency: 'HIGH' });
  // Same place, same community: the same public point, so a tie in every distance.
  const twin = await createNeed(w.coordA, w.A, { lat: at.lat + 0.00003, lng: at.lng, title: 'Groceries again', urgency: 'HIGH', requesterPhone: '+972-52-222-3333' });
  const claimed = await createNeed(w.coordA, w.A, { lat: 31.528, lng: 34.6, title: 'A ride to the clinic', category: 'TRANSPORT', urgency: 'NORMAL' });
  const released = await createNeed(w.coordA, w.A, { lat: 31.52, lng: 34.59, title: 'Bread and milk', category: 'FOOD', urgency: 'LOW' });
  const done = await createNeed(w.coordA, w.A, { lat: 31.53, lng: 34.605, title: 'Insulin pick-up', category: 'MEDICINE', urgency: 'CRITICAL' });
  const dup1 = await createNeed(w.coordA, w.A, { lat: 31.523, lng: 34.598, title: 'Hot meals for grandmother', requesterPhone: '+972-54-999-0000', requesterEmail: 'family@example.org' });
  const dup2 = await createNeed(w.coordA, w.A, { lat: 31.5231, lng: 34.5981, title: 'Hot meals for grandma', requesterPhone: '+972-54-999-0000' });
  // The sentinel: about a kilometre east of n1, for the event subscriptions.
  const sentinel = await createNeed(w.coordA, w.A, { lat: at.lat, lng: at.lng + 0.0106, title: 'Water for the shelter', urgency: 'NORMAL' });
  const series = (await w.coordA.ok(
    `mutation($i: CreateNeedInput!, $r: RecurrenceInput!) { createRecurringNeed(input: $i, recurrence: $r) { id } }`,
    {
      i: { communityId: w.A, title: 'Daily hot meal', category: 'FOOD', urgency: 'NORMAL', lat: 31.5215, lng: 34.6011, address: '5 Hidden Lane', requesterName: 'Tamar', requesterPhone: '+972-53-444-5555' },
      r: { frequency: 'DAILY', startsAt: new Date(Date.now() + 86_400_000).toISOString(), count: 4, durationMinutes: 60, slotsPerOccurrence: 1 },
    },
  )).createRecurringNeed.map((n: { id: string }) => n.id);

  await w.claimant.ok(CLAIM, { id: claimed.id });
  const r = (await w.actor.ok(CLAIM, { id: released.id })).claimNeed.claim.id;
  await w.actor.ok(RELEASE, { id: r, r: 'My car broke down near the requester' });
  const d = (await w.actor.ok(CLAIM, { id: done.id })).claimNeed.claim.id;
  await w.actor.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: d });
  await w.actor.ok(`mutation($id: ID!) { completeClaim(claimId: $id, note: "Left it with the neighbour at no. 12") { claim { id } } }`, { id: d });
  const goal = (await w.coordA.ok(
    `mutation($c: ID!) { createRecoveryGoal(communityId: $c, title: "Feed every household", domain: SOCIAL_FABRIC) { id } }`,
    { c: w.A },
  )).createRecoveryGoal.id;
  for (const needId of [n1.id, ...series]) await w.coordA.ok(`mutation($g: ID!, $n: ID!) { linkNeedToGoal(goalId: $g, needId: $n) }`, { g: goal, n: needId });

  // Community B: what its coordinator and volunteer may see in full.
  const b1 = await createNeed(w.coordB, w.B, { lat: 31.253, lng: 34.792, title: 'Groceries in Beersheba' });
  const b2 = await createNeed(w.coordB, w.B, { lat: 31.2531, lng: 34.7921, title: 'Groceries in Beersheba again', requesterPhone: '+972-50-123-4567' });
  await w.coordB.ok(`mutation($c: ID!) { createWebhook(communityId: $c, url: "https://partner.example.org/hook") { secret } }`, { c: w.B });
  await w.coordB.ok(`query($id: ID!) { need(id: $id) { privateDetails { address } } }`, { id: b1.id });

  w.n1 = n1.id;
  w.sentinel = sentinel.id;
  w.needsA = [n1.id, twin.id, claimed.id, released.id, done.id, dup1.id, dup2.id, sentinel.id, ...series];
  w.needsB = [b1.id, b2.id];
  w.allNeeds = [...w.needsA, ...w.needsB];
  w.publicPoints = new Map();
  for (const id of w.allNeeds) {
    const p = (await new Api(s.url).ok(PUBLIC, { id })).need;
    w.publicPoints.set(id, { lat: p.publicLat, lng: p.publicLng });
  }
  w.originalNeeds = new Map();
  for (const id of w.needsA) w.originalNeeds.set(id, await readNeedSecrets(s.app.services.prisma, uuidOf(id)));
  w.homeOwners = [w.claimant.userId, w.actor.userId, extra.userId, w.coordA.userId];
  w.originalHomes = new Map();
  for (const id of w.homeOwners) w.originalHomes.set(id, await readHomeSecrets(s.app.services.prisma, uuidOf(id)));

  const now = frozenNow();
  const indicators = (await w.coordA.ok(
    `query($f: DateTime!, $t: DateTime!) { needIndicators(from: $f, to: $t, period: MONTH) { periodStart } }`,
    { f: new Date(now.getTime() - 40 * 86_400_000).toISOString(), t: new Date(now.getTime() + 86_400_000).toISOString() },
  )).needIndicators;
  w.periodStart = indicators[indicators.length - 1].periodStart;
  w.from = new Date(now.getTime() - 40 * 86_400_000).toISOString();
  w.to = new Date(now.getTime() + 86_400_000).toISOString();
  w.pointA = (await w.coordA.ok(`mutation($i: CreateCollectionPointInput!) { createCollectionPoint(input: $i) { id } }`, { i: { communityId: w.A, name: 'Hall', address: '1 Hall St', lat: 31.52, lng: 34.59, openingHours: [{ weekday: 'SUNDAY', opens: '09:00', closes: '12:00' }] } })).createCollectionPoint.id;
  const item = (await w.coordA.ok(`mutation($c: ID) { createStockItem(communityId: $c, name: "Rice", unit: KG) { id } }`, { c: w.A })).createStockItem.id;
  await w.coordA.ok(`mutation($i: RecordDonationInput!) { recordDonation(input: $i) { point { id } } }`, { i: { collectionPointId: w.pointA, itemId: item, quantity: 20, donorName: 'Donor', donorPhone: '+972-50-999-0009' } });
  w.offerA = (
    await w.coordA.ok(`mutation($input: CreateOfferInput!) { createOffer(input: $input) { offer { id } } }`, {
      input: {
        communityId: w.A,
        kind: 'HOSTING',
        title: 'A room for a family',
        place: { lat: 31.526, lng: 34.597, address: '7 Host Lane' },
        contactPhone: '+972-52-888-0008',
        availableUntil: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
        hosting: { beds: 3 },
      },
    })
  ).createOffer.offer.id;
  const page = (await new Api(s.url).ok(`{ needs(first: 2) { pageInfo { endCursor } } }`)).needs;
  w.needsAfter = page.pageInfo.endCursor;
  w.setupEnd = BigInt((await new Api(s.url).ok(`{ latestEventCursor }`)).latestEventCursor);
  // Events before the setup's last few, so that `after` replays history with reasons in it.
  w.setupCursor = String(w.setupEnd - 12n);

  worldBuilt = Date.now();
  worldReads = {
    privateAccess: (await s.app.services.prisma.privateAccessLog.findMany({ select: { id: true } })).map((r) => r.id),
    draftAccess: (await s.app.services.prisma.draftAccessLog.findMany({ select: { id: true } })).map((r) => r.id),
  };
  viewers = [
    { name: 'anonymous', api: new Api(s.url) },
    { name: 'volunteer of A without a claim', api: w.volA },
    { name: 'volunteer of B', api: w.volB },
    { name: 'coordinator of B', api: w.coordB },
  ];
}, 600_000);
afterAll(async () => s?.stop());

// ─── The tests ────────────────────────────────────────────────────────────────────────────────

describe('non-interference', () => {
  it('covers every query and subscription field of the schema (or says why not)', () => {
    const queries = rootFields('query').filter((f) => !(f in CASES) && !(f in NOT_COVERED));
    const subscriptions = rootFields('subscription').filter((f) => !(f in SUBSCRIPTION_CASES) && !(f in NOT_COVERED_SUBSCRIPTIONS));
    expect({ queriesWithoutCases: queries, subscriptionsWithoutCases: subscriptions }).toEqual({ queriesWithoutCases: [], subscriptionsWithoutCases: [] });
    // And no case for a field that is gone.
    const stale = [...Object.keys(CASES), ...Object.keys(NOT_COVERED)].filter((f) => !rootFields('query').includes(f));
    const staleSubscriptions = [...Object.keys(SUBSCRIPTION_CASES), ...Object.keys(NOT_COVERED_SUBSCRIPTIONS)].filter((f) => !rootFields('subscription').includes(f));
    expect([...stale, ...staleSubscriptions]).toEqual([]);
  });

  const baselines = new Map<string, Answers>();
  const plans = new Map<string, Job[]>();

  it('the baseline: the viewers really see the needs, and no operation is refused as invalid', { timeout: 600_000 }, async () => {
    await write(original());
    for (const v of viewers) {
      plans.set(v.name, await fullPlanFor(v.api));
      baselines.set(v.name, await answersOf(v.api, plans.get(v.name)!));
    }
    for (const [name, answers] of baselines) {
      for (const [key, a] of answers) {
        // The document itself is always valid: only authorization may refuse a field.
        expect(a, `${name}: ${key}`).not.toMatch(/GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|Unexpected error/);
      }
    }
    const data = (viewer: string, key: string) => {
      const answers = baselines.get(viewer)!;
      const a = answers.get(`${key} (what it may read)`) ?? answers.get(key)!;
      return JSON.parse(a.replace(/^\d+ /, '')).data;
    };
    const key = (field: string, args: Record<string, unknown>) => `${field} ${JSON.stringify(args)}`;
    // Not vacuous: each viewer sees A's needs where the board shows them.
    for (const v of viewers) {
      const board = data(v.name, key('needs', { first: 50 })).needs.edges.map((e: any) => e.node.id);
      expect(board, v.name).toContain(w.n1);
      const near = data(v.name, key('nearbyNeeds', { point: w.publicPoints.get(w.n1), radiusKm: 5, filter: { allOccurrences: true } })).nearbyNeeds.map((n: any) => n.id);
      expect(near, v.name).toEqual(expect.arrayContaining(w.needsA.filter((id) => id !== w.needsA[4])));
      const one = data(v.name, key('need', { id: w.n1 })).need;
      expect(one.seriesOccurrences).toEqual([]);
      expect(one.publicLat).toBe(w.publicPoints.get(w.n1)!.lat);
      expect(one.title).toBe('Groceries for a family of five');
    }
    const series = data('anonymous', key('need', { id: w.needsA[8] })).need.seriesOccurrences;
    expect(series).toHaveLength(4);
    const suggested = data('volunteer of A without a claim', key('suggestedNeeds', { first: 100 })).suggestedNeeds;
    expect(suggested.map((m: any) => m.need.id)).toEqual(expect.arrayContaining([w.n1, w.needsA[1], ...w.needsA.slice(8)]));
    expect(suggested.find((m: any) => m.need.id === w.n1).reasons.map((r: any) => r.code)).toContain('DISTANCE');
    const matches = data('coordinator of B', key('volunteerMatches', { needId: w.needsB[0], first: 100 })).volunteerMatches;
    expect(matches.length).toBeGreaterThanOrEqual(2);
    expect(data('coordinator of B', key('duplicateCandidates', {})).duplicateCandidates.length).toBeGreaterThan(0);
    expect(baselines.get('coordinator of B')!.get('GET /api/export/needs.json?private=1')).toContain('Groceries in Beersheba');
    expect(baselines.get('coordinator of B')!.get(`GET /api/export/needs.json?private=1&communityId=${w.A}`)).toMatch(/^403 /);
    // The node lookups reach more than needs: communities, users, claims, duplicates…
    const nodeAnswers = [...baselines.get('coordinator of B')!].filter(([k]) => k.startsWith('node ')).map(([, a]) => a).join();
    for (const type of ['Need', 'Community', 'User', 'DuplicateCandidate', 'Webhook']) expect(nodeAnswers, type).toContain(`"__typename":"${type}"`);
  });

  it('detects a dependency where there is one: the same machinery, for viewers who may read the private values', { timeout: 600_000 }, async () => {
    // A coordinator of A reads every private value of A's needs; the claimant, n2's, and their
    // own home. Their answers must change with the private values (or the comparison could
    // pass without looking).
    const privileged = [w.coordA, w.claimant];
    const before = [];
    for (const api of privileged) {
      const plan = await planFor(api, caseRequests());
      before.push({ api, plan, answers: await answersOf(api, plan) });
    }
    await write(fc.sample(variation(), { seed: SEED, numRuns: 1 })[0]!);
    try {
      for (const { api, plan, answers } of before) {
        const diff = differences(answers, await answersOf(api, plan)).map((d) => d.key);
        expect(diff).toContain(`need ${JSON.stringify({ id: w.needsA[2] })} (what it may read)`);
        expect(diff).toContain('me {}');
      }
    } finally {
      await write(original());
    }
  });

  it('lists keep their order when rows are rewritten: ties end on the id, not on where a row lies in its table', { timeout: 300_000 }, async () => {
    // Found by the property: the needs of a road map (ordered by creation alone) came back in
    // another order once only their private columns had been written (n1 and the shifts of the
    // series, created at one instant). Rewriting the same values in reverse order moves the rows.
    const anonymous = new Api(s.url);
    const read = async () => ({
      roadmap: (await anonymous.ok(`query($c: ID!) { recoveryRoadmap(communityId: $c) { needs { id } } }`, { c: w.A })).recoveryRoadmap,
      nearby: (await anonymous.ok(`query($p: PointInput!) { nearbyNeeds(point: $p, radiusKm: 5, filter: { allOccurrences: true }) { id } }`, { p: w.publicPoints.get(w.n1) })).nearbyNeeds,
      suggested: (await w.volA.ok(`{ suggestedNeeds(first: 100) { need { id } score } }`)).suggestedNeeds,
    });
    const before = await read();
    for (const order of [[...w.needsA].reverse(), w.needsA]) {
      for (const id of order) await writeNeedSecrets(s.app.services.prisma, uuidOf(id), w.originalNeeds.get(id)!);
      expect(await read()).toEqual(before);
    }
  });

  it('changing only private values leaves every answer of every viewer without access byte-for-byte the same', { timeout: 900_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(variation(), async (v) => {
        await write(v);
        for (const viewer of viewers) {
          const diff = differences(baselines.get(viewer.name)!, await answersOf(viewer.api, plans.get(viewer.name)!));
          if (diff.length) throw new Error(`${viewer.name} saw a private value:\n${JSON.stringify(diff, null, 1)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    await write(original());
  });

  it('subscriptions deliver the same payloads, whatever the private values, for the same public events', { timeout: 900_000 }, async () => {
    // Each viewer selects what it may read (the fields refused it anywhere in its queries left
    // out: refusals are the query property's, by the same types and rules). A need's `events`
    // (its history) grows by this test's own events in every run: the query property compares
    // it; here it is left out too.
    const ops = (viewer: string) => {
      const omit = ['Need.events', ...new Set(plans.get(viewer)!.flatMap((j) => j.refused ?? []))];
      return Object.entries(SUBSCRIPTION_CASES).flatMap(([field, cases]) =>
        cases().map((c) => ({ c, key: `${field} ${JSON.stringify(c.args)}`, query: operationOf('subscription', field, c.args, c.depth ?? DEPTH, omit) })),
      );
    };
    const stream = s.app.services.stream;
    const run = async (): Promise<Map<string, string>> => {
      const answers = new Map<string, string>();
      const start = BigInt((await new Api(s.url).ok(`{ latestEventCursor }`)).latestEventCursor);
      const idle = stream.subscriberCount;
      // First those that answer at once (the current dashboard, queue, drafts, notifications)…
      for (const viewer of viewers) {
        const client = viewer.api.ws();
        for (const { key, c, query } of ops(viewer.name).filter((o) => o.c.until === 'first')) answers.set(`${viewer.name}: ${key}`, await follow(client, query, c, start).answer);
        await client.dispose();
      }
      await expect.poll(() => stream.subscriberCount, { timeout: 20_000 }).toBe(idle);
      // …then those that wait for events: every one listening before the events happen.
      const clients: Client[] = [];
      const pending: { key: string; c: SubscriptionCase; followed: Followed }[] = [];
      for (const viewer of viewers) {
        const client = viewer.api.ws();
        clients.push(client);
        for (const { key, c, query } of ops(viewer.name).filter((o) => o.c.until !== 'first')) {
          // One at a time, each listening before the next is opened (and before the events).
          const listening = stream.subscriberCount + 1;
          pending.push({ key: `${viewer.name}: ${key}`, c, followed: follow(client, query, c, start) });
          await expect.poll(() => stream.subscriberCount, { timeout: 20_000, message: `${viewer.name}: ${key} never listened` }).toBe(listening);
        }
      }
      // The same public events in every run: n1 claimed and released, then the sentinel.
      const claims: string[] = [];
      // Each event read by the stream before the next change: an event carries its need as it
      // was when the stream read it, which must not depend on how fast that was.
      // And each event received, by every subscription it is sent to, before the next change:
      // a payload may also hold what a resolver reads when it runs (the claims others hold on the
      // need, for a member), which must not depend on whether it ran before the next change (on
      // a busy machine the replaying subscription's did not: a CI flake, not a leak).
      const happened: RunEvent[] = [];
      const read = async (e: RunEvent) => {
        const latest = BigInt((await new Api(s.url).ok(`{ latestEventCursor }`)).latestEventCursor);
        await expect.poll(() => stream.head >= latest, { timeout: 20_000 }).toBe(true);
        happened.push(e);
        for (const { key, c, followed } of pending) {
          const sent = happened.filter(c.receives ?? (() => true)).length;
          await expect.poll(() => followed.finished() || followed.received() >= sent, { timeout: 20_000, message: `${key} never received ${JSON.stringify(e)}` }).toBe(true);
        }
      };
      for (const id of [w.n1, w.sentinel]) {
        const claim = (await w.actor.ok(CLAIM, { id })).claimNeed.claim.id;
        claims.push(claim);
        await read({ needId: id, toStatus: 'CLAIMED' });
        await w.actor.ok(RELEASE, { id: claim, r: 'Something came up' });
        await read({ needId: id, toStatus: 'OPEN' });
      }
      // The claims of this run are new rows: their ids become their place in the run.
      const sameClaims = (a: string) => claims.reduce((text, id, i) => text.replaceAll(id, `<this run's claim ${i + 1}>`), a);
      for (const { key, followed } of pending) answers.set(key, sameClaims(await followed.answer));
      for (const client of clients) await client.dispose();
      await expect.poll(() => stream.subscriberCount, { timeout: 20_000 }).toBe(idle);
      return answers;
    };
    await write(original());
    // Once first, so that every run (the baseline too) starts after events of this test's own:
    // the same cursors, relative to the run, in each.
    await run();
    const baseline = await run();
    // Not vacuous: the events arrive, with the needs in them, for every viewer.
    for (const [k, v] of baseline) if (/needEvents|needChanged/.test(k)) expect(v, k).toContain(k.includes('bbox') ? w.sentinel : w.n1);
    await fc.assert(
      fc.asyncProperty(variation(), async (v) => {
        await write(v);
        const diff = differences(baseline, await run());
        if (diff.length) throw new Error(`a subscription carried a private value:\n${JSON.stringify(diff, null, 1)}`);
      }),
      { seed: SEED, numRuns: SUBSCRIPTION_RUNS, endOnFailure: true },
    );
    await write(original());
  });
});

type Followed = {
  /** Its results once its case is satisfied, in canonical form. */
  answer: Promise<string>;
  /** How many results of this run's events it has received. */
  received: () => number;
  /** Whether it has ended (its case satisfied, refused, or failed). */
  finished: () => boolean;
};

/**
 * One subscription's results until its case is satisfied, in canonical form. Normalised, because
 * each run's events are new rows, written at another moment: a cursor past the world as built
 * (an event's, or the dashboard's newest) becomes its place from this run's start (`@0`, `@1`…),
 * the `updatedAt` of a need the events touched becomes `<this run>` (and, in `run`, the ids of
 * this run's claims their place in it). Events replayed from
 * before this run but after the world was built (the previous runs' own) are left out. Nothing
 * else is touched.
 */
function follow(client: Client, query: string, c: SubscriptionCase, start: bigint): Followed {
  const items: unknown[] = [];
  let ofThisRun = 0;
  let ended = false;
  const answer = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${query} ${JSON.stringify(items)}`)), 30_000);
    const finish = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      dispose();
      resolve(items.map((i) => normalise(JSON.stringify(i), start)).join('\n'));
    };
    const dispose = client.subscribe(
      { query, variables: c.args },
      {
        next: (r) => {
          const e = (r.data as any)?.needEvents;
          if (e && BigInt(e.cursor) > w.setupEnd && BigInt(e.cursor) <= start) return;
          items.push(r);
          // An event of this run's (needChanged has no cursor and no history: each is).
          if (e?.cursor === undefined || BigInt(e.cursor) > start) ofThisRun++;
          if (c.until === 'first') return finish();
          if (c.until === 'n1Twice' && items.length === 2) return finish();
          if (c.until === 'sentinel' && e?.needId === w.sentinel && e.type === 'RELEASED') return finish();
          // Refused at the root: nothing will follow.
          if (r.errors?.some((e) => e.path?.length === 1) && !r.data) return finish();
        },
        error: (err) => {
          items.push({ error: err instanceof Error ? err.message : err });
          finish();
        },
        complete: () => finish(),
      },
    );
  });
  // Awaited once the events have happened; a timeout before then is not left unhandled meanwhile.
  answer.catch(() => {});
  return { answer, received: () => ofThisRun, finished: () => ended };
}

function normalise(json: string, start: bigint): string {
  return canonical(json)
    .replace(/"cursor":"(\d+)"/g, (m, seq) => (BigInt(seq) > w.setupEnd ? `"cursor":"@${BigInt(seq) - start}"` : m))
    .replace(/"updatedAt":"([^"]+)"/g, (m, at) => (new Date(at).getTime() > worldBuilt ? `"updatedAt":"<this run>"` : m));
}
