// Operations centres and hotline operators, across the wire (auth/roles.ts): a centre covers
// communities; its coordinators coordinate them all, and views scoped to the centre are its whole
// area; its hotline operators take calls and texts in as needs for the centre and what it covers,
// see the private details of a need they took in for OPERATOR_PRIVATE_HOURS (by the domain clock),
// and are refused, with FORBIDDEN, everything else a coordinator does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCentre, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';

let s: TestServer;
let admin: Api;
/** A and B are covered by the centre C; D is not. */
let A: string, B: string, C: string, D: string;
let coordA: Api & { userId: string };
let coordD: Api & { userId: string };
let centreCoord: Api & { userId: string };
let operator: Api & { userId: string };
let volA: Api & { userId: string };

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const global = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');
const HOUR = 3_600_000;

const PRIVATE = `query($id: ID!) { need(id: $id) { viewerCan { seePrivate edit cancel assign } privateDetails { address requesterPhone contactShared } } }`;
const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  A = await createCommunity(admin);
  B = await createCommunity(admin);
  D = await createCommunity(admin);
  C = await createCentre(admin, [A, B]);
  coordA = await member(s.url, admin, A, 'COORDINATOR', 'coorda');
  coordD = await member(s.url, admin, D, 'COORDINATOR', 'coordd');
  centreCoord = await member(s.url, admin, C, 'COORDINATOR', 'centrecoord');
  operator = await member(s.url, admin, C, 'HOTLINE_OPERATOR', 'operator');
  volA = await member(s.url, admin, A, 'VOLUNTEER', 'vola');
});
afterAll(async () => {
  await s?.stop();
});

