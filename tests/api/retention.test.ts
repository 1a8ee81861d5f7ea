// Consent and retention ("Trust and safety"): a claimant gets the requester's phone and e-mail
// only with their consent, else asks the coordinators for a call-back; RETENTION_DAYS after a
// need closed its requester data is erased, exactly that and nothing else; an admin erases a
// requester's data at once on request; public points once derived from the need's id are
// drawn again, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { collect, type Api } from '../helpers/client.ts';
import { uuidOf } from '../helpers/world.ts';
import { smsSignature } from '../../api/src/domain/intake.ts';
import { eraseExpiredPrivateData } from '../../api/src/domain/retention.ts';
import { idDerivedPublicPoint, redrawIdDerivedPublicPoints, REDRAW_JOB } from '../../api/src/domain/publicPointRedraw.ts';
import { distanceKm } from '../../api/src/domain/geo.ts';

const SMS_TOKEN = 'retention-test-token';
const HOTLINE = '+972-8-555-0190';
const DAY = 86_400_000;

let s: TestServer;
let admin: Api;
let community: string;
let coordinator: Api & { userId: string };
let volunteer: Api & { userId: string };

beforeAll(async () => {
  s = await startServer({ SMS_AUTH_TOKEN: SMS_TOKEN });
  admin = await adminClient(s.url, s.app.services.prisma);
  community = (await admin.ok(
    `mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`,
    { i: { slug: `retention-${Date.now()}`, name: 'Retention', kind: 'TOWN', area: 'Netivot', centerLat: 31.42, centerLng: 34.59, smsNumber: HOTLINE } },
  )).createCommunity.id;
  coordinator = await member(s.url, admin, community, 'COORDINATOR', 'coordinator');
  volunteer = await member(s.url, admin, community, 'VOLUNTEER', 'volunteer');
});
afterAll(async () => {
  s?.app.services.clock.reset();
  await s?.stop();
});

const PRIVATE = `privateDetails { address requesterName requesterPhone requesterEmail lat lng contactShared }`;
const claim = async (api: Api, needId: string): Promise<string> =>
  (await api.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: needId })).claimNeed.claim.id;
const complete = async (api: Api, needId: string, note: string) => {
  const claimId = await claim(api, needId);
  await api.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: claimId });
  await api.ok(`mutation($id: ID!, $n: String) { completeClaim(claimId: $id, note: $n) { claim { id } } }`, { id: claimId, n: note });
};

