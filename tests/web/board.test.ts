// The live board in Chromium against the real stack: clustered markers on the map, a need created through
// the API appearing live, filters that live in the URL, and a dropped WebSocket that is announced and,
// once back, resumes from the last event received so nothing created meanwhile is missed.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PHONE,
  communityId,
  createNeed,
  horizontalOverflow,
  screenshot,
  seriousViolations,
  signIn,
  browserSuite,
  waitForMap,
  waitForMapIdle,
  type Stack,
} from '../helpers/stack.ts';
import { cursorOf, cuttable, published } from '../helpers/outage.ts';

let stack: Stack;
// A replay window below the seeded history, so that an old cursor is out of it (CURSOR_EXPIRED).
const suite = browserSuite({ REPLAY_WINDOW_EVENTS: '1000' });
let coordinatorToken: string;
let sderot: Awaited<ReturnType<typeof communityId>>;

const open = (path: string, opts: Parameters<typeof suite.page>[1] = {}) => suite.page(path, opts);

type MapFeature = { id?: string; category?: string; cluster?: boolean; count?: number };

/** What the map has drawn, read from MapLibre itself. */
function rendered(page: Page, layers: string[]): Promise<MapFeature[]> {
  return page.evaluate((layerIds) => {
    const map = (document.querySelector('[data-testid="board-map"]') as unknown as { maplibre: any }).maplibre;
    return map.queryRenderedFeatures({ layers: layerIds }).map((f: { properties: Record<string, unknown> }) => ({
      id: f.properties.id as string | undefined,
      category: f.properties.category as string | undefined,
      cluster: !!f.properties.cluster,
      count: f.properties.point_count as number | undefined,
    }));
  }, layers);
}

/** Every need in the map's clustered source. */
function sourceNeeds(page: Page): Promise<{ id: string; category: string; urgency: string }[]> {
  return page.evaluate(async () => {
    const map = (document.querySelector('[data-testid="board-map"]') as unknown as { maplibre: any }).maplibre;
    const data = await map.getSource('needs').getData();
    return data.features.map((f: { properties: { id: string; category: string; urgency: string } }) => f.properties);
  });
}

/** Whether the map's source holds the need (the list shows only the first of those in view). */
async function isOnMap(page: Page, id: string): Promise<boolean> {
  return (await sourceNeeds(page)).some((n) => n.id === id);
}

/** Resolves once the need is on the map. */
function onMap(page: Page, id: string, timeout = 10_000) {
  return expect.poll(() => isOnMap(page, id), { timeout, interval: 100 }).toBe(true);
}

const visibleCount = async (page: Page) => Number(await page.getByTestId('visible-count').getAttribute('data-count'));

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);

