// The authorisation matrix, generated from the schema: every query, mutation and subscription
// field, for every role (anonymous, volunteer, claimant, coordinator of another community,
// coordinator, admin, and an operations centre's coordinator and hotline operator: the centre
// covers the coordinator's community). Each query and subscription asks for every restricted field it can
// reach (helpers/authMatrix.ts); each mutation is tried by every role its scope does not
// admit, and by coordinators of the wrong community. What came back is compared, for each
// private thing, with exactly the roles that may see it: one role too many is a leak, one too
// few means the probe never reached it (so the test cannot pass by asking for nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isAbstractType, isListType, isNonNullType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCentre, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { overHttp, overWs } from '../helpers/transports.ts';
import { argumentVariants, disclosures, isRestrictedField, matrixSelection, operationWithVariables, reachableRestrictions } from '../helpers/authMatrix.ts';
import { schema } from '../../api/src/schema/index.ts';

const ROLES = ['anonymous', 'volunteer', 'claimant', 'otherCoordinator', 'coordinator', 'admin', 'centreCoordinator', 'operator'] as const;
type Role = (typeof ROLES)[number];
const tag = Math.random().toString(36).slice(2, 8);
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const DEPTH = 6;

/** Private values planted in the fixture, and who may ever see each. */
const SECRET = {
  addressA: `7 Hidden Lane A-${tag}`,
  phoneA: '+972-50-111-0001',
  requesterA: `Requester A-${tag}`,
  addressB: `9 Hidden Lane B-${tag}`,
  phoneB: '+972-50-222-0002',
  requesterB: `Requester B-${tag}`,
  noteA: `claim note A-${tag}`,
  reasonA: `release reason A-${tag}`,
  addressO: `3 Operator Lane A-${tag}`,
  phoneO: '+972-50-333-0003',
  requesterO: `Requester O-${tag}`,
  /** A donor's phone on A's stock ledger, and a name in a group the claimant leads on a need of A. */
  donorPhone: '+972-50-444-0004',
  groupMember: `Group member G-${tag}`,
  offerAddressA: `5 Offer Origin A-${tag}`,
  offerDestinationA: `6 Offer Destination A-${tag}`,
  offerPhoneA: '+972-52-666-0006',
  offerAddressB: `8 Offer Home B-${tag}`,
  offerPhoneB: '+972-52-555-0005',
  householdA: `Household A-${tag}`,
  phoneH: '+972-50-777-0007',
};

let s: TestServer;
const api = {} as Record<Role, Api & { userId?: string }>;
const ids = {} as Record<string, string>;
let markerRoles: Record<string, Role[]>;
let expected: Record<string, Role[]>;
/** What each role was shown, per transport: disclosure key → roles. */
const seen = { query: new Map<string, Set<Role>>(), subscription: new Map<string, Set<Role>>(), mutation: new Map<string, Set<Role>>() };
const markersSeen = new Map<string, Set<Role>>();
const untyped: string[] = [];
/** What each subscription probe got first, per role: for the verdict's message. */
const subscriptionOutcomes: string[] = [];
const deniedMutations: string[] = [];
/** Mutations whose refusal came from authorisation (not from input validation first). */
const reachedAuthorisation = new Set<string>();
const CORE_MUTATIONS = new Set(['createNeed', 'updateNeed', 'cancelNeed', 'reopenNeed', 'assignNeed', 'unassignClaim', 'verifyCompletion', 'startClaim', 'releaseClaim', 'extendClaim', 'completeClaim', 'claimNeed', 'setMembershipRole', 'createCommunity']);