describe("the requester's consent to share their contact", () => {
  it('is no consent when the caller does not say: the claimant gets name, address and place, no phone or e-mail', async () => {
    const need = await createNeed(coordinator, community, { requesterEmail: 'miriam@example.org' });
    expect((await coordinator.ok(`query($id: ID!) { need(id: $id) { contactConsent } }`, { id: need.id })).need.contactConsent).toBe(false);
    await claim(volunteer, need.id);
    const seen = (await volunteer.ok(`query($id: ID!) { need(id: $id) { ${PRIVATE} } }`, { id: need.id })).need.privateDetails;
    expect(seen).toMatchObject({ address: '12 Herzl St, Sderot', requesterName: 'Miriam Cohen', requesterPhone: null, requesterEmail: null, contactShared: false });
    expect(seen.lat).toBeCloseTo(31.5251, 6);
    // The coordinator still gets them, to call back.
    expect((await coordinator.ok(`query($id: ID!) { need(id: $id) { ${PRIVATE} } }`, { id: need.id })).need.privateDetails).toMatchObject({
      requesterPhone: '+972-50-123-4567', requesterEmail: 'miriam@example.org', contactShared: true,
    });
  });

  it('with consent, gives the claimant the phone and e-mail; updateNeed can record it later', async () => {
    const need = await createNeed(coordinator, community, { requesterEmail: 'dana@example.org', contactConsent: true, lat: 31.43, lng: 34.6 });
    await claim(volunteer, need.id);
    expect((await volunteer.ok(`query($id: ID!) { need(id: $id) { ${PRIVATE} } }`, { id: need.id })).need.privateDetails).toMatchObject({
      requesterPhone: '+972-50-123-4567', requesterEmail: 'dana@example.org', contactShared: true,
    });
    const later = await createNeed(coordinator, community, { lat: 31.44, lng: 34.6 });
    await claim(volunteer, later.id);
    expect((await volunteer.ok(`query($id: ID!) { need(id: $id) { privateDetails { requesterPhone } } }`, { id: later.id })).need.privateDetails.requesterPhone).toBeNull();
    await coordinator.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { contactConsent: true }) { need { id } } }`, { id: later.id });
    expect((await volunteer.ok(`query($id: ID!) { need(id: $id) { privateDetails { requesterPhone } } }`, { id: later.id })).need.privateDetails.requesterPhone).toBe('+972-50-123-4567');
  });

  it('is read from a CSV import column (yes, כן…; blank is no; anything else refuses the row)', async () => {
    const res = await fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(community)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${coordinator.token}` },
      body: 'title,category,urgency,lat,lng,address,name,phone,consent\n'
        + 'Water,food,high,31.45,34.6,Herzl 1,Avi,+972-52-100-0001,כן\n'
        + 'Bread,food,high,31.46,34.6,Herzl 2,Bella,+972-52-100-0002,\n'
        + 'Milk,food,high,31.47,34.6,Herzl 3,Chen,+972-52-100-0003,maybe\n',
    });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, 3).map((l) => l.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'REJECTED']);
    expect(lines[2].reason).toMatch(/הסכמה/);
    const consents = await Promise.all(lines.slice(0, 2).map(async (l) => (await coordinator.ok(`query($id: ID!) { need(id: $id) { contactConsent } }`, { id: l.id })).need.contactConsent));
    expect(consents).toEqual([true, false]);
  });

  it('is given when an SMS draft is confirmed', async () => {
    const params = { From: '+972507770001', To: HOTLINE, Body: 'Need diapers at Herzl 9', MessageSid: 'SMconsent-1' };
    const res = await fetch(`${s.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': smsSignature(SMS_TOKEN, `${s.url}/sms/inbound`, params) },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
    const draft = (await coordinator.ok(`{ intakeDrafts { id body } }`)).intakeDrafts.find((d: { body: string }) => d.body === params.Body);
    const need = (await coordinator.ok(
      `mutation($d: ID!, $i: CreateNeedInput!) { confirmIntakeDraft(draftId: $d, input: $i) { id contactConsent } }`,
      { d: draft.id, i: { communityId: community, title: 'Diapers', category: 'FOOD', urgency: 'HIGH', lat: 31.48, lng: 34.6, address: 'Herzl 9', requesterName: 'Texter', contactConsent: true } },
    )).confirmIntakeDraft;
    expect(need.contactConsent).toBe(true);
  });
});

describe('a call-back through the coordinator', () => {
  it("reaches the community's coordinators as a notification and is an event on the need", async () => {
    const need = await createNeed(coordinator, community, { lat: 31.41, lng: 34.58, title: 'Shopping for an elderly man' });
    await claim(volunteer, need.id);
    const done = await volunteer.ok(`mutation($id: ID!) { requestCallback(needId: $id) { need { id } } }`, { id: need.id });
    expect(done.requestCallback.need.id).toBe(need.id);
    const notes = (await coordinator.ok(`{ myNotifications { kind title needId } }`)).myNotifications;
    expect(notes).toContainEqual(expect.objectContaining({ kind: 'CALLBACK_REQUESTED', title: 'בקשה לחזרה טלפונית: Shopping for an elderly man', needId: need.id }));
    const events = (await coordinator.ok(`query($id: ID!) { need(id: $id) { events { edges { node { type } } } } }`, { id: need.id })).need.events.edges.map((e: any) => e.node.type);
    expect(events.at(-1)).toBe('CALLBACK_REQUESTED');
  });

  it('is refused to a volunteer without the claim, and to a claimant who has the contact', async () => {
    const need = await createNeed(coordinator, community, { lat: 31.411, lng: 34.58 });
    const other = await member(s.url, admin, community, 'VOLUNTEER', 'other');
    const refused = await other.gql(`mutation($id: ID!) { requestCallback(needId: $id) { need { id } } }`, { id: need.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const consented = await createNeed(coordinator, community, { lat: 31.412, lng: 34.58, contactConsent: true });
    await claim(other, consented.id);
    const again = await other.gql(`mutation($id: ID!) { requestCallback(needId: $id) { need { id } } }`, { id: consented.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('retention', () => {
  const PUBLIC = `id title description category urgency status slots publicLat publicLng createdAt doneAt`;
  const publicRecord = async (id: string) => (await admin.ok(`query($id: ID!) { need(id: $id) { ${PUBLIC} } }`, { id })).need;
  const row = (id: string) => s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(id) } });
  const statistics = async () => {
    const stats = await coordinator.ok(
      `query($c: [ID!], $from: DateTime!, $to: DateTime!) {
        boardStats(communityIds: $c) { open claimed inProgress openByCategory { category count } openByUrgency { urgency count } }
        needIndicators(communityIds: $c, from: $from, to: $to, period: MONTH) { periodStart category needsReceived needsMet medianMinutesToClaim medianMinutesToComplete criticalReceived criticalMetWithin24h }
      }`,
      { c: [community], from: new Date(Date.now() - 400 * DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString() },
    );
    return stats;
  };

  /** Runs `make` with the services clock `days` in the past. */
  const daysAgo = async <T>(days: number, make: () => Promise<T>): Promise<T> => {
    s.app.services.clock.set(new Date(Date.now() - days * DAY));
    try {
      return await make();
    } finally {
      s.app.services.clock.reset();
    }
  };

  const contact = { requesterName: 'Yael Mizrahi', requesterPhone: '+972-54-321-0099', requesterEmail: 'yael@example.org', address: '4 Rimon St, Netivot', contactConsent: true };
  let doneLongAgo: any;
  let cancelledLongAgo: any;
  let doneRecently: any;
  let openOld: any;
  let claimedOld: any;
  let draftId: string;
  let volunteer: Api & { userId: string };

  beforeAll(async () => {
    // A volunteer of their own: the cap on live claims counts per volunteer.
    volunteer = await member(s.url, admin, community, 'VOLUNTEER', 'retention-volunteer');
    doneLongAgo = await daysAgo(91, async () => {
      const need = await createNeed(coordinator, community, { ...contact, lat: 31.401, lng: 34.571, title: 'Done long ago' });
      const first = await claim(volunteer, need.id);
      await volunteer.ok(`mutation($id: ID!, $r: String) { releaseClaim(claimId: $id, reason: $r) { claim { id } } }`, { id: first, r: 'Yael asked me to call her son on 054-999-1234' });
      await complete(volunteer, need.id, 'Left it with the neighbour, 050-111-2222');
      return need;
    });
    // A text that became a need, cancelled long ago with a reason that holds a number.
    const params = { From: '+972508880042', To: HOTLINE, Body: 'Blankets please, 4 Rimon St', MessageSid: 'SMretention-1' };
    await daysAgo(91, async () => {
      const res = await fetch(`${s.url}/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': smsSignature(SMS_TOKEN, `${s.url}/sms/inbound`, params) },
        body: new URLSearchParams(params),
      });
      expect(res.status).toBe(200);
    });
    draftId = (await s.app.services.prisma.intakeDraft.findFirstOrThrow({ where: { providerMessageId: params.MessageSid } })).id;
    cancelledLongAgo = await daysAgo(91, async () => {
      const listed = (await coordinator.ok(`{ intakeDrafts { id body } }`)).intakeDrafts.find((d: { body: string }) => d.body === params.Body);
      const need = (await coordinator.ok(
        `mutation($d: ID!, $i: CreateNeedInput!) { confirmIntakeDraft(draftId: $d, input: $i) { id } }`,
        { d: listed.id, i: { communityId: community, title: 'Blankets', category: 'EQUIPMENT', urgency: 'NORMAL', lat: 31.402, lng: 34.572, address: '4 Rimon St', requesterName: 'Texter' } },
      )).confirmIntakeDraft;
      await coordinator.ok(`mutation($id: ID!, $r: String) { cancelNeed(id: $id, reason: $r) { need { id } } }`, { id: need.id, r: 'Handled by phone: 050-888-0042' });
      return need;
    });
    doneRecently = await daysAgo(89, async () => {
      const need = await createNeed(coordinator, community, { ...contact, lat: 31.403, lng: 34.573, title: 'Done 89 days ago' });
      await complete(volunteer, need.id, 'Fine');
      return need;
    });
    openOld = await daysAgo(91, () => createNeed(coordinator, community, { ...contact, lat: 31.404, lng: 34.574, title: 'Open since long ago' }));
    claimedOld = await daysAgo(91, async () => {
      const need = await createNeed(coordinator, community, { ...contact, lat: 31.405, lng: 34.575, title: 'Claimed long ago', urgency: 'CRITICAL' });
      await claim(volunteer, need.id);
      return need;
    });
  });

  it('erases exactly the requester data of needs closed more than RETENTION_DAYS ago, and publishes the event', async () => {
    const all = [doneLongAgo, cancelledLongAgo, doneRecently, openOld, claimedOld];
    const publicBefore = await Promise.all(all.map((n) => publicRecord(n.id)));
    const rowsBefore = await Promise.all(all.map((n) => row(n.id)));
    const statsBefore = await statistics();
    const readsBefore = await s.app.services.prisma.privateAccessLog.count();

    const ws = coordinator.ws();
    const live = collect(ws, `subscription($ids: [ID!]) { needEvents(filter: { needIds: $ids }) { type reason needId } }`, { ids: [doneLongAgo.id, cancelledLongAgo.id] }, (items) => items.length >= 2);
    // The subscription is live once an event it should see arrives: a harmless one first.
    const probe = collect(ws, `subscription($ids: [ID!]) { needEvents(filter: { needIds: $ids }) { type } }`, { ids: [openOld.id] }, (items) => items.length >= 1);
    while (probe.items.length === 0) {
      await coordinator.ok(`mutation($id: ID!) { updateNeed(id: $id, input: { slots: 1 }) { need { id } } }`, { id: openOld.id });
      await Promise.race([probe.done, new Promise((r) => setTimeout(r, 200))]);
    }

    expect(await eraseExpiredPrivateData(s.app.services)).toBe(2);
    const events = await live.done;
    expect(events.map((e: any) => [e.needEvents.type, e.needEvents.reason, e.needEvents.needId]).sort()).toEqual(
      [['PRIVATE_DATA_ERASED', 'RETENTION', doneLongAgo.id], ['PRIVATE_DATA_ERASED', 'RETENTION', cancelledLongAgo.id]].sort(),
    );
    await ws.dispose();

    // The erased two: no requester, no address, the exact point on the public one.
    for (const n of [doneLongAgo, cancelledLongAgo]) {
      const r = await row(n.id);
      expect(r).toMatchObject({ requesterName: '', requesterPhone: null, requesterEmail: null, address: '', lat: r.publicLat, lng: r.publicLng });
      expect(r.privateErasedAt).not.toBeNull();
    }
    // People's words that held numbers: claims' reasons and notes, event reasons, the text message.
    const claims = await s.app.services.prisma.claim.findMany({ where: { needId: uuidOf(doneLongAgo.id) } });
    expect(claims.map((c) => [c.releaseReason, c.note])).toEqual(claims.map(() => [null, null]));
    const events2 = await s.app.services.prisma.needEvent.findMany({ where: { needId: { in: [uuidOf(doneLongAgo.id), uuidOf(cancelledLongAgo.id)] } } });
    expect(JSON.stringify(events2.map((e) => e.payload))).not.toMatch(/05\d-/);
    const draft = await s.app.services.prisma.intakeDraft.findUniqueOrThrow({ where: { id: draftId } });
    expect([draft.fromNumber, draft.body]).toEqual(['', '']);
    expect(draft.needId).toBe(uuidOf(cancelledLongAgo.id));

    // The others untouched, to the column.
    const rowsAfter = await Promise.all(all.map((n) => row(n.id)));
    for (const i of [2, 3, 4]) expect({ ...rowsAfter[i], updatedAt: null }).toEqual({ ...rowsBefore[i], updatedAt: null });
    // The public record, the counts and the indicators unchanged; the access log kept.
    expect(await Promise.all(all.map((n) => publicRecord(n.id)))).toEqual(publicBefore);
    expect(await statistics()).toEqual(statsBefore);
    expect(await s.app.services.prisma.privateAccessLog.count()).toBe(readsBefore);

    // Idempotent: nothing more to do, and no second event.
    expect(await eraseExpiredPrivateData(s.app.services)).toBe(0);
    expect(await s.app.services.prisma.needEvent.count({ where: { type: 'PRIVATE_DATA_ERASED' } })).toBe(2);
  });

  it('erases the need closed 89 days ago two days later, by the services clock', async () => {
    s.app.services.clock.advance(2 * DAY);
    try {
      expect(await eraseExpiredPrivateData(s.app.services)).toBe(1);
    } finally {
      s.app.services.clock.reset();
    }
    expect(await row(doneRecently.id)).toMatchObject({ requesterPhone: null, address: '' });
    expect((await row(openOld.id)).requesterPhone).toBe(contact.requesterPhone);
  });
});