describe('the live board', () => {
  let board: Page;

  test('the map draws the needs as clustered markers', async () => {
    board = await open('/');
    await waitForMap(board);
    await board.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 100);
    // The source is filled in batches and drawn on the next frames: wait until clusters are drawn.
    await expect.poll(async () => (await rendered(board, ['need-clusters'])).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const clusters = await rendered(board, ['need-clusters']);
    expect(clusters.every((c) => c.cluster && (c.count ?? 0) > 1)).toBe(true);
    // Every live need is in the source, and the clusters stand for hundreds of them at this zoom.
    const inSource = await sourceNeeds(board);
    expect(inSource.length).toBeGreaterThan(500);
    expect(clusters.reduce((sum, c) => sum + (c.count ?? 0), 0)).toBeGreaterThan(100);

    // Zoomed in on one need, the clusters open into single markers.
    const one = await board.evaluate(async () => {
      const map = (document.querySelector('[data-testid="board-map"]') as unknown as { maplibre: any }).maplibre;
      const data = await map.getSource('needs').getData();
      const f = data.features[0];
      map.jumpTo({ center: f.geometry.coordinates, zoom: 16 });
      return f.properties.id as string;
    });
    await waitForMap(board);
    await expect.poll(async () => (await rendered(board, ['need-points'])).some((f) => f.id === one), { timeout: 10_000 }).toBe(true);
  });

  test('a need created through the API appears on the map and in the list, live', async () => {
    const title = `Generator for a shelter ${Date.now()}`;
    const created = await createNeed(stack, coordinatorToken, sderot.id, {
      title,
      category: 'EQUIPMENT',
      urgency: 'HIGH',
      lat: sderot.centerLat + 0.001,
      lng: sderot.centerLng + 0.001,
    });
    const { need } = await stack.api().ok(`query($id: ID!) { need(id: $id) { publicLat publicLng } }`, { id: created.id });
    await onMap(board, created.id, 5_000);
    await expect(board.getByTestId('board-announcer').textContent()).resolves.toContain(title);
    // And it is drawn as its own marker where it is, and listed with the needs in view there.
    await board.evaluate(
      ([lat, lng]) => (document.querySelector('[data-testid="board-map"]') as unknown as { maplibre: any }).maplibre.jumpTo({ center: [lng, lat], zoom: 16 }),
      [need.publicLat, need.publicLng],
    );
    await waitForMap(board);
    await board.locator(`[data-testid="need-card"][data-need-id="${created.id}"]`).waitFor({ timeout: 5_000 });
    await expect.poll(async () => (await rendered(board, ['need-points'])).some((f) => f.id === created.id), { timeout: 5_000 }).toBe(true);
  });

  test('filters change the URL and the results, and a shared URL restores them', async () => {
    await board.goto(stack.url + '/');
    await waitForMap(board);
    await board.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 100);
    const all = await visibleCount(board);

    await board.getByTestId('filters-toggle').click();
    await board.locator('label:has([data-testid="filter-category-MEDICINE"])').click();
    await board.waitForURL((u) => u.searchParams.get('category') === 'MEDICINE');
    await expect.poll(() => visibleCount(board)).toBeLessThan(all);
    await board.locator('[data-testid="need-card"]').first().waitFor();
    const categories = await board.locator('[data-testid="need-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
    expect(categories.length).toBeGreaterThan(0);
    expect(new Set(categories)).toEqual(new Set(['MEDICINE']));
    expect(new Set((await sourceNeeds(board)).map((n) => n.category))).toEqual(new Set(['MEDICINE']));
    const medicine = await visibleCount(board);

    await board.locator('label:has([data-testid="filter-urgency-CRITICAL"])').click();
    await board.waitForURL((u) => u.searchParams.get('category') === 'MEDICINE' && u.searchParams.get('urgency') === 'CRITICAL');
    await expect.poll(() => visibleCount(board)).toBeLessThan(medicine);
    expect(new Set((await sourceNeeds(board)).map((n) => `${n.category}/${n.urgency}`))).toEqual(new Set(['MEDICINE/CRITICAL']));

    // The link is the view: opened elsewhere, the same filters and the same needs.
    const shared = board.url();
    const other = await open(new URL(shared).pathname + new URL(shared).search);
    await waitForMap(other);
    await other.getByTestId('filters-toggle').click();
    expect(await other.getByTestId('filter-category-MEDICINE').isChecked()).toBe(true);
    expect(await other.getByTestId('filter-urgency-CRITICAL').isChecked()).toBe(true);
    await expect.poll(() => visibleCount(other)).toBe(await visibleCount(board));

    await board.getByRole('button', { name: 'Clear filters' }).click();
    await board.waitForURL((u) => !u.searchParams.has('category') && !u.searchParams.has('urgency'));
    await expect.poll(() => visibleCount(board), { timeout: 10_000 }).toBe(all);

    // Searched as an operator would, in Hebrew ("medicines").
    await board.getByTestId('filter-text').fill('תרופות');
    await board.waitForURL((u) => u.searchParams.get('q') === 'תרופות');
    await expect.poll(() => visibleCount(board)).toBeLessThan(all);
    const titles = await board.locator('[data-testid="need-card"] .title').allTextContents();
    expect(titles.length).toBeGreaterThan(0);
  });

  test('the board is accessible, and looks right on a desktop and on a phone', async () => {
    const desktop = await open('/');
    await waitForMap(desktop);
    await desktop.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 100);
    await waitForMapIdle(desktop);
    expect(await seriousViolations(desktop)).toEqual([]);
    await screenshot(desktop, 'board-desktop');
    // Closer in, where clusters open into single needs with their category icons, over the bundled
    // map (the README's picture is the street map's: tests/web/streetmap.test.ts).
    await desktop.goto(stack.url + '/?at=31.4900,34.5600,11.60');
    await waitForMap(desktop);
    await desktop.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 0);
    expect(await desktop.getByTestId('board-map').getAttribute('data-basemap')).toBe('bundled');
    await waitForMapIdle(desktop);
    await screenshot(desktop, 'board-closer');

    const phone = await open('/', { viewport: PHONE });
    await waitForMap(phone);
    await phone.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 0);
    expect(await horizontalOverflow(phone)).toBe(0);
    const map = await phone.getByTestId('board-map').boundingBox();
    expect(map!.width).toBe(PHONE.width);
    expect(map!.height).toBeGreaterThan(300);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'board-phone');
    // The filters open over the map and fit the screen.
    await phone.getByTestId('filters-toggle').click();
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'board-phone-filters');
  });
});

