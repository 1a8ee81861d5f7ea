// Households: recorded with consent, found again by phone at intake, counted once in the
// indicators of who was helped (households, people, returning ones, by beneficiary group and
// age band), each figure traced to its households; private to those who take the community's
// needs in. And a period named by any instant inside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCentre, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';

let s: TestServer;
let admin: Api;
let A: string;
let B: string;
let coordinator: Api;
let volunteer: Api;
let operator: Api;
let otherCoordinator: Api;

const HOUSEHOLD = `id name phone size ages0to5 ages6to17 ages18to64 ages65plus beneficiaryGroups consentRecordedAt consentRecordedBy { id } needs { id }`;
const FIGURES = `periodStart beneficiaryGroup householdsHelped peopleHelped returningHouseholds peopleAged0to5 peopleAged6to17 peopleAged18to64 peopleAged65plus`;
const codeOf = (r: { errors?: { extensions?: Record<string, any> }[] }) => r.errors?.[0]?.extensions?.code;

async function createHousehold(by: Api, input: Record<string, unknown>) {
  return (await by.ok(`mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) { ${HOUSEHOLD} } }`, { input: { communityId: A, consent: true, ...input } })).createHousehold;
}

/** A need taken in at `at` and met then (claimed, started, completed by the volunteer). */
async function metNeed(at: string, overrides: Record<string, unknown>) {
  s.app.services.clock.set(new Date(at));
  const need = await createNeed(coordinator, A, overrides);
  const claim = (await volunteer.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id })).claimNeed.claim;
  await volunteer.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
  await volunteer.ok(`mutation($id: ID!) { completeClaim(claimId: $id) { claim { id } } }`, { id: claim.id });
  s.app.services.clock.reset();
  return need;
}

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  A = await createCommunity(admin);
  B = await createCommunity(admin);
  coordinator = await member(s.url, admin, A, 'COORDINATOR');
  volunteer = await member(s.url, admin, A, 'VOLUNTEER');
  otherCoordinator = await member(s.url, admin, B, 'COORDINATOR');
  const centre = await createCentre(admin, [A]);
  operator = await member(s.url, admin, centre, 'HOTLINE_OPERATOR');
}, 60_000);
afterAll(async () => {
  s?.app.services.clock.reset();
  await s?.stop();
});

