// Recurring shifts, notifications (in-app and e-mail to a real SMTP sink), signed webhooks
// with retries against a local receiver, and SMS intake (drafts listed and watched live).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api, collect } from '../helpers/client.ts';
import { overHttp, overWs } from '../helpers/transports.ts';
import { startReceiver, startSmtpSink, waitFor } from '../helpers/sinks.ts';
import { occurrenceStarts } from '../../api/src/domain/recurrence.ts';
import { verifySignature } from '../../api/src/domain/webhooks.ts';
import { smsSignature } from '../../api/src/domain/intake.ts';
import { globalIdOf } from '../helpers/world.ts';
import { vet } from '../helpers/vetting.ts';

const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;

let s: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let smsProvider: Awaited<ReturnType<typeof startReceiver>>;
/** A partner's webhook endpoint: fails twice, then accepts. On loopback, so allow-listed. */
let partner: Awaited<ReturnType<typeof startReceiver>>;
let admin: Api;
let community: string;
let coordinator: Api;
const SMS_TOKEN = 'test-auth-token';
const HOTLINE = '+972-3-555-0100';

beforeAll(async () => {
  smtp = await startSmtpSink();
  smsProvider = await startReceiver();
  partner = await startReceiver((_r, n) => (n <= 2 ? 500 : 200));
  s = await startServer({
    OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${partner.port}`,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Board <board@example.org>',
    WORKER_INTERVAL_MS: '50',
    WEBHOOK_RETRY_BASE_MS: '400',
    SMS_OUTBOUND_URL: smsProvider.url,
    SMS_AUTH_TOKEN: SMS_TOKEN,
  });
  admin = await adminClient(s.url, s.app.services.prisma);
  community = (await admin.ok(
    `mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`,
    { i: { slug: `ofakim-${Date.now()}`, name: 'Ofakim', kind: 'TOWN', area: 'Ofakim', centerLat: 31.314, centerLng: 34.62, smsNumber: HOTLINE } },
  )).createCommunity.id;
  coordinator = await member(s.url, admin, community, 'COORDINATOR');
});
afterAll(async () => {
  await s?.stop();
  await smtp?.stop();
  await smsProvider?.stop();
  await partner?.stop();
});

describe('recurring needs', () => {
  it('keeps the local time of day across daylight saving time', () => {
    const starts = occurrenceStarts({
      frequency: 'WEEKLY', weekdays: [4], startsAt: new Date('2027-03-18T16:00:00Z'), count: 3, durationMinutes: 120, slotsPerOccurrence: 1,
    });
    // 18:00 in Israel: UTC+2 before 26 March 2027, UTC+3 after.
    expect(starts.map((d) => d.toISOString())).toEqual(['2027-03-18T16:00:00.000Z', '2027-03-25T16:00:00.000Z', '2027-04-01T15:00:00.000Z']);
  });

  it('makes one need per shift, claimed independently; the board shows the next open one', async () => {
    const start = new Date(Date.now() + 2 * 86_400_000);
    const created = (await coordinator.ok(
      `mutation($i: CreateNeedInput!, $r: RecurrenceInput!) { createRecurringNeed(input: $i, recurrence: $r) { id occurrenceAt onBoard slots } }`,
      {
        i: { communityId: community, title: "Evening babysitting for a reservist's family", category: 'CHILDCARE', urgency: 'NORMAL', lat: 31.31, lng: 34.62, address: '3 Herzl', requesterName: 'Tamar' },
        r: { frequency: 'DAILY', startsAt: start.toISOString(), count: 4, durationMinutes: 180, slotsPerOccurrence: 2 },
      },
    )).createRecurringNeed;
    expect(created).toHaveLength(4);
    expect(created.map((n: any) => n.onBoard)).toEqual([true, false, false, false]);
    expect(created.every((n: any) => n.slots === 2)).toBe(true);
    const onBoard = async () =>
      (await new Api(s.url).ok(`query($c: [ID!]) { needs(filter: { communityIds: $c, categories: [CHILDCARE] }) { edges { node { id } } } }`, { c: [community] })).needs.edges.map((e: any) => e.node.id);
    expect(await onBoard()).toEqual([created[0].id]);

    const [a, b, c] = [await member(s.url, admin, community, 'VOLUNTEER'), await member(s.url, admin, community, 'VOLUNTEER'), await member(s.url, admin, community, 'VOLUNTEER')];
    // Babysitting asks for vetting (domain/vetting.ts): the coordinator has recorded theirs.
    for (const v of [a, b, c]) await vet(coordinator, community, v.userId);
    const claim = (api: Api, id: string) => api.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { need { status } } } }`, { id });
    // A volunteer takes the third shift directly; the first fills up with two.
    await claim(c, created[2].id);
    await claim(a, created[0].id);
    expect((await claim(b, created[0].id)).claimNeed.claim.need.status).toBe('CLAIMED');
    expect(await onBoard()).toEqual([created[1].id]);
    const flip = await s.app.services.prisma.needEvent.findFirst({ where: { needId: uuidOf(created[1].id), type: 'UPDATED' } });
    expect(flip?.payload).toMatchObject({ fields: 'onBoard', onBoard: true });
    const third = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(created[2].id) } });
    expect(third).toMatchObject({ status: 'OPEN', activeClaims: 1 });
  });
});