beforeAll(async () => {
  s = await startServer({ LOG_LEVEL: 'silent' });
  const admin = await adminClient(s.url, s.app.services.prisma);
  const A = await createCommunity(admin);
  const B = await createCommunity(admin);
  const coordinator = await member(s.url, admin, A, 'COORDINATOR', 'coordinator');
  const otherCoordinator = await member(s.url, admin, B, 'COORDINATOR', 'othercoordinator');
  const volunteer = await member(s.url, admin, A, 'VOLUNTEER', 'volunteer');
  const claimant = await member(s.url, admin, A, 'VOLUNTEER', 'claimant');
  // An operations centre covering A: its coordinator coordinates A, its operator takes A's calls in.
  const C = await createCentre(admin, [A]);
  const centreCoordinator = await member(s.url, admin, C, 'COORDINATOR', 'centrecoordinator');
  const operator = await member(s.url, admin, C, 'HOTLINE_OPERATOR', 'operator');
  const adminId = (await admin.ok(`{ me { id } }`)).me.id as string;
  Object.assign(api, { anonymous: new Api(s.url), volunteer, claimant, otherCoordinator, coordinator, admin: Object.assign(admin, { userId: adminId }), centreCoordinator, operator });
  // Every user gets a phone of their own (a marker, like their e-mail).
  for (const role of ROLES.slice(1)) await s.app.services.prisma.user.update({ where: { id: uuidOf(api[role].userId!) }, data: { phone: `+972-54-${tag.length}00-${ROLES.indexOf(role)}${ROLES.indexOf(role)}` } });

  // A household of A (recorded with consent), the one NA is for: A's coordinators and the operator answering for A.
  const HA = (await coordinator.ok(`mutation($c: ID!, $n: String!, $p: String) { createHousehold(input: { communityId: $c, consent: true, name: $n, phone: $p, size: 3, beneficiaryGroups: [EVACUEES] }) { id } }`, { c: A, n: SECRET.householdA, p: SECRET.phoneH })).createHousehold.id as string;
  const NA = await createNeed(coordinator, A, { householdId: HA, contactConsent: true, address: SECRET.addressA, requesterPhone: SECRET.phoneA, requesterName: SECRET.requesterA, slots: 2, title: 'Matrix need A' });
  const NA2 = await createNeed(coordinator, A, { slots: 2, title: 'Matrix need A2' });
  const NB = await createNeed(otherCoordinator, B, { address: SECRET.addressB, requesterPhone: SECRET.phoneB, requesterName: SECRET.requesterB, title: 'Matrix need B' });
  // Taken in by the operator on a call: theirs to see for OPERATOR_PRIVATE_HOURS (the test stays well within).
  const NO = await createNeed(operator, A, { address: SECRET.addressO, requesterPhone: SECRET.phoneO, requesterName: SECRET.requesterO, title: 'Matrix need O' });
  const claimOn = async (needId: string) => (await claimant.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: needId })).claimNeed.claim.id as string;
  const CA = await claimOn(NA.id);
  const released = await claimOn(NA2.id);
  await claimant.ok(`mutation($id: ID!, $r: String) { releaseClaim(claimId: $id, reason: $r) { claim { id } } }`, { id: released, r: SECRET.reasonA });
  const CN = await claimOn(NA2.id);
  await claimant.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: CN });
  await claimant.ok(`mutation($id: ID!, $n: String) { completeClaim(claimId: $id, note: $n) { claim { id } } }`, { id: CN, n: SECRET.noteA });
  // One read of private details in each community, for the access logs.
  await coordinator.ok(`query($id: ID!) { need(id: $id) { privateDetails { address } } }`, { id: NA.id });
  await otherCoordinator.ok(`query($id: ID!) { need(id: $id) { privateDetails { address } } }`, { id: NB.id });
  // A collection point of A with a donation whose donor left a phone; a group led by the claimant.
  const P = (await coordinator.ok(`mutation($i: CreateCollectionPointInput!) { createCollectionPoint(input: $i) { id } }`, { i: { communityId: A, name: 'Matrix point', address: 'Matrix hall', lat: 31.52, lng: 34.59 } })).createCollectionPoint.id as string;
  const I = (await coordinator.ok(`mutation($c: ID) { createStockItem(communityId: $c, name: "Matrix parcel", unit: PACK) { id } }`, { c: A })).createStockItem.id as string;
  await coordinator.ok(`mutation($i: RecordDonationInput!) { recordDonation(input: $i) { point { id } } }`, { i: { collectionPointId: P, itemId: I, quantity: 5, donorName: 'Matrix donor', donorPhone: SECRET.donorPhone } });
  const NG = await createNeed(coordinator, A, { slots: 5, title: 'Matrix need G', category: 'AGRICULTURE' });
  const G = (await claimant.ok(`mutation($i: ClaimNeedAsGroupInput!) { claimNeedAsGroup(input: $i) { group { id } } }`, { i: { needId: NG.id, name: 'Matrix group', size: 3, members: [{ name: SECRET.groupMember }] } })).claimNeedAsGroup.group.id as string;
  // Offers: a ride in A by the volunteer, matched (both sides accepted) to a transport need the
  // operator took in, who is then its need side; a home in B by B's coordinator, unmatched.
  const createOffer = async (who: Api, input: Record<string, unknown>) =>
    (await who.ok(`mutation($input: CreateOfferInput!) { createOffer(input: $input) { offer { id } } }`, { input })).createOffer.offer.id as string;
  const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const OA = await createOffer(volunteer, {
    communityId: A,
    kind: 'RIDE',
    title: 'Matrix ride A',
    place: { lat: 31.52, lng: 34.59, address: SECRET.offerAddressA },
    contactPhone: SECRET.offerPhoneA,
    availableUntil: until,
    ride: { destination: { lat: 31.25, lng: 34.79, address: SECRET.offerDestinationA }, seats: 3 },
  });
  const OB = await createOffer(otherCoordinator, {
    communityId: B,
    kind: 'HOSTING',
    title: 'Matrix home B',
    organisation: 'Matrix aid society',
    place: { lat: 31.52, lng: 34.59, address: SECRET.offerAddressB },
    contactPhone: SECRET.offerPhoneB,
    availableUntil: until,
    hosting: { beds: 2 },
  });
  const NT = await createNeed(operator, A, { category: 'TRANSPORT', title: 'Matrix ride need', destination: { lat: 31.25, lng: 34.79, address: 'matrix destination' } });
  const MA = (await coordinator.ok(`mutation($input: ProposeOfferMatchInput!) { proposeOfferMatch(input: $input) { match { id } } }`, { input: { offerId: OA, needId: NT.id, quantity: 1 } }))
    .proposeOfferMatch.match.id as string;
  for (const side of [volunteer, operator]) await side.ok(`mutation($id: ID!) { acceptOfferMatch(id: $id) { match { status } } }`, { id: MA });
  Object.assign(ids, { A, B, HA, NA: NA.id, NA2: NA2.id, NB: NB.id, NO: NO.id, CA, CN, CR: released, P, I, G, OA, OB, MA });

  const u = (r: Role) => api[r].userId!;
  const emailOf = async (r: Role) => (await s.app.services.prisma.user.findUniqueOrThrow({ where: { id: uuidOf(u(r)) } })).email;
  // Those who coordinate A: its coordinator, the coordinator of the centre covering it, admins.
  const coordinatorsOfA: Role[] = ['coordinator', 'centreCoordinator', 'admin'];
  markerRoles = {
    [SECRET.addressA]: ['claimant', ...coordinatorsOfA],
    [SECRET.phoneA]: ['claimant', ...coordinatorsOfA],
    [SECRET.requesterA]: ['claimant', ...coordinatorsOfA],
    [SECRET.addressB]: ['otherCoordinator', 'admin'],
    [SECRET.phoneB]: ['otherCoordinator', 'admin'],
    [SECRET.requesterB]: ['otherCoordinator', 'admin'],
    [SECRET.noteA]: ['claimant', ...coordinatorsOfA],
    [SECRET.reasonA]: ['claimant', ...coordinatorsOfA],
    [SECRET.addressO]: ['operator', ...coordinatorsOfA],
    [SECRET.phoneO]: ['operator', ...coordinatorsOfA],
    [SECRET.requesterO]: ['operator', ...coordinatorsOfA],
    [SECRET.donorPhone]: coordinatorsOfA,
    [SECRET.groupMember]: ['claimant', ...coordinatorsOfA],
    // An offer's: its offerer, its community's coordinators, the need side of an accepted match.
    [SECRET.offerAddressA]: ['volunteer', 'operator', ...coordinatorsOfA],
    [SECRET.offerDestinationA]: ['volunteer', 'operator', ...coordinatorsOfA],
    [SECRET.offerPhoneA]: ['volunteer', 'operator', ...coordinatorsOfA],
    [SECRET.offerAddressB]: ['otherCoordinator', 'admin'],
    [SECRET.offerPhoneB]: ['otherCoordinator', 'admin'],
    [SECRET.householdA]: ['operator', ...coordinatorsOfA],
    [SECRET.phoneH]: ['operator', ...coordinatorsOfA],
  };
  // A member's contact details: theirs, admins', and (memberContact, logged) their community's
  // coordinators'; the probe asks for the volunteer of A.
  const contactRoles = (r: Role): Role[] => (r === 'admin' ? ['admin'] : r === 'volunteer' ? [r, ...coordinatorsOfA] : [r, 'admin']);
  for (const r of ROLES.slice(1)) {
    markerRoles[(await emailOf(r))!] = contactRoles(r);
    markerRoles[(await s.app.services.prisma.user.findUniqueOrThrow({ where: { id: uuidOf(u(r)) } })).phone!] = contactRoles(r);
  }
  const own = (r: Role): Role[] => (r === 'admin' ? ['admin'] : [r, 'admin']);
  expected = {
    [`privateDetails@${NA.id}`]: ['claimant', ...coordinatorsOfA],
    [`privateDetails@${NB.id}`]: ['otherCoordinator', 'admin'],
    [`privateDetails@${NO.id}`]: ['operator', ...coordinatorsOfA],
    [`claims@${NA.id}`]: coordinatorsOfA,
    [`claims@${NB.id}`]: ['otherCoordinator', 'admin'],
    [`claims@${NO.id}`]: coordinatorsOfA,
    [`members@${A}`]: coordinatorsOfA,
    [`members@${B}`]: ['otherCoordinator', 'admin'],
    [`Claim@${CA}`]: ['claimant', ...coordinatorsOfA],
    [`Claim@${CN}`]: ['claimant', ...coordinatorsOfA],
    [`privateAccessLog@${NA.id}`]: coordinatorsOfA,
    [`privateAccessLog@${NB.id}`]: ['otherCoordinator', 'admin'],
    [`boardStats@${A}`]: coordinatorsOfA,
    [`boardStats@${B}`]: ['otherCoordinator', 'admin'],
    [`privateDetails@${OA}`]: ['volunteer', 'operator', ...coordinatorsOfA],
    [`privateDetails@${OB}`]: ['otherCoordinator', 'admin'],
    [`matches@${OA}`]: ['volunteer', ...coordinatorsOfA],
    [`matches@${OB}`]: ['otherCoordinator', 'admin'],
    [`OfferMatch@${MA}`]: ['volunteer', 'operator', ...coordinatorsOfA],
    // A need's offer matches: its side (coordinators, and the operator who took it in).
    [`offerMatches@${NA.id}`]: coordinatorsOfA,
    [`offerMatches@${NA2.id}`]: coordinatorsOfA,
    [`offerMatches@${NB.id}`]: ['otherCoordinator', 'admin'],
    [`offerMatches@${NO.id}`]: ['operator', ...coordinatorsOfA],
    [`household@${NA.id}`]: ['operator', ...coordinatorsOfA],
    [`Household@${HA}`]: ['operator', ...coordinatorsOfA],
  };
  for (const r of ROLES.slice(1)) for (const f of ['email', 'phone', 'memberships']) expected[`${f}@${u(r)}`] = own(r);
}, 120_000);

