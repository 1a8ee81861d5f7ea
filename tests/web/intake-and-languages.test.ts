// Intake by a coordinator (validation next to each field, from the client and from the API's issues), and
// the app in Hebrew, Arabic and Russian: right-to-left and mirrored where it should be, on a phone too.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PHONE,
  horizontalOverflow,
  screenshot,
  seriousViolations,
  signIn,
  browserSuite,
  waitForMap,
  type Stack,
} from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let coordinatorToken: string;

const open = (path: string, opts: Parameters<typeof suite.page>[1] = {}) => suite.page(path, opts);

const htmlAttrs = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

beforeAll(async () => {
  stack = suite.stack;
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);

describe('intake', () => {
  test('missing fields and the API’s own verdict are shown next to each field; a valid need is created', async () => {
    const page = await open('/intake', { token: coordinatorToken });
    await page.getByTestId('intake-form').waitFor();
    await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]');
    // The coordinator's only community is already chosen.
    expect(await page.locator('#communityId option:checked').textContent()).toBe('Sderot');

    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-error').waitFor();
    for (const field of ['title', 'category', 'address', 'requesterName']) {
      expect(await page.locator(`#${field}`).getAttribute('aria-invalid'), field).toBe('true');
      expect(await page.locator(`#${field}-error`).textContent(), field).toBe('This field is required.');
      // The message first, then the field's character counter where it has one.
      expect((await page.locator(`#${field}`).getAttribute('aria-describedby'))?.split(' ')[0], field).toBe(`${field}-error`);
    }
    expect(await page.locator('#lat-error').textContent()).toBe('Click the map to set the location.');
    // Focus moves to the first field to fix.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('title');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('#title').fill('Blankets and a heater for an evacuated family');
    await page.locator('#description').fill('Family of five, moved in with relatives; nights are cold.');
    await page.locator('#category').selectOption('HOSTING');
    await page.locator('label:has(input[name="urgency"][value="HIGH"])').click();
    await page.locator('#slots').fill('2');
    await page.locator('#address').fill('12 HaAtzmaut St, Sderot');
    await page.locator('#requesterName').fill('Miriam Azulay');
    await page.locator('#requesterPhone').fill('call me');
    // The requester's answer on sharing their contact: an explicit choice, asked for before sending.
    await page.getByTestId('consent-no').check();
    // A click on the small map sets the point.
    await page.getByTestId('pin-map').click();
    await expect.poll(() => page.locator('#pin-lat').inputValue()).not.toBe('');
    const lat = Number(await page.locator('#pin-lat').inputValue());
    const lng = Number(await page.locator('#pin-lng').inputValue());
    expect(Math.abs(lat - 31.52)).toBeLessThan(0.2);
    expect(Math.abs(lng - 34.6)).toBeLessThan(0.2);
    // What was missing is no longer flagged.
    expect(await page.locator('#title-error').count()).toBe(0);
    expect(await page.locator('#lat-error').count()).toBe(0);

    // The API reports the phone (extensions.issues[].field = input.requesterPhone): shown at that field.
    await page.getByTestId('intake-submit').click();
    const phoneError = page.locator('#requesterPhone-error');
    await phoneError.waitFor();
    expect(await phoneError.textContent()).toBe('Enter a valid phone number, e.g. 050-123-4567.');
    expect(await page.locator('#requesterPhone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('requesterPhone');
    await screenshot(page, 'intake-desktop', { fullPage: true });

    // Fixed, and sent from the keyboard.
    await page.locator('#requesterPhone').fill('050-765-4321');
    await page.locator('#requesterPhone').press('Control+Enter');
    const created = page.getByTestId('intake-created');
    await created.waitFor();
    expect(await created.textContent()).toContain('Blankets and a heater for an evacuated family');
    // Ready for the next call: the form is empty again, the community kept.
    expect(await page.locator('#title').inputValue()).toBe('');
    expect(await page.locator('#communityId option:checked').textContent()).toBe('Sderot');
    expect(await seriousViolations(page)).toEqual([]);

    await created.getByRole('link').click();
    await page.getByTestId('need-page').waitFor();
    expect(await page.getByTestId('need-title').textContent()).toBe('Blankets and a heater for an evacuated family');
    expect(await page.getByTestId('open-slots').getAttribute('data-open')).toBe('2');
    // A coordinator of the community sees the requester.
    await expect(page.getByTestId('private-details').textContent()).resolves.toContain('Miriam Azulay');
  });

  // "Typing 95 in Latitude crashes intake" to an English "500 Internal Error", even in Arabic,
  // and everything typed during the call is lost (MapLibre throws on the marker).
  test('a latitude of 95 is not a crash, Arabic-Indic digits are read, and an error page speaks Arabic', async () => {
    const page = await open('/intake', { token: coordinatorToken, locale: 'ar', viewport: PHONE });
    await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]');
    await page.locator('#title').fill('بطانيات لعائلة');
    await page.locator('#pin-lat').fill('95');
    await page.locator('#pin-lng').fill('34.6');
    await page.locator('#pin-lng').press('Tab');
    await page.locator('#pin-lat').fill('96');
    await page.locator('#pin-lat').press('Tab');
    expect(await page.getByTestId('error-page').count()).toBe(0);
    expect(await page.locator('#title').inputValue()).toBe('بطانيات لعائلة');
    expect(await page.locator('[data-testid="pin-map"] .maplibregl-marker').count()).toBe(0);
    // Typed on an Arabic keyboard: ٣١٫٥٢ is 31.52, and the pin appears.
    await page.locator('#pin-lat').fill('٣١٫٥٢');
    await page.locator('#pin-lat').press('Tab');
    await expect.poll(() => page.locator('#pin-lat').inputValue()).toBe('31.52');
    await page.locator('[data-testid="pin-map"] .maplibregl-marker').waitFor();

    const missing = await open('/no-such-page', { locale: 'ar', viewport: PHONE });
    const errorPage = missing.getByTestId('error-page');
    await errorPage.waitFor();
    expect(await errorPage.getAttribute('data-status')).toBe('404');
    expect(await missing.locator('#error-title').textContent()).toBe('هذه الصفحة غير موجودة');
    expect(await seriousViolations(missing)).toEqual([]);
  });

  // "The coordinator tab bar is clipped at both edges on a phone and wraps to two rows at 1366 px."
  test("the coordinator's screens: every tab whole on a phone, the header one row at 1366 px", async () => {
    const tabsOf = (page: Page) =>
      page.locator('[data-testid="coordinator-nav"] a').evaluateAll((as) => as.map((a) => { const r = a.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top }; }));
    const phone = await open('/dashboard', { token: coordinatorToken, locale: 'he', viewport: PHONE });
    await phone.getByTestId('coordinator-nav').waitFor();
    const tabs = await tabsOf(phone);
    expect(tabs.length).toBeGreaterThanOrEqual(10);
    for (const t of tabs) {
      expect(t.left).toBeGreaterThanOrEqual(0);
      expect(t.right).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await phone.getByTestId('coordinator-nav').getByRole('link', { name: 'לוח בקרה' }).getAttribute('aria-current')).toBe('page');
    expect(await seriousViolations(phone)).toEqual([]);

    const desk = await open('/duplicates', { token: coordinatorToken, locale: 'en', viewport: { width: 1366, height: 800 } });
    await desk.getByTestId('coordinator-nav').waitFor();
    const rows = (xs: { top: number }[]) => new Set(xs.map((x) => Math.round(x.top))).size;
    expect(rows(await tabsOf(desk))).toBe(1);
    const header = await desk.locator('header nav a').evaluateAll((as) => as.map((a) => ({ top: a.getBoundingClientRect().top })));
    expect(rows(header)).toBe(1);
    // The header's "Coordination" is current on every coordinator screen; the bar names the screen.
    expect(await desk.locator('header nav a[aria-current="page"]').textContent()).toBe('Coordination');
    expect(await desk.getByTestId('coordinator-nav').locator('a[aria-current="page"]').textContent()).toBe('Duplicates');
  });

  test('works on a phone', async () => {
    const page = await open('/intake', { token: coordinatorToken, viewport: PHONE });
    await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'intake-phone', { fullPage: true });
  });

  test('is for coordinators only', async () => {
    const page = await open('/intake');
    await page.getByTestId('coordinator-only').waitFor();
    expect(await page.getByTestId('intake-form').count()).toBe(0);
  });
});

