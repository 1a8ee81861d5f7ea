// Drives and stock in Chromium against the real stack, at phone width, in Hebrew and Arabic (right to
// left), English and Russian: a coordinator opens Sderot's collection points (opening hours shown), then one point's stock
// screen, and records through its forms a donation of 200 tins, a low-stock threshold, packing 150 of
// them into parcels and a delivery of parcels to a need: 50 tins left, highlighted as low. Too large a
// correction is refused (INSUFFICIENT_STOCK, with what is left) and a zero donation too (BAD_USER_INPUT),
// each shown plainly; a donation another coordinator records through the API appears without a reload,
// in the stock and in the ledger. A coordinator makes a new point on the screen (a place from the
// geocoder's list, opening hours, refusals shown).
// Then a volunteer signs up a named group of 4 for a need with 10 places, and sees 6 remain; makes it a
// group of 3 (7 remain); a group of 8 after them is refused.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, browserSuite, communityId, createNeed, horizontalOverflow, newVolunteer, screenshot, seriousViolations, signIn, type Stack } from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let sderot: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;
let otherCoordinatorToken: string;

const POINT = `mutation($input: CreateCollectionPointInput!) { createCollectionPoint(input: $input) { id } }`;
const ITEM = `mutation($c: ID, $n: String!, $u: StockUnit!) { createStockItem(communityId: $c, name: $n, unit: $u) { id } }`;
const DONATE = `mutation($input: RecordDonationInput!) { recordDonation(input: $input) { movement { id } } }`;
const STOCK = `query($id: ID!) { node(id: $id) { ... on CollectionPoint { stock { item { id } quantity low } } } }`;