afterAll(async () => {
  if (process.env.DEBUG_MATRIX) {
    const name = (k: string) => k.replace(/@(.*)$/, (_, id) => `@${Object.entries(ids).find(([, v]) => v === id)?.[0] ?? ROLES.find((r) => api[r]?.userId === id) ?? id}`);
    const dump = Object.fromEntries(Object.entries(seen).map(([t, m]) => [t, Object.fromEntries([...m].map(([k, v]) => [name(k), [...v]]))]));
    (await import('node:fs')).writeFileSync('/tmp/matrix-seen.json', JSON.stringify({ dump, expected: Object.fromEntries(Object.entries(expected).map(([k, v]) => [name(k), v])) }, null, 1));
  }
  await s?.stop();
});

const RESTRICTED_FIELDS = new Set(['privateDetails', 'claims', 'members', 'email', 'phone', 'memberships', 'matches', 'offerMatches', 'household']);
const SCOPED_ROOTS = new Set(['privateAccessLog', 'boardStats']);

/** Arguments aimed at the fixture: ids by argument name, both communities, every user. */
function pick(argName: string, type: GraphQLInputType): unknown[] | undefined {
  const named = getNamedType(type).name;
  const list = isListType(isNonNullType(type) ? type.ofType : type);
  const users = ROLES.slice(1).map((r) => api[r].userId!);
  const all = [ids.NA, ids.NB, ids.NA2, ids.NO, ids.CA, ids.CN, ids.A, ids.B, ...users];
  const one = (candidates: string[]) => (list ? candidates.map((c) => [c]) : candidates);
  if (named === 'ID') {
    if (argName === 'ids') return [all];
    if (argName === 'id') return all;
    if (/^communityIds?$/.test(argName)) return list ? [undefined, [ids.A], [ids.B]] : [ids.A, ids.B];
    if (/claim/i.test(argName)) return one([ids.CA, ids.CN]);
    if (/point/i.test(argName)) return one([ids.P]);
    if (/item/i.test(argName)) return one([ids.I]);
    if (/group/i.test(argName)) return one([ids.G]);
    if (/offer/i.test(argName)) return one([ids.OA!, ids.OB!]);
    if (/user|volunteer/i.test(argName)) return one(users);
    if (/household/i.test(argName)) return one([ids.HA!]);
    if (/need|survivor|duplicate/i.test(argName)) return one([ids.NA, ids.NB, ids.NO]);
    return one([ids.NA, ids.NB]);
  }
  if (argName === 'first') return [20];
  if (argName === 'live') return [false];
  if (argName === 'radiusKm') return [100];
  if (argName === 'lat' || argName === 'centerLat') return [31.52];
  if (argName === 'lng' || argName === 'centerLng') return [34.59];
  // A need at a place (not remote) has an address: a complete input, so that what decides is who asks.
  if (argName === 'address') return ['matrix'];
  return undefined;
}

