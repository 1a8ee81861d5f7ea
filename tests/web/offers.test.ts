// Offers in Chromium against the real stack, once in Hebrew on a phone (right-to-left, 360 px) and once
// in English on a desktop: a volunteer offers a room with 4 beds (a bad number first: the API's typed
// error shows next to the field); the board draws it as an offer at its public point only; a coordinator
// opens a need for a family of 3, sees the offer ranked with its reasons and proposes it; both sides
// accept; the offer shows 1 bed left, the need its new status; the matched volunteer sees the need's
// exact address and the coordinator the offer's, while another volunteer sees neither. A ride asks for its
// destination before anything is sent.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, browserSuite, communityId, horizontalOverflow, newVolunteer, screenshot, seriousViolations, signIn, waitForMap, type Stack } from '../helpers/stack.ts';

const suite = browserSuite();
let stack: Stack;
let coordinatorToken: string;
let sderot: Awaited<ReturnType<typeof communityId>>;

const CASES = [
  {
    locale: 'he' as const,
    viewport: PHONE,
    dir: 'rtl',
    free: (remaining: number, capacity: number) => `מיטות פנויות: ${remaining} מתוך ${capacity}`,
    accepted: 'אושרה',
    needsLayer: 'בקשות',
    bedsInvalid: 'בין 1 ל־200 מיטות.',
  },
  {
    locale: 'en' as const,
    viewport: DESKTOP,
    dir: 'ltr',
    free: (remaining: number, capacity: number) => `Beds free: ${remaining} of ${capacity}`,
    accepted: 'Accepted',
    needsLayer: 'Needs',
    bedsInvalid: 'Between 1 and 200 beds.',
  },
];