describe('languages', () => {
  test('Hebrew is right-to-left, with the layout mirrored', async () => {
    const page = await open('/', { locale: 'he' });
    await waitForMap(page);
    expect(await htmlAttrs(page)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.getByRole('navigation').getByRole('link').first().textContent()).toBe('מפה');
    expect(await page.getByTestId('filter-text').getAttribute('placeholder')).toBe('חיפוש בכותרות ובתיאורים');
    // Mirrored: the brand at the right, the list of needs to the left of the map.
    const brand = await box(page, 'header .brand');
    expect(brand.x).toBeGreaterThan(640);
    const list = await box(page, 'section.list');
    const map = await box(page, '[data-testid="board-map"]');
    expect(list.x + list.width).toBeLessThanOrEqual(map.x + 1);
    // MapLibre's zoom buttons follow to the left.
    const zoom = await box(page, '.maplibregl-ctrl-zoom-in');
    expect(zoom.x - map.x).toBeLessThan(100);
    // And speak Hebrew (they said "Zoom in" / "Zoom out").
    expect(await page.locator('.maplibregl-ctrl-zoom-in').getAttribute('aria-label')).toBe('התקרבות');
    expect(await page.locator('.maplibregl-ctrl-zoom-out').getAttribute('aria-label')).toBe('התרחקות');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'board-desktop-he');
  });

  test('Arabic is right-to-left on a phone, with Arabic text and mirrored arrows', async () => {
    const need = await stack.api().ok(`{ needs(first: 1, filter: { statuses: [OPEN] }) { edges { node { id title } } } }`);
    const id = need.needs.edges[0].node.id as string;
    const page = await open(`/needs/${encodeURIComponent(id)}`, { locale: 'ar', viewport: PHONE });
    await page.getByTestId('need-page').waitFor();
    expect(await htmlAttrs(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await page.locator('a.back').textContent()).toContain('العودة إلى الخريطة');
    // The claim panel knows who is signed in only once the session has loaded.
    await expect.poll(() => page.getByRole('link', { name: 'سجّل الدخول للحجز' }).count()).toBe(1);
    // The "back" arrow points right in a right-to-left page.
    expect(await page.locator('a.back svg').evaluate((el) => getComputedStyle(el).transform)).toBe('matrix(-1, 0, 0, 1, 0, 0)');
    // Text starts at the right edge.
    const h1 = await box(page, 'h1');
    const icon = await box(page, '.head .disc');
    expect(icon.x).toBeGreaterThan(h1.x);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'need-phone-ar', { fullPage: true });
  });

  test('switching language mirrors the page at once and is remembered', async () => {
    const page = await open('/', { locale: 'en' });
    await waitForMap(page);
    expect(await htmlAttrs(page)).toEqual({ lang: 'en', dir: 'ltr' });
    await page.getByTestId('locale-switcher').selectOption('ar');
    expect(await htmlAttrs(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await page.getByRole('navigation').getByRole('link').first().textContent()).toBe('الخريطة');
    // Counts are worded in Arabic too.
    await page.waitForFunction(() => (document.querySelector('[data-testid="visible-count"]')?.textContent ?? '').includes('في المنطقة'));
    await page.reload();
    expect(await htmlAttrs(page)).toEqual({ lang: 'ar', dir: 'rtl' });
  });

  test('without a choice on this device, the language is the one in the profile', async () => {
    // volunteer001's profile says Russian; the browser says English.
    const token = await signIn(stack, 'volunteer001@example.org');
    const page = await open('/tasks', { token, locale: 'en', chooseLocale: false });
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    await page.getByRole('heading', { name: 'Мои задачи' }).waitFor();

    await page.goto(stack.url + '/profile');
    await page.getByTestId('profile-form').waitFor();
    await page.locator('#name').fill('Ноа Дахан');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Ноа Дахан');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