function noteResponse(transport: keyof typeof seen, role: Role, label: string, body: { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] }) {
  for (const e of body.errors ?? []) {
    if (!e.extensions?.code || e.message === 'Unexpected error.' || e.extensions.code === 'INTERNAL_SERVER_ERROR') untyped.push(`${label} as ${role}: ${JSON.stringify(e)}`);
  }
  const watched = new Set(Object.values(ids).concat(ROLES.slice(1).map((r) => api[r].userId!)));
  for (const key of disclosures(body.data, RESTRICTED_FIELDS, SCOPED_ROOTS, watched)) {
    if (!seen[transport].has(key)) seen[transport].set(key, new Set());
    seen[transport].get(key)!.add(role);
  }
  const text = JSON.stringify(body);
  for (const marker of Object.keys(markerRoles)) {
    if (text.includes(marker)) {
      if (!markersSeen.has(marker)) markersSeen.set(marker, new Set());
      markersSeen.get(marker)!.add(role);
      if (!markerRoles[marker]!.includes(role)) untyped.push(`LEAK of "${marker}" to ${role} through ${label}: ${text.slice(0, 600)}`);
    }
  }
}

const LIMITS = /depth|cost|token|alias|directive/i;

type Probe = { operation: string; variants: Record<string, unknown>[]; label: string };

