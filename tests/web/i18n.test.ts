// Every word in the reader's language, in Chromium against the real stack: a volunteer whose language
// is Hebrew reads a critical need's notification in Hebrew, its time on Israel's clock as Hebrew writes
// it; they take the need and finish it from the need page, and its requester, who agreed to be
// contacted, gets a Hebrew text on each (through an SMS provider the test runs on loopback), once each.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserSuite, communityId, newVolunteer, signIn, type Stack } from '../helpers/stack.ts';
import { startReceiver, waitFor } from '../helpers/sinks.ts';

const sms = await startReceiver();
const HOTLINE = '+97286000000';
const suite = browserSuite({ SMS_OUTBOUND_URL: sms.url, SMS_FROM: HOTLINE, WORKER_INTERVAL_MS: '200' });
let stack: Stack;
let sderot: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);
afterAll(async () => sms.stop());

const textsTo = (to: string) => sms.received.map((r) => new URLSearchParams(r.body)).filter((p) => p.get('To') === to).map((p) => p.get('Body'));

describe('a Hebrew volunteer and a Hebrew requester', () => {
  test('the notification is Hebrew with the local time; the requester is texted in Hebrew on claim and on completion', async () => {
    const volunteer = await newVolunteer(stack, 'Noa Shalev', sderot.id);
    await stack.api(volunteer.token).ok(`mutation { updateProfile(input: { locale: he, phone: "+972501234999" }) { id } }`);
    const requesterPhone = '+972527770011';
    const title = 'חמצן לאישה מבוגרת';
    await stack.api(coordinatorToken).ok(`mutation($i: CreateNeedInput!) { createNeed(input: $i) { need { id } } }`, {
      i: {
        communityId: sderot.id, title, category: 'MEDICINE', urgency: 'CRITICAL', lat: sderot.centerLat, lng: sderot.centerLng,
        address: 'הרצל 12, שדרות', requesterName: 'רחל', requesterPhone, contactConsent: true, requesterLocale: 'he',
        // 16:45 UTC on 14 January 2027 is 18:45 in Israel.
        neededBy: '2027-01-14T16:45:00.000Z',
      },
    });

    const page = await suite.page('/notifications', { token: volunteer.token, locale: 'he' });
    const item = page.locator('[data-testid="notification"][data-kind="NEW_CRITICAL_NEED"]').first();
    await item.waitFor();
    const shown = (await item.textContent())!;
    expect(shown).toContain(`דחוף ביותר: ${title}`);
    expect(shown).toContain('בקשה דחופה ביותר פורסמה עכשיו בקהילה שלך; היא נדרשת עד 14 בינו׳ 2027, 18:45.');

    await item.getByTestId('notification-link').click();
    await page.getByTestId('claim-button').click();
    await page.locator('[data-testid="my-claim"][data-status="ACTIVE"]').waitFor();
    await waitFor(() => textsTo(requesterPhone).length >= 1, 15_000);
    await page.getByRole('button', { name: 'התחלה', exact: true }).click();
    await page.locator('[data-testid="my-claim"][data-status="STARTED"]').waitFor();
    await page.getByRole('button', { name: 'סימון כבוצע' }).click();
    await page.locator(`[data-testid="need-page"][data-status="DONE"]`).waitFor();
    await waitFor(() => textsTo(requesterPhone).length >= 2, 15_000);
    expect(textsTo(requesterPhone)).toEqual([
      `מתנדב/ת, Noa, לקח/ה את הבקשה שלך „${title}” וייצור/תיצור קשר.`,
      `הבקשה שלך „${title}” בוצעה. שמרו על עצמכם.`,
    ]);
  });
});
