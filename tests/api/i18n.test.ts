// Every word in the reader's language: notifications in the recipient's locale with times on
// Israel's clock as that locale writes them; texts to requesters who agreed to be contacted, in
// their language, when a volunteer takes their need and when it is done (once each, however
// often the mutation is retried), never to those who did not agree; import reasons in the
// importing coordinator's language; counted messages in the language's CLDR plural forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createNeed } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { startReceiver, waitFor } from '../helpers/sinks.ts';
import { warnExpiringClaims } from '../../api/src/domain/notifications.ts';

const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;
const HOTLINE = '+97290000077';

let s: TestServer;
let sms: Awaited<ReturnType<typeof startReceiver>>;
let admin: Api;
let community: string;
let coordinator: Api & { userId: string };

/** A member with a name, a language and a phone, signed in. */
async function person(name: string, locale: string, role: 'VOLUNTEER' | 'COORDINATOR', phone = '+972501110000'): Promise<Api & { userId: string }> {
  const api = new Api(s.url) as Api & { userId: string };
  api.userId = await api.signUp(`${name.replace(/\W/g, '').toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`, name);
  await api.ok(`mutation($l: Locale!, $p: String!) { updateProfile(input: { locale: $l, phone: $p }) { id } }`, { l: locale, p: phone });
  await admin.ok(`mutation($c: ID!, $u: ID!, $r: MembershipRole!) { setMembershipRole(communityId: $c, userId: $u, role: $r) { role } }`, { c: community, u: api.userId, r: role });
  return api;
}

/** The texts the SMS provider received for a number, in order. */
const textsTo = (to: string) => sms.received.map((r) => new URLSearchParams(r.body)).filter((p) => p.get('To') === to).map((p) => ({ from: p.get('From'), body: p.get('Body')! }));

const CLAIM = `mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`;
const START = `mutation($id: ID!) { startClaim(claimId: $id) { claim { id } } }`;
const COMPLETE = `mutation($id: ID!) { completeClaim(claimId: $id) { claim { status } } }`;

beforeAll(async () => {
  sms = await startReceiver();
  s = await startServer({ WORKER_INTERVAL_MS: '50', SMS_OUTBOUND_URL: sms.url, SMS_ALLOW_UNSIGNED: '1', LOG_LEVEL: 'silent' });
  admin = await adminClient(s.url, s.app.services.prisma);
  community = (await admin.ok(`mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`, {
    i: { slug: `sderot-i18n-${Date.now()}`, name: 'שדרות', kind: 'TOWN', area: 'Sderot', centerLat: 31.525, centerLng: 34.597, smsNumber: HOTLINE },
  })).createCommunity.id;
  coordinator = await person('Rina Coordinator', 'he', 'COORDINATOR');
}, 60_000);
afterAll(async () => {
  await s?.stop();
  await sms?.stop();
});

