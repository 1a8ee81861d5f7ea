// Partners abroad: the coordinators of a partner community abroad (and the accounts of the joint
// team's members on the abroad side) read the paired community's dashboard, live, and its
// indicators and road map: public figures only. Every private field stays with the community's
// own coordinators; a community abroad that is not paired with it reads nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';

let s: TestServer;
let admin: Api;
let beeri: string;
let toronto: string;
let boston: string;
let beeriCoordinator: Api;
let torontoCoordinator: Api;
let bostonCoordinator: Api;
let partnershipId: string;
let need: any;
let householdId: string;

const SECRET = { address: '4 Hadekel St, Beeri', phone: '050-765-9988', requester: 'Miriam Secret' };
const codeOf = (r: { errors?: { extensions?: Record<string, any> }[] }) => r.errors?.[0]?.extensions?.code;
const abroadCommunity = async (name: string) =>
  (await admin.ok(`mutation($slug: String!, $name: String!) { createCommunity(input: { slug: $slug, name: $name, kind: PARTNER_ABROAD, area: $name, country: "CA", centerLat: 43.65, centerLng: -79.38 }) { id } }`, {
    slug: `${name.toLowerCase()}-${Date.now()}`,
    name,
  })).createCommunity.id as string;

const STATS = `boardStats(communityIds: $c) { open openByCommunity { community { id } count } unclaimedCritical { id title privateDetails { address requesterName requesterPhone } household { name phone } } }`;
const INDICATORS = `needIndicators(communityIds: $c, period: MONTH, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { community { id } category needsReceived }`;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  beeri = await createCommunity(admin, `Kibbutz Beeri ${Date.now()}`);
  toronto = await abroadCommunity('Toronto');
  boston = await abroadCommunity('Boston');
  beeriCoordinator = await member(s.url, admin, beeri, 'COORDINATOR');
  torontoCoordinator = await member(s.url, admin, toronto, 'COORDINATOR');
  bostonCoordinator = await member(s.url, admin, boston, 'COORDINATOR');
  partnershipId = (await beeriCoordinator.ok(
    `mutation($il: ID!, $ab: ID!) { createPartnership(israeliCommunityId: $il, abroadCommunityId: $ab, startDate: "2026-01-01T00:00:00Z", yearlyPledgeMinor: "25000000", currency: "USD") { id } }`,
    { il: beeri, ab: toronto },
  )).createPartnership.id;
  householdId = (await beeriCoordinator.ok(`mutation($c: ID!) { createHousehold(input: { communityId: $c, consent: true, name: "Secret household", phone: "${SECRET.phone}", size: 3 }) { id } }`, { c: beeri })).createHousehold.id;
  need = await createNeed(beeriCoordinator, beeri, { urgency: 'CRITICAL', title: 'Insulin run', address: SECRET.address, requesterPhone: SECRET.phone, requesterName: SECRET.requester });
  await beeriCoordinator.ok(`mutation($c: ID!) { createRecoveryGoal(communityId: $c, title: "Rebuild the dining hall", domain: INFRASTRUCTURE, budgetMinor: "100000000", currency: "USD") { id } }`, { c: beeri });
}, 60_000);
afterAll(async () => {
  await s?.stop();
});

/** No private value of Be'eri's in a response. */
const expectNothingPrivate = (body: unknown) => {
  const text = JSON.stringify(body);
  for (const v of [SECRET.address, SECRET.requester, '765-9988', '7659988', 'Secret household']) expect(text).not.toContain(v);
};