describe('a dropped connection', () => {
  test('is announced, and on reconnect the board resumes from its last event', async () => {
    const context = await suite.context({});
    const page = await context.newPage();
    // Every WebSocket goes through here, so the test can cut it like a lost phone signal.
    const subscribes: { operation?: string; after?: string | null }[] = [];
    const network = await cuttable(page, {
      onClientMessage: (message) => {
        const msg = JSON.parse(message) as { type: string; payload?: { query?: string; variables?: { after?: string | null } } };
        if (msg.type === 'subscribe' && msg.payload?.query?.includes('needEvents')) subscribes.push({ operation: 'needEvents', after: msg.payload.variables?.after ?? null });
      },
    });
    const board = page.getByTestId('board');
    await page.goto(stack.url + '/');
    await waitForMap(page);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 100);
    await expect.poll(() => subscribes.length).toBe(1);
    const loadedAt = BigInt(subscribes[0]!.after ?? '0');

    // One event received live, so the board's cursor moves past the one it loaded at.
    const first = await createNeed(stack, coordinatorToken, sderot.id, { title: `Before the drop ${Date.now()}`, lat: sderot.centerLat, lng: sderot.centerLng });
    await onMap(page, first.id);
    const firstCursor = await published(stack, first.id, 'CREATED', loadedAt);

    await network.cut();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain('Connection lost');
    // Cut off: the last event it has is where it will resume.
    const before = (await cursorOf(board))!;
    expect(before).toBeGreaterThanOrEqual(firstCursor);

    // Created while the board cannot hear anything: handed out to every live subscriber, and the board,
    // turned away since, still at the event it had before the drop, without the need.
    const missed = await createNeed(stack, coordinatorToken, sderot.id, { title: `During the outage ${Date.now()}`, lat: sderot.centerLat, lng: sderot.centerLng });
    const missedCursor = await published(stack, missed.id, 'CREATED', before);
    await network.refusedTwiceMore();
    expect(await cursorOf(board)).toBe(before);
    expect(missedCursor).toBeGreaterThan(before);
    expect(await isOnMap(page, missed.id)).toBe(false);

    network.restore();
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    // Resubscribed after the last event it had, and caught up with what it missed, without reloading.
    await onMap(page, missed.id);
    expect(subscribes.length).toBeGreaterThanOrEqual(2);
    const resumed = subscribes.at(-1)!;
    expect(resumed.after).toBe(before.toString());
    expect(BigInt(resumed.after!)).toBeGreaterThan(loadedAt);
    expect(await cursorOf(board)).toBeGreaterThanOrEqual(missedCursor);
  });
});

