// Duplicates and merge, handover with auto-approval, and matching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { autoApproveHandovers } from '../../api/src/domain/handover.ts';
import { phoneKey, scoreDuplicate } from '../../api/src/domain/duplicates.ts';
import type { Need } from '../../api/src/generated/prisma/client.ts';

const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api;

beforeAll(async () => {
  s = await startServer();
  admin = await adminClient(s.url, s.app.services.prisma);
  community = await createCommunity(admin);
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => {
  s.app.services.clock.reset();
  await s?.stop();
});

const base = {
  id: 'x', title: '', description: '', category: 'FOOD', urgency: 'HIGH', status: 'OPEN', slots: 1, activeClaims: 0,
  neededFrom: null, neededBy: null, lat: 31.525, lng: 34.597, address: '', publicLat: 0, publicLng: 0,
  requesterName: '', requesterPhone: null, requesterEmail: null, mergedIntoId: null, communityId: 'c', createdById: null,
  createdAt: new Date('2026-11-01T10:00:00Z'), updatedAt: new Date(), firstClaimedAt: null, doneAt: null,
} as unknown as Need;
const need = (o: Partial<Need>): Need => ({ ...base, ...o }) as Need;

describe('duplicate scoring', () => {
  it('treats one phone number written three ways as one', () => {
    expect(phoneKey('050-123-4567')).toBe(phoneKey('+972 50 123 4567'));
    expect(phoneKey('0501234567')).toBe(phoneKey('+972-50-1234567'));
    expect(phoneKey('052-123-4567')).not.toBe(phoneKey('050-123-4567'));
  });

  const later = new Date('2026-11-01T13:00:00Z');
  const pairs: [string, Need, Need, boolean][] = [
    ['the same caller on two hotlines', need({ requesterPhone: '050-123-4567', title: 'Groceries' }), need({ requesterPhone: '+972 50 123 4567', title: 'Food shopping for mum', lat: 31.6, createdAt: later }), true],
    ['same e-mail, different case', need({ requesterEmail: 'Miriam@Example.org' }), need({ requesterEmail: 'miriam@example.org', title: 'other', createdAt: later }), true],
    [
      'the same request retyped, 40 m away, 3 h later',
      need({ title: 'Groceries for elderly couple on Herzl', description: 'They cannot leave home' }),
      need({ title: 'Grocery delivery for an elderly couple, Herzl St', description: 'cannot leave the house', lat: 31.5253, createdAt: later }),
      true,
    ],
    [
      'similar text but 2 km apart (two families)',
      need({ title: 'Groceries for elderly couple on Herzl' }),
      need({ title: 'Groceries for elderly couple on Herzl', lat: 31.543, createdAt: later }),
      false,
    ],
    [
      'same street, different kind of help',
      need({ title: 'Groceries for elderly couple on Herzl' }),
      need({ title: 'Groceries for elderly couple on Herzl', category: 'TRANSPORT', createdAt: later }),
      false,
    ],
    [
      'same place and category, unrelated requests',
      need({ title: 'Insulin delivery', category: 'MEDICINE' }),
      need({ title: 'Pick up blood pressure pills from the pharmacy', category: 'MEDICINE', createdAt: later }),
      false,
    ],
    [
      'same request a week later (a new need)',
      need({ title: 'Shabbat food package' }),
      need({ title: 'Shabbat food package', createdAt: new Date('2026-11-08T10:00:00Z') }),
      false,
    ],
  ];
  for (const [label, a, b, expected] of pairs) {
    it(`${expected ? 'flags' : 'does not flag'}: ${label}`, () => {
      const s = scoreDuplicate(a, b);
      expect(!!s, JSON.stringify(s)).toBe(expected);
      if (s) expect(s.score).toBeGreaterThan(0.4);
    });
  }
});

describe('duplicate queue and merge', () => {
  /** Leaves the queue empty for the next case. */
  const dismissAll = async () => {
    for (const { id } of (await coordinator.ok(`{ duplicateCandidates { id } }`)).duplicateCandidates) await coordinator.ok(`mutation($id: ID!) { dismissDuplicate(candidateId: $id) { id } }`, { id });
  };

  it('flags a repeat on intake, merges it keeping every event and claim, and redirects', async () => {
    const v1 = await member(s.url, admin, community, 'VOLUNTEER');
    const v2 = await member(s.url, admin, community, 'VOLUNTEER');
    const a = await createNeed(coordinator, community, { title: 'Groceries for elderly couple on Herzl', requesterPhone: '050-111-2222' });
    const unrelated = await createNeed(coordinator, community, { title: 'Ride to hospital', category: 'TRANSPORT', lat: 31.55, requesterPhone: '050-999-0000' });
    const b = await createNeed(coordinator, community, { title: 'Grocery delivery, elderly couple, Herzl', requesterPhone: '+972 50 111 2222' });
    const queue = (await coordinator.ok(`{ duplicateCandidates { id score reasons need { id } otherNeed { id } } }`)).duplicateCandidates;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ need: { id: b.id }, otherNeed: { id: a.id } });
    expect(queue[0].reasons).toContain('SAME_PHONE');
    expect(JSON.stringify(queue)).not.toContain(unrelated.id);

    // Both got a volunteer before anyone noticed.
    await v1.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: a.id });
    await v2.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: b.id });
    const eventsBefore = await s.app.services.prisma.needEvent.count({ where: { needId: { in: [uuidOf(a.id), uuidOf(b.id)] } } });

    const merged = await coordinator.ok(`mutation($s: ID!, $d: ID!) { mergeNeeds(survivorId: $s, duplicateId: $d) { id status slots openSlots } }`, { s: a.id, d: b.id });
    expect(merged.mergeNeeds).toMatchObject({ id: a.id, status: 'CLAIMED', slots: 2, openSlots: 0 });
    const claims = await s.app.services.prisma.claim.findMany({ where: { needId: uuidOf(a.id), status: 'ACTIVE' } });
    expect(claims.map((c) => c.volunteerId).sort()).toEqual([uuidOf(v1.userId), uuidOf(v2.userId)].sort());

    // The duplicate's id leads to the survivor; its own row remembers where it went.
    const redirected = await coordinator.ok(`query($id: ID!) { need(id: $id) { id } node(id: $id) { ... on Need { status mergedInto { id } } } }`, { id: b.id });
    expect(redirected.need.id).toBe(a.id);
    expect(redirected.node).toMatchObject({ status: 'CANCELLED', mergedInto: { id: a.id } });

    // Both histories, whole, plus the two merge events, from the survivor.
    const history = (await coordinator.ok(`query($id: ID!) { need(id: $id) { events(first: 100) { edges { node { type needId } } } } }`, { id: a.id })).need.events.edges.map((e: any) => e.node);
    expect(history).toHaveLength(eventsBefore + 2);
    expect(history.filter((e: any) => e.needId === b.id).map((e: any) => e.type)).toEqual(['CREATED', 'CLAIMED', 'MERGED']);
    expect((await coordinator.ok(`{ duplicateCandidates { id } }`)).duplicateCandidates).toHaveLength(0);

    const again = await coordinator.gql(`mutation($s: ID!, $d: ID!) { mergeNeeds(survivorId: $s, duplicateId: $d) { id } }`, { s: a.id, d: b.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('ILLEGAL_TRANSITION');
  });

  it('moves the merged need’s other open pairs onto the survivor, or closes them when the survivor has its own', async () => {
    // Three reports of one request, and a fourth that repeats only the third one's phone.
    const a = await createNeed(coordinator, community, { title: 'Water and batteries for the Peretz family', requesterPhone: '050-444-1000', lat: 31.53 });
    const b = await createNeed(coordinator, community, { title: 'Water and batteries, Peretz family', requesterPhone: '050-444-1000', lat: 31.53 });
    const c = await createNeed(coordinator, community, { title: 'Peretz family needs water and batteries', requesterPhone: '050-444-1000', lat: 31.53 });
    const d = await createNeed(coordinator, community, { title: 'Ride to the clinic for Mrs Peretz', category: 'TRANSPORT', requesterPhone: '050-444-1000', lat: 31.6 });
    const pairs = async () =>
      ((await coordinator.ok(`{ duplicateCandidates { need { id } otherNeed { id } } }`)).duplicateCandidates as any[]).map((p) => [p.need.id, p.otherNeed.id].sort().join(' '));
    const pair = (x: { id: string }, y: { id: string }) => [x.id, y.id].sort().join(' ');
    expect((await pairs()).sort()).toEqual([pair(a, b), pair(a, c), pair(b, c), pair(a, d), pair(b, d), pair(c, d)].sort());

    // c into a: (a, c) is decided; (b, c) and (c, d) are already asked of a, so they close.
    await coordinator.ok(`mutation($s: ID!, $d: ID!) { mergeNeeds(survivorId: $s, duplicateId: $d) { id } }`, { s: a.id, d: c.id });
    expect((await pairs()).sort()).toEqual([pair(a, b), pair(a, d), pair(b, d)].sort());
    // b into d: (a, b) becomes (a, d), which d already has, so it closes; (b, d) is decided.
    await coordinator.ok(`mutation($s: ID!, $d: ID!) { mergeNeeds(survivorId: $s, duplicateId: $d) { id } }`, { s: d.id, d: b.id });
    expect(await pairs()).toEqual([pair(a, d)]);
    const open = await s.app.services.prisma.duplicateCandidate.count({ where: { status: 'OPEN', OR: [{ needId: { in: [uuidOf(b.id), uuidOf(c.id)] } }, { otherNeedId: { in: [uuidOf(b.id), uuidOf(c.id)] } }] } });
    expect(open).toBe(0);
    await dismissAll();
  });

  it('moves a pair onto the survivor when the survivor has none with that need', async () => {
    const a = await createNeed(coordinator, community, { title: 'Baby formula for the Cohen twins', category: 'FOOD', requesterPhone: '050-555-2000', lat: 31.52 });
    const b = await createNeed(coordinator, community, { title: 'Baby formula, Cohen twins', category: 'FOOD', requesterPhone: '050-555-2000', requesterEmail: 'cohen.family@example.net', lat: 31.52 });
    const c = await createNeed(coordinator, community, { title: 'Nappies for a newborn', category: 'EQUIPMENT', requesterPhone: '050-555-9999', requesterEmail: 'cohen.family@example.net', lat: 31.6 });
    const before = (await coordinator.ok(`{ duplicateCandidates { need { id } otherNeed { id } } }`)).duplicateCandidates.map((p: any) => [p.need.id, p.otherNeed.id].sort().join(' '));
    expect(before.sort()).toEqual([[a.id, b.id].sort().join(' '), [b.id, c.id].sort().join(' ')].sort());
    await coordinator.ok(`mutation($s: ID!, $d: ID!) { mergeNeeds(survivorId: $s, duplicateId: $d) { id } }`, { s: a.id, d: b.id });
    const after = (await coordinator.ok(`{ duplicateCandidates { need { id } otherNeed { id } } }`)).duplicateCandidates.map((p: any) => [p.need.id, p.otherNeed.id].sort().join(' '));
    expect(after).toEqual([[a.id, c.id].sort().join(' ')]);
    await dismissAll();
  });

  // In Nir Oz 45 of 45 queued entries were shifts of one series flagging each other, and
  // cancelled needs stayed in the queue.
  it('never pairs the shifts of one series; a cancelled need leaves the queue and comes back when reopened', async () => {
    const pairs = async () =>
      ((await coordinator.ok(`{ duplicateCandidates { need { id } otherNeed { id } } }`)).duplicateCandidates as any[]).map((p) => [p.need.id, p.otherNeed.id].sort().join(' '));
    const shifts = (await coordinator.ok(
      `mutation($i: CreateNeedInput!, $r: RecurrenceInput!) { createRecurringNeed(input: $i, recurrence: $r) { id } }`,
      {
        i: { communityId: community, title: 'Evening meal for Rina', category: 'FOOD', urgency: 'NORMAL', lat: 31.49, lng: 34.6, address: '4 Kibbutz Rd', requesterName: 'Rina', requesterPhone: '050-444-5555' },
        r: { frequency: 'DAILY', startsAt: new Date(Date.now() + 86_400_000).toISOString(), count: 4, durationMinutes: 60, slotsPerOccurrence: 1 },
      },
    )).createRecurringNeed as { id: string }[];
    expect(shifts).toHaveLength(4);
    const shiftIds = new Set(shifts.map((n) => n.id));
    expect((await pairs()).filter((p) => p.split(' ').every((id) => shiftIds.has(id)))).toEqual([]);

    const a = await createNeed(coordinator, community, { title: 'Medicine pickup for Yosef', category: 'MEDICINE', requesterPhone: '050-666-7777', lat: 31.47 });
    const b = await createNeed(coordinator, community, { title: 'Medicine pick-up, Yosef', category: 'MEDICINE', requesterPhone: '050-666-7777', lat: 31.47 });
    const pair = [a.id, b.id].sort().join(' ');
    expect(await pairs()).toContain(pair);
    await coordinator.ok(`mutation($id: ID!) { cancelNeed(id: $id, reason: "Family took care of it") { need { status } } }`, { id: b.id });
    expect(await pairs()).not.toContain(pair);
    await coordinator.ok(`mutation($id: ID!) { reopenNeed(id: $id) { need { status } } }`, { id: b.id });
    expect(await pairs()).toContain(pair);
    await dismissAll();
  });

  it('dismiss remembers the decision', async () => {
    const a = await createNeed(coordinator, community, { title: 'Shabbat food package', requesterPhone: '050-333-4444', lat: 31.51 });
    await createNeed(coordinator, community, { title: 'Shabbat food package', requesterPhone: '050-333-4444', lat: 31.51 });
    const [pair] = (await coordinator.ok(`{ duplicateCandidates { id otherNeed { id } } }`)).duplicateCandidates;
    expect(pair.otherNeed.id).toBe(a.id);
    const v = await member(s.url, admin, community, 'VOLUNTEER');
    expect((await v.gql(`mutation($id: ID!) { dismissDuplicate(candidateId: $id) { status } }`, { id: pair.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const d = await coordinator.ok(`mutation($id: ID!) { dismissDuplicate(candidateId: $id) { status } }`, { id: pair.id });
    expect(d.dismissDuplicate.status).toBe('DISMISSED');
    expect((await coordinator.ok(`{ duplicateCandidates { id } }`)).duplicateCandidates).toHaveLength(0);
    const row = await s.app.services.prisma.duplicateCandidate.findUniqueOrThrow({ where: { id: uuidOf(pair.id) } });
    expect(row.status).toBe('DISMISSED');
  });
});

describe('handover', () => {
  const REQUEST = `mutation($id: ID!) { requestHandover(claimId: $id, note: "I live next door") { id status respondBy } }`;

  it('is approved when the holder does not answer in time', async () => {
    const holder = await member(s.url, admin, community, 'VOLUNTEER');
    const taker = await member(s.url, admin, community, 'VOLUNTEER');
    const n = await createNeed(coordinator, community, { lat: 31.4 });
    const claim = (await holder.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: n.id })).claimNeed.claim;
    const req = (await taker.ok(REQUEST, { id: claim.id })).requestHandover;
    expect(req.status).toBe('PENDING');
    expect((await holder.ok(`{ myHandoverRequests { id } }`)).myHandoverRequests.map((r: any) => r.id)).toContain(req.id);
    const dup = await taker.gql(REQUEST, { id: claim.id });
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT_PENDING');

    s.app.services.clock.advance(59 * 60_000);
    await autoApproveHandovers(s.app.services);
    expect((await s.app.services.prisma.handoverRequest.findUniqueOrThrow({ where: { id: uuidOf(req.id) } })).status).toBe('PENDING');
    s.app.services.clock.advance(2 * 60_000);
    expect(await autoApproveHandovers(s.app.services)).toBeGreaterThanOrEqual(1);
    s.app.services.clock.reset();
    const live = await s.app.services.prisma.claim.findMany({ where: { needId: uuidOf(n.id), status: { in: ['ACTIVE', 'STARTED'] } } });
    expect(live.map((c) => c.volunteerId)).toEqual([uuidOf(taker.userId)]);
    expect((await s.app.services.prisma.claim.findUniqueOrThrow({ where: { id: uuidOf(claim.id) } })).releaseReason).toBe('Handed over');
    const types = (await s.app.services.prisma.needEvent.findMany({ where: { needId: uuidOf(n.id) }, orderBy: { seq: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(['CREATED', 'CLAIMED', 'HANDOVER_REQUESTED', 'HANDOVER_AUTO_APPROVED']);
  });

  it('the holder may accept or decline; no one else may answer', async () => {
    const holder = await member(s.url, admin, community, 'VOLUNTEER');
    const taker = await member(s.url, admin, community, 'VOLUNTEER');
    const stranger = await member(s.url, admin, community, 'VOLUNTEER');
    const n = await createNeed(coordinator, community, { lat: 31.41 });
    const claim = (await holder.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: n.id })).claimNeed.claim;
    const first = (await taker.ok(REQUEST, { id: claim.id })).requestHandover;
    const RESPOND = `mutation($id: ID!, $a: Boolean!) { respondToHandover(requestId: $id, accept: $a) { status } }`;
    expect((await stranger.gql(RESPOND, { id: first.id, a: true })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await holder.ok(RESPOND, { id: first.id, a: false })).respondToHandover.status).toBe('DECLINED');
    expect((await holder.gql(RESPOND, { id: first.id, a: true })).errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'DECLINED' });
    const second = (await taker.ok(REQUEST, { id: claim.id })).requestHandover;
    expect((await holder.ok(RESPOND, { id: second.id, a: true })).respondToHandover.status).toBe('ACCEPTED');
    const live = await s.app.services.prisma.claim.findMany({ where: { needId: uuidOf(n.id), status: { in: ['ACTIVE', 'STARTED'] } } });
    expect(live.map((c) => c.volunteerId)).toEqual([uuidOf(taker.userId)]);
  });
});

describe('matching', () => {
  it('ranks volunteers by skill, distance, availability and load, with reasons', async () => {
    const c2 = await createCommunity(admin, undefined, { lat: 32.08, lng: 34.78 });
    const coord = await member(s.url, admin, c2, 'COORDINATOR');
    const profile = (api: Api, input: Record<string, unknown>) => api.ok(`mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`, { input });
    const near = await member(s.url, admin, c2, 'VOLUNTEER', 'near');
    await profile(near, { name: 'Near Cook', skills: ['FOOD'], homeLat: 32.081, homeLng: 34.781, homeArea: 'Tel Aviv' });
    const far = await member(s.url, admin, c2, 'VOLUNTEER', 'far');
    await profile(far, { name: 'Far Cook', skills: ['FOOD'], homeLat: 31.25, homeLng: 34.79, homeArea: "Be'er Sheva" });
    const driver = await member(s.url, admin, c2, 'VOLUNTEER', 'driver');
    await profile(driver, { name: 'Near Driver', skills: ['TRANSPORT'], homeLat: 32.082, homeLng: 34.78 });
    const n = await createNeed(coord, c2, { category: 'FOOD', lat: 32.08, lng: 34.78 });
    const matches = (await coord.ok(`query($id: ID!) { volunteerMatches(needId: $id) { score volunteer { name } reasons { code text weight } } }`, { id: n.id })).volunteerMatches;
    expect(matches.map((m: any) => m.volunteer.name)).toEqual(['Near Cook', 'Near Driver', 'Far Cook']);
    expect(matches[0].reasons.map((r: any) => r.code)).toEqual(expect.arrayContaining(['SKILL', 'DISTANCE', 'AVAILABLE', 'LOAD']));
    expect(matches[0].reasons.find((r: any) => r.code === 'DISTANCE').text).toMatch(/^about 0\.[05] km from home \(Tel Aviv\)$/);
    expect(matches[0].score).toBeGreaterThan(matches[1].score);
    expect((await near.gql(`query($id: ID!) { volunteerMatches(needId: $id) { score } }`, { id: n.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const suggested = (await near.ok(`{ suggestedNeeds { score need { id } reasons { code } } }`)).suggestedNeeds;
    expect(suggested[0].need.id).toBe(n.id);
  });
});
