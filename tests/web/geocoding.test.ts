// "Addresses do not resolve" (issue 18): the hotline operator, in Hebrew on a 360 px phone, types
// a street in a Hebrew locality into the intake's address field, picks a place from the list with
// the keyboard or a tap, and the pin lands there. Against an address service the test starts on
// loopback (a Nominatim, allow-listed as an operator's self-hosted one would be), and against the
// offline gazetteer shipped with the app (no address service at all).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, browserSuite, horizontalOverflow, screenshot, seriousViolations, signIn } from '../helpers/stack.ts';
import { startFakeGeocoder } from '../helpers/fakeGeocoder.ts';

type Fake = Awaited<ReturnType<typeof startFakeGeocoder>>;

let fake: Fake;
// Filled in before the stack starts (hooks run in order): the service's port is known only then.
const withService: Record<string, string> = {};
beforeAll(async () => {
  fake = await startFakeGeocoder('nominatim');
  Object.assign(withService, { GEOCODER_URL: fake.url, GEOCODER_FLAVOR: 'nominatim', OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${fake.port}` });
});
afterAll(async () => {
  await fake?.stop();
});
const online = browserSuite(withService);
const offline = browserSuite();

const SDEROT_GEONAMES = { lat: 31.525, lng: 34.59693 };

/** Intake as a hotline operator of the centre that covers Sderot. */
async function intake(suite: typeof online): Promise<Page> {
  const token = await signIn(suite.stack, 'operator.beer-sheva-ops@example.org');
  const page = await suite.page('/intake', { token, locale: 'he', viewport: PHONE });
  await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]', { timeout: 60_000 });
  return page;
}

/** Is the map showing the pin at (lat, lng)? */
const pinShown = (page: Page, p: { lat: number; lng: number }) =>
  page.evaluate(({ lat, lng }) => {
    const map = (document.querySelector('[data-testid="pin-map"]') as unknown as { maplibre: { getBounds(): { contains(p: [number, number]): boolean } } }).maplibre;
    return !!document.querySelector('[data-testid="pin-map"] .maplibregl-marker') && map.getBounds().contains([lng, lat]);
  }, p);

describe('against an address service on loopback', () => {
  test('types a street in a Hebrew locality, chooses the house with the keyboard, and the pin lands there', async () => {
    const page = await intake(online);
    const address = page.locator('#address');
    expect(await address.getAttribute('role')).toBe('combobox');
    await address.pressSequentially('הרצל 12 שדרות');
    const options = page.getByTestId('geocode-option');
    await options.first().waitFor();
    expect(await address.getAttribute('aria-expanded')).toBe('true');
    // The service's house first, exact; the offline list's locality after it.
    expect(await options.first().getAttribute('data-source')).toBe('SERVICE');
    expect(await options.first().getAttribute('data-precision')).toBe('ADDRESS');
    expect(await options.first().textContent()).toContain('הרצל 12, שדרות, ישראל');
    expect(await options.first().textContent()).toContain('כתובת מדויקת');
    await expect.poll(() => page.getByTestId('geocode-status').textContent()).toMatch(/נמצאו \d+ מקומות/);
    // The list is in the page's direction and fits the phone.
    expect(await page.locator('.places').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'geocoding-he-phone');
    const asked = fake.requests.at(-1)!;
    expect([asked.query.get('q'), asked.query.get('accept-language')]).toEqual(['הרצל 12 שדרות', 'he']);

    await address.press('ArrowDown');
    const first = await options.first().getAttribute('id');
    expect(await address.getAttribute('aria-activedescendant')).toBe(first);
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await address.press('Enter');
    expect(await address.inputValue()).toBe('הרצל 12, שדרות, ישראל');
    expect(await address.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#pin-lat').inputValue()).toBe('31.52412');
    expect(await page.locator('#pin-lng').inputValue()).toBe('34.59601');
    await expect.poll(() => pinShown(page, { lat: 31.52412, lng: 34.59601 })).toBe(true);
    await expect.poll(() => page.getByTestId('geocode-status').textContent()).toContain('כתובת מדויקת');
    // Enter took a place; it sent nothing.
    expect(await page.getByTestId('intake-created').count()).toBe(0);
  });
});

describe('against the offline gazetteer (no address service)', () => {
  test('types a street and the beginning of a Hebrew locality, chooses the locality with a pointer, and the pin lands at its centre', async () => {
    const page = await intake(offline);
    const address = page.locator('#address');
    await address.pressSequentially('הרצל 12 שדר');
    const option = page.getByTestId('geocode-option').filter({ hasText: 'הרצל 12, שדרות' }).first();
    await option.waitFor();
    expect(await option.getAttribute('data-source')).toBe('OFFLINE');
    expect(await option.getAttribute('data-precision')).toBe('LOCALITY');
    expect(await option.textContent()).toContain('מרכז היישוב');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await option.click();
    expect(await address.inputValue()).toBe('הרצל 12, שדרות');
    expect(Number(await page.locator('#pin-lat').inputValue())).toBeCloseTo(SDEROT_GEONAMES.lat, 4);
    expect(Number(await page.locator('#pin-lng').inputValue())).toBeCloseTo(SDEROT_GEONAMES.lng, 4);
    await expect.poll(() => pinShown(page, SDEROT_GEONAMES)).toBe(true);
    await screenshot(page, 'geocoding-he-phone-offline');
  });
});
