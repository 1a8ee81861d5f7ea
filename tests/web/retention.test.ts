// Consent and retention in the browser, on a phone, in Hebrew and English: intake asks the
// requester's consent to share their contact as an explicit choice; a volunteer who took a need
// without it is told that contact goes through the coordinator and can ask for a call-back; an
// admin erases a requester's data after a confirmation.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PHONE,
  communityId,
  createNeed,
  horizontalOverflow,
  newVolunteer,
  screenshot,
  seriousViolations,
  signIn,
  browserSuite,
  type Stack,
} from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let sderot: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);

const TEXT = {
  en: {
    legend: 'May the volunteer who takes this call the requester?',
    required: 'Ask the requester and choose one.',
    note: 'The requester asked that contact goes through the coordinator',
    requested: 'The coordinators were asked to put you in touch with the requester.',
  },
  he: {
    legend: 'האם המתנדב/ת שייקח/תיקח את הבקשה יכול/ה להתקשר לפונה?',
    required: 'שאלו את הפונה ובחרו אחת מהאפשרויות.',
    note: 'הפונה ביקש/ה שהקשר יעבור דרך הרכז/ת',
    requested: 'הרכזים התבקשו לחבר אותך עם הפונה.',
  },
} as const;

const consentOf = async (needId: string) =>
  (await stack.api(coordinatorToken).ok(`query($id: ID!) { need(id: $id) { contactConsent } }`, { id: needId })).need.contactConsent as boolean;

describe.each([
  ['en', 'yes', true],
  ['he', 'no', false],
] as const)('in %s, at 360 px', (locale, answer, consented) => {
  const t = TEXT[locale];

  test(`intake asks for the requester's consent, an explicit choice (${answer})`, async () => {
    const page = await suite.page('/intake', { token: coordinatorToken, viewport: PHONE, locale });
    await page.getByTestId('intake-form').waitFor();
    await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(locale === 'he' ? 'rtl' : 'ltr');
    const consent = page.getByTestId('contact-consent');
    await expect(consent.locator('legend').textContent()).resolves.toBe(t.legend);
    // Nothing is chosen for the operator.
    expect(await consent.locator('input[type="radio"]:checked').count()).toBe(0);

    const title = `Consent at intake (${locale})`;
    await page.locator('#title').fill(title);
    await page.locator('#category').selectOption('FOOD');
    await page.locator('#address').fill('7 Herzl St, Sderot');
    await page.locator('#requesterName').fill('Shira Peretz');
    await page.locator('#requesterPhone').fill('050-765-1111');
    await page.getByTestId('pin-map').click();
    await expect.poll(() => page.locator('#pin-lat').inputValue()).not.toBe('');

    // Not asked: not sent; the choice says why, and has the focus. (Sent from the keyboard, as an operator would.)
    const send = async () => {
      await page.getByTestId('intake-submit').focus();
      await page.keyboard.press('Enter');
    };
    await send();
    await expect(page.locator('#contactConsent-error').textContent()).resolves.toBe(t.required);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('radiogroup');
    expect(await page.getByTestId('intake-created').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `consent-intake-${locale}-phone`, { fullPage: true });

    await page.getByTestId(`consent-${answer}`).check();
    expect(await page.locator('#contactConsent-error').count()).toBe(0);
    await send();
    const created = page.getByTestId('intake-created');
    await created.waitFor();
    const href = await created.getByRole('link').getAttribute('href');
    expect(await consentOf(decodeURIComponent(href!.split('/').pop()!))).toBe(consented);
    // Ready for the next call: asked again.
    expect(await page.getByTestId('contact-consent').locator('input[type="radio"]:checked').count()).toBe(0);
  });

  test('a volunteer who took a need without consent sees that contact goes through the coordinator, and asks for a call-back', async () => {
    const need = await createNeed(stack, coordinatorToken, sderot.id, { title: `Call-back view (${locale})`, lat: sderot.centerLat + 0.004, lng: sderot.centerLng, urgency: 'HIGH' });
    const volunteer = await newVolunteer(stack, `Callback ${locale}`, sderot.id);
    await stack.api(volunteer.token).ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });

    const page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: volunteer.token, viewport: PHONE, locale });
    const panel = page.getByTestId('contact-through-coordinator');
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toContain(t.note);
    // The address, not the phone.
    await expect(page.getByTestId('private-details').textContent()).resolves.toContain('1 Test Street');
    expect(await page.locator('[data-testid="private-details"] a[href^="tel:"]').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `callback-${locale}-phone`, { fullPage: true });

    await panel.getByTestId('request-callback').click();
    await expect(panel.getByTestId('callback-requested').textContent()).resolves.toBe(t.requested);
    const notes = (await stack.api(coordinatorToken).ok(`{ myNotifications { kind needId } }`)).myNotifications;
    expect(notes).toContainEqual({ kind: 'CALLBACK_REQUESTED', needId: need.id });
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test("an admin erases a requester's data after confirming", async () => {
  const need = await createNeed(stack, coordinatorToken, sderot.id, { title: 'Erase on request', lat: sderot.centerLat - 0.004, lng: sderot.centerLng, urgency: 'NORMAL' });
  const adminToken = await signIn(stack, 'admin@example.org');
  const page: Page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: adminToken, viewport: PHONE });
  const section = page.getByTestId('erase-requester-data');
  await section.getByTestId('erase-start').click();
  const confirm = section.getByTestId('erase-confirm');
  await confirm.waitFor();
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('erase-confirm');
  expect(await seriousViolations(page)).toEqual([]);
  await confirm.click();
  await section.getByTestId('erase-done').waitFor();
  const after = (await stack.api(adminToken).ok(`query($id: ID!) { need(id: $id) { privateErasedAt privateDetails { address requesterName } } }`, { id: need.id })).need;
  expect(after.privateErasedAt).not.toBeNull();
  expect(after.privateDetails).toEqual({ address: '', requesterName: '' });
  expect(await horizontalOverflow(page)).toBe(0);
});
