// Intake on a call, in Chromium: an operator takes a call from an existing caller, from the phone
// number to the saved need (Hebrew and Arabic on a 360 px phone, English at 1366 px), seeing the
// caller's needs and the duplicate warning before saving; a second call attached to the need
// instead; the draft kept through a reload and a lost connection; every error at once, counters,
// warnings; and hostile values typed into every field never end on an error page.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, browserSuite, communityId, horizontalOverflow, screenshot, seriousViolations, signIn, waitForMap, type Stack } from '../helpers/stack.ts';

const suite = browserSuite();
let stack: Stack;
let token: string;
/** A hotline operator of the Be'er Sheva centre, which covers Sderot: takes the calls below. */
let operatorToken: string;
let sderot: { id: string; centerLat: number; centerLng: number };
const DESK = { width: 1366, height: 800 };

const uuidOf = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;

beforeAll(async () => {
  stack = suite.stack;
  token = await signIn(stack, 'coordinator.sderot@example.org');
  operatorToken = await signIn(stack, 'operator.beer-sheva-ops@example.org');
  sderot = await communityId(stack, 'sderot');
}, 300_000);

/** A need recorded earlier for a caller: `phone` as it was written then. */
async function earlierCall(phone: string, title: string, description: string) {
  const d = await stack.api(token).ok(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id title } } }`, {
    input: {
      communityId: sderot.id,
      title,
      description,
      category: 'FOOD',
      urgency: 'HIGH',
      lat: 31.5262,
      lng: 34.5981,
      address: 'HaAtzmaut 12, Sderot',
      requesterName: 'Rivka',
      requesterPhone: phone,
      contactConsent: false,
    },
  });
  return d.createNeed.need as { id: string; title: string };
}

async function openIntake(locale: 'en' | 'he' | 'ar', viewport: { width: number; height: number }, as = token) {
  const page = await suite.page('/intake', { token: as, locale, viewport });
  await page.getByTestId('intake-form').waitFor();
  await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]');
  return page;
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id);
const storedDraft = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ma:draft:intake:')).map((k) => localStorage.getItem(k)));

const CALLS = [
  { locale: 'he', viewport: PHONE, phone: '+972 50 710 2345', typed: '050-7102345', title: 'קניות לרבקה', words: 'קניות לרבקה ברחוב העצמאות', next: 'קניות ותרופות לרבקה' },
  { locale: 'ar', viewport: PHONE, phone: '+972 50 720 2345', typed: '٠٥٠٧٢٠٢٣٤٥', title: 'مشتريات لرفقة', words: 'مشتريات لرفقة في شارع الاستقلال', next: 'مشتريات وأدوية لرفقة' },
  { locale: 'en', viewport: DESK, phone: '050-730-2345', typed: '+972507302345', title: 'Groceries for Rivka', words: 'Groceries for Rivka on HaAtzmaut', next: 'Groceries and medicine for Rivka' },
] as const;

describe('a call from an existing caller', () => {
  for (const call of CALLS) {
    test(`${call.locale} at ${call.viewport.width} px: from the number to the saved need, the caller's needs and the duplicate warning shown before saving`, async () => {
      const before = await earlierCall(call.phone, call.title, call.words);
      const page = await openIntake(call.locale, call.viewport, operatorToken);
      // Keyboard first: the caller's number is where the cursor starts.
      expect(await activeId(page)).toBe('requesterPhone');
      await page.keyboard.type(call.typed);
      // The number, however written, finds the caller's need at once, in any community of the centre.
      const mine = page.getByTestId('caller-needs');
      await mine.getByText(before.title).waitFor();
      await page.locator('#communityId').selectOption(sderot.id);
      // And the duplicate warning, before anything is saved.
      const dup = page.locator(`[data-testid="possible-duplicate"][data-need="${before.id}"]`);
      await dup.waitFor();
      expect(await page.getByTestId('possible-duplicates').getAttribute('data-count')).not.toBe('0');
      expect(await seriousViolations(page)).toEqual([]);

      // The rest of the call, by keyboard where it can be.
      await page.locator('#title').fill(call.next);
      await page.locator('#description').fill(call.words);
      await page.locator('#category').selectOption('FOOD');
      await page.locator('#address').fill('HaAtzmaut 12');
      await page.locator('#pin-lat').fill(String(31.5262));
      await page.locator('#pin-lng').fill(String(34.5981));
      await page.locator('#pin-lng').press('Tab');
      await page.locator('#requesterName').fill('Rivka');
      await page.getByTestId('consent-no').check();
      // Still warned (same phone, same words, same place) while typing.
      await dup.waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `intake-call-${call.locale}`, { fullPage: true });

      await page.locator('#requesterName').press('Control+Enter');
      await page.getByTestId('intake-created').waitFor();
      expect(await page.getByTestId('intake-created').textContent()).toContain(call.next);
      // Saved: the draft is gone from the device and the form is ready for the next call.
      expect(await storedDraft(page)).toEqual([expect.not.stringContaining(call.next)]);
      expect(await page.locator('#requesterPhone').inputValue()).toBe('');
      expect(await seriousViolations(page)).toEqual([]);

      // The pair is in the duplicate queue as well.
      const queue = await stack.api(token).ok(`{ duplicateCandidates { reasons need { title } otherNeed { id } } }`);
      const pair = queue.duplicateCandidates.find((c: { need: { title: string }; otherNeed: { id: string } }) => c.need.title === call.next && c.otherNeed.id === before.id);
      expect(pair?.reasons).toContain('SAME_PHONE');
    });
  }

  test('a second call about the same need is added to it, not recorded twice', async () => {
    const before = await earlierCall('052-810-4455', 'Insulin from the pharmacy', 'Insulin pick-up for Shlomo');
    const page = await openIntake('en', DESK);
    await page.keyboard.type('0528104455');
    await page.locator('#title').fill('Insulin again');
    await page.locator('#description').fill('Also needs test strips.');
    const dup = page.locator(`[data-testid="possible-duplicate"][data-need="${before.id}"]`);
    await dup.getByTestId('attach-call').click();
    await page.getByTestId('intake-attached').waitFor();
    expect(await page.getByTestId('intake-attached').textContent()).toContain('Insulin from the pharmacy');
    const d = await stack.api(token).ok(`query($id: ID!) { need(id: $id) { events { edges { node { type reason } } } } }`, { id: before.id });
    expect(d.need.events.edges.map((e: { node: unknown }) => e.node)).toContainEqual({ type: 'CALL_ATTACHED', reason: 'Another call: Insulin again — Also needs test strips.' });
    const same = await stack.api(token).ok(`{ needs(first: 500, filter: { text: "Insulin again" }) { totalCount } }`);
    expect(same.needs.totalCount).toBe(0);
    expect(await page.locator('#title').inputValue()).toBe('');
  });

  test('"not the same" hides that need for this call', async () => {
    const before = await earlierCall('053-820-1122', 'Ride to the clinic', 'Ride for Avi');
    const page = await openIntake('en', DESK);
    await page.keyboard.type('053-820-1122');
    const dup = page.locator(`[data-testid="possible-duplicate"][data-need="${before.id}"]`);
    await dup.getByTestId('not-duplicate').click();
    await expect.poll(() => dup.count()).toBe(0);
    // The caller's needs still list it.
    await page.getByTestId('caller-needs').getByText('Ride to the clinic').waitFor();
  });
});