/** Fixture ids of one GraphQL type (global ids start with the type name). */
const idsOfType = (typeName: string) =>
  [...Object.values(ids), ...ROLES.slice(1).map((r) => api[r].userId!)].filter((id) => Buffer.from(id, 'base64').toString().startsWith(`${typeName}:`));

/**
 * The probes for a root field: one document per restriction it can reach (and one for its
 * public fields), each the deepest (at most DEPTH) the server's own limits accept, with
 * argument variants aimed at the fixture. A field of an abstract type (node, nodes) is
 * probed per possible type, with the fixture's ids of that type.
 */
async function probesFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): Promise<Probe[]> {
  const type = getNamedType(field.type);
  const concrete = isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
  const out: Probe[] = [];
  for (const target of concrete) {
    let variants: Record<string, unknown>[];
    const own = idsOfType(target.name);
    if (isAbstractType(type) && own.length === 0) continue; // no object of this type to ask for
    if (own.length && field.args.some((a) => a.name === 'id' || a.name === 'ids')) {
      variants = argumentVariants(field, (name, t) => (name === 'id' ? own : name === 'ids' ? [own] : pick(name, t)));
    } else {
      variants = argumentVariants(field, pick);
    }
    const keys = [...reachableRestrictions(schema, target, DEPTH), 'public'];
    for (const key of keys) {
      let found: string | undefined;
      for (let depth = key === 'public' ? 3 : DEPTH; depth > 0 && found === undefined; depth--) {
        const inner = matrixSelection(schema, target, depth, key);
        const selection = isAbstractType(type) ? `{ __typename ... on ${target.name} ${inner} }` : inner;
        const operation = operationWithVariables(kind, field, selection);
        // Limits are checked before anything runs; the probe is anonymous, so a mutation is refused anyway.
        const probe = kind === 'subscription' ? await overWs(s.url, operation, variants[0]!, null, 200) : await overHttp(s.url, operation, {}, null);
        if (!probe.errors.some((e) => LIMITS.test(e.message))) found = operation;
      }
      if (found === undefined) throw new Error(`${field.name} on ${target.name} for ${key}: no document within the server's limits`);
      out.push({ operation: found, variants, label: `${kind} ${field.name}${isAbstractType(type) ? ` on ${target.name}` : ''} [${key}]` });
    }
  }
  return out;
}

const rootFields = (kind: 'Query' | 'Mutation' | 'Subscription') =>
  Object.values((kind === 'Query' ? schema.getQueryType() : kind === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType())!.getFields());