describe('notifications in the recipient’s language', () => {
  it('a Hebrew volunteer reads a critical need in Hebrew with the time on Israel’s clock; an English one in English', async () => {
    const he = await person('Noa', 'he', 'VOLUNTEER');
    const en = await person('Sam', 'en', 'VOLUNTEER');
    // 16:45 UTC on 14 January is 18:45 in Israel (UTC+2 in winter).
    await createNeed(coordinator, community, { urgency: 'CRITICAL', title: 'מחולל חמצן הלילה', neededBy: '2027-01-14T16:45:00.000Z' });
    const mine = async (api: Api) => (await api.ok(`{ myNotifications { kind title body } }`)).myNotifications;
    expect(await mine(he)).toEqual([
      {
        kind: 'NEW_CRITICAL_NEED',
        title: 'דחוף ביותר: מחולל חמצן הלילה',
        body: 'בקשה דחופה ביותר פורסמה עכשיו בקהילה שלך; היא נדרשת עד 14 בינו׳ 2027, 18:45. אפשר לעזור דרך המפה.',
      },
    ]);
    expect(await mine(en)).toEqual([
      {
        kind: 'NEW_CRITICAL_NEED',
        title: 'Critical: מחולל חמצן הלילה',
        body: 'A critical need was just posted in your community; it is needed by Jan 14, 2027, 6:45 PM. Open the board to help.',
      },
    ]);
  });

  it('counts in the language’s plural forms: Russian 21 минуту, Arabic 11 دقيقة', async () => {
    const ru = await person('Olga', 'ru', 'VOLUNTEER');
    const ar = await person('Amal', 'ar', 'VOLUNTEER');
    const warned = async (api: Api & { userId: string }, minutesLeft: number) => {
      const need = await createNeed(coordinator, community, { title: 'Покупки' });
      const claimId = (await api.ok(CLAIM, { id: need.id })).claimNeed.claim.id;
      const claim = await s.app.services.prisma.claim.findUniqueOrThrow({ where: { id: uuidOf(claimId) } });
      // The worker's job, run as it would be `minutesLeft` minutes before the claim expires.
      await warnExpiringClaims(s.app.services, new Date(claim.expiresAt!.getTime() - minutesLeft * 60_000));
      const notes = (await api.ok(`{ myNotifications { kind title } }`)).myNotifications;
      return notes.find((n: { kind: string }) => n.kind === 'CLAIM_EXPIRING')?.title;
    };
    expect(await warned(ru, 21)).toBe('Ваша задача истекает через 21 минуту');
    expect(await warned(ar, 11)).toBe('تنتهي مهمتك خلال 11 دقيقة');
  });
});

describe('texts to the requester', () => {
  it('with consent: one Hebrew text when a volunteer takes the need, one when it is done, however often the claim is retried', async () => {
    const volunteer = await person('Dana Levi-Cohen', 'en', 'VOLUNTEER', '+972509876543');
    const phone = '+972521234567';
    const need = await createNeed(coordinator, community, { title: 'קניות לסבתא', requesterPhone: phone, contactConsent: true, requesterLocale: 'he' });
    // The same claim three times with one idempotency key: the client's retries after a lost answer.
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await volunteer.gql(CLAIM, { id: need.id }, { 'idempotency-key': `claim-${need.id}` }));
    const claimId = answers[0]!.data.claimNeed.claim.id;
    expect(answers.map((a) => a.data?.claimNeed.claim.id)).toEqual([claimId, claimId, claimId]);
    await waitFor(() => textsTo(phone).length >= 1);
    await volunteer.ok(START, { id: claimId });
    await volunteer.ok(COMPLETE, { id: claimId });
    await waitFor(() => textsTo(phone).length >= 2);
    expect(textsTo(phone)).toEqual([
      { from: HOTLINE, body: 'מתנדב/ת, Dana, לקח/ה את הבקשה שלך „קניות לסבתא” וייצור/תיצור קשר.' },
      { from: HOTLINE, body: 'הבקשה שלך „קניות לסבתא” בוצעה. שמרו על עצמכם.' },
    ]);
    // Once each: the queue holds exactly these two, both sent; the volunteer's surname and phone went nowhere.
    // (The provider has the text a moment before the job records it as sent: waited for, not raced.)
    const queued = await waitFor(async () => {
      const rows = await s.app.services.prisma.requesterText.findMany({ where: { needId: uuidOf(need.id) }, orderBy: { eventId: 'asc' } });
      return rows.length >= 2 && rows.every((t) => t.status !== 'PENDING') && rows;
    });
    expect(queued.map((t) => [t.kind, t.status])).toEqual([['TAKEN', 'SENT'], ['DONE', 'SENT']]);
    expect(sms.received.some((r) => r.body.includes('Levi') || r.body.includes('9876543'))).toBe(false);
  });

  it('the requester’s language decides, not the volunteer’s: Russian for a Russian requester', async () => {
    const volunteer = await person('Yossi', 'he', 'VOLUNTEER');
    const phone = '+972531112222';
    const need = await createNeed(coordinator, community, { title: 'Лекарства', requesterPhone: phone, contactConsent: true, requesterLocale: 'ru' });
    await volunteer.ok(CLAIM, { id: need.id });
    await waitFor(() => textsTo(phone).length >= 1);
    expect(textsTo(phone)[0]!.body).toBe('Волонтёр Yossi взял вашу просьбу «Лекарства» и свяжется с вами.');
  });

  it('without consent: no text, neither on claim nor on completion', async () => {
    const volunteer = await person('Avi', 'he', 'VOLUNTEER');
    const silent = '+972541110000';
    const quiet = await createNeed(coordinator, community, { title: 'בלי הודעות', requesterPhone: silent, contactConsent: false });
    const claimId = (await volunteer.ok(CLAIM, { id: quiet.id })).claimNeed.claim.id;
    await volunteer.ok(START, { id: claimId });
    await volunteer.ok(COMPLETE, { id: claimId });
    expect(await s.app.services.prisma.requesterText.count({ where: { needId: uuidOf(quiet.id) } })).toBe(0);
    // A need with consent taken afterwards is texted: the worker ran past the one without.
    const told = '+972541110001';
    const later = await createNeed(coordinator, community, { title: 'עם הודעות', requesterPhone: told, contactConsent: true });
    await volunteer.ok(CLAIM, { id: later.id });
    await waitFor(() => textsTo(told).length >= 1);
    expect(textsTo(silent)).toEqual([]);
  });
});

