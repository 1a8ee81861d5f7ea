// The board in Chromium when the server itself ends its live subscription: PostgreSQL (a throwaway
// cluster) is down for longer than the API's LIVE_RETRY_MAX_SECONDS (1 s here) while the page
// subscribes again after a dropped connection, so the API answers SERVICE_UNAVAILABLE and ends the
// subscription. graphql-ws never subscribes again to a subscription the server ended; the page's
// own resubscribe (web/src/lib/graphql/resubscribe.ts) does, from its cursor, and once the database
// is back the board shows the need created while it could not hear, without a reload.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api } from '../helpers/client.ts';
import { spawnApi, type ApiProcess } from '../helpers/process.ts';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.ts';
import { buildWorld, type World } from '../helpers/world.ts';
import { createNeed } from '../helpers/fixtures.ts';
import { contextFor, launchChromium, webBuildDir, type Stack } from '../helpers/stack.ts';
import { cursorOf, cuttable, published } from '../helpers/outage.ts';
import { requires, postgresServer, postgresPrograms } from '../helpers/skips.ts';

describe('the board when the server ends its subscription', requires(postgresServer, postgresPrograms), () => {
  let cluster: PostgresCluster;
  let api: ApiProcess;
  let stack: Stack;
  let browser: Browser;
  let world: World;

  beforeAll(async () => {
    [cluster, browser] = await Promise.all([startPostgresCluster(), launchChromium()]);
    await cluster.sql('CREATE DATABASE app');
    api = await spawnApi({
      DATABASE_URL: cluster.url('app'),
      MIGRATE_ON_START: '1',
      WEB_BUILD_DIR: webBuildDir,
      EVENT_POLL_MS: '250',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      LIVE_RETRY_MAX_SECONDS: '1',
    });
    const client = (token: string | null = null) => Object.assign(new Api(api.url), { token });
    stack = { url: api.url, pid: api.pid, output: api.output, api: client, stop: () => api.stop() };
    world = await buildWorld(api.url, cluster.url('app'), 0);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await cluster?.destroy();
  });

  test('resubscribes by itself from its cursor and shows what was created meanwhile', async () => {
    const { coordinator, community } = world;
    // A need from before the page loads, so that the page loads at a cursor (an empty outbox has none).
    await createNeed(coordinator, community, { title: `Already there ${Date.now()}` });
    const page = await (await contextFor(browser, stack)).newPage();
    const subscribes: (string | null)[] = [];
    const network = await cuttable(page, {
      onClientMessage: (message) => {
        const msg = JSON.parse(message) as { type: string; payload?: { query?: string; variables?: { after?: string | null } } };
        if (msg.type === 'subscribe' && msg.payload?.query?.includes('needEvents')) subscribes.push(msg.payload.variables?.after ?? null);
      },
    });
    const board = page.getByTestId('board');
    const announcer = page.getByTestId('board-announcer');
    await page.goto(stack.url + '/');
    await expect.poll(() => subscribes.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const loadedAt = BigInt(subscribes.at(-1)!);
    // Loaded and following the stream from where it loaded.
    await expect.poll(() => cursorOf(board), { timeout: 15_000 }).toBe(loadedAt);

    // One event received live: the board's cursor is past the one it loaded at.
    const first = await createNeed(coordinator, community, { title: `Before the outage ${Date.now()}` });
    const firstCursor = await published(stack, first.id, 'CREATED', loadedAt);
    await expect.poll(() => cursorOf(board), { timeout: 15_000 }).toBe(firstCursor);

    // The page's connection drops; a need is created that it cannot hear of.
    await network.cut();
    await page.getByTestId('connection-banner').waitFor();
    const missed = await createNeed(coordinator, community, { title: `While the board could not hear ${Date.now()}` });
    const missedCursor = await published(stack, missed.id, 'CREATED', firstCursor);
    expect(await cursorOf(board)).toBe(firstCursor);

    // The database goes away; the page reconnects (an anonymous connect needs no database) and
    // subscribes after its cursor; the API waits LIVE_RETRY_MAX_SECONDS for the database, then
    // ends the subscription with SERVICE_UNAVAILABLE. Only the page itself can subscribe again:
    // a further subscribe on the reconnected socket is its own.
    await cluster.stop('immediate');
    const beforeRestore = subscribes.length;
    network.restore();
    await expect.poll(() => subscribes.length - beforeRestore, { timeout: 45_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    expect(await cursorOf(board)).toBe(firstCursor);

    // The database is back: the page's next resubscribe replays from its cursor.
    await cluster.start();
    await expect.poll(() => cursorOf(board), { timeout: 45_000, interval: 100 }).toBe(missedCursor);
    await expect.poll(() => announcer.textContent()).toContain(missed.title);
    // Every subscribe since the drop asked for the events after the last one applied: nothing lost, nothing twice.
    expect(subscribes.slice(beforeRestore).every((after) => after === firstCursor.toString())).toBe(true);
    // Still live on the same page: the next need arrives as usual.
    const next = await createNeed(coordinator, community, { title: `After the outage ${Date.now()}` });
    const nextCursor = await published(stack, next.id, 'CREATED', missedCursor);
    await expect.poll(() => cursorOf(board), { timeout: 15_000 }).toBe(nextCursor);
  }, 180_000);
});