describe('households', () => {
  let cohen: any;
  let levi: any;
  const needs: Record<string, any> = {};

  it('intake by a known phone attaches the need to the existing household; indicators count it once, people = its size', async () => {
    cohen = await createHousehold(coordinator, {
      name: 'Cohen family',
      phone: '050-765-1234',
      size: 4,
      ages0to5: 1,
      ages6to17: 2,
      ages18to64: 1,
      beneficiaryGroups: ['EVACUEES', 'RESERVISTS_FAMILIES'],
      languages: ['he', 'ru'],
    });
    expect(cohen.consentRecordedBy.id).toBe(coordinator.userId);
    expect(cohen.consentRecordedAt).toBeTruthy();
    // The same number as a caller says it, in another form: the same household.
    needs.cohenMarch1 = await metNeed('2026-03-10T08:00:00Z', { requesterPhone: '+972 50 765 1234', title: 'Groceries' });
    needs.cohenMarch2 = await metNeed('2026-03-12T08:00:00Z', { requesterPhone: '0507651234', title: 'Medicine' });
    needs.stranger = await metNeed('2026-03-13T08:00:00Z', { requesterPhone: '052-999-0000', title: 'Unknown caller' });
    const linked = async (id: string) => (await coordinator.ok(`query($id: ID!) { need(id: $id) { household { id } } }`, { id })).need.household?.id ?? null;
    expect(await linked(needs.cohenMarch1.id)).toBe(cohen.id);
    expect(await linked(needs.cohenMarch2.id)).toBe(cohen.id);
    expect(await linked(needs.stranger.id)).toBeNull();
    const figures = (await coordinator.ok(`query($c: [ID!]) { householdIndicators(communityIds: $c, period: MONTH, from: "2026-03-01T00:00:00+02:00", to: "2026-04-01T00:00:00+03:00") { ${FIGURES} } }`, { c: [A] })).householdIndicators;
    const all = figures.find((f: any) => f.beneficiaryGroup === null);
    expect(all).toMatchObject({ householdsHelped: 1, peopleHelped: 4, returningHouseholds: 0 });
    // Needs are still counted as needs.
    const needFigures = (await coordinator.ok(`query($c: [ID!]) { needIndicators(communityIds: $c, period: MONTH, from: "2026-03-01T00:00:00+02:00", to: "2026-04-01T00:00:00+03:00") { category needsMet } }`, { c: [A] })).needIndicators;
    expect(needFigures.find((f: any) => f.category === null).needsMet).toBe(3);
  }, 60_000);

  it('counts returning households, by beneficiary group and by age band, each figure traced to its households', async () => {
    levi = await createHousehold(coordinator, { name: 'Levi', phone: '054-111-2222', size: 2, ages65plus: 2, beneficiaryGroups: ['ELDERLY'] });
    // Cohen was helped in February too; Levi only in March (a need linked by a coordinator, not by phone).
    needs.cohenFeb = await metNeed('2026-02-20T08:00:00Z', { requesterPhone: '050-765-1234', title: 'Heater' });
    needs.levi = await metNeed('2026-03-20T08:00:00Z', { requesterPhone: null, title: 'Ride to the clinic' });
    await coordinator.ok(`mutation($n: ID!, $h: ID) { linkNeedToHousehold(needId: $n, householdId: $h) { id } }`, { n: needs.levi.id, h: levi.id });
    // An open need of Levi's does not make them helped twice.
    s.app.services.clock.set(new Date('2026-03-21T08:00:00Z'));
    await createNeed(coordinator, A, { requesterPhone: '054-111-2222', title: 'Not met yet' });
    s.app.services.clock.reset();

    const figures = (await coordinator.ok(`query($c: [ID!]) { householdIndicators(communityIds: $c, period: MONTH, from: "2026-02-01T00:00:00+02:00", to: "2026-04-01T00:00:00+03:00") { ${FIGURES} } }`, { c: [A] })).householdIndicators;
    const row = (month: string, group: string | null) => figures.find((f: any) => f.periodStart.startsWith(month) && f.beneficiaryGroup === group);
    // Israel midnight: 1 February is 31 January 22:00 UTC, 1 March is 28 February 22:00 UTC.
    expect(row('2026-01-31', null)).toMatchObject({ householdsHelped: 1, peopleHelped: 4, returningHouseholds: 0 });
    expect(row('2026-02-28', null)).toEqual({
      periodStart: '2026-02-28T22:00:00.000Z',
      beneficiaryGroup: null,
      householdsHelped: 2,
      peopleHelped: 6,
      returningHouseholds: 1,
      peopleAged0to5: 1,
      peopleAged6to17: 2,
      peopleAged18to64: 1,
      peopleAged65plus: 2,
    });
    expect(row('2026-02-28', 'EVACUEES')).toMatchObject({ householdsHelped: 1, peopleHelped: 4, returningHouseholds: 1 });
    expect(row('2026-02-28', 'RESERVISTS_FAMILIES')).toMatchObject({ householdsHelped: 1, peopleHelped: 4 });
    expect(row('2026-02-28', 'ELDERLY')).toMatchObject({ householdsHelped: 1, peopleHelped: 2, returningHouseholds: 0, peopleAged65plus: 2 });
    expect(row('2026-02-28', 'INJURED')).toBeUndefined();

    // Traced, with the period named by any instant inside it.
    const behind = async (measure: string, group: string | null) =>
      (await coordinator.ok(`query($c: ID!, $m: HouseholdMeasure!, $g: BeneficiaryGroup) { indicatorHouseholds(communityId: $c, period: MONTH, periodStart: "2026-03-17T15:30:00Z", measure: $m, beneficiaryGroup: $g) { id } }`, { c: A, m: measure, g: group })).indicatorHouseholds.map((h: any) => h.id);
    expect((await behind('HELPED', null)).sort()).toEqual([cohen.id, levi.id].sort());
    expect(await behind('RETURNING', null)).toEqual([cohen.id]);
    expect(await behind('HELPED', 'ELDERLY')).toEqual([levi.id]);
  }, 60_000);

  it('takes a period as any instant inside it (indicatorNeeds and needIndicators)', async () => {
    const traced = (await coordinator.ok(`query($c: ID!) { indicatorNeeds(communityId: $c, period: MONTH, periodStart: "2026-03-15T12:00:00Z", measure: MET) { id } }`, { c: A })).indicatorNeeds.map((n: any) => n.id);
    expect(traced.sort()).toEqual([needs.cohenMarch1.id, needs.cohenMarch2.id, needs.stranger.id, needs.levi.id].sort());
    const weekly = (await coordinator.ok(`query($c: ID!) { indicatorNeeds(communityId: $c, period: WEEK, periodStart: "2026-03-13T21:00:00Z", measure: RECEIVED) { id } }`, { c: A })).indicatorNeeds.map((n: any) => n.id);
    // The week of Saturday 14 March (Israel time) runs from Monday 9 March: both needs of the 10th and 12th and the 13th's.
    expect(weekly.sort()).toEqual([needs.cohenMarch1.id, needs.cohenMarch2.id, needs.stranger.id].sort());
    // `from` in the middle of March: the whole of March, not half of it.
    const figures = (await coordinator.ok(`query($c: [ID!]) { needIndicators(communityIds: $c, period: MONTH, from: "2026-03-15T00:00:00Z", to: "2026-04-01T00:00:00+03:00") { periodStart category needsReceived } }`, { c: [A] })).needIndicators;
    expect(figures.find((f: any) => f.category === null)).toMatchObject({ periodStart: '2026-02-28T22:00:00.000Z', needsReceived: 5 });
  }, 60_000);

  it('finds a household by phone, edits it, and refuses bad input without changing anything', async () => {
    const found = (await operator.ok(`query($c: [ID!]) { households(communityIds: $c, phone: "+972507651234") { id name } }`, { c: [A] })).households;
    expect(found).toEqual([{ id: cohen.id, name: 'Cohen family' }]);
    const edited = (await coordinator.ok(`mutation($id: ID!) { updateHousehold(id: $id, input: { size: 5, ages0to5: 2 }) { size ages0to5 ages6to17 } }`, { id: cohen.id })).updateHousehold;
    expect(edited).toEqual({ size: 5, ages0to5: 2, ages6to17: 2 });
    const tooMany = await coordinator.gql(`mutation($id: ID!) { updateHousehold(id: $id, input: { size: 2 }) { size } }`, { id: cohen.id });
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0]?.extensions?.field).toBe('size');
    const samePhone = await coordinator.gql(`mutation($c: ID!) { createHousehold(input: { communityId: $c, consent: true, name: "Dup", size: 1, phone: "+972-50-765-1234" }) { id } }`, { c: A });
    expect(codeOf(samePhone)).toBe('BAD_USER_INPUT');
    const before = await s.app.services.prisma.household.count();
    const noConsent = await coordinator.gql(`mutation($c: ID!) { createHousehold(input: { communityId: $c, consent: false, name: "Unasked", size: 3 }) { id } }`, { c: A });
    expect(codeOf(noConsent)).toBe('BAD_USER_INPUT');
    expect(noConsent.errors?.[0]?.extensions?.field).toBe('consent');
    expect(await s.app.services.prisma.household.count()).toBe(before);
    expect((await coordinator.ok(`query($id: ID!) { node(id: $id) { ... on Household { size } } }`, { id: cohen.id })).node.size).toBe(5);
    // Recorded after the requester's first call: their earlier need is theirs too.
    const late = await createHousehold(coordinator, { name: 'Called before', phone: '+972 52 999 0000', size: 2 });
    expect(late.needs.map((n: any) => n.id)).toEqual([needs.stranger.id]);
    needs.lateHousehold = late;
    // Two intakes recording the same phone at once: one household, the other told so.
    const both = await Promise.all(
      [coordinator, operator].map((api) => api.gql(`mutation($c: ID!) { createHousehold(input: { communityId: $c, consent: true, name: "Race", size: 1, phone: "054-777-8888" }) { id } }`, { c: A })),
    );
    expect(both.filter((r) => r.data?.createHousehold?.id).length).toBe(1);
    expect(both.map(codeOf).filter(Boolean)).toEqual(['BAD_USER_INPUT']);
    needs.race = both.find((r) => r.data?.createHousehold?.id)!.data.createHousehold;
    // A household of another community cannot be linked to this one's need.
    const elsewhere = (await otherCoordinator.ok(`mutation($c: ID!) { createHousehold(input: { communityId: $c, consent: true, name: "Elsewhere", size: 1 }) { id } }`, { c: B })).createHousehold;
    const across = await admin.gql(`mutation($n: ID!, $h: ID) { linkNeedToHousehold(needId: $n, householdId: $h) { id } }`, { n: needs.levi.id, h: elsewhere.id });
    expect(codeOf(across)).toBe('BAD_USER_INPUT');
  }, 60_000);

  it('is private: those who do not take the community in get FORBIDDEN', async () => {
    for (const [who, api] of [['volunteer', volunteer], ['other coordinator', otherCoordinator]] as const) {
      const list = await api.gql(`query($c: [ID!]) { households(communityIds: $c) { id name } }`, { c: [A] });
      expect(codeOf(list), who).toBe('FORBIDDEN');
      expect(list.data?.households ?? null, who).toBeNull();
      const node = await api.gql(`query($id: ID!) { node(id: $id) { ... on Household { name phone } } }`, { id: cohen.id });
      expect(codeOf(node), who).toBe('FORBIDDEN');
      expect(JSON.stringify(node.data ?? {})).not.toContain('Cohen');
      const viaNeed = await api.gql(`query($id: ID!) { need(id: $id) { title household { name phone } } }`, { id: needs.cohenMarch1.id });
      expect(codeOf(viaNeed), who).toBe('FORBIDDEN');
      expect(viaNeed.data?.need?.household ?? null, who).toBeNull();
      expect(JSON.stringify(viaNeed.data ?? {})).not.toContain('765');
      const edit = await api.gql(`mutation($id: ID!) { updateHousehold(id: $id, input: { name: "Hijacked" }) { name } }`, { id: cohen.id });
      expect(codeOf(edit), who).toBe('FORBIDDEN');
      const create = await api.gql(`mutation($c: ID!) { createHousehold(input: { communityId: $c, consent: true, name: "Theirs", size: 1 }) { id } }`, { c: A });
      expect(codeOf(create), who).toBe('FORBIDDEN');
      const link = await api.gql(`mutation($n: ID!) { linkNeedToHousehold(needId: $n) { id } }`, { n: needs.cohenMarch1.id });
      expect(codeOf(link), who).toBe('FORBIDDEN');
      const trace = await api.gql(`query($c: ID!) { indicatorHouseholds(communityId: $c, period: MONTH, periodStart: "2026-03-17T15:30:00Z", measure: HELPED) { id name } }`, { c: A });
      expect(codeOf(trace), who).toBe('FORBIDDEN');
    }
    // The volunteer sees no figures at all.
    expect(codeOf(await volunteer.gql(`query($c: [ID!]) { householdIndicators(communityIds: $c, period: MONTH, from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z") { householdsHelped } }`, { c: [A] }))).toBe('FORBIDDEN');
    // The hotline operator answering for A reads its households; nothing changed.
    expect((await operator.ok(`query($id: ID!) { need(id: $id) { household { name } } }`, { id: needs.cohenMarch1.id })).need.household.name).toBe('Cohen family');
    // Consent withdrawn: the household goes, its needs stay.
    await coordinator.ok(`mutation($id: ID!) { deleteHousehold(id: $id) }`, { id: levi.id });
    expect((await coordinator.ok(`query($id: ID!) { need(id: $id) { id household { id } } }`, { id: needs.levi.id })).need).toEqual({ id: needs.levi.id, household: null });
  }, 60_000);

  it("a data-protection request deletes the requester's household (by phone), and nothing of anyone else's", async () => {
    const other = await createHousehold(coordinator, { name: 'Peretz', phone: '053-222-3333', size: 1 });
    const erased = (await admin.ok(`mutation { eraseRequesterData(input: { phone: "+972507651234" }) { erasedHouseholds needs { id } } }`)).eraseRequesterData;
    expect(erased.erasedHouseholds).toBe(1);
    expect(erased.needs.map((n: any) => n.id)).toContain(needs.cohenMarch1.id);
    const left = (await coordinator.ok(`query($c: [ID!]) { households(communityIds: $c) { id } }`, { c: [A] })).households.map((h: any) => h.id);
    expect(left.sort()).toEqual([other.id, needs.lateHousehold.id, needs.race.id].sort());
    expect((await coordinator.ok(`query($id: ID!) { need(id: $id) { household { id } } }`, { id: needs.cohenMarch1.id })).need.household).toBeNull();
    // A non-number never matches the households recorded without a phone.
    const noPhone = await createHousehold(coordinator, { name: 'No phone', size: 2 });
    const bad = await admin.gql(`mutation { eraseRequesterData(input: { email: "nobody@example.org" }) { erasedHouseholds } }`);
    expect(bad.data?.eraseRequesterData.erasedHouseholds).toBe(0);
    expect((await coordinator.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: noPhone.id })).node.id).toBe(noPhone.id);
  }, 60_000);
});
