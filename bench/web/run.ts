// bench:web — the board route in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core; never a downloaded browser): gzipped JavaScript it loads (MapLibre counted
// apart), time to render 10,000 needs, and time and main-thread work to apply 100 live
// updates. Needs web/build (`pnpm --filter @mutual-aid/web build`). See bench/README.md.
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { startApi, type ApiServer } from '../lib/api.ts';
import { createBenchDatabase, migrate, seedCommunity } from '../lib/db.ts';
import { alternate, flags, log, median, prng, repoDir, round, sleep, stopAll } from '../lib/harness.ts';
import { writeResult, type Table } from '../lib/results.ts';

const opts = flags({ needs: 10_000, updates: 100, rounds: 3, warmup: 1, concurrency: 4 });
const buildDir = `${repoDir}web/build`;
const CENTER = { lat: 31.525, lng: 34.597 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const UPDATE = 'mutation($id: ID!, $input: UpdateNeedInput!) { updateNeed(id: $id, input: $input) { need { id } } }';

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m: { name: string }) => m.name === name)?.value ?? NaN;
}

async function main() {
  const started = Date.now();
  if (!existsSync(`${buildDir}/handler.js`)) {
    console.error(`web/build is missing: build it first with \`npx pnpm@12.20.0 --filter @mutual-aid/web build\`.`);
    process.exit(2);
  }
  const db = await createBenchDatabase('web');
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  let api: ApiServer | undefined;
  let browser: Browser | undefined;
  try {
    await migrate(db.url);
    await client.connect();
    const seeded = await seedCommunity(client, 'web', CENTER);
    // 10,000 live needs around the centre, all inside the viewport the page opens on.
    const rand = prng(5);
    const lats: number[] = [];
    const lngs: number[] = [];
    for (let i = 0; i < opts.needs; i++) {
      lats.push(Math.round((CENTER.lat - 0.03 + 0.06 * rand()) * 1e6) / 1e6);
      lngs.push(Math.round((CENTER.lng - 0.04 + 0.08 * rand()) * 1e6) / 1e6);
    }
    const { rows } = await client.query(
      `INSERT INTO "Need" (id, title, category, urgency, status, lat, lng, address, "publicLat", "publicLng", "requesterName", "communityId", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), 'Need ' || i, (enum_range(NULL::"NeedCategory"))[1 + i % 12], (enum_range(NULL::"Urgency"))[1 + i % 4],
              (ARRAY['OPEN','OPEN','CLAIMED','IN_PROGRESS']::"NeedStatus"[])[1 + i % 4], lat, lng, 'Bench St', lat, lng, 'Bench', $3,
              timestamp '2026-01-01' + i * interval '1 second', now()
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lat, lng, i) RETURNING id`,
      [lats, lngs, seeded.communityId],
    );
    const needIds = rows.map((r) => Buffer.from(`Need:${r.id}`).toString('base64'));
    api = await startApi({ DATABASE_URL: db.url, WEB_BUILD_DIR: buildDir, ALLOWED_ORIGINS: 'http://127.0.0.1' }, { label: 'api' });
    const pageUrl = `${api.url}/?at=${CENTER.lat.toFixed(4)},${CENTER.lng.toFixed(4)},12.50`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    log(`web: ${opts.needs} needs, ${opts.updates} updates; ${opts.rounds} rounds after ${opts.warmup} warm-up; ${pageUrl}`);

    let jsFiles: { url: string; bytes: number; gzip: number; maplibre: boolean }[] = [];
    let updateNo = 0;
    const runs = await alternate(['board'] as const, opts.rounds, opts.warmup, async (_v, r) => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
      const page: Page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const js = new Map<string, Promise<Buffer | null>>();
      page.on('response', (res) => {
        const type = res.headers()['content-type'] ?? '';
        if (/javascript/.test(type) || /\.m?js(\?|$)/.test(res.url())) js.set(res.url(), res.body().catch(() => null));
      });
      let frames = 0;
      page.on('websocket', (ws) => ws.on('framereceived', (f) => {
        if (typeof f.payload === 'string' && f.payload.includes('"UPDATED"')) frames++;
      }));
      const t0 = performance.now();
      await page.goto(pageUrl, { waitUntil: 'commit' });
      await page.waitForFunction(
        (n) => {
          const el = document.querySelector('[data-testid="visible-count"]');
          return !document.querySelector('.loading') && el && Number(el.getAttribute('data-count')) >= n;
        },
        opts.needs,
        { timeout: 120_000, polling: 'raf' },
      );
      const tData = performance.now() - t0;
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const tPainted = performance.now() - t0;
      const loadTask = await metric(cdp, 'TaskDuration');
      const heap = await metric(cdp, 'JSHeapUsedSize');
      await sleep(1_000); // the event stream subscribes once the needs are in

      // 100 live updates: title changes of needs on the board, sent from this process.
      const before = await metric(cdp, 'TaskDuration');
      const framesBefore = frames;
      const u0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: opts.concurrency }, async () => {
          while (next < opts.updates) {
            const k = next++;
            const res = await fetch(`${api!.url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.coordinator.token}` },
              body: JSON.stringify({ query: UPDATE, variables: { id: needIds[(++updateNo * 97) % needIds.length], input: { title: `Updated ${r} ${k}` } } }),
            });
            const body = await res.json();
            if (body.errors) throw new Error(JSON.stringify(body.errors));
          }
        }),
      );
      const sent = performance.now() - u0;
      const deadline = performance.now() + 60_000;
      while (frames - framesBefore < opts.updates && performance.now() < deadline) await sleep(5);
      const delivered = performance.now() - u0;
      // The board coalesces events into one map update every 200 ms: wait for that, and a frame.
      await sleep(250);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const applied = performance.now() - u0 - 250;
      const updateTask = (await metric(cdp, 'TaskDuration')) - before;
      if (r === 0 || jsFiles.length === 0) {
        jsFiles = [];
        for (const [url, body] of js) {
          const b = await body;
          if (!b) continue;
          const text = b.toString('utf8');
          jsFiles.push({ url: url.replace(api!.url, ''), bytes: b.length, gzip: gzipSync(b, { level: 9 }).length, maplibre: /maplibre/i.test(text) && text.length > 300_000 });
        }
      }
      await context.close();
      const out = {
        renderDataMs: round(tData, 0),
        renderPaintedMs: round(tPainted, 0),
        loadMainThreadMs: round(loadTask * 1000, 0),
        heapMB: round(heap / 2 ** 20, 1),
        updatesSentMs: round(sent, 0),
        updatesDeliveredMs: round(delivered, 0),
        updatesAppliedMs: round(applied, 0),
        updateMainThreadMs: round(updateTask * 1000, 1),
        framesReceived: frames - framesBefore,
      };
      log(`  ${r < 0 ? '(warm-up) ' : ''}render ${out.renderPaintedMs} ms (data in ${out.renderDataMs} ms, main thread ${out.loadMainThreadMs} ms, heap ${out.heapMB} MB); ${opts.updates} updates: delivered ${out.updatesDeliveredMs} ms, applied ${out.updatesAppliedMs} ms, main thread ${out.updateMainThreadMs} ms (${out.framesReceived} frames)`);
      return out;
    });
    const b = runs.board;
    const summary = {
      renderPaintedMs: median(b.map((x) => x.renderPaintedMs)),
      renderDataMs: median(b.map((x) => x.renderDataMs)),
      loadMainThreadMs: median(b.map((x) => x.loadMainThreadMs)),
      heapMB: median(b.map((x) => x.heapMB)),
      updatesDeliveredMs: median(b.map((x) => x.updatesDeliveredMs)),
      updatesAppliedMs: median(b.map((x) => x.updatesAppliedMs)),
      updateMainThreadMs: median(b.map((x) => x.updateMainThreadMs)),
    };
    const kb = (n: number) => round(n / 1024, 1);
    const app = jsFiles.filter((f) => !f.maplibre);
    const maplibre = jsFiles.filter((f) => f.maplibre);
    const sum = (fs: typeof jsFiles, k: 'bytes' | 'gzip') => fs.reduce((s, f) => s + f[k], 0);
    const jsTable: Table = {
      title: 'JavaScript the board route loads (gzip -9 of each file as served)',
      columns: ['part', 'files', 'raw KB', 'gzip KB'],
      rows: [
        ['app (SvelteKit, Svelte, urql, graphql-ws, board code)', app.length, kb(sum(app, 'bytes')), kb(sum(app, 'gzip'))],
        ['MapLibre GL', maplibre.length, kb(sum(maplibre, 'bytes')), kb(sum(maplibre, 'gzip'))],
        ['total', jsFiles.length, kb(sum(jsFiles, 'bytes')), kb(sum(jsFiles, 'gzip'))],
      ],
    };
    const perfTable: Table = {
      title: `Rendering ${opts.needs} needs and applying ${opts.updates} live updates (medians of ${opts.rounds} rounds, 1280×800)`,
      columns: ['measure', 'median', 'rounds'],
      rows: [
        ['navigation → all needs loaded and counted (ms)', summary.renderDataMs, b.map((x) => x.renderDataMs).join(', ')],
        ['navigation → next painted frame (ms)', summary.renderPaintedMs, b.map((x) => x.renderPaintedMs).join(', ')],
        ['main-thread task time during load (ms)', summary.loadMainThreadMs, b.map((x) => x.loadMainThreadMs).join(', ')],
        ['JS heap after load (MB)', summary.heapMB, b.map((x) => x.heapMB).join(', ')],
        [`${opts.updates} updates: first sent → last frame received (ms)`, summary.updatesDeliveredMs, b.map((x) => x.updatesDeliveredMs).join(', ')],
        [`${opts.updates} updates: first sent → applied and painted (ms)`, summary.updatesAppliedMs, b.map((x) => x.updatesAppliedMs).join(', ')],
        [`main-thread task time for ${opts.updates} updates (ms)`, summary.updateMainThreadMs, b.map((x) => x.updateMainThreadMs).join(', ')],
      ],
      note: `Updates are updateNeed mutations sent ${opts.concurrency} at a time from the benchmark process; "applied" waits out the board's 200 ms coalescing of map updates and two animation frames.`,
    };
    await writeResult({
      name: 'web',
      title: 'Web board (bench:web)',
      command: `pnpm bench:web ${process.argv.slice(2).join(' ')}`.trim(),
      summary: `web/build served by the API (bench entry) on PostgreSQL with ${opts.needs} live needs in view; a fresh browser context per round (cold cache). Chromium: ${CHROMIUM_ARGS.join(' ')}.`,
      tables: [jsTable, perfTable],
      targets: [{ what: 'board route JS (gzip), app / MapLibre', target: '(measured)', value: `${kb(sum(app, 'gzip'))} KB / ${kb(sum(maplibre, 'gzip'))} KB`, met: null }],
      notes: [`Run took ${Math.round((Date.now() - started) / 1000)} s.`],
      data: { opts, summary, runs, jsFiles },
    });
    log('wrote bench/results/web.json and RESULTS.md');
  } finally {
    await browser?.close().catch(() => {});
    await api?.stop().catch(() => {});
    await stopAll();
    await client.end().catch(() => {});
    await db.drop().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    stopAll().finally(() => process.exit(1));
  },
);
