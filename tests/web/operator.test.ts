// A hotline operator in Chromium (Hebrew, 360 px): signed in as the Be'er Sheva operations centre's
// operator (the seed's centre covering Sderot and the Gaza-border kibbutzim), they get the intake
// and text screens of the centre's communities and none of the coordinator-only tabs, take a call
// in as a need for Sderot, and then see its private details (theirs for OPERATOR_PRIVATE_HOURS).
import { beforeAll, describe, expect, test } from 'vitest';
import { PHONE, browserSuite, communityId, horizontalOverflow, screenshot, seriousViolations, signIn, type Stack } from '../helpers/stack.ts';

const suite = browserSuite();
let stack: Stack;
let token: string;
let sderot: { id: string; name: string };

beforeAll(async () => {
  stack = suite.stack;
  token = await signIn(stack, 'operator.beer-sheva-ops@example.org');
  sderot = await communityId(stack, 'sderot');
}, 300_000);

describe('a hotline operator', () => {
  test('takes a call in as a need for a community of their centre, with the intake screens only', async () => {
    const page = await suite.page('/intake', { token, locale: 'he', viewport: PHONE });
    await page.getByTestId('intake-form').waitFor();
    // Intake and texts; no dashboard, duplicates, members, vetting, partnerships, data or keys.
    const tabs = await page.getByTestId('coordinator-nav').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(tabs).toEqual(['/intake', '/sms']);
    // The communities offered are the centre's: Sderot among them, not a community elsewhere.
    const offered = await page.locator('#communityId option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(offered).toContain(sderot.id);
    expect(offered).not.toContain((await communityId(stack, 'katamon')).id);

    await page.locator('#requesterPhone').fill('050-919-1234');
    await page.locator('#communityId').selectOption(sderot.id);
    await page.locator('#title').fill('קניות לשושנה');
    await page.locator('#description').fill('קניות שבועיות, גרה לבד בקומה שלישית');
    await page.locator('#category').selectOption('FOOD');
    await page.locator('#address').fill('הרצל 7, שדרות');
    await page.locator('#pin-lat').fill('31.5262');
    await page.locator('#pin-lng').fill('34.5981');
    await page.locator('#pin-lng').press('Tab');
    await page.locator('#requesterName').fill('שושנה');
    await page.getByTestId('consent-no').check();
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'intake-operator-he', { fullPage: true });
    await page.locator('#requesterName').press('Control+Enter');
    await page.getByTestId('intake-created').waitFor();
    expect(await page.getByTestId('intake-created').textContent()).toContain('קניות לשושנה');

    // Theirs to see: the place and the caller's number, though the caller did not agree to share it with a volunteer.
    const found = await stack.api(token).ok(`{ needs(first: 5, filter: { text: "קניות לשושנה" }) { edges { node { id privateDetails { address requesterPhone } } } } }`);
    expect(found.needs.edges[0].node.privateDetails).toEqual({ address: 'הרצל 7, שדרות', requesterPhone: '050-919-1234' });
  });

  test('gets no coordinator-only screen', async () => {
    const page = await suite.page('/dashboard', { token, locale: 'en', viewport: PHONE });
    await page.getByTestId('coordinator-only').waitFor();
    const dup = await suite.page('/duplicates', { token, locale: 'en', viewport: PHONE });
    await dup.getByTestId('coordinator-only').waitFor();
    // The header's link goes to intake.
    const header = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(header).toContain('/intake');
    expect(header).not.toContain('/dashboard');
  });
});