describe('operations centres', () => {
  it('say which communities they cover, set by admins only; an operator belongs to a centre', async () => {
    const c = await admin.ok(`query($id: ID!) { node(id: $id) { ... on Community { kind covers { id } } } }`, { id: C });
    expect(c.node.kind).toBe('OPERATIONS_CENTER');
    expect(c.node.covers.map((x: { id: string }) => x.id).sort()).toEqual([A, B].sort());
    const a = await admin.ok(`query($id: ID!) { node(id: $id) { ... on Community { coveredBy { id } } } }`, { id: A });
    expect(a.node.coveredBy).toEqual([{ id: C }]);

    const SET = `mutation($c: ID!, $ids: [ID!]!) { setCentreCoverage(centreId: $c, communityIds: $ids) { id } }`;
    for (const who of [centreCoord, coordA, operator]) expect(codeOf(await who.gql(SET, { c: C, ids: [A, B, D] })), 'only admins').toBe('FORBIDDEN');
    expect(codeOf(await admin.gql(SET, { c: A, ids: [B] })), 'a town covers nothing').toBe('BAD_USER_INPUT');
    const ROLE = `mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: HOTLINE_OPERATOR) { role } }`;
    expect(codeOf(await admin.gql(ROLE, { c: A, u: volA.userId })), 'an operator of a town').toBe('BAD_USER_INPUT');
    expect(codeOf(await centreCoord.gql(ROLE, { c: C, u: volA.userId })), "the centre's coordinator does not grant it").toBe('FORBIDDEN');
  });

  it("makes the centre's coordinators coordinators of every community it covers", async () => {
    const need = await createNeed(coordA, A, { title: 'In A, for the centre' });
    const r = await centreCoord.ok(PRIVATE, { id: need.id });
    expect(r.need.viewerCan).toEqual({ seePrivate: true, edit: true, cancel: true, assign: true });
    expect(r.need.privateDetails.address).toBe('12 Herzl St, Sderot');
    await centreCoord.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { title: "Edited by the centre" }) { need { id } } }`, { id: need.id });
    const inD = await createNeed(coordD, D);
    expect(codeOf(await centreCoord.gql(PRIVATE, { id: inD.id }))).toBe('FORBIDDEN');
    const me = await centreCoord.ok(`{ me { coordinatedCommunities { id } intakeCommunities { id } } }`);
    expect(me.me.coordinatedCommunities.map((c: { id: string }) => c.id).sort()).toEqual([A, B, C].sort());
  });

  it("tells the centre's coordinators when a volunteer asks for a call-back, once each", async () => {
    const need = await createNeed(coordA, A, { title: 'Call-back through the centre', contactConsent: false });
    await volA.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });
    await volA.ok(`mutation($id: ID!) { requestCallback(needId: $id) { need { id } } }`, { id: need.id });
    for (const who of [coordA, centreCoord]) {
      const notes = (await who.ok(`{ myNotifications { kind needId } }`)).myNotifications.filter((n: { kind: string; needId: string }) => n.kind === 'CALLBACK_REQUESTED' && n.needId === need.id);
      expect(notes).toHaveLength(1);
    }
    const toOperator = (await operator.ok(`{ myNotifications { kind needId } }`)).myNotifications.filter((n: { needId: string }) => n.needId === need.id);
    expect(toOperator).toEqual([]);
  });

  it("scopes the dashboard and the duplicate queue to a centre: the centre's id stands for its area", async () => {
    await createNeed(coordA, A, { title: 'Open in A' });
    await createNeed(centreCoord, B, { title: 'Open in B' });
    const stats = await centreCoord.ok(`query($c: [ID!]) { boardStats(communityIds: $c) { openByCommunity { community { id } } } }`, { c: [C] });
    const scoped = stats.boardStats.openByCommunity.map((x: { community: { id: string } }) => x.community.id);
    expect(scoped).toEqual(expect.arrayContaining([A, B]));
    expect(scoped).not.toContain(D);
    // Admins too; a coordinator of one covered community is not given the centre's area.
    expect((await admin.ok(`query($c: [ID!]) { duplicateCandidates(communityIds: $c) { id } }`, { c: [C] })).duplicateCandidates).toBeDefined();
    expect(codeOf(await coordA.gql(`query($c: [ID!]) { boardStats(communityIds: $c) { open } }`, { c: [C] }))).toBe('FORBIDDEN');
    expect(codeOf(await coordD.gql(`query($c: [ID!]) { duplicateCandidates(communityIds: $c) { id } }`, { c: [C] }))).toBe('FORBIDDEN');
  });
});

describe('a hotline operator', () => {
  it('takes needs in for the centre and the communities it covers, not elsewhere', async () => {
    const me = await operator.ok(`{ me { coordinatedCommunities { id } intakeCommunities { id } } }`);
    expect(me.me.coordinatedCommunities).toEqual([]);
    expect(me.me.intakeCommunities.map((c: { id: string }) => c.id).sort()).toEqual([A, B, C].sort());
    for (const community of [A, B, C]) expect((await createNeed(operator, community, { title: 'Taken on the phone' })).status).toBe('OPEN');
    const refused = await operator.gql(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }`, {
      input: { communityId: D, title: 'Elsewhere', category: 'FOOD', urgency: 'HIGH', lat: 31.5, lng: 34.6, address: 'x', requesterName: 'y', requesterPhone: '050-111-2222' },
    });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const series = await operator.ok(
      `mutation($input: CreateNeedInput!, $r: RecurrenceInput!) { createRecurringNeed(input: $input, recurrence: $r) { id } }`,
      {
        input: { communityId: A, title: 'Weekly call', category: 'ELDERLY_SUPPORT', urgency: 'NORMAL', lat: 31.5251, lng: 34.5972, address: 'Herzl 3', requesterName: 'Rivka', requesterPhone: '050-765-4321' },
        r: { frequency: "WEEKLY", startsAt: new Date(Date.now() + 86_400_000).toISOString(), count: 2, durationMinutes: 60, slotsPerOccurrence: 1 },
      },
    );
    expect(series.createRecurringNeed.length).toBeGreaterThan(0);
  });

  it("looks the caller up, sees duplicates while typing, attaches a call and searches addresses, in the centre's communities", async () => {
    const earlier = await createNeed(coordA, A, { title: 'Medicine for Yosef', category: 'MEDICINE', requesterPhone: '050-888-1234' });
    const caller = await operator.ok(`query($p: String!) { callerNeeds(phone: $p) { id } }`, { p: '0508881234' });
    expect(caller.callerNeeds.map((n: { id: string }) => n.id)).toEqual([earlier.id]);
    expect(codeOf(await operator.gql(`query($p: String!, $c: [ID!]) { callerNeeds(phone: $p, communityIds: $c) { id } }`, { p: '0508881234', c: [D] }))).toBe('FORBIDDEN');
    const dup = await operator.ok(`query($d: NeedDraftInput!) { possibleDuplicates(draft: $d) { need { id } reasons } }`, {
      d: { communityId: A, requesterPhone: '+972 50 888 1234', title: 'Medicine' },
    });
    expect(dup.possibleDuplicates[0].need.id).toBe(earlier.id);
    expect(dup.possibleDuplicates[0].reasons).toContain('SAME_PHONE');
    expect(codeOf(await operator.gql(`query($d: NeedDraftInput!) { possibleDuplicates(draft: $d) { score } }`, { d: { communityId: D, requesterPhone: '0508881234' } }))).toBe('FORBIDDEN');
    await operator.ok(`mutation($id: ID!, $n: String!) { attachCall(needId: $id, note: $n) { need { id } } }`, { id: earlier.id, n: 'Called again: also needs bread' });
    // The operator still does not see that earlier need's private details: a coordinator took it in.
    expect(codeOf(await operator.gql(PRIVATE, { id: earlier.id }))).toBe('FORBIDDEN');
    const places = await operator.ok(`query { geocode(text: "שדרות") { label precision } }`);
    expect(places.geocode.length).toBeGreaterThan(0);
  });

  it("sees and confirms the texts of the centre's communities", async () => {
    const draft = await s.app.services.prisma.intakeDraft.create({
      data: { providerMessageId: `op-${Date.now()}`, fromNumber: '+972501239876', toNumber: '+97281234567', body: 'צריכה עזרה עם קניות', communityId: uuidOf(C), receivedAt: s.app.services.clock.now() },
    });
    const elsewhere = await s.app.services.prisma.intakeDraft.create({
      data: { providerMessageId: `op-d-${Date.now()}`, fromNumber: '+972501239877', toNumber: '+97281234568', body: 'Elsewhere', communityId: uuidOf(D), receivedAt: s.app.services.clock.now() },
    });
    const drafts = (await operator.ok(`{ intakeDrafts { id fromNumber } }`)).intakeDrafts.map((d: { id: string }) => d.id);
    expect(drafts).toContain(global('IntakeDraft', draft.id));
    expect(drafts).not.toContain(global('IntakeDraft', elsewhere.id));
    const need = await operator.ok(
      `mutation($d: ID!, $input: CreateNeedInput!) { confirmIntakeDraft(draftId: $d, input: $input) { id community { id } } }`,
      { d: global('IntakeDraft', draft.id), input: { communityId: B, title: 'Groceries', category: 'FOOD', urgency: 'NORMAL', lat: 31.52, lng: 34.6, address: 'Herzl 9', requesterName: 'Dina' } },
    );
    expect(need.confirmIntakeDraft.community.id).toBe(B);
    expect(codeOf(await operator.gql(`mutation($d: ID!) { rejectIntakeDraft(draftId: $d) { id } }`, { d: global('IntakeDraft', elsewhere.id) }))).toBe('FORBIDDEN');
  });

  it('is refused everything else a coordinator does, with FORBIDDEN', async () => {
    const need = await createNeed(operator, A, { title: 'Taken in by the operator' });
    const refusals: [string, string, Record<string, unknown>][] = [
      ['updateNeed', `mutation($id: ID!) { updateNeed(id: $id, input: { title: "x" }) { need { id } } }`, { id: need.id }],
      ['cancelNeed', `mutation($id: ID!) { cancelNeed(id: $id) { need { id } } }`, { id: need.id }],
      ['assignNeed', `mutation($id: ID!, $v: ID!) { assignNeed(needId: $id, volunteerId: $v) { claim { id } } }`, { id: need.id, v: volA.userId }],
      ['volunteerMatches', `query($id: ID!) { volunteerMatches(needId: $id) { score } }`, { id: need.id }],
      ['claims', `query($id: ID!) { need(id: $id) { claims { id } } }`, { id: need.id }],
      ['members', `query($id: ID!) { node(id: $id) { ... on Community { members(first: 5) { edges { node { role } } } } } }`, { id: A }],
      ['setMembershipRole', `mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: VOLUNTEER) { role } }`, { c: A, u: volA.userId }],
      ['boardStats', `query($c: [ID!]) { boardStats(communityIds: $c) { open } }`, { c: [A] }],
      ['boardStats (all)', `{ boardStats { open } }`, {}],
      ['duplicateCandidates', `{ duplicateCandidates { id } }`, {}],
      ['privateAccessLog', `{ privateAccessLog(first: 5) { edges { node { at } } } }`, {}],
      ['needIndicators', `query($c: [ID!]) { needIndicators(communityIds: $c, period: WEEK, from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { criticalMetWithin24h } }`, { c: [A] }],
      ['vettingRecords', `query($c: ID!) { vettingRecords(communityId: $c) { identityCheckedAt } }`, { c: A }],
      ['recordVetting', `mutation($c: ID!, $v: ID!) { recordVetting(input: { communityId: $c, volunteerId: $v, identityChecked: true }) { identityCheckedAt } }`, { c: A, v: volA.userId }],
      ['membershipApplications', `query($c: ID!) { membershipApplications(communityId: $c) { role } }`, { c: A }],
      ['createApiKey', `mutation($c: [ID!]!) { createApiKey(input: { name: "k", communityIds: $c, allowedMutations: [] }) { token } }`, { c: [A] }],
    ];
    for (const [label, query, variables] of refusals) expect(codeOf(await operator.gql(query, variables)), label).toBe('FORBIDDEN');
    // Nor may they import (a CSV of needs is a coordinator's).
    const imported = await fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(A)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${operator.token}` },
      body: 'title,category,urgency,lat,lng,address,requesterName,requesterPhone\nImported,FOOD,HIGH,31.52,34.6,Herzl 1,R,050-111-2233\n',
    });
    const importText = await imported.text();
    expect(importText).toContain('FORBIDDEN');
    // An export gives them no private column.
    const res = await fetch(`${s.url}/api/export/needs.csv?private=1`, { headers: { authorization: `Bearer ${operator.token}` } });
    const csv = await res.text();
    expect(csv).not.toContain('12 Herzl St, Sderot');
  });

  it("sees the private details of a need they took in for 24 hours by the domain clock, then no more", async () => {
    const need = await createNeed(operator, A, { title: 'Ride to the clinic', contactConsent: false, requesterPhone: '050-444-5566', address: '5 Rabin St, Sderot' });
    const seen = await operator.ok(PRIVATE, { id: need.id });
    // The caller gave them the number: they have it, consent to share it with a volunteer or not.
    expect(seen.need.privateDetails).toEqual({ address: '5 Rabin St, Sderot', requesterPhone: '050-444-5566', contactShared: true });
    expect(seen.need.viewerCan).toEqual({ seePrivate: true, edit: false, cancel: false, assign: false });
    // Another operator of the same centre does not.
    const other = await member(s.url, admin, C, 'HOTLINE_OPERATOR', 'operator2');
    expect(codeOf(await other.gql(PRIVATE, { id: need.id }))).toBe('FORBIDDEN');

    s.app.services.clock.advance(24 * HOUR - 60_000);
    try {
      expect((await operator.ok(PRIVATE, { id: need.id })).need.privateDetails.address).toBe('5 Rabin St, Sderot');
      s.app.services.clock.advance(2 * 60_000);
      const after = await operator.gql(PRIVATE, { id: need.id });
      expect(codeOf(after)).toBe('FORBIDDEN');
      expect((await operator.ok(`query($id: ID!) { need(id: $id) { viewerCan { seePrivate } } }`, { id: need.id })).need.viewerCan.seePrivate).toBe(false);
      // The coordinators still see it.
      expect((await coordA.ok(PRIVATE, { id: need.id })).need.privateDetails.address).toBe('5 Rabin St, Sderot');
    } finally {
      s.app.services.clock.reset();
    }
  });

  it('loses it all with the role', async () => {
    const gone = await member(s.url, admin, C, 'HOTLINE_OPERATOR', 'operator3');
    const need = await createNeed(gone, A, { title: 'Before the role went', address: '8 Weizmann St, Sderot' });
    expect((await gone.ok(PRIVATE, { id: need.id })).need.privateDetails.address).toBe('8 Weizmann St, Sderot');
    await admin.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: VOLUNTEER) { role } }`, { c: C, u: gone.userId });
    expect(codeOf(await gone.gql(PRIVATE, { id: need.id }))).toBe('FORBIDDEN');
    expect(codeOf(await gone.gql(`query($p: String!) { callerNeeds(phone: $p) { id } }`, { p: '0501234567' }))).toBe('FORBIDDEN');
  });
});
