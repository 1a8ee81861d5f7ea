// The street map in Chromium (issue 18, "A real street map"): the API serves a PMTiles archive built
// by the test (a few streets around Sderot, helpers/pmtiles.ts) and the board and the need page draw
// its streets, with labels in the reader's language: Hebrew and Arabic on a 360-pixel phone, English
// on a desktop. The need page shows the approximate area (the exact point to whom may see it), the
// distance from the reader and a directions link; the service worker keeps the ranges read, so the
// streets are there offline. The README's picture is taken here (UPDATE_DOCS=1).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  artifactsDir,
  browserSuite,
  communityId,
  createNeed,
  docsDir,
  horizontalOverflow,
  screenshot,
  seriousViolations,
  signIn,
  waitForMap,
  waitForMapIdle,
  type Stack,
} from '../helpers/stack.ts';
import { PLACES, STREETS, streetMapArchive } from '../helpers/pmtiles.ts';
import { distanceKm } from '../../api/src/shared/geo.ts';

// The archive exists before the stack starts (the suite's hook starts it with this setting).
const dir = mkdtempSync(join(tmpdir(), 'ma-streetmap-'));
const archivePath = join(dir, 'israel.pmtiles');
writeFileSync(archivePath, streetMapArchive());
const suite = browserSuite({ BASEMAP_PMTILES: archivePath });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stack: Stack;
let coordinatorToken: string;
let sderot: Awaited<ReturnType<typeof communityId>>;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);

const BOARD = '[data-testid="board-map"]';
const NEED_MAP = '[data-testid="need-map"]';
/** Herzl Street in the test map, where the street labels are drawn (zoom 15 and closer). */
const HERZL = { lat: 31.524, lng: 34.5955 };

type Drawn = { layer: string; sourceLayer: string; name?: string; he?: string; ar?: string; en?: string };

/** The street map's features MapLibre has drawn on the map in `selector`. */
function drawnStreetMap(page: Page, selector: string): Promise<Drawn[]> {
  return page.evaluate((sel) => {
    const map = (document.querySelector(sel) as unknown as { maplibre: any }).maplibre;
    return map
      .queryRenderedFeatures()
      .filter((f: any) => f.source === 'protomaps')
      .map((f: any) => ({
        layer: f.layer.id,
        sourceLayer: f.sourceLayer,
        name: f.properties.name,
        he: f.properties['name:he'],
        ar: f.properties['name:ar'],
        en: f.properties['name:en'],
      }));
  }, selector);
}

/** The label expression of a layer of the street map (the language the style asks for). */
function labelOf(page: Page, selector: string, layer: string): Promise<string> {
  return page.evaluate(([sel, id]) => JSON.stringify((document.querySelector(sel!) as unknown as { maplibre: any }).maplibre.getLayoutProperty(id, 'text-field')), [selector, layer]);
}

/** Counts the archive's range answers the page receives, and the distinct ranges they were for. */
function rangeAnswers(page: Page): { count: number; ranges: Set<string> } {
  const seen = { count: 0, ranges: new Set<string>() };
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/tiles/basemap.pmtiles' && r.status() === 206) {
      seen.count++;
      seen.ranges.add(r.request().headers()['range'] ?? '');
    }
  });
  return seen;
}

async function streetsDrawn(page: Page, selector: string) {
  await expect.poll(async () => (await drawnStreetMap(page, selector)).filter((f) => f.sourceLayer === 'roads').length, { timeout: 20_000 }).toBeGreaterThan(0);
  return drawnStreetMap(page, selector);
}

const LANGUAGES = [
  { locale: 'en', viewport: DESKTOP },
  { locale: 'he', viewport: PHONE },
  { locale: 'ar', viewport: PHONE },
] as const;