describe('a cursor the server no longer knows or will not replay from', () => {
  // What every open board holds after the database is restored from an older backup: its next
  // subscription is refused with CURSOR_AHEAD, and the board loads itself again and says so
  // (before, the server accepted such a cursor silently and the board looked live, showing nothing).
  // And a board away for longer than the replay window: CURSOR_EXPIRED, loaded again the same way.
  test.each([
    ['9223372036854775807', 'CURSOR_AHEAD'],
    ['1', 'CURSOR_EXPIRED'],
  ])('%s makes the board load again by itself, say why, and stay live', async (stale, reason) => {
    const context = await suite.context({});
    const page = await context.newPage();
    let rewriteNext = false;
    const subscribes: (string | null)[] = [];
    const network = await cuttable(page, {
      rewriteClientMessage: (message) => {
        const msg = JSON.parse(message) as { type: string; payload?: { query?: string; variables?: { after?: string | null } } };
        if (msg.type !== 'subscribe' || !msg.payload?.query?.includes('needEvents')) return message;
        if (rewriteNext && msg.payload.variables) {
          rewriteNext = false;
          msg.payload.variables.after = stale;
        }
        subscribes.push(msg.payload.variables?.after ?? null);
        return JSON.stringify(msg);
      },
    });
    await page.goto(stack.url + '/');
    await waitForMap(page);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 100);
    await expect.poll(() => subscribes.length).toBe(1);

    rewriteNext = true;
    await network.cut();
    await page.getByTestId('connection-banner').waitFor();
    network.restore();
    await page.getByTestId('board-reloaded').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('board-reloaded').getAttribute('data-reason')).toBe(reason);
    // Loaded again and subscribed from a cursor the server knows: live once more.
    await expect.poll(() => subscribes.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(subscribes.at(-2)).toBe(stale);
    expect(BigInt(subscribes.at(-1)!)).toBeGreaterThan(1n);
    expect(BigInt(subscribes.at(-1)!)).toBeLessThan(9223372036854775807n);
    const after = await createNeed(stack, coordinatorToken, sderot.id, { title: `After the reload ${Date.now()}`, lat: sderot.centerLat, lng: sderot.centerLng });
    await onMap(page, after.id);
  });
});

describe('near me', () => {
  test('"Use my location" lists what is around the reader, their position kept in the URL', async () => {
    const context = await suite.context();
    await context.grantPermissions(['geolocation'], { origin: stack.url });
    await context.setGeolocation({ latitude: 31.5148, longitude: 34.5846 });
    const page = await context.newPage();
    await page.goto(stack.url + '/near');
    await page.getByTestId('use-location').click();
    await page.waitForURL((u) => u.searchParams.get('at') === '31.5148,34.5846');
    await page.locator('[data-testid="near-list"] > li').first().waitFor();
  });

  test('lists the open needs around a chosen place, nearest first, and keeps the place in the URL', async () => {
    const page = await open('/near');
    await page.getByText('Use your location or choose a place').waitFor();
    await page.getByTestId('near-place').selectOption({ label: 'Sderot' });
    await page.waitForURL((u) => u.searchParams.has('at') && u.searchParams.get('r') === '10');
    const items = page.locator('[data-testid="near-list"] > li');
    await items.first().waitFor();
    const distances = (await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-km'))))) as number[];
    expect(distances.length).toBeGreaterThan(3);
    expect(distances.every((d) => d <= 10)).toBe(true);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(new Set(await page.locator('[data-testid="near-list"] [data-testid="need-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))).toEqual(
      new Set(['OPEN']),
    );
    // A smaller distance: only what is within it.
    expect(Math.max(...distances)).toBeGreaterThan(2);
    await page.locator('#near-radius').selectOption('2');
    await page.waitForURL((u) => u.searchParams.get('r') === '2');
    await expect
      .poll(async () => {
        const within = (await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-km'))))) as number[];
        return within.length > 0 && within.every((d) => d <= 2);
      })
      .toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