describe('notifications', () => {
  it('a new critical need reaches volunteers in the app, live, and by e-mail through SMTP', async () => {
    const v = await member(s.url, admin, community, 'VOLUNTEER');
    // An English reader (each reads notifications in their own language: tests/api/i18n.test.ts).
    await v.ok(`mutation { updateProfile(input: { locale: en }) { id } }`);
    const email = (await v.ok(`{ me { email } }`)).me.email;
    const ws = v.ws();
    const live = collect(ws, `subscription { myNotifications { kind title } }`, {}, (items) => items.some((i) => i.myNotifications.length > 0));
    await new Promise((r) => setTimeout(r, 300));
    await createNeed(coordinator, community, { urgency: 'CRITICAL', title: 'Oxygen concentrator needed tonight' });
    const got = (await live.done).at(-1).myNotifications;
    expect(got[0]).toMatchObject({ kind: 'NEW_CRITICAL_NEED', title: 'Critical: Oxygen concentrator needed tonight' });
    await ws.dispose();
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(email)));
    expect(mail.data).toMatch(/Subject: Critical: Oxygen concentrator needed tonight/);
    expect(mail.from).toBe('board@example.org');
    const read = await v.ok(`mutation { markNotificationsRead }`);
    expect(read.markNotificationsRead).toBeGreaterThanOrEqual(1);
    expect((await v.ok(`{ myNotifications(unreadOnly: true) { id } }`)).myNotifications).toHaveLength(0);
  });

  it('respects muted kinds and quiet hours', async () => {
    const muted = await member(s.url, admin, community, 'VOLUNTEER');
    await muted.ok(`mutation { updateProfile(input: { mutedKinds: [NEW_CRITICAL_NEED] }) { id } }`);
    const quiet = await member(s.url, admin, community, 'VOLUNTEER');
    const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Jerusalem', hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    await quiet.ok(`mutation($f: Int!, $t: Int!) { updateProfile(input: { quietFromHour: $f, quietToHour: $t, locale: en }) { id } }`, { f: hour, t: (hour + 2) % 24 });
    const quietEmail = (await quiet.ok(`{ me { email } }`)).me.email;
    await createNeed(coordinator, community, { urgency: 'CRITICAL', title: 'Generator for the clinic' });
    expect((await muted.ok(`{ myNotifications { id } }`)).myNotifications).toHaveLength(0);
    expect((await quiet.ok(`{ myNotifications { title } }`)).myNotifications[0].title).toBe('Critical: Generator for the clinic');
    const delivery = await s.app.services.prisma.notificationDelivery.findFirstOrThrow({ where: { notification: { userId: uuidOf((quiet as any).userId) } } });
    expect(delivery.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    await new Promise((r) => setTimeout(r, 800));
    expect(smtp.mails.some((m) => m.to.includes(quietEmail))).toBe(false);
  });

  it('a handover request and a completed need notify the right people', async () => {
    const holder = await member(s.url, admin, community, 'VOLUNTEER');
    const taker = await member(s.url, admin, community, 'VOLUNTEER');
    const n = await createNeed(coordinator, community);
    const claim = (await holder.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: n.id })).claimNeed.claim;
    await taker.ok(`mutation($id: ID!) { requestHandover(claimId: $id) { id } }`, { id: claim.id });
    expect((await holder.ok(`{ myNotifications { kind } }`)).myNotifications.map((x: any) => x.kind)).toContain('HANDOVER_REQUESTED');
    const n2 = await createNeed(coordinator, community);
    const c2 = (await holder.ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: n2.id })).claimNeed.claim;
    await holder.ok(`mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`, { id: c2.id });
    await holder.ok(`mutation($id: ID!) { completeClaim(claimId: $id) { claim { id } } }`, { id: c2.id });
    expect((await coordinator.ok(`{ myNotifications { kind } }`)).myNotifications.map((x: any) => x.kind)).toContain('NEED_COMPLETED');
  });
});

