// Findings of an attacker's test ("Trust and safety"): the duplicate check as an oracle across
// communities, and SMS drafts' sender numbers read by coordinators of other communities.
// A coordinator of B learns nothing of community A's needs from anything the duplicate check
// answers; a draft's number reaches only the coordinators of the community it was routed to
// (unrouted: admins), and each read is logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import type { Api } from '../helpers/client.ts';
import { globalIdOf, uuidOf } from '../helpers/world.ts';
import { smsSignature } from '../../api/src/domain/intake.ts';

const SMS_TOKEN = 'trust-test-token';
const HOTLINE_A = '+972-3-555-0177';

let s: TestServer;
let admin: Api;
let A: string;
let B: string;
let coordinatorA: Api & { userId: string };
let coordinatorB: Api & { userId: string };

beforeAll(async () => {
  s = await startServer({ SMS_AUTH_TOKEN: SMS_TOKEN });
  admin = await adminClient(s.url, s.app.services.prisma);
  A = (await admin.ok(
    `mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`,
    { i: { slug: `trust-a-${Date.now()}`, name: 'Community A', kind: 'TOWN', area: 'Sderot', centerLat: 31.525, centerLng: 34.5969, smsNumber: HOTLINE_A } },
  )).createCommunity.id;
  B = await createCommunity(admin);
  coordinatorA = await member(s.url, admin, A, 'COORDINATOR', 'coordinator-a');
  coordinatorB = await member(s.url, admin, B, 'COORDINATOR', 'coordinator-b');
});
afterAll(async () => s?.stop());