describe("erasing a requester's data at once (admins)", () => {
  const PHONE = '+972-53-444-5566';
  const ERASE = `mutation($i: EraseRequesterDataInput!) { eraseRequesterData(input: $i) { needs { id privateErasedAt } erasedDrafts } }`;

  it('is refused to a coordinator, and changes nothing', async () => {
    const need = await createNeed(coordinator, community, { requesterPhone: PHONE, lat: 31.39, lng: 34.56 });
    const r = await coordinator.gql(ERASE, { i: { phone: PHONE } });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(need.id) } })).requesterPhone).toBe(PHONE);
  });

  it("erases every need with the requester's phone, in every community, whatever its status, with a REQUEST event; others stay", async () => {
    const elsewhere = await createCommunity(admin);
    const otherCoordinator = await member(s.url, admin, elsewhere, 'COORDINATOR', 'elsewhere');
    const a = await createNeed(coordinator, community, { requesterPhone: PHONE, lat: 31.391, lng: 34.561 });
    const b = await createNeed(otherCoordinator, elsewhere, { requesterPhone: '053 444 5566', lat: 31.5, lng: 34.6 });
    const c = await createNeed(coordinator, community, { requesterPhone: '+972-53-444-0000', lat: 31.392, lng: 34.562 });
    const done = (await admin.ok(ERASE, { i: { phone: PHONE } })).eraseRequesterData;
    const erased = done.needs.map((n: { id: string }) => n.id);
    expect(erased).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(erased).not.toContain(c.id);
    for (const id of [a.id, b.id]) {
      const r = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(id) } });
      expect(r).toMatchObject({ requesterPhone: null, requesterName: '', address: '', status: 'OPEN' });
      const e = await s.app.services.prisma.needEvent.findFirstOrThrow({ where: { needId: uuidOf(id), type: 'PRIVATE_DATA_ERASED' } });
      expect(e.payload).toEqual({ reason: 'REQUEST' });
    }
    expect((await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(c.id) } })).requesterPhone).toBe('+972-53-444-0000');
    // One need by id, too.
    const one = (await admin.ok(ERASE, { i: { needId: c.id } })).eraseRequesterData;
    expect(one.needs.map((n: { id: string }) => n.id)).toEqual([c.id]);
  });
});