describe('the form during a call', () => {
  // "Forms show one error per submit (slots 0, bad phone and bad e-mail take three tries)."
  // "Remote work (a phone call to an elderly person, homework help online) cannot be entered without a location."
  test('he at 360 px: remote work is taken in without an address or a pin; its page says so; the board lists it, the map does not draw it', async () => {
    const page = await openIntake('he', PHONE);
    const title = `שיחת טלפון לקשיש ${Date.now()}`;
    await page.locator('#title').fill(title);
    await page.locator('#category').selectOption('MENTAL_HEALTH');
    await page.getByTestId('intake-remote').check();
    // No place to ask for.
    expect(await page.locator('#address').count()).toBe(0);
    expect(await page.locator('[data-testid="pin-map"]').count()).toBe(0);
    await page.locator('#requesterName').fill('דוד לוי');
    await page.getByTestId('consent-no').check();
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-created').waitFor();
    const found = await stack.api(token).ok(`query($t: String!) { needs(first: 1, filter: { text: $t }) { edges { node { id remote publicLat publicLng } } } }`, { t: title });
    const need = found.needs.edges[0].node;
    expect(need).toMatchObject({ remote: true, publicLat: sderot.centerLat, publicLng: sderot.centerLng });

    await page.goto(`${stack.url}/needs/${encodeURIComponent(need.id)}`);
    expect(await page.getByTestId('need-remote-where').textContent()).toBe('מרחוק: בטלפון או ברשת, אין לאן להגיע.');
    // No map of a place that is not there.
    expect(await page.locator('#where-title').count()).toBe(0);

    await page.goto(`${stack.url}/?q=${encodeURIComponent(title)}`);
    const card = page.locator(`[data-testid="need-card"][data-need-id="${need.id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('need-remote').textContent()).toBe('מרחוק');
    await waitForMap(page);
    // The map's source is filled for this search, and the remote need is not in it.
    const drawn = () =>
      page.evaluate(async () => {
        const map = (document.querySelector('[data-testid="board-map"]') as unknown as { maplibre?: any }).maplibre;
        const source = map?.getSource('needs');
        return source ? ((await source.getData()).features.map((f: { properties: { id: string } }) => f.properties.id) as string[]) : null;
      });
    await expect.poll(drawn).not.toBeNull();
    expect(await drawn()).not.toContain(need.id);
  });

  test('every error at once, from one attempt; over-long text is an error with a counter before any attempt, never cut', async () => {
    const page = await openIntake('en', DESK);
    await page.locator('#requesterPhone').fill('050-12');
    await page.locator('#slots').fill('0');
    await page.locator('#requesterEmail').fill('not an address');
    const long = 'x'.repeat(130);
    await page.locator('#title').fill(long);
    // Before any attempt: the counter and the message.
    expect(await page.getByTestId('title-count').textContent()).toBe('130 / 120');
    await page.locator('#title-error').waitFor();
    expect(await page.locator('#title').inputValue()).toHaveLength(130);
    await page.getByTestId('intake-submit').click();
    for (const field of ['requesterPhone', 'slots', 'requesterEmail', 'title', 'category', 'address', 'requesterName']) {
      expect(await page.locator(`#${field}`).getAttribute('aria-invalid'), field).toBe('true');
    }
    expect(await page.locator('#slots-error').textContent()).toBe('A whole number from 1 to 500.');
    expect(await page.locator('#requesterPhone-error').textContent()).toBe('Enter a valid phone number, e.g. 050-123-4567.');
    expect(await page.locator('#requesterEmail-error').textContent()).toBe('Enter a valid email address, e.g. name@example.org.');
    expect(await page.locator('#title-error').textContent()).toBe('At most 120 characters (130 now): shorten it.');
    // Focus on the first to fix: the phone, at the top.
    expect(await activeId(page)).toBe('requesterPhone');
    expect(await seriousViolations(page)).toEqual([]);
  });

  // "A needed-by date in 2020 or a pin in Eilat for a Sderot need pass without a warning."
  test('a date in the past and a pin far from the community are warnings, not blocks', async () => {
    const page = await openIntake('en', DESK);
    await page.locator('#neededBy').fill('2020-03-01T10:00');
    await page.getByTestId('neededBy-warning').waitFor();
    expect(await page.getByTestId('neededBy-warning').textContent()).toBe('This date is in the past. Check it with the caller.');
    await page.locator('#pin-lat').fill('29.5577');
    await page.locator('#pin-lng').fill('34.9519');
    await page.locator('#pin-lng').press('Tab');
    await page.getByTestId('lat-warning').waitFor();
    expect(await page.getByTestId('lat-warning').textContent()).toMatch(/^This point is 2\d\d km from the centre of Sderot\. Check the address\.$/);
    // Not a block: with everything else filled in, it saves.
    await page.locator('#requesterPhone').fill('050-840-1234');
    await page.locator('#title').fill('Water for the shelter in Eilat');
    await page.locator('#category').selectOption('EQUIPMENT');
    await page.locator('#address').fill('Hotel, Eilat');
    await page.locator('#requesterName').fill('Noa');
    await page.getByTestId('consent-yes').check();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-created').waitFor();
  });

  test('the draft survives a reload and a lost connection, and is cleared once saved', async () => {
    const page = await openIntake('he', PHONE);
    await page.locator('#requesterPhone').fill('054-850-6677');
    await page.locator('#title').fill('חימום לדירה');
    await page.locator('#description').fill('תנור חימום למשפחה עם תינוק');
    await page.locator('#category').selectOption('EQUIPMENT');
    await page.locator('#address').fill('הרצל 3, שדרות');
    await page.locator('#pin-lat').fill('31.524');
    await page.locator('#pin-lng').fill('34.596');
    await page.locator('#pin-lng').press('Tab');
    await page.locator('#requesterName').fill('מיכל');
    await page.getByTestId('consent-no').check();
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.locator('#title').inputValue()).toBe('חימום לדירה');
    expect(await page.locator('#requesterPhone').inputValue()).toBe('054-850-6677');
    expect(await page.locator('#pin-lat').inputValue()).toBe('31.524');
    expect(await page.getByTestId('consent-no').isChecked()).toBe(true);

    // The connection drops as the operator saves: an error, and everything still there, also after a reload.
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-error').waitFor();
    expect(await page.locator('#description').inputValue()).toBe('תנור חימום למשפחה עם תינוק');
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.locator('#description').inputValue()).toBe('תנור חימום למשפחה עם תינוק');
    await page.unroute('**/graphql');
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-created').waitFor();
    await page.reload();
    await page.getByTestId('intake-form').waitFor();
    expect(await page.getByTestId('draft-restored').count()).toBe(0);
    expect(await page.locator('#title').inputValue()).toBe('');
  });
});