describe('the duplicate check is no oracle across communities', () => {
  const PHONE = '+972-52-700-1234';
  const EMAIL = 'rivka.levi@example.org';
  const EXACT = { lat: 31.52731, lng: 34.59912 };
  const TEXT = { title: 'Baby formula and diapers for twins', description: 'Twins, 3 months old; the family cannot leave the shelter.', category: 'FOOD' };
  let needA: { id: string };

  const queueOf = async (api: Api) => (await api.ok(`{ duplicateCandidates { id reasons need { id } otherNeed { id } } }`)).duplicateCandidates as any[];
  const pairsWith = (needId: string) => s.app.services.prisma.duplicateCandidate.count({ where: { OR: [{ needId: uuidOf(needId) }, { otherNeedId: uuidOf(needId) }] } });
  const createdDuplicates = async (needId: string) =>
    ((await s.app.services.prisma.needEvent.findFirstOrThrow({ where: { needId: uuidOf(needId), type: 'CREATED' } })).payload as { duplicates: number }).duplicates;

  /** A community of B's kind per probe, so that probes are no duplicates of each other. */
  const anotherB = async () => {
    const id = await createCommunity(admin);
    return { id, coordinator: await member(s.url, admin, id, 'COORDINATOR', 'coordinator-b') };
  };

  beforeAll(async () => {
    needA = await createNeed(coordinatorA, A, { ...TEXT, ...EXACT, requesterPhone: PHONE, requesterEmail: EMAIL, requesterName: 'Rivka Levi' });
  });

  it.each([
    ['phone', { requesterPhone: '052 700 1234', title: 'Water', description: 'Two packs', category: 'TRANSPORT', lat: 31.4, lng: 34.5 }],
    ['e-mail', { requesterPhone: '+972-54-000-0001', requesterEmail: EMAIL.toUpperCase(), title: 'Water', description: 'Two packs', category: 'TRANSPORT', lat: 31.4, lng: 34.5 }],
    ['exact position', { ...TEXT, ...EXACT, requesterPhone: '+972-54-000-0002' }],
  ])("B's coordinator entering A's requester %s gets no pair and no count", async (_what, probe) => {
    const b = await anotherB();
    const created = await b.coordinator.ok(
      `mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }`,
      { input: { communityId: b.id, urgency: 'HIGH', address: 'Somewhere', requesterName: 'Probe', ...probe } },
    );
    const probeId = created.createNeed.need.id;
    expect(await queueOf(b.coordinator)).toEqual([]);
    expect(await pairsWith(probeId)).toBe(0);
    expect(await createdDuplicates(probeId)).toBe(0);
  });

  it("an import into B with A's requester phone reports no duplicate", async () => {
    const b = await anotherB();
    const res = await fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(b.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${b.coordinator.token}` },
      body: `title,category,urgency,lat,lng,address,name,phone,email\nDiapers,food,high,${EXACT.lat},${EXACT.lng},Shelter,Probe,${PHONE},${EMAIL}\n`,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ status: 'ACCEPTED', duplicates: 0 });
    expect(lines.at(-1)).toMatchObject({ accepted: 1, flaggedDuplicates: 0 });
    expect(await queueOf(b.coordinator)).toEqual([]);
  });

  it('a pair that crosses communities (recorded before) is in no queue; within a community the check still works', async () => {
    const probe = await createNeed(coordinatorB, B, { title: 'Unrelated', category: 'OTHER', requesterPhone: '+972-54-000-0003' });
    await s.app.services.prisma.duplicateCandidate.create({
      data: { needId: uuidOf(probe.id), otherNeedId: uuidOf(needA.id), communityId: uuidOf(B), score: 0.9, reasons: ['SAME_PHONE'] },
    });
    expect(await queueOf(coordinatorB)).toEqual([]);
    expect(await queueOf(coordinatorA)).toEqual([]);
    // The same person asking again in A: A's coordinator sees the pair.
    const again = await createNeed(coordinatorA, A, { title: 'Milk', category: 'TRANSPORT', lat: 31.4, lng: 34.5, requesterPhone: PHONE });
    expect(await queueOf(coordinatorA)).toMatchObject([{ reasons: expect.arrayContaining(['SAME_PHONE']), need: { id: again.id }, otherNeed: { id: needA.id } }]);
    expect(await createdDuplicates(again.id)).toBe(1);
  });
});

describe("an SMS draft's sender number", () => {
  const text = async (params: Record<string, string>) => {
    const res = await fetch(`${s.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': smsSignature(SMS_TOKEN, `${s.url}/sms/inbound`, params) },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
    return s.app.services.prisma.intakeDraft.findFirstOrThrow({ where: { providerMessageId: params.MessageSid! } });
  };
  const reads = (draftId: string) => s.app.services.prisma.draftAccessLog.findMany({ where: { draftId }, select: { userId: true } });
  const NODE = `query($id: ID!) { node(id: $id) { ... on IntakeDraft { fromNumber body } } }`;

  it("of an unrouted draft is an admin's to read, and the read is logged; other coordinators get FORBIDDEN and no list entry", async () => {
    const draft = await text({ From: '+972508881111', To: '+972-9-000-0000', Body: 'Need water at Herzl 7, I am alone', MessageSid: 'SMtrust-unrouted' });
    for (const coordinator of [coordinatorA, coordinatorB]) {
      const read = await coordinator.gql(NODE, { id: globalIdOf('IntakeDraft', draft.id) });
      expect(read.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
      expect(read.data?.node ?? null).toBeNull();
      const listed = await coordinator.ok(`{ intakeDrafts { id fromNumber body } }`);
      expect(JSON.stringify(listed)).not.toContain('+972508881111');
      expect(JSON.stringify(listed)).not.toContain('Herzl 7');
      const confirm = await coordinator.gql(
        `mutation($d: ID!, $i: CreateNeedInput!) { confirmIntakeDraft(draftId: $d, input: $i) { id } }`,
        { d: globalIdOf('IntakeDraft', draft.id), i: { communityId: coordinator === coordinatorA ? A : B, title: 'Water', category: 'TRANSPORT', urgency: 'HIGH', lat: 31.5, lng: 34.6, address: 'Herzl 7', requesterName: 'Texter' } },
      );
      expect(confirm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await reads(draft.id)).toEqual([]);

    const byAdmin = await admin.ok(NODE, { id: globalIdOf('IntakeDraft', draft.id) });
    expect(byAdmin.node).toEqual({ fromNumber: '+972508881111', body: 'Need water at Herzl 7, I am alone' });
    const adminId = (await admin.ok(`{ me { id } }`)).me.id;
    expect(await reads(draft.id)).toEqual([{ userId: uuidOf(adminId) }]);
    expect((await s.app.services.prisma.intakeDraft.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe('PENDING');
  });

  it("of a routed draft is its community's coordinators' to read, each read logged; B's coordinator gets FORBIDDEN", async () => {
    const draft = await text({ From: '+972508882222', To: HOTLINE_A, Body: 'Insulin for my father', MessageSid: 'SMtrust-routed' });
    const listed = (await coordinatorA.ok(`{ intakeDrafts { id fromNumber } }`)).intakeDrafts as { id: string; fromNumber: string }[];
    expect(listed.filter((d) => d.fromNumber === '+972508882222')).toHaveLength(1);
    expect(await reads(draft.id)).toEqual([{ userId: uuidOf(coordinatorA.userId) }]);

    const byB = await coordinatorB.gql(NODE, { id: globalIdOf('IntakeDraft', draft.id) });
    expect(byB.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(JSON.stringify(await coordinatorB.ok(`{ intakeDrafts { fromNumber } }`))).not.toContain('+972508882222');
    expect(await reads(draft.id)).toEqual([{ userId: uuidOf(coordinatorA.userId) }]);
  });
});