describe('webhooks', () => {
  it('delivers signed events and retries with backoff until the receiver accepts', async () => {
    const receiver = partner;
    const created = (await coordinator.ok(
      `mutation($u: String!, $c: ID!) { createWebhook(url: $u, communityId: $c, eventTypes: [CREATED]) { secret webhook { id } } }`,
      { u: receiver.url, c: community },
    )).createWebhook;
    const n = await createNeed(coordinator, community, { title: 'Webhook me', address: '99 Private Rd' });
    await waitFor(() => receiver.received.length >= 3, 15_000);
    const [first, second, third] = receiver.received;
    // Backoff: the waits double (WEBHOOK_RETRY_BASE_MS 400: 400 ms, then 800 ms). Lower bounds
    // only: a loaded machine stretches each gap, which a ratio of the two gaps would not survive.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(380);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(780);
    for (const r of receiver.received) {
      expect(verifySignature(created.secret, r.body, String(r.headers['x-mutual-aid-signature']))).toBe(true);
      expect(r.body).not.toContain('99 Private Rd');
    }
    const payload = JSON.parse(third!.body);
    expect(payload.event).toMatchObject({ type: 'CREATED', needId: n.id });
    expect(payload.need.title).toBe('Webhook me');
    const log = await waitFor(async () => {
      const d = (await coordinator.ok(`{ webhooks { deliveries(first: 10) { edges { node { status attempts responseStatus } } } } }`)).webhooks[0].deliveries.edges;
      return d[0]?.node.status === 'SENT' ? d : false;
    });
    expect(log[0].node).toMatchObject({ status: 'SENT', attempts: 3, responseStatus: 200 });
    expect(log).toHaveLength(1);
    expect(verifySignature('wrong-secret', third!.body, String(third!.headers['x-mutual-aid-signature']))).toBe(false);
  });
});