/** A datetime-local value `days` from now, in the browser's time zone (the suite's: Asia/Jerusalem). */
const localIn = (page: Page, days: number) =>
  page.evaluate((d) => {
    const t = new Date(Date.now() + d * 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
  }, days);

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

/** A need for a family of `people` to host, taken in by the coordinator; no vetting asked (adults, a few nights). */
async function familyNeed(title: string, people: number, address: string) {
  const d = await stack.api(coordinatorToken).ok(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id title status } } }`, {
    input: {
      communityId: sderot.id,
      title,
      description: 'A family whose home was hit, for a few nights.',
      category: 'HOSTING',
      urgency: 'HIGH',
      slots: 1,
      people,
      lat: sderot.centerLat + 0.004,
      lng: sderot.centerLng - 0.003,
      address,
      requesterName: 'Family Requester',
      requesterPhone: `+972 50 ${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`,
      requirements: { identityCheck: false, backgroundCheck: false, trainings: [] },
    },
  });
  return d.createNeed.need as { id: string; title: string; status: string };
}

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 600_000);

describe('offers', () => {
  test.each(CASES)('offering a room and matching it to a family ($locale)', async ({ locale, viewport, dir, free, accepted, needsLayer, bedsInvalid }) => {
    const volunteer = await newVolunteer(stack, `Host ${locale}`, sderot.id);
    const other = await newVolunteer(stack, `Bystander ${locale}`, sderot.id);
    const needAddress = `${locale === 'he' ? 'רחוב הזית' : 'Olive Street'} 7, Sderot (need ${Date.now()})`;
    const need = await familyNeed(`Family of three (${locale})`, 3, needAddress);
    const roomAddress = `${locale === 'he' ? 'רחוב הגפן' : 'Vine Street'} 12, Sderot (room ${Date.now()})`;
    const roomTitle = locale === 'he' ? 'חדר למשפחה' : 'A room for a family';

    // The volunteer offers a room.
    const host = await suite.page('/offers', { token: volunteer.token, locale, viewport });
    await host.getByTestId('offers-empty').waitFor();
    expect(await host.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }))).toEqual({ lang: locale, dir });
    await host.getByTestId('new-offer').click();
    const form = host.getByTestId('offer-form');
    await form.waitFor();
    await host.getByTestId('offer-title').fill(roomTitle);
    await host.getByTestId('offer-beds').fill('0');
    await host.getByTestId('offer-until').fill(await localIn(host, 14));
    await host.getByTestId('offer-language-he').check();
    await host.getByTestId('offer-language-en').check();
    await host.getByTestId('offer-step-free').check();
    await host.locator('#offer-address').fill(roomAddress);
    await host.locator('#offer-pin-lat').fill(String(sderot.centerLat - 0.002));
    await host.locator('#offer-pin-lng').fill(String(sderot.centerLng + 0.002));
    expect(await horizontalOverflow(host)).toBe(0);
    // No beds: the API refuses (BAD_USER_INPUT naming hosting.beds), said next to the field; nothing is made.
    await host.getByTestId('offer-submit').click();
    await host.locator('#offer-beds-error').waitFor();
    expect(await host.locator('#offer-beds-error').textContent()).toBe(bedsInvalid);
    expect(await host.getByTestId('offer-beds').getAttribute('aria-invalid')).toBe('true');
    expect(await host.getByTestId('offer-beds').getAttribute('aria-describedby')).toContain('offer-beds-error');
    expect(await host.getByTestId('offer-form-error').isVisible()).toBe(true);
    expect((await stack.api(volunteer.token).ok(`{ myOffers { id } }`)).myOffers).toEqual([]);
    expect(await seriousViolations(host)).toEqual([]);
    await screenshot(host, `offer-form-${locale}`, { fullPage: true });

    await host.getByTestId('offer-beds').fill('4');
    await host.getByTestId('offer-submit').click();
    await host.getByTestId('offer-created').waitFor();
    const card = host.getByTestId('my-offer');
    await card.waitFor();
    const offerId = (await card.getAttribute('data-id'))!;
    const remaining = card.getByTestId('offer-remaining');
    expect(await remaining.getAttribute('data-remaining')).toBe('4');
    expect(await remaining.textContent()).toBe(free(4, 4));
    expect(await card.getByTestId('my-offer-address').textContent()).toBe(roomAddress);
    expect(await horizontalOverflow(host)).toBe(0);
    expect(await seriousViolations(host)).toEqual([]);

    const api = (await stack.api(volunteer.token).ok(`query($id: ID!) { offer(id: $id) { kind beds remaining stepFree languages publicLat publicLng privateDetails { lat lng } } }`, { id: offerId })).offer;
    expect(api).toMatchObject({ kind: 'HOSTING', beds: 4, remaining: 4, stepFree: true, languages: ['he', 'en'] });

    // On the board: an offer marker at the public point only, in its own layer; the needs layer as it was.
    const board = await suite.page(`/?community=${encodeURIComponent(sderot.id)}&at=${sderot.centerLat},${sderot.centerLng},13`, { token: other.token, locale, viewport });
    await waitForMap(board);
    await board.locator(`[data-testid="board-offer"][data-id="${offerId}"]`).waitFor();
    const drawn = await board.evaluate(async (id) => {
      const map = (document.querySelector('[data-testid="board-map"]') as unknown as { maplibre: any }).maplibre;
      const data = await map.getSource('offers').getData();
      const f = data.features.find((x: any) => x.properties.id === id);
      return { coordinates: f?.geometry.coordinates, keys: Object.keys(f?.properties ?? {}).sort(), visibility: map.getLayoutProperty('offer-points', 'visibility') };
    }, offerId);
    expect(drawn.coordinates).toEqual([api.publicLng, api.publicLat]);
    expect(drawn.coordinates).not.toEqual([api.privateDetails.lng, api.privateDetails.lat]);
    expect(drawn.keys).toEqual(['id', 'kind', 'remaining']);
    expect(drawn.visibility).not.toBe('none');
    // The toggle: needs only hides the offers (and their list), and the URL keeps it.
    await board.getByTestId('layer-offers').uncheck();
    await board.waitForFunction(() => document.querySelector('[data-testid="board-map"]')?.getAttribute('data-layers') === 'needs');
    expect(await board.getByTestId('board-offers').count()).toBe(0);
    expect(new URL(board.url()).searchParams.get('show')).toBe('needs');
    expect(await board.getByTestId('layer-needs').isDisabled()).toBe(true);
    expect(await board.getByTestId('board-layers').getByText(needsLayer).count()).toBe(1);
    expect(await horizontalOverflow(board)).toBe(0);
    expect(await seriousViolations(board, ['[data-testid="board-map"]'])).toEqual([]);

    // The coordinator opens the need: the offer among the candidates, with its reasons; proposes 3 beds.
    const coord = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: coordinatorToken, locale, viewport });
    const candidate = coord.locator(`[data-testid="offer-candidate"][data-offer-id="${offerId}"]`);
    await candidate.waitFor();
    expect(await coord.getByTestId('need-people').textContent()).toBe('3');
    const codes = await candidate.locator('[data-testid="match-reasons"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual(expect.arrayContaining(['CAPACITY', 'DISTANCE']));
    expect(await candidate.getByTestId('offer-remaining').textContent()).toBe(free(4, 4));
    await candidate.getByTestId('offer-quantity').fill('3');
    await candidate.getByTestId('propose-offer').click();
    await coord.getByTestId('offer-proposed').waitFor();
    const needSide = coord.locator(`[data-testid="need-offer-match"][data-offer-id="${offerId}"]`);
    await needSide.waitFor();
    expect(await needSide.getAttribute('data-status')).toBe('PROPOSED');
    // The need side accepts first: still proposed, nothing reserved.
    await needSide.getByTestId('accept-offer-match').click();
    await needSide.getByTestId('accept-offer-match').waitFor({ state: 'detached' });
    expect(await needSide.getAttribute('data-status')).toBe('PROPOSED');
    expect((await stack.api(volunteer.token).ok(`query($id: ID!) { offer(id: $id) { remaining } }`, { id: offerId })).offer.remaining).toBe(4);
    expect(await horizontalOverflow(coord)).toBe(0);
    expect(await seriousViolations(coord, ['[data-testid="need-map"]'])).toEqual([]);
    await screenshot(coord, `offer-candidates-${locale}`, { fullPage: true });

    // The volunteer accepts in "My offers": 1 bed left, and the exact address of the need they now hold.
    await host.reload();
    const match = host.locator(`[data-testid="offer-match"][data-need-id="${need.id}"]`);
    await match.waitFor();
    expect(await match.getAttribute('data-status')).toBe('PROPOSED');
    await match.getByTestId('accept-offer-match').click();
    await host.locator(`[data-testid="offer-match"][data-need-id="${need.id}"][data-status="ACCEPTED"]`).waitFor();
    expect(await match.textContent()).toContain(accepted);
    await host.locator(`[data-testid="my-offer"][data-id="${offerId}"] [data-testid="offer-remaining"][data-remaining="1"]`).waitFor();
    expect(await host.getByTestId('offer-remaining').textContent()).toBe(free(1, 4));
    expect(await match.getByTestId('matched-need-address').textContent()).toBe(needAddress);
    expect(await horizontalOverflow(host)).toBe(0);
    expect(await seriousViolations(host)).toEqual([]);
    await screenshot(host, `my-offers-${locale}`, { fullPage: true });

    // The need's new status, live on the coordinator's page, and the offer's exact place for its side.
    const status = (await stack.api(coordinatorToken).ok(`query($id: ID!) { need(id: $id) { status } }`, { id: need.id })).need.status;
    expect(status).toBe('CLAIMED');
    await coord.locator(`[data-testid="need-page"][data-status="${status}"]`).waitFor();
    await coord.reload();
    const acceptedSide = coord.locator(`[data-testid="need-offer-match"][data-offer-id="${offerId}"][data-status="ACCEPTED"]`);
    await acceptedSide.waitFor();
    expect(await acceptedSide.getByTestId('offer-address').textContent()).toBe(roomAddress);
    expect(await acceptedSide.getByTestId('offer-remaining').textContent()).toBe(free(1, 4));

    // Another volunteer sees neither exact address: not on the need's page, not through the API.
    const bystander = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: other.token, locale, viewport });
    await bystander.getByTestId('need-page').waitFor();
    expect(await bystander.getByTestId('private-details').count()).toBe(0);
    expect(await bystander.getByTestId('offer-candidates').count()).toBe(0);
    expect(await bystander.content()).not.toContain(needAddress);
    expect(await bystander.content()).not.toContain(roomAddress);
    const theirs = stack.api(other.token);
    expect(codeOf(await theirs.gql(`query($id: ID!) { offer(id: $id) { privateDetails { address } } }`, { id: offerId }))).toBe('FORBIDDEN');
    expect(codeOf(await theirs.gql(`query($id: ID!) { need(id: $id) { privateDetails { address } } }`, { id: need.id }))).toBe('FORBIDDEN');
    expect((await theirs.ok(`{ myOffers { id } }`)).myOffers).toEqual([]);
  });
  test('a ride: its destination is asked for, then the offer lists its seats', async () => {
    const volunteer = await newVolunteer(stack, 'Driver', sderot.id);
    const page = await suite.page('/offers/new', { token: volunteer.token, locale: 'en', viewport: DESKTOP });
    await page.getByTestId('offer-form').waitFor();
    await page.getByTestId('offer-kind-RIDE').check();
    await page.getByTestId('offer-title').fill('A ride to Beersheba');
    await page.getByTestId('offer-seats').fill('3');
    await page.getByTestId('offer-until').fill(await localIn(page, 2));
    await page.locator('#offer-address').fill('3 Origin Road, Sderot');
    await page.locator('#offer-pin-lat').fill(String(sderot.centerLat));
    await page.locator('#offer-pin-lng').fill(String(sderot.centerLng));
    // No destination: said next to it, and nothing is sent.
    await page.getByTestId('offer-submit').click();
    await page.locator('#offer-destination-error').waitFor();
    expect(await page.locator('#offer-destination').getAttribute('aria-invalid')).toBe('true');
    expect((await stack.api(volunteer.token).ok(`{ myOffers { id } }`)).myOffers).toEqual([]);

    await page.locator('#offer-destination').fill('Central station, Beersheba');
    await page.locator('#offer-dest-pin-lat').fill('31.2431');
    await page.locator('#offer-dest-pin-lng').fill('34.7981');
    await page.getByTestId('offer-submit').click();
    const card = page.locator('[data-testid="my-offer"][data-kind="RIDE"]');
    await card.waitFor();
    expect(await card.getByTestId('offer-remaining').textContent()).toBe('Seats free: 3 of 3');
    const offer = (await stack.api(volunteer.token).ok(`{ myOffers { kind seats privateDetails { destination { address lat lng } } } }`)).myOffers[0];
    expect(offer).toEqual({ kind: 'RIDE', seats: 3, privateDetails: { destination: { address: 'Central station, Beersheba', lat: 31.2431, lng: 34.7981 } } });
  });
});