describe('a requester who texted in', () => {
  it('is answered in the language they wrote in, which becomes their need’s', async () => {
    const from = '+972561230000';
    const body = 'أمي تحتاج إلى دواء ولا تستطيع الخروج من البيت';
    const res = await fetch(`${s.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: from, To: HOTLINE, Body: body, MessageSid: `SM-ar-${Date.now()}` }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => textsTo(from).length >= 1);
    const draft = (await coordinator.ok(`{ intakeDrafts { id body } }`)).intakeDrafts.find((d: { body: string }) => d.body === body);
    // The coordinator, whose own language is Hebrew, confirms it without saying the requester's.
    const need = (await coordinator.ok(`mutation($d: ID!, $i: CreateNeedInput!) { confirmIntakeDraft(draftId: $d, input: $i) { id } }`, {
      d: draft.id,
      i: { communityId: community, title: 'دواء لأم', category: 'MEDICINE', urgency: 'HIGH', lat: 31.52, lng: 34.6, address: 'הרצל 7', requesterName: 'Texter', contactConsent: true },
    })).confirmIntakeDraft;
    await waitFor(() => textsTo(from).length >= 2);
    const volunteer = await person('Rami Haddad', 'ar', 'VOLUNTEER');
    await volunteer.ok(CLAIM, { id: need.id });
    await waitFor(() => textsTo(from).length >= 3);
    expect(textsTo(from).map((t) => t.body)).toEqual([
      'وصلتنا رسالتك. سيتصل بك أحد المنسقين قريبًا.',
      'سُجّل طلبك. يمكن للمتطوعين رؤيته الآن؛ سنبقيك على اطلاع.',
      'تولّى متطوع، Rami، طلبك «دواء لأم» وسيتواصل معك.',
    ]);
  });
});

describe('import reasons', () => {
  it('are in the importing coordinator’s language', async () => {
    const file = ['title,category,urgency,lat,lng,address,requesterName', ',FOOD,NORMAL,31.5,34.6,Herzl 1,Rina', 'Pizza,pizza,NORMAL,31.5,34.6,Herzl 2,Rina', 'Ride,FOOD,NORMAL,131.5,34.6,Herzl 3,Rina'].join('\n');
    const reasons = async (api: Api) => {
      const res = await fetch(`${s.url}/api/import/needs?communityId=${encodeURIComponent(community)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${api.token}` },
        body: file,
      });
      expect(res.status).toBe(200);
      return (await res.text()).trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.status === 'REJECTED').map((l) => l.reason);
    };
    expect(await reasons(await person('Olga Coordinator', 'ru', 'COORDINATOR'))).toEqual([
      'Заголовок: обязательное поле.',
      'категория: «pizza» — неизвестная категория.',
      'Широта: не больше 90.',
    ]);
    expect(await reasons(await person('Amal Coordinator', 'ar', 'COORDINATOR'))).toEqual([
      'العنوان: حقل مطلوب.',
      'الفئة: «pizza» ليست فئة معروفة.',
      'خط العرض: 90 على الأكثر.',
    ]);
  });
});