describe("a partner community abroad's coordinator", () => {
  it("reads the paired community's dashboard and indicators, with public data only", async () => {
    const stats = await torontoCoordinator.gql(`query($c: [ID!]) { ${STATS} }`, { c: [beeri] });
    expect(stats.data?.boardStats.open, JSON.stringify(stats)).toBe(1);
    expect(stats.data?.boardStats.openByCommunity).toEqual([{ community: { id: beeri }, count: 1 }]);
    const critical = stats.data?.boardStats.unclaimedCritical;
    expect(critical).toEqual([{ id: need.id, title: 'Insulin run', privateDetails: null, household: null }]);
    // Each private field refused as such.
    const refused = (stats.errors ?? []).map((e) => `${e.path?.slice(-1)[0]}:${e.extensions?.code}`).sort();
    expect(refused).toEqual(['household:FORBIDDEN', 'privateDetails:FORBIDDEN']);
    expectNothingPrivate(stats);

    const figures = (await torontoCoordinator.ok(`query($c: [ID!]) { ${INDICATORS} }`, { c: [beeri] })).needIndicators;
    expect(figures.find((f: any) => f.category === null)).toEqual({ community: { id: beeri }, category: null, needsReceived: 1 });
    // With no communities asked for: their own and the paired one.
    const all = (await torontoCoordinator.ok(`{ boardStats { open openByCommunity { community { id } } } }`)).boardStats;
    expect(all.open).toBe(1);

    // The road map, public anyway.
    const roadmap = (await torontoCoordinator.ok(`query($c: ID!) { recoveryRoadmap(communityId: $c) { title progress } }`, { c: beeri })).recoveryRoadmap;
    expect(roadmap).toEqual([{ title: 'Rebuild the dining hall', progress: 0 }]);
  }, 60_000);

  it('gets FORBIDDEN or null on every private field', async () => {
    const viaNeed = await torontoCoordinator.gql(`query($id: ID!) { need(id: $id) { title privateDetails { address } household { name } } }`, { id: need.id });
    expect(viaNeed.data?.need, JSON.stringify(viaNeed)).toEqual({ title: 'Insulin run', privateDetails: null, household: null });
    expect(viaNeed.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    for (const [label, query, variables] of [
      ['claims', `query($id: ID!) { need(id: $id) { claims { id } } }`, { id: need.id }],
      ['households', `query($c: [ID!]) { households(communityIds: $c) { name phone } }`, { c: [beeri] }],
      ['household node', `query($id: ID!) { node(id: $id) { ... on Household { name phone } } }`, { id: householdId }],
      ['indicatorNeeds', `query($c: ID!) { indicatorNeeds(communityId: $c, period: MONTH, periodStart: "2026-12-05T00:00:00Z", measure: RECEIVED) { id } }`, { c: beeri }],
      ['indicatorHouseholds', `query($c: ID!) { indicatorHouseholds(communityId: $c, period: MONTH, periodStart: "2026-12-05T00:00:00Z", measure: HELPED) { name } }`, { c: beeri }],
      ['privateAccessLog', `query($c: [ID!]) { privateAccessLog(communityIds: $c) { edges { node { at } } } }`, { c: [beeri] }],
      ['community members', `query($c: ID!) { node(id: $c) { ... on Community { members { edges { node { role } } } } } }`, { c: beeri }],
      ['duplicateCandidates', `query($c: [ID!]) { duplicateCandidates(communityIds: $c) { id } }`, { c: [beeri] }],
      ['intakeDrafts', `query($c: [ID!]) { intakeDrafts(communityIds: $c) { id } }`, { c: [beeri] }],
      ['caller lookup', `query($c: [ID!]) { callerNeeds(phone: "${SECRET.phone}", communityIds: $c) { id } }`, { c: [beeri] }],
    ] as const) {
      const body = await torontoCoordinator.gql(query, variables as Record<string, unknown>);
      const code = codeOf(body);
      expect(code === 'FORBIDDEN' || (body.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN'), `${label}: ${JSON.stringify(body).slice(0, 300)}`).toBe(true);
      expectNothingPrivate(body);
    }
    // Nor may they change anything of the community's.
    const edit = await torontoCoordinator.gql(`mutation($id: ID!) { updateNeed(id: $id, input: { title: "Changed" }) { need { id } } }`, { id: need.id });
    expect(codeOf(edit)).toBe('FORBIDDEN');
  }, 60_000);

  it('receives the live dashboard, public data only, as the community changes', async () => {
    const client = torontoCoordinator.ws();
    const live = collect<any>(client, `subscription($c: [ID!]) { ${STATS} }`, { c: [beeri] }, (items) => items.some((i) => i.boardStats.open === 2));
    // Wait for the first figures, then change the community.
    for (let i = 0; i < 200 && live.items.length === 0 && live.errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(live.items[0]?.boardStats.open).toBe(1);
    await createNeed(beeriCoordinator, beeri, { urgency: 'CRITICAL', title: 'Water for the clinic', address: SECRET.address, requesterName: SECRET.requester, requesterPhone: SECRET.phone });
    const items = await live.done;
    const last = items.at(-1).boardStats;
    expect(last.open).toBe(2);
    expect(last.unclaimedCritical.map((n: any) => n.title).sort()).toEqual(['Insulin run', 'Water for the clinic']);
    for (const n of last.unclaimedCritical) expect([n.privateDetails, n.household]).toEqual([null, null]);
    expectNothingPrivate(items);
    await client.dispose();
  }, 60_000);
});

describe('a coordinator of a community abroad that is not paired', () => {
  it('gets FORBIDDEN on the dashboard, its subscription and the indicators, until their account joins the joint team', async () => {
    expect(codeOf(await bostonCoordinator.gql(`query($c: [ID!]) { ${STATS} }`, { c: [beeri] }))).toBe('FORBIDDEN');
    expect(codeOf(await bostonCoordinator.gql(`query($c: [ID!]) { ${INDICATORS} }`, { c: [beeri] }))).toBe('FORBIDDEN');
    expect(codeOf(await bostonCoordinator.gql(`query($c: [ID!]) { householdIndicators(communityIds: $c, period: MONTH, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { householdsHelped } }`, { c: [beeri] }))).toBe('FORBIDDEN');
    // Their own dashboard does not include Be'eri.
    expect((await bostonCoordinator.ok(`{ boardStats { open } }`)).boardStats.open).toBe(0);
    const client = bostonCoordinator.ws();
    const live = collect<any>(client, `subscription($c: [ID!]) { ${STATS} }`, { c: [beeri] }, () => true, 20_000);
    await live.done.catch(() => undefined);
    expect(live.items).toEqual([]);
    expect(JSON.stringify(live.errors)).toContain('FORBIDDEN');
    await client.dispose();

    // The Israeli side adds their account to the joint team, on the abroad side: they read the figures as a partner.
    const bostonUser = (await bostonCoordinator.ok(`{ me { id } }`)).me.id;
    const added = (await beeriCoordinator.ok(`mutation($p: ID!, $u: ID!) { addTeamMember(partnershipId: $p, name: "Ruth", role: "Donor liaison", side: ABROAD, userId: $u) { name user { id } } }`, { p: partnershipId, u: bostonUser })).addTeamMember;
    expect(added).toEqual({ name: 'Ruth', user: { id: bostonUser } });
    const stats = await bostonCoordinator.gql(`query($c: [ID!]) { ${STATS} }`, { c: [beeri] });
    expect(stats.data?.boardStats.open).toBeGreaterThan(0);
    expectNothingPrivate(stats);
  }, 60_000);

  it("an account on the joint team's abroad side that coordinates nothing reads the figures once linked, and nothing private", async () => {
    const donor = await member(s.url, admin, toronto, 'VOLUNTEER', 'donor');
    expect(codeOf(await donor.gql(`query($c: [ID!]) { ${STATS} }`, { c: [beeri] }))).toBe('FORBIDDEN');
    // On the Israeli side of the team, a linked account reads nothing more.
    await beeriCoordinator.ok(`mutation($p: ID!, $u: ID!) { addTeamMember(partnershipId: $p, name: "Dana", role: "Volunteer lead", side: ISRAEL, userId: $u) { id } }`, { p: partnershipId, u: donor.userId });
    expect(codeOf(await donor.gql(`query($c: [ID!]) { ${INDICATORS} }`, { c: [beeri] }))).toBe('FORBIDDEN');
    await beeriCoordinator.ok(`mutation($p: ID!, $u: ID!) { addTeamMember(partnershipId: $p, name: "Dana", role: "Donor liaison", side: ABROAD, userId: $u) { id } }`, { p: partnershipId, u: donor.userId });
    const stats = await donor.gql(`query($c: [ID!]) { ${STATS} }`, { c: [beeri] });
    expect(stats.data?.boardStats.open, JSON.stringify(stats)).toBeGreaterThan(0);
    expectNothingPrivate(stats);
    const figures = (await donor.ok(`query($c: [ID!]) { ${INDICATORS} }`, { c: [beeri] })).needIndicators;
    expect(figures.find((f: any) => f.category === null).needsReceived).toBeGreaterThan(0);
    // Their own view without communities named: the paired community.
    expect((await donor.ok(`{ boardStats { openByCommunity { community { id } } } }`)).boardStats.openByCommunity.map((c: any) => c.community.id)).toEqual([beeri]);
    for (const query of [`query($c: [ID!]) { households(communityIds: $c) { name } }`, `query($c: [ID!]) { privateAccessLog(communityIds: $c) { edges { node { at } } } }`]) {
      const body = await donor.gql(query, { c: [beeri] });
      expect(codeOf(body), query).toBe('FORBIDDEN');
      expectNothingPrivate(body);
    }
    // A team member's account unknown: BAD_USER_INPUT, nothing added.
    const unknown = await beeriCoordinator.gql(`mutation($p: ID!, $u: ID!) { addTeamMember(partnershipId: $p, name: "Nobody", role: "x", side: ABROAD, userId: $u) { id } }`, {
      p: partnershipId,
      u: Buffer.from('User:00000000-0000-4000-8000-000000000000').toString('base64'),
    });
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
  }, 60_000);
});