describe('SMS intake', () => {
  const post = (params: Record<string, string>, signature = smsSignature(SMS_TOKEN, `${s.url}/sms/inbound`, params)) =>
    fetch(`${s.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params),
    });

  it("a provider's retry changes nothing even when another copy of the text arrived first", async () => {
    const text = { From: '+972501119988', To: HOTLINE, Body: 'Need a ride to Soroka tomorrow at 8' };
    // The sender's second copy (SM-B) reaches us before the first (SM-A), whose retry follows.
    for (const sid of ['SM-B', 'SM-A', 'SM-A', 'SM-B']) expect((await post({ ...text, MessageSid: sid })).status).toBe(200);
    const drafts = await s.app.services.prisma.intakeDraft.findMany({ where: { fromNumber: text.From } });
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.repeats).toBe(1);
    // Decided, so that the drafts listed by the next tests are theirs alone.
    await coordinator.ok(`mutation($id: ID!) { rejectIntakeDraft(draftId: $id, reason: "test") { id } }`, { id: globalIdOf('IntakeDraft', drafts[0]!.id) });
  });

  it('an inbound text makes exactly one draft, however often it arrives; confirming it makes the need', async () => {
    const text = { From: '+972501112233', To: HOTLINE, Body: 'My mother in Ofakim needs insulin, she cannot leave home. Herzl 5' };
    const replies = () => smsProvider.received.filter((r) => r.body.includes(encodeURIComponent(text.From).replace(/%2B/, '%2B')) || new URLSearchParams(r.body).get('To') === text.From);
    const results = await Promise.all([
      post({ ...text, MessageSid: 'SM1' }),
      post({ ...text, MessageSid: 'SM1' }), // the provider retrying
      post({ ...text, MessageSid: 'SM2' }), // the sender sending again
      post({ ...text, Body: `  ${text.Body.toUpperCase()} `, MessageSid: 'SM3' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const drafts = await s.app.services.prisma.intakeDraft.findMany({ where: { fromNumber: text.From } });
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.repeats).toBe(2);
    await waitFor(() => replies().length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(replies()).toHaveLength(1);

    const listed = (await coordinator.ok(`{ intakeDrafts { id body repeats community { name } } }`)).intakeDrafts;
    expect(listed).toHaveLength(1);
    expect(listed[0].community.name).toBe('Ofakim');
    const need = (await coordinator.ok(
      `mutation($d: ID!, $i: CreateNeedInput!) { confirmIntakeDraft(draftId: $d, input: $i) { id title privateDetails { requesterPhone } } }`,
      { d: listed[0].id, i: { communityId: community, title: 'Insulin for an elderly woman', category: 'MEDICINE', urgency: 'HIGH', lat: 31.31, lng: 34.62, address: 'Herzl 5, Ofakim', requesterName: 'Texter' } },
    )).confirmIntakeDraft;
    expect(need.privateDetails.requesterPhone).toBe(text.From);
    await waitFor(() => replies().length >= 2);
    const again = await coordinator.gql(`mutation($d: ID!) { rejectIntakeDraft(draftId: $d) { status } }`, { d: listed[0].id });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentStatus: 'CONFIRMED' });
  });

  it('a text that is not a need is rejected with the reason on record; too long a reason changes nothing', async () => {
    expect((await post({ From: '+972507770000', To: HOTLINE, Body: 'Thank you all for yesterday!', MessageSid: 'SM20' })).status).toBe(200);
    const [draft] = (await coordinator.ok(`{ intakeDrafts { id fromNumber } }`)).intakeDrafts.filter((d: any) => d.fromNumber === '+972507770000');
    const tooLong = await coordinator.gql(`mutation($d: ID!, $r: String) { rejectIntakeDraft(draftId: $d, reason: $r) { status } }`, { d: draft.id, r: 'x'.repeat(501) });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await s.app.services.prisma.intakeDraft.findFirstOrThrow({ where: { fromNumber: '+972507770000' } })).status).toBe('PENDING');
    const rejected = await coordinator.ok(`mutation($d: ID!, $r: String) { rejectIntakeDraft(draftId: $d, reason: $r) { status rejectReason } }`, {
      d: draft.id,
      r: '  A thank-you, not a request.  ',
    });
    expect(rejected.rejectIntakeDraft).toEqual({ status: 'REJECTED', rejectReason: 'A thank-you, not a request.' });
    expect((await coordinator.ok(`{ intakeDrafts { id } }`)).intakeDrafts.map((d: any) => d.id)).not.toContain(draft.id);
  });

  it('refuses a text without a valid provider signature', async () => {
    const res = await post({ From: '+972509998877', To: HOTLINE, Body: 'hello', MessageSid: 'SM9' }, 'forged');
    expect(res.status).toBe(403);
    expect(await s.app.services.prisma.intakeDraft.count({ where: { fromNumber: '+972509998877' } })).toBe(0);
  });

  /** Every message of one `intakeDraftsChanged` subscription over a real graphql-ws connection, until disposed. */
  function watchDrafts(api: Api, selection: string, variables: Record<string, unknown> = {}) {
    const client = api.ws();
    const items: any[][] = [];
    const errors: unknown[] = [];
    client.subscribe(
      { query: `subscription($c: [ID!]) { intakeDraftsChanged(communityIds: $c) { ${selection} } }`, variables },
      {
        next: (r) => {
          if (r.errors) errors.push(r.errors);
          if (r.data) items.push((r.data as { intakeDraftsChanged: any[] }).intakeDraftsChanged);
        },
        error: (e) => errors.push(e),
        complete: () => {},
      },
    );
    return { items, errors, latest: () => items.at(-1)!, dispose: () => client.dispose() };
  }

  it('coordinators watch their drafts live: a text appears, a repeat counts, a retry changes nothing, a reject removes it', async () => {
    // Private on every side: the texter's number, and the members of the draft's community.
    const DRAFT = `id fromNumber body status repeats community { name members(first: 5) { edges { node { role } } } }`;
    const asQuery = async (api: Api) => (await api.ok(`{ intakeDrafts { ${DRAFT} } }`)).intakeDrafts;
    const other = await member(s.url, admin, await createCommunity(admin), 'COORDINATOR');
    const mine = watchDrafts(coordinator, DRAFT);
    const theirs = watchDrafts(other, DRAFT);
    const admins = watchDrafts(admin, DRAFT);
    try {
      await waitFor(() => mine.items.length >= 1 && theirs.items.length >= 1 && admins.items.length >= 1);
      // The first message is the list as the query gives it, fields and all, for each of them.
      expect(mine.latest()).toEqual(await asQuery(coordinator));
      expect(theirs.latest()).toEqual(await asQuery(other));

      const from = '+972508880001';
      const text = { From: from, To: HOTLINE, Body: 'Two elderly neighbours on Rager St need a hot meal tonight' };
      const fromIn = (list: any[], number = from) => list.filter((d) => d.fromNumber === number);
      /** Sends a text and returns the next message of `mine`. */
      const next = async (params: Record<string, string>) => {
        const before = mine.items.length;
        expect((await post(params)).status).toBe(200);
        await waitFor(() => mine.items.length > before);
        return mine.items[before]!;
      };

      const arrived = await next({ ...text, MessageSid: 'SMlive1' });
      expect(fromIn(arrived)).toHaveLength(1);
      expect(fromIn(arrived)[0]).toMatchObject({ body: text.Body, status: 'PENDING', repeats: 0, community: { name: 'Ofakim' } });
      expect(fromIn(arrived)[0].community.members.edges.length).toBeGreaterThan(0);
      expect(arrived).toEqual(await asQuery(coordinator));

      // The sender sending again: still one draft, one more repeat.
      const repeated = await next({ ...text, Body: text.Body.toUpperCase(), MessageSid: 'SMlive2' });
      expect(fromIn(repeated)).toHaveLength(1);
      expect(fromIn(repeated)[0]).toMatchObject({ id: fromIn(arrived)[0].id, repeats: 1 });

      // The provider retrying changes nothing, so nobody is woken.
      const count = mine.items.length;
      expect((await post({ ...text, MessageSid: 'SMlive1' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(mine.items).toHaveLength(count);

      // Ofakim's text did not wake the other community's coordinator. An unrouted text (the
      // texter's number and words) reaches the admins, who route it, and no coordinator.
      expect(theirs.items).toHaveLength(1);
      expect((await post({ From: '+972508880002', To: '+972-9-000-0000', Body: 'Is anyone delivering water to Be’eri?', MessageSid: 'SMlive3' })).status).toBe(200);
      await waitFor(() => fromIn(admins.latest(), '+972508880002').length === 1);
      const unrouted = admins.latest();
      expect(fromIn(unrouted, '+972508880002')).toMatchObject([{ community: null }]);
      expect(unrouted).toEqual(await asQuery(admin));
      expect(theirs.items.flat().filter((d) => d.fromNumber === from)).toEqual([]);
      expect(theirs.latest()).toEqual(await asQuery(other));

      const reject = async (api: Api, id: string) => api.ok(`mutation($d: ID!) { rejectIntakeDraft(draftId: $d) { status } }`, { d: id });
      let before = mine.items.length;
      await reject(coordinator, fromIn(arrived)[0].id);
      await waitFor(() => mine.items.length > before);
      expect(fromIn(mine.items[before]!)).toEqual([]);
      expect(theirs.items).toHaveLength(1);

      // Coordinators may not decide the unrouted one; an admin turns it down: it leaves their list.
      const unroutedId = fromIn(unrouted, '+972508880002')[0].id;
      for (const api of [coordinator, other]) {
        const refused = await api.gql(`mutation($d: ID!) { rejectIntakeDraft(draftId: $d) { status } }`, { d: unroutedId });
        expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      await reject(admin, unroutedId);
      await waitFor(() => fromIn(admins.latest(), '+972508880002').length === 0);
      expect([...mine.items, ...theirs.items].flat().filter((d) => d.id === unroutedId)).toEqual([]);
      expect(theirs.items).toHaveLength(1);
      expect(mine.latest()).toEqual(await asQuery(coordinator));
      expect([...mine.errors, ...theirs.errors, ...admins.errors]).toEqual([]);
    } finally {
      await Promise.all([mine.dispose(), theirs.dispose(), admins.dispose()]);
    }
  });

  it('only coordinators may watch drafts, and only of communities they coordinate: the typed errors of the query', async () => {
    const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
    const other = await member(s.url, admin, await createCommunity(admin), 'COORDINATOR');
    const cases: [string, string | null, Record<string, unknown>, string][] = [
      ['anonymous', null, {}, 'UNAUTHENTICATED'],
      ['volunteer', volunteer.token, {}, 'FORBIDDEN'],
      ['coordinator of another community', other.token, { c: [community] }, 'FORBIDDEN'],
    ];
    for (const [who, token, variables, code] of cases) {
      const live = await overWs(s.url, `subscription($c: [ID!]) { intakeDraftsChanged(communityIds: $c) { id fromNumber body } }`, variables, token);
      const listed = await overHttp(s.url, `query($c: [ID!]) { intakeDrafts(communityIds: $c) { id fromNumber body } }`, variables, token);
      expect(live.errors.map((e) => e.extensions?.code), who).toEqual([code]);
      expect(live.data, who).toBeNull();
      expect(listed.errors.map((e) => e.extensions?.code), who).toEqual([code]);
    }
    // Their own community they may watch.
    const own = await overWs(s.url, `subscription($c: [ID!]) { intakeDraftsChanged(communityIds: $c) { id } }`, { c: [community] }, coordinator.token);
    expect(own.errors).toEqual([]);
    expect(own.data).toMatchObject({ intakeDraftsChanged: expect.any(Array) });
  });
});