describe('queries', () => {
  it('every query field, every role, every private field it can reach', async () => {
    let operations = 0;
    for (const field of rootFields('Query')) {
      for (const probe of await probesFor('query', field)) {
        for (const variables of probe.variants) {
          await Promise.all(
            ROLES.map(async (role) => {
              const body = await api[role].gql(probe.operation, variables);
              operations++;
              noteResponse('query', role, `${probe.label}(${JSON.stringify(variables)})`, body);
            }),
          );
        }
      }
    }
    console.log(`[matrix] ${operations} query operations over ${rootFields('Query').length} fields`);
  }, 480_000);
});

/**
 * Events delivered to the sentinel: a subscription to every need's changes, opened after all
 * probes. Its count is the clock of the subscription test: a probe that has been open through
 * QUIET_EVENTS of them has had its chance, however slowly a loaded machine connects thousands
 * of sockets and delivers to them (a wall-clock timer read "nothing" there: CI, stop 24).
 */
let sentinelEvents = 0;
const QUIET_EVENTS = 20;
const onSentinelEvent = new Set<() => void>();

/** Settles once the sentinel has had `n` changes in all. */
const sentinelReached = (n: number) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (sentinelEvents < n) return;
      onSentinelEvent.delete(check);
      resolve();
    };
    onSentinelEvent.add(check);
  });

/** How long a probe waits for its first result: until the sentinel has had QUIET_EVENTS since its socket was acknowledged. */
const quiet = (acknowledged: Promise<void>) => acknowledged.then(() => sentinelReached(sentinelEvents + QUIET_EVENTS));