describe('the board over the street map', () => {
  for (const { locale, viewport } of LANGUAGES) {
    test(`${locale} at ${viewport.width} px: streets from the archive, labelled in ${locale}`, async () => {
      const context = await suite.context({ locale, viewport });
      const page = await context.newPage();
      const ranges = rangeAnswers(page);
      await page.goto(`${stack.url}/?at=${HERZL.lat},${HERZL.lng},15.5`);
      await waitForMapIdle(page, BOARD);
      expect(await page.locator(BOARD).getAttribute('data-basemap')).toBe('street');
      const drawn = await streetsDrawn(page, BOARD);
      // The archive's streets, read through range requests.
      expect(drawn.some((f) => f.layer === 'roads_minor' && f.en === STREETS.herzl.en)).toBe(true);
      expect(drawn.some((f) => f.sourceLayer === 'earth')).toBe(true);
      expect(ranges.count).toBeGreaterThan(1);
      // The street names are drawn, in the reader's language first (the local name after it).
      const named = new Set(Object.values(STREETS).map((n) => n.en));
      expect(drawn.some((f) => f.layer.startsWith('roads_labels') && named.has(f.en ?? ''))).toBe(true);
      const label = await labelOf(page, BOARD, 'roads_labels_minor');
      expect(label).toContain(`"name:${locale}"`);
      // (English is every language's fallback where a name has no translation.)
      for (const other of ['he', 'ar', 'ru'].filter((l) => l !== locale)) expect(label).not.toContain(`"name:${other}"`);
      // The needs are still drawn over it, and the page fits the screen.
      await waitForMap(page, BOARD);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `streetmap-board-${locale}-${viewport.width}`);
    });
  }

  test('town names are drawn at town zoom, in the reader\'s language', async () => {
    const page = await suite.page(`/?at=31.5250,34.5960,11.5`, { locale: 'he', viewport: PHONE });
    await waitForMapIdle(page, BOARD);
    await expect.poll(async () => (await drawnStreetMap(page, BOARD)).some((f) => f.layer === 'places_locality' && f.he === PLACES.sderot.he), { timeout: 20_000 }).toBe(true);
    expect(await labelOf(page, BOARD, 'places_locality')).toContain('"name:he"');
  });

  test('the README picture: the board over the street map of Sderot', async () => {
    const page = await suite.page('/?at=31.5230,34.5960,14.20', { viewport: DESKTOP });
    await waitForMap(page, BOARD);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="visible-count"]')?.getAttribute('data-count')) > 0);
    await streetsDrawn(page, BOARD);
    await waitForMapIdle(page, BOARD);
    await screenshot(page, 'board-readme-street');
    if (process.env.UPDATE_DOCS === '1') {
      await mkdir(docsDir, { recursive: true });
      await copyFile(join(artifactsDir, 'board-readme-street.png'), join(docsDir, 'board.png'));
    }
  });

  test('offline, the service worker answers the ranges it kept: the streets are still drawn', async () => {
    const context = await suite.context({ serviceWorkers: 'allow' });
    const page = await context.newPage();
    const view = `/?at=${HERZL.lat},${HERZL.lng},15.5`;
    await page.goto(stack.url + view);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    // Read once through the service worker (online), then again without a network.
    const ranges = rangeAnswers(page);
    await page.reload();
    await waitForMapIdle(page, BOARD);
    await streetsDrawn(page, BOARD);
    // The worker keeps each range after answering it: wait until every range read is kept.
    expect(ranges.ranges.size).toBeGreaterThan(1);
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open('ma-map-tiles')).keys()).length), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(ranges.ranges.size);
    await context.setOffline(true);
    const offline = await page.goto(stack.url + view);
    expect(offline?.fromServiceWorker()).toBe(true);
    await page.locator(`${BOARD}[data-ready="true"]`).waitFor({ timeout: 60_000 });
    expect(await page.locator(BOARD).getAttribute('data-basemap')).toBe('street');
    const drawn = await streetsDrawn(page, BOARD);
    expect(drawn.some((f) => f.en === STREETS.herzl.en)).toBe(true);
    await context.setOffline(false);
  });
});