const htmlAttrs = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
const level = (page: Page, itemId: string) => page.locator(`[data-testid="stock-level"][data-item-id="${itemId}"]`);
/** Waits until the item's row shows `quantity` (and `low`, when given). */
const shows = (page: Page, itemId: string, quantity: number, low?: boolean) =>
  page.locator(`[data-testid="stock-level"][data-item-id="${itemId}"][data-quantity="${quantity}"]${low === undefined ? '' : `[data-low="${low}"]`}`).waitFor();

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
  // Another coordinator of Sderot, made one by an admin.
  const other = await newVolunteer(stack, 'Second Coordinator', sderot.id);
  const admin = await signIn(stack, 'admin@example.org');
  await stack.api(admin).ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: COORDINATOR) { role } }`, { c: sderot.id, u: other.id });
  otherCoordinatorToken = other.token;
}, 300_000);

describe.each([
  ['he', 'rtl'],
  ['en', 'ltr'],
  ['ar', 'rtl'],
  ['ru', 'ltr'],
] as const)('a collection point’s stock (%s)', (locale, dir) => {
  test('200 donated, 150 packed, parcels delivered: 50 left and low; refusals shown; another coordinator’s donation appears live', async () => {
    const api = stack.api(coordinatorToken);
    const name = `Community centre hall (${locale})`;
    const point = (
      await api.ok(POINT, {
        input: {
          communityId: sderot.id,
          name,
          address: '3 HaAtzmaut St, Sderot',
          lat: sderot.centerLat,
          lng: sderot.centerLng,
          openingHours: [
            { weekday: 'SUNDAY', opens: '16:00', closes: '19:00' },
            { weekday: 'TUESDAY', opens: '09:30', closes: '12:00' },
          ],
        },
      })
    ).createCollectionPoint;
    const tins = (await api.ok(ITEM, { c: sderot.id, n: `Canned food (${locale})`, u: 'UNIT' })).createStockItem.id as string;
    const need = await createNeed(stack, coordinatorToken, sderot.id, { title: `Food parcels for a family (${locale})`, category: 'FOOD', urgency: 'HIGH', lat: sderot.centerLat, lng: sderot.centerLng });

    // The community's points, with their opening hours.
    const page = await suite.page(`/stock?community=${encodeURIComponent(sderot.id)}`, { token: coordinatorToken, locale, viewport: PHONE });
    expect(await htmlAttrs(page)).toEqual({ lang: locale, dir });
    const card = page.locator(`[data-testid="collection-point"][data-point-id="${point.id}"]`);
    await card.waitFor();
    const week = await card.getByTestId('opening-hours').textContent();
    expect(week!.indexOf('16:00–19:00')).toBeLessThan(week!.indexOf('09:30–12:00')); // Sunday before Tuesday
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await card.getByTestId('open-point').click();
    await page.getByTestId('point-name').getByText(name).waitFor();
    await page.getByTestId('stock-empty').waitFor(); // the subscription's first answer: nothing yet

    // A new catalogue item, made on the screen: the parcels the tins are packed into.
    await page.getByTestId('stock-action-item').check();
    await page.getByTestId('item-name').fill(`Food parcel (${locale})`);
    await page.getByTestId('item-unit').selectOption('PACK');
    await page.getByTestId('item-form').getByTestId('stock-submit').click();
    await page.getByTestId('item-form').getByTestId('stock-done').waitFor();
    const catalogue = (await api.ok(`query($c: ID!) { stockItems(communityId: $c) { id name unit } }`, { c: sderot.id })).stockItems as { id: string; name: string; unit: string }[];
    const parcels = catalogue.find((i) => i.name === `Food parcel (${locale})`)!.id;
    expect(catalogue.find((i) => i.id === parcels)!.unit).toBe('PACK');

    // 200 tins in.
    await page.getByTestId('stock-action-donation').check();
    const donation = page.getByTestId('donation-form');
    await donation.getByTestId('donation-item').selectOption(tins);
    await donation.getByTestId('donation-qty').fill('200');
    await donation.getByTestId('donation-drive').fill('Winter drive');
    await donation.getByTestId('stock-submit').click();
    await shows(page, tins, 200, false);

    // A zero donation is refused with the field named; nothing changes.
    await donation.getByTestId('donation-qty').fill('0');
    await donation.getByTestId('stock-submit').click();
    await donation.locator('[data-testid="stock-error"][data-code="BAD_USER_INPUT"]').waitFor();
    await shows(page, tins, 200, false);

    // Low at 60 or fewer.
    await page.getByTestId('stock-action-threshold').check();
    const threshold = page.getByTestId('threshold-form');
    await threshold.getByTestId('threshold-item').selectOption(tins);
    await threshold.getByTestId('threshold-qty').fill('60');
    await threshold.getByTestId('stock-submit').click();
    await threshold.getByTestId('stock-done').waitFor();

    // 150 tins packed into 15 parcels.
    await page.getByTestId('stock-action-packing').check();
    const packing = page.getByTestId('packing-form');
    await packing.getByTestId('packing-used-item').selectOption(tins);
    await packing.getByTestId('packing-used-qty').fill('150');
    await packing.getByTestId('packing-made-item').selectOption(parcels);
    await packing.getByTestId('packing-made-qty').fill('15');
    await packing.getByTestId('stock-submit').click();
    await shows(page, tins, 50, true);
    await shows(page, parcels, 15);
    await level(page, tins).getByTestId('low-stock').waitFor();
    await page.getByTestId('low-summary').waitFor();

    // 5 parcels out for the need, which they complete.
    await page.getByTestId('stock-action-delivery').check();
    const delivery = page.getByTestId('delivery-form');
    await delivery.getByTestId('delivery-need').selectOption(need.id);
    await delivery.getByTestId('delivery-item').selectOption(parcels);
    await delivery.getByTestId('delivery-qty').fill('5');
    await delivery.getByTestId('stock-submit').click();
    await shows(page, parcels, 10);
    expect((await api.ok(`query($id: ID!) { need(id: $id) { status } }`, { id: need.id })).need.status).toBe('DONE');
    expect(await delivery.locator(`[data-testid="delivery-need"] option[value="${need.id}"]`).count()).toBe(0); // done: no longer offered

    // A correction below zero: INSUFFICIENT_STOCK, with what is left; nothing written.
    await page.getByTestId('stock-action-adjustment').check();
    const adjustment = page.getByTestId('adjustment-form');
    await adjustment.getByTestId('adjustment-item').selectOption(tins);
    await adjustment.getByTestId('adjustment-qty').fill('-80');
    await adjustment.getByTestId('adjustment-reason').fill('Counted the shelf');
    await adjustment.getByTestId('stock-submit').click();
    await adjustment.locator('[data-testid="stock-error"][data-code="INSUFFICIENT_STOCK"]').waitFor();
    const shortage = await adjustment.getByTestId('stock-shortage').textContent();
    expect(shortage).toContain('50');
    expect(shortage).toContain(`Canned food (${locale})`);
    await shows(page, tins, 50, true);

    expect(await htmlAttrs(page)).toEqual({ lang: locale, dir });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, `stock-${locale}-phone`, { fullPage: true });

    // Another coordinator records 30 tins through the API: the screen follows, no reload.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await stack.api(otherCoordinatorToken).ok(DONATE, { input: { collectionPointId: point.id, itemId: tins, quantity: 30 } });
    await shows(page, tins, 80, false);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.getByTestId('low-summary').count()).toBe(0);
    // The ledger, read again after the change: newest first, the refused ones not in it.
    await expect
      .poll(() => page.locator('[data-testid="ledger"] [data-testid="movement"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))
      .toEqual(['DONATION', 'DELIVERY', 'PACK', 'DONATION']);

    // The screen agrees with the API.
    const stock = (await stack.api().ok(STOCK, { id: point.id })).node.stock as { item: { id: string }; quantity: number; low: boolean }[];
    expect(stock.find((l) => l.item.id === tins)).toMatchObject({ quantity: 80, low: false });
    expect(stock.find((l) => l.item.id === parcels)).toMatchObject({ quantity: 10 });
  });
});

describe('a new collection point', () => {
  test('made on the screen: a place chosen from the list, two openings a week; refused without a place and with hours that close before they open', async () => {
    const page = await suite.page(`/stock?community=${encodeURIComponent(sderot.id)}`, { token: coordinatorToken, locale: 'en', viewport: PHONE });
    await page.getByTestId('new-point').click();
    const form = page.getByTestId('point-form');
    await form.getByTestId('point-name-input').fill('School gym');
    await form.locator('#point-address').fill('HaAtzmaut St, Sderot');
    await form.getByTestId('stock-submit').click();
    await form.getByTestId('stock-invalid').waitFor(); // typed, not chosen: no point on the map yet

    await form.locator('#point-address').fill('Sderot');
    await form.getByTestId('geocode-option').first().click();
    await form.getByTestId('add-hours').click();
    const second = form.getByTestId('hours-row').nth(1);
    await second.locator('select').selectOption('TUESDAY');
    await second.locator('input').nth(0).fill('19:00');
    await second.locator('input').nth(1).fill('16:00');
    await form.getByTestId('stock-submit').click();
    await form.locator('[data-testid="stock-error"][data-code="BAD_USER_INPUT"]').waitFor();

    await second.locator('input').nth(0).fill('16:00');
    await second.locator('input').nth(1).fill('19:00');
    await form.getByTestId('stock-submit').click();
    await form.getByTestId('stock-done').waitFor();
    const card = page.locator('[data-testid="collection-point"]', { hasText: 'School gym' });
    await card.waitFor();
    expect(await card.getByTestId('opening-hours').textContent()).toContain('16:00–19:00');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'stock-new-point-en-phone', { fullPage: true });

    const points = (await stack.api().ok(`query($c: ID!) { collectionPoints(communityId: $c) { name lat lng openingHours { weekday opens closes } } }`, { c: sderot.id })).collectionPoints as { name: string; lat: number; lng: number; openingHours: unknown[] }[];
    const made = points.find((p) => p.name === 'School gym')!;
    expect(made.openingHours).toHaveLength(2);
    expect(made.openingHours).toEqual(
      expect.arrayContaining([
        { weekday: 'SUNDAY', opens: '09:00', closes: '13:00' },
        { weekday: 'TUESDAY', opens: '16:00', closes: '19:00' },
      ]),
    );
    expect(Math.abs(made.lat - sderot.centerLat)).toBeLessThan(0.05);
    expect(Math.abs(made.lng - sderot.centerLng)).toBeLessThan(0.05);
  });
});

describe('group sign-up', () => {
  test('a volunteer signs up a named group of 4 for a need with 10 places: one claim, 6 places remain; made smaller, 7; 8 more are refused', async () => {
    const need = await createNeed(stack, coordinatorToken, sderot.id, { title: 'Pepper harvest at Kibbutz Nir Am', category: 'AGRICULTURE', urgency: 'NORMAL', slots: 10, lat: sderot.centerLat, lng: sderot.centerLng });
    const leader = await newVolunteer(stack, 'Group Leader', sderot.id);
    const page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: leader.token, locale: 'en', viewport: PHONE });
    await page.locator('[data-testid="places-remain"][data-open="10"]').waitFor();
    await page.getByTestId('group-open').click();
    await page.getByTestId('group-name').fill('Sderot youth movement');
    await page.getByTestId('group-size').fill('4');
    await page.getByTestId('group-submit').click();
    await page.getByTestId('group-done').waitFor();
    await page.locator('[data-testid="open-slots"][data-open="6"]').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // One cannot come after all: the leader makes the group smaller, its place opens again.
    await page.locator('[data-testid="my-group"][data-size="4"]').waitFor();
    await page.getByTestId('group-reduce-size').fill('3');
    await page.getByTestId('group-reduce').click();
    await page.locator('[data-testid="my-group"][data-size="3"]').waitFor();
    await page.locator('[data-testid="open-slots"][data-open="7"]').waitFor();

    // Another group of 8 when 7 remain: refused (CLAIM_CONFLICT), said plainly, nothing taken.
    const other = await newVolunteer(stack, 'Other Leader', sderot.id);
    const late = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: other.token, locale: 'he', viewport: PHONE });
    await late.locator('[data-testid="places-remain"][data-open="7"]').waitFor();
    await late.getByTestId('group-open').click();
    await late.getByTestId('group-name').fill('Too many');
    await late.getByTestId('group-size').fill('8');
    await late.getByTestId('group-submit').click();
    const refused = late.locator('[data-testid="group-error"][data-code="CLAIM_CONFLICT"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('7');
    expect(await horizontalOverflow(late)).toBeLessThanOrEqual(0);
    await screenshot(late, 'group-signup-he-phone', { fullPage: true });

    const groups = await stack.api(leader.token).ok(`{ myGroups { name size claim { status places } need { id openSlots } } }`);
    expect(groups.myGroups).toEqual([{ name: 'Sderot youth movement', size: 3, claim: { status: 'ACTIVE', places: 3 }, need: { id: need.id, openSlots: 7 } }]);
  });
});