// "Typing 95 in Latitude crashes intake to 500 Internal Error; everything typed during the call is lost."
describe('any value in any field', () => {
  const HOSTILE = ['95', '-181', 'abc', '١٢٣٫٤', 'x'.repeat(10_000), '🙂👍🏽‍🔥', '\u200f\u202eעברית\u202c\u200e', '1e309', 'NaN', '<img src=x onerror=alert(1)>', '   '];

  test('never an error page, and the draft is kept', async () => {
    const page = await openIntake('ar', PHONE);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Every text field of the form, the repeating shifts' included.
    await page.getByTestId('repeats').locator('select, input[type="radio"]').first().waitFor();
    const fields = page.locator('[data-testid="intake-form"] :is(input:not([type="radio"]):not([type="checkbox"]):not([type="datetime-local"]), textarea)');
    const count = await fields.count();
    expect(count).toBeGreaterThanOrEqual(9);
    for (let i = 0; i < count; i++) {
      const field = fields.nth(i);
      if (!(await field.isVisible()) || !(await field.isEnabled())) continue;
      const type = await field.getAttribute('type');
      for (const value of HOSTILE) {
        if (type === 'number') {
          // A number field takes keys, not text: typed as a person would (short values only).
          await field.fill('');
          if (value.length < 50) await field.pressSequentially(value);
        } else {
          await field.fill(value);
        }
        await field.press('Tab');
        expect(await page.getByTestId('error-page').count(), `${await field.getAttribute('id')} ← ${value.slice(0, 20)}`).toBe(0);
      }
    }
    for (const id of ['neededFrom', 'neededBy']) await page.locator(`#${id}`).fill('1900-01-01T00:00');
    await page.locator('#requesterName').fill('زينب 🙂');
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-error').waitFor();
    expect(await page.getByTestId('error-page').count()).toBe(0);
    expect(errors).toEqual([]);
    // Kept: on the page, and on the device through a reload.
    expect(await page.locator('#requesterName').inputValue()).toBe('زينب 🙂');
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.locator('#requesterName').inputValue()).toBe('زينب 🙂');
    expect(await page.getByTestId('error-page').count()).toBe(0);
    // Signing out forgets it: the next person at this computer does not find the caller's words.
    expect(await storedDraft(page)).toHaveLength(1);
    await page.locator('header .signout').click();
    await expect.poll(() => storedDraft(page)).toEqual([]);
  });
});