describe('the need page: where, how far, how to get there', () => {
  let need: { id: string; title: string };
  const exact = { lat: 31.5262, lng: 34.5981 };
  let publicPoint: { lat: number; lng: number };

  beforeAll(async () => {
    need = await createNeed(stack, coordinatorToken, sderot.id, { title: 'Groceries for a family in a shelter', category: 'FOOD', urgency: 'HIGH', ...exact });
    const d = await stack.api().ok(`query($id: ID!) { need(id: $id) { publicLat publicLng } }`, { id: need.id });
    publicPoint = { lat: d.need.publicLat, lng: d.need.publicLng };
  });

  for (const { locale, viewport } of LANGUAGES) {
    test(`${locale} at ${viewport.width} px, anyone: the approximate area over the streets, the distance once located, directions to the area`, async () => {
      const context = await suite.context({ locale, viewport });
      // Someone standing at the Sderot railway station, who has let the site know where they are.
      const viewer = { latitude: 31.5148, longitude: 34.5846 };
      await context.grantPermissions(['geolocation'], { origin: stack.url });
      await context.setGeolocation(viewer);
      const page = await context.newPage();
      await page.goto(`${stack.url}/needs/${encodeURIComponent(need.id)}`);
      await page.locator(`${NEED_MAP}[data-ready="true"]`).waitFor({ timeout: 60_000 });
      expect(await page.locator(NEED_MAP).getAttribute('data-basemap')).toBe('street');
      expect(await page.locator(NEED_MAP).getAttribute('data-exact')).toBe('false');
      await streetsDrawn(page, NEED_MAP);
      // The circle is drawn; no exact point.
      const layers = await page.evaluate((sel) => {
        const map = (document.querySelector(sel) as unknown as { maplibre: any }).maplibre;
        return map.queryRenderedFeatures({ layers: ['need-area-fill', 'need-exact'] }).map((f: any) => f.layer.id);
      }, NEED_MAP);
      expect(layers).toContain('need-area-fill');
      expect(layers).not.toContain('need-exact');
      expect(await labelOf(page, NEED_MAP, 'roads_labels_minor')).toContain(`"name:${locale}"`);

      // The distance, at once (the permission was given), to the public point: nothing exact leaks.
      const distance = page.getByTestId('need-distance');
      await distance.waitFor();
      const km = Number(await distance.getAttribute('data-km'));
      expect(km).toBeCloseTo(distanceKm({ lat: viewer.latitude, lng: viewer.longitude }, publicPoint), 3);
      const directions = await page.getByTestId('need-directions').getAttribute('href');
      expect(directions).toContain(`destination=${publicPoint.lat.toFixed(6)},${publicPoint.lng.toFixed(6)}`);
      expect(directions).not.toContain(exact.lat.toFixed(4));

      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `streetmap-need-${locale}-${viewport.width}`, { fullPage: true });
    });
  }

  test('without the permission, the distance is asked for; whoever may see the private details gets the exact point', async () => {
    const page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: coordinatorToken, locale: 'he', viewport: PHONE });
    await page.locator(`${NEED_MAP}[data-exact="true"][data-ready="true"]`).waitFor({ timeout: 60_000 });
    await expect
      .poll(
        () =>
          page.evaluate((sel) => {
            const map = (document.querySelector(sel) as unknown as { maplibre: any }).maplibre;
            return map.queryRenderedFeatures({ layers: ['need-exact'] }).map((f: any) => f.geometry.coordinates as [number, number]);
          }, NEED_MAP),
        { timeout: 20_000 },
      )
      .toEqual([[expect.closeTo(exact.lng, 4), expect.closeTo(exact.lat, 4)]]);
    // The point, not the circle others see.
    expect(
      await page.evaluate((sel) => (document.querySelector(sel) as unknown as { maplibre: any }).maplibre.queryRenderedFeatures({ layers: ['need-area-fill'] }).length, NEED_MAP),
    ).toBe(0);
    expect(await page.getByTestId('need-directions').getAttribute('href')).toContain(`destination=${exact.lat.toFixed(6)},${exact.lng.toFixed(6)}`);
    // Not located without asking: a button asks.
    expect(await page.getByTestId('need-distance').count()).toBe(0);
    await page.getByTestId('need-locate').waitFor();
    await screenshot(page, 'streetmap-need-exact-he-360', { fullPage: true });
  });
});