describe('public points once derived from the need id', () => {
  it('are drawn again, once: same-place needs share the new point, a drawn point stays', async () => {
    const prisma = s.app.services.prisma;
    const place = { lat: 31.381, lng: 34.551 };
    const first = await createNeed(coordinator, community, { ...place, title: 'Old style, first' });
    const second = await createNeed(coordinator, community, { ...place, title: 'Old style, second' });
    const drawn = await createNeed(coordinator, community, { lat: 31.371, lng: 34.541, title: 'New style' });
    // Write them back as the code before 4d65d3a would have: each its own id-derived point.
    for (const n of [first, second]) {
      const old = idDerivedPublicPoint(uuidOf(n.id), place);
      await prisma.need.update({ where: { id: uuidOf(n.id) }, data: { publicLat: old.lat, publicLng: old.lng } });
    }
    await prisma.dataJob.deleteMany({ where: { name: REDRAW_JOB } });
    const drawnBefore = await prisma.need.findUniqueOrThrow({ where: { id: uuidOf(drawn.id) } });

    expect(await redrawIdDerivedPublicPoints(s.app.services)).toBe(2);
    const [a, b] = await Promise.all([first, second].map((n) => prisma.need.findUniqueOrThrow({ where: { id: uuidOf(n.id) } })));
    for (const r of [a!, b!]) {
      expect({ lat: r.publicLat, lng: r.publicLng }).not.toEqual(idDerivedPublicPoint(r.id, place));
      const m = distanceKm(place, { lat: r.publicLat, lng: r.publicLng }) * 1000;
      expect(m).toBeGreaterThanOrEqual(250);
      expect(m).toBeLessThanOrEqual(500);
    }
    expect([b!.publicLat, b!.publicLng]).toEqual([a!.publicLat, a!.publicLng]);
    expect(await prisma.need.findUniqueOrThrow({ where: { id: uuidOf(drawn.id) } })).toEqual(drawnBefore);
    // The board learns of the move.
    const moved = await prisma.needEvent.findFirstOrThrow({ where: { needId: a!.id }, orderBy: { seq: 'desc' } });
    expect([moved.type, moved.payload]).toEqual(['UPDATED', { fields: 'publicLat,publicLng' }]);
    // Once per database.
    expect(await prisma.dataJob.findUnique({ where: { name: REDRAW_JOB } })).not.toBeNull();
    const again = idDerivedPublicPoint(a!.id, place);
    await prisma.need.update({ where: { id: a!.id }, data: { publicLat: again.lat, publicLng: again.lng } });
    expect(await redrawIdDerivedPublicPoints(s.app.services)).toBeNull();
  });
});