describe('subscriptions', () => {
  it('every subscription field, every role: first result after changes in both communities', async () => {
    // Find every probe first (each search opens short anonymous subscriptions), then open them all
    // together, then the sentinel: the changes below go on until every probe has its first result
    // or has been open through QUIET_EVENTS of them.
    const probes: Probe[] = [];
    for (const field of rootFields('Subscription')) probes.push(...(await probesFor('subscription', field)));
    const pending: Promise<void>[] = [];
    for (const probe of probes) {
      // NA2 is done and does not change: a subscription to it alone would only wait.
      for (const variables of probe.variants.filter((v) => !JSON.stringify(v).includes(ids.NA2!))) {
        for (const role of ROLES) {
          const label = `${probe.label}(${JSON.stringify(variables)})`;
          pending.push(
            overWs(s.url, probe.operation, variables, api[role].token ?? null, quiet).then((out) => {
              noteResponse('subscription', role, label, out as never);
              subscriptionOutcomes.push(`${role} ${label}: ${out.data ? 'data' : out.errors.length ? JSON.stringify(out.errors[0]).slice(0, 160) : `nothing through ${QUIET_EVENTS} changes`}`);
            }),
          );
        }
      }
    }
    const sentinel = api.admin.ws();
    const stopSentinel = sentinel.subscribe(
      { query: 'subscription { needEvents { __typename } }' },
      {
        next: () => {
          sentinelEvents++;
          for (const check of [...onSentinelEvent]) check();
        },
        error: (e) => expect.fail(`the sentinel subscription failed: ${JSON.stringify(e)}`),
        complete: () => {},
      },
    );
    // Something happens to a need in each community, again and again until every probe has had its first result or its quiet.
    let done = false;
    const all = Promise.all(pending).then(() => (done = true));
    try {
      for (let k = 0; !done; k++) {
        await new Promise((r) => setTimeout(r, 250));
        for (const id of [ids.NA, ids.NB]) await api.admin.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { description: "changed ${tag} ${k}" }) { need { id } } }`, { id });
      }
      await all;
    } finally {
      stopSentinel();
      await sentinel.dispose();
    }
    console.log(`[matrix] ${pending.length} subscriptions; the sentinel saw ${sentinelEvents} changes`);
  }, 480_000);
});

/** Who a mutation's scope admits, and for the core mutations, on which community's objects. */
function entitled(field: GraphQLField<unknown, unknown>, variables: Record<string, unknown>): Role[] | 'public' {
  const scopes = (field.extensions as { pothosOptions?: { authScopes?: Record<string, unknown> } }).pothosOptions?.authScopes ?? {};
  const targets = JSON.stringify(variables);
  const inA = [ids.A, ids.NA, ids.NA2, ids.NO, ids.CA, ids.CN].some((id) => targets.includes(id!));
  const holder = targets.includes(ids.CA) || targets.includes(ids.CN);
  // A's coordinators: its own, the centre's that covers it, admins. The centre's operator takes A's needs in and nothing else.
  const coordinatorsOfA: Role[] = ['coordinator', 'centreCoordinator', 'admin'];
  const core: Record<string, Role[]> = {
    createNeed: inA ? [...coordinatorsOfA, 'operator'] : ['otherCoordinator', 'admin'],
    updateNeed: inA ? coordinatorsOfA : ['otherCoordinator', 'admin'],
    cancelNeed: inA ? coordinatorsOfA : ['otherCoordinator', 'admin'],
    reopenNeed: inA ? coordinatorsOfA : ['otherCoordinator', 'admin'],
    assignNeed: inA ? coordinatorsOfA : ['otherCoordinator', 'admin'],
    unassignClaim: coordinatorsOfA,
    verifyCompletion: coordinatorsOfA,
    startClaim: holder ? ['claimant'] : [],
    releaseClaim: holder ? ['claimant'] : [],
    extendClaim: holder ? ['claimant'] : [],
    completeClaim: holder ? ['claimant', ...coordinatorsOfA] : [],
    claimNeed: inA ? ['volunteer', 'claimant', ...coordinatorsOfA] : ['otherCoordinator', 'admin'],
    setMembershipRole: inA ? coordinatorsOfA : ['otherCoordinator', 'admin'],
    createCommunity: ['admin'],
  };
  if (core[field.name]) return core[field.name]!;
  if ('public' in scopes) return 'public';
  if ('admin' in scopes) return ['admin'];
  if ('anyCoordinator' in scopes) return ['otherCoordinator', ...coordinatorsOfA];
  if ('anyIntake' in scopes) return ['otherCoordinator', ...coordinatorsOfA, 'operator'];
  return ['volunteer', 'claimant', 'otherCoordinator', 'coordinator', 'admin', 'centreCoordinator', 'operator'];
}

/**
 * Ids of the fixture point at needs, claims, communities and users; a mutation on some other
 * kind of object (a goal, a draft…) refuses them as bad input before asking who is calling.
 * Such an id is replaced by one of the right type (of no row) until authorisation is reached.
 */
async function refusedCall(caller: Api, operation: string, variables: Record<string, unknown>) {
  let vars = variables;
  for (let i = 0; i < 4; i++) {
    const body = await caller.gql(operation, vars);
    // A plain id argument (not a global id) wants a bare UUID.
    const malformed = body.errors?.[0]?.message.match(/^(\w+): Malformed id\.$/);
    if (malformed && malformed[1]! in vars) {
      vars = { ...vars, [malformed[1]!]: `00000000-0000-4000-8000-00000000000${i}` };
      continue;
    }
    const m = body.errors?.[0]?.message.match(/^ID: (\S+) is not of type: (\w+)/);
    if (!m) return { body, replaced: i > 0 };
    const replacement = Buffer.from(`${m[2]}:00000000-0000-4000-8000-00000000000${i}`).toString('base64');
    vars = JSON.parse(JSON.stringify(vars).split(m[1]!).join(replacement));
  }
  return { body: await caller.gql(operation, vars), replaced: true };
}

describe('mutations', () => {
  it('every mutation is refused, typed and without effect, for every role it does not admit', async () => {
    const count = async () => ({
      needs: await s.app.services.prisma.need.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, updatedAt: true, activeClaims: true } }),
      claims: await s.app.services.prisma.claim.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, expiresAt: true } }),
      events: await s.app.services.prisma.needEvent.count(),
      memberships: await s.app.services.prisma.membership.findMany({ orderBy: [{ userId: 'asc' }, { communityId: 'asc' }], select: { userId: true, communityId: true, role: true } }),
      communities: await s.app.services.prisma.community.count(),
      offers: await s.app.services.prisma.offer.findMany({ orderBy: { id: 'asc' }, select: { id: true, remaining: true } }),
      offerMatches: await s.app.services.prisma.offerMatch.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, offerAcceptedAt: true, needAcceptedAt: true } }),
    });
    const before = await count();
    let refused = 0;
    for (const field of rootFields('Mutation')) for (const probe of (await probesFor('mutation', field)).filter((p) => p.label.endsWith('[public]'))) {
      const operation = probe.operation;
      for (const variables of probe.variants) {
        const admitted = entitled(field, variables);
        if (admitted === 'public') continue;
        for (const role of ROLES) {
          if (admitted.includes(role)) continue;
          const { body, replaced } = await refusedCall(api[role], operation, variables);
          noteResponse('mutation', role, `mutation ${field.name}(${JSON.stringify(variables)})`, body);
          const code = body.errors?.[0]?.extensions?.code;
          const label = `${field.name} as ${role} on ${JSON.stringify(variables).slice(0, 200)}: ${JSON.stringify(body).slice(0, 300)}`;
          expect(JSON.stringify(body.data ?? {}), label).not.toMatch(/"(id|token|need|claim)":"/);
          // The core mutations are aimed at real rows of the fixture: refused by authorisation itself.
          // The others take inputs this generic probe cannot always make valid: refused by
          // validation (which runs first) or for a row that is not there counts too, as long as
          // nothing comes back and nothing changes (checked below).
          const strict = CORE_MUTATIONS.has(field.name) && !replaced;
          if (strict) expect(code, label).toMatch(role === 'anonymous' ? /^UNAUTHENTICATED$/ : /^(FORBIDDEN|UNAUTHENTICATED)$/);
          else expect(code, label).toMatch(/^(FORBIDDEN|UNAUTHENTICATED|BAD_USER_INPUT|NOT_FOUND)$/);
          if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') reachedAuthorisation.add(field.name);
          refused++;
          deniedMutations.push(`${field.name}:${role}`);
        }
      }
    }
    const after = await count();
    expect(after).toEqual(before);
    console.log(
      `[matrix] ${refused} refused mutation calls over ${rootFields('Mutation').length} mutations; refused by authorisation: ${reachedAuthorisation.size}, ` +
        `only by input validation first: ${JSON.stringify(rootFields('Mutation').map((f) => f.name).filter((n) => deniedMutations.some((d) => d.startsWith(`${n}:`)) && !reachedAuthorisation.has(n)))}`,
    );
    for (const name of CORE_MUTATIONS) expect(reachedAuthorisation.has(name), name).toBe(true);
  }, 240_000);
});

describe('the verdict', () => {
  it('no untyped error and no marker outside its roles, on any transport', () => {
    expect(untyped).toEqual([]);
  });

  it('each private value reached exactly the roles that may see it', () => {
    const got = Object.fromEntries(Object.keys(markerRoles).map((m) => [m, ROLES.filter((r) => markersSeen.get(m)?.has(r))]));
    const want = Object.fromEntries(Object.entries(markerRoles).map(([m, roles]) => [m, ROLES.filter((r) => roles.includes(r))]));
    expect(got).toEqual(want);
  });

  it('each restricted field and object, over queries: exactly its roles', () => {
    const got = Object.fromEntries(Object.keys(expected).map((k) => [k, ROLES.filter((r) => seen.query.get(k)?.has(r))]));
    const want = Object.fromEntries(Object.entries(expected).map(([k, roles]) => [k, ROLES.filter((r) => roles.includes(r))]));
    expect(got).toEqual(want);
  });

  it('over subscriptions: never beyond its roles, and private details reach those who may see them', () => {
    for (const [key, roles] of seen.subscription) {
      const allowed = expected[key];
      if (allowed) expect([...roles].filter((r) => !allowed.includes(r)), key).toEqual([]);
    }
    for (const key of [`privateDetails@${ids.NA}`, `privateDetails@${ids.NB}`, `boardStats@${ids.A}`, `boardStats@${ids.B}`]) {
      const root = key.split('@')[0] === 'boardStats' ? 'boardStats' : 'need';
      const missing = expected[key]!.filter((r) => !seen.subscription.get(key)?.has(r));
      const why = subscriptionOutcomes.filter((o) => missing.some((r) => o.startsWith(`${r} `)) && o.includes(`subscription ${root}`));
      expect(ROLES.filter((r) => seen.subscription.get(key)?.has(r)), `${key}; what the missing roles got:\n${why.join('\n')}`).toEqual(
        ROLES.filter((r) => expected[key]!.includes(r)),
      );
    }
  });

  it('over refused mutations: nothing private at all', () => {
    for (const [key, roles] of seen.mutation) {
      const allowed = expected[key] ?? [];
      expect([...roles].filter((r) => !allowed.includes(r)), key).toEqual([]);
    }
    // Every non-public mutation was tried by at least the anonymous caller.
    const tried = new Set(deniedMutations.map((d) => d.split(':')[0]));
    const nonPublic = rootFields('Mutation').filter((f) => entitled(f, {}) !== 'public');
    expect(nonPublic.filter((f) => !tried.has(f.name)).map((f) => f.name)).toEqual([]);
  });

  it('restricted fields are recognised from the schema (the generator is not blind)', () => {
    const need = schema.getType('Need') as any;
    expect(isRestrictedField(need.getFields().privateDetails)).toBe(true);
    expect(isRestrictedField(need.getFields().title)).toBe(false);
  });
});
