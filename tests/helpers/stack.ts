// The whole product for end-to-end tests: the real API as a child process, serving the built web app
// on the same port, on a free loopback port with a fresh embedded database and the demo seed; and
// Chromium (Debian's) driven by playwright-core. One stack per test file: seeding takes a while.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './process.ts';
import { Api } from './client.ts';
import { findChromium } from './chromium.ts';

const apiDir = fileURLToPath(new URL('../../api/', import.meta.url));
export const webBuildDir = fileURLToPath(new URL('../../web/build', import.meta.url));
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const docsDir = fileURLToPath(new URL('../../docs/', import.meta.url));

export const PASSWORD = 'demo-password';

export type Stack = {
  url: string;
  pid: number;
  output: () => string;
  /** A GraphQL client (bearer token) for arranging what the browser then sees. */
  api: (token?: string | null) => Api;
  stop(): Promise<void>;
};

export async function startStack(env: Record<string, string> = {}, timeoutMs = 240_000): Promise<Stack> {
  if (!existsSync(join(webBuildDir, 'handler.js'))) throw new Error(`No web build at ${webBuildDir}: run pnpm --filter @mutual-aid/web build first.`);
  const dataDir = await mkdtemp(join(tmpdir(), 'ma-web-'));
  try {
    await cp(join(await seededTemplate(), 'pglite'), join(dataDir, 'pglite'), { recursive: true });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return launch(dataDir, env, timeoutMs);
}

/** The API on the database in `dataDir` (seeded on start when it is not yet); `dataDir` goes with it on stop unless kept. */
async function launch(dataDir: string, env: Record<string, string>, timeoutMs: number, keepData = false): Promise<Stack> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts'], {
    cwd: apiDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PGLITE_DIR: join(dataDir, 'pglite'),
      SEED_ON_START: '1',
      WEB_BUILD_DIR: webBuildDir,
      LOG_LEVEL: 'error',
      RATE_LIMIT_SIGNUPS_PER_IP_PER_HOUR: '100000',
      RATE_LIMIT_MUTATIONS_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const removeData = () => (keepData ? Promise.resolve() : rm(dataDir, { recursive: true, force: true }));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await removeData();
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await removeData();
      throw new Error(`API exited early (${child.exitCode}):\n${output}`);
    }
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Stack not ready in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    pid: child.pid!,
    output: () => output,
    api: (token = null) => {
      const api = new Api(url);
      api.token = token;
      return api;
    },
    stop,
  };
}

// Seeding the demo data takes a minute; copying a seeded database takes a second. The first stack of a
// run seeds a template (under a lock, as test files start in parallel workers) and every stack starts on
// a copy of it. The template is remade when the API's code or migrations change, and when it is older
// than TEMPLATE_MAX_AGE_MS, because the demo data is laid out relative to the time it was made.
const TEMPLATE_MAX_AGE_MS = 30 * 60_000;

function codeVersion(): string {
  const hash = createHash('sha256');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  for (const dir of ['api/src', 'prisma']) {
    for (const file of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort()) {
      hash.update(file.slice(root.length)).update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const TEMPLATE_PREFIX = 'ma-web-template-';

/** The newest template for this version of the code that is still fresh enough, if any. */
function freshTemplate(version: string): string | undefined {
  const candidates = readdirSync(tmpdir())
    .filter((name) => name.startsWith(`${TEMPLATE_PREFIX}${version}-`) && existsSync(join(tmpdir(), name, 'READY')))
    .map((name) => ({ path: join(tmpdir(), name), age: Date.now() - statSync(join(tmpdir(), name, 'READY')).mtimeMs }))
    .filter((t) => t.age < TEMPLATE_MAX_AGE_MS)
    .sort((x, y) => x.age - y.age);
  return candidates[0]?.path;
}

/** Templates long past use (another stack may still be copying one that has just expired). */
async function removeStaleTemplates() {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(TEMPLATE_PREFIX) && !n.endsWith('.lock'))) {
    const ready = join(tmpdir(), name, 'READY');
    if (!existsSync(ready) || Date.now() - statSync(ready).mtimeMs > 2 * TEMPLATE_MAX_AGE_MS) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
}

async function seededTemplate(): Promise<string> {
  const version = codeVersion();
  const lock = join(tmpdir(), `${TEMPLATE_PREFIX}${version}.lock`);
  const deadline = Date.now() + 600_000;
  for (;;) {
    const found = freshTemplate(version);
    if (found) return found;
    try {
      await mkdir(lock);
    } catch {
      // Someone else is making it; unless they died doing so.
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
      if (holder && !alive(holder)) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the seeded template (${lock})`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      if (freshTemplate(version)) continue;
      const building = await mkdtemp(join(tmpdir(), 'ma-web-seeding-'));
      try {
        const stack = await launch(building, {}, 480_000, true);
        await stack.stop();
        await writeFile(join(building, 'READY'), new Date().toISOString());
        await rename(building, join(tmpdir(), `${TEMPLATE_PREFIX}${version}-${Date.now()}`));
      } catch (error) {
        await rm(building, { recursive: true, force: true });
        throw error;
      }
      await removeStaleTemplates();
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

export function launchChromium(): Promise<Browser> {
  // The run's globalSetup (helpers/chromium.ts) has made sure there is one.
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: see tests/helpers/chromium.ts');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/** A browser context signed in as `token`'s user (the session cookie the API sets at sign-in). */
export async function contextFor(
  browser: Browser,
  stack: Stack,
  opts: {
    token?: string | null;
    /** The browser's language; also chosen in the app (its cookie) unless `chooseLocale` is false. */
    locale?: 'en' | 'he' | 'ar' | 'ru';
    chooseLocale?: boolean;
    viewport?: { width: number; height: number };
    serviceWorkers?: 'allow' | 'block';
  } = {},
): Promise<BrowserContext> {
  const locale = opts.locale ?? 'en';
  const context = await browser.newContext({
    viewport: opts.viewport ?? DESKTOP,
    locale,
    timezoneId: 'Asia/Jerusalem',
    // The service worker gets its own test; elsewhere it would only add caching between runs.
    serviceWorkers: opts.serviceWorkers ?? 'block',
    isMobile: (opts.viewport?.width ?? DESKTOP.width) < 500,
    hasTouch: (opts.viewport?.width ?? DESKTOP.width) < 500,
  });
  const cookies = opts.chooseLocale === false ? [] : [{ name: 'ma_locale', value: locale, url: stack.url }];
  if (opts.token) cookies.push({ name: 'ma_session', value: opts.token, url: stack.url });
  await context.addCookies(cookies);
  return context;
}

export type BrowserSuite = {
  readonly stack: Stack;
  readonly browser: Browser;
  /** A fresh browser context (see contextFor), closed with the suite. */
  context(opts?: Parameters<typeof contextFor>[2]): Promise<BrowserContext>;
  /** A page in a fresh context, at `path` when given. */
  page(path?: string, opts?: Parameters<typeof contextFor>[2]): Promise<Page>;
};

/**
 * One stack and one Chromium for a test file: started before its tests (hooks registered after this
 * call run once they are up), stopped after them, with every context opened through the suite closed.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(env), launchChromium()]);
  }, 600_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The browser suite is not started: use it inside a test or a hook.');
    return value;
  };
  const suite: BrowserSuite = {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    async context(opts = {}) {
      const context = await contextFor(suite.browser, suite.stack, opts);
      contexts.push(context);
      return context;
    },
    async page(path, opts = {}) {
      const page = await (await suite.context(opts)).newPage();
      if (path !== undefined) await page.goto(suite.stack.url + path);
      return page;
    },
  };
  return suite;
}

/** Signs in through the API and returns the session token. */
export async function signIn(stack: Stack, email: string, password = PASSWORD): Promise<string> {
  const api = stack.api();
  await api.signIn(email, password);
  return api.token!;
}

/** A new volunteer, member of `communityId`, with English as their language. */
export async function newVolunteer(stack: Stack, name: string, communityId: string): Promise<{ token: string; id: string; email: string }> {
  const api = stack.api();
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.org`;
  const d = await api.ok(`mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`, {
    input: { email, name, password: PASSWORD, locale: 'en' },
  });
  api.token = d.signUp.token;
  await api.ok(`mutation($c: ID!) { joinCommunity(communityId: $c) { role } }`, { c: communityId });
  return { token: d.signUp.token, id: d.signUp.user.id, email };
}

export async function communityId(stack: Stack, slug: string): Promise<{ id: string; centerLat: number; centerLng: number; name: string }> {
  const d = await stack.api().ok(`{ communities { id slug name centerLat centerLng } }`);
  const c = d.communities.find((x: { slug: string }) => x.slug === slug);
  if (!c) throw new Error(`No community ${slug}`);
  return c;
}

export type NewNeed = { title: string; category?: string; urgency?: string; slots?: number; lat: number; lng: number; description?: string };

export async function createNeed(stack: Stack, token: string, community: string, need: NewNeed): Promise<{ id: string; title: string }> {
  const d = await stack.api(token).ok(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id title } } }`, {
    input: {
      communityId: community,
      title: need.title,
      description: need.description ?? 'Created by an end-to-end test.',
      category: need.category ?? 'FOOD',
      urgency: need.urgency ?? 'CRITICAL',
      slots: need.slots ?? 1,
      lat: need.lat,
      lng: need.lng,
      address: '1 Test Street',
      requesterName: 'Test Requester',
      // Each its own caller: one shared number would make every need a likely duplicate of the others.
      requesterPhone: `+972 50 ${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`,
    },
  });
  return d.createNeed.need;
}

/** Serious and critical accessibility violations (WCAG 2.1 A/AA) on the page as it is now. */
/**
 * WCAG A/AA violations of serious or critical impact, and every landmark that shares its name with
 * another (axe's best-practice landmark-unique, moderate: screen-reader users jump between
 * landmarks by name, and ten regions all called "Milestones" cannot be told apart).
 */
export async function seriousViolations(page: Page, exclude: string[] = []) {
  const run = async (configure: (b: AxeBuilder) => AxeBuilder) => {
    let builder = configure(new AxeBuilder({ page }));
    for (const selector of exclude) builder = builder.exclude(selector);
    return (await builder.analyze()).violations;
  };
  const wcag = (await run((b) => b.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']))).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const landmarks = await run((b) => b.withRules(['landmark-unique']));
  return [...wcag, ...landmarks].map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: opts.fullPage ?? false, animations: 'disabled' });
}

/** Waits until the board's map has drawn its needs (the clustered source is loaded). */
export async function waitForMap(page: Page, selector = '[data-testid="board-map"]') {
  await page.waitForSelector(`${selector}[data-ready="true"]`, { timeout: 60_000 });
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel) as (HTMLElement & { maplibre?: { loaded(): boolean; isSourceLoaded(id: string): boolean } }) | null;
      return !!el?.maplibre && el.maplibre.isSourceLoaded('needs') && el.maplibre.loaded();
    },
    selector,
    { timeout: 60_000 },
  );
}

/** Waits until the map has drawn all it has: no tile, fade or camera move left (MapLibre's `idle`), e.g. before a screenshot. */
export async function waitForMapIdle(page: Page, selector = '[data-testid="board-map"]') {
  await waitForMap(page, selector);
  await page.evaluate(
    (sel) =>
      new Promise<void>((resolve) => {
        const map = (document.querySelector(sel) as unknown as { maplibre: { once(event: 'idle', fn: () => void): void; triggerRepaint(): void } }).maplibre;
        // A repaint ends in `idle` once nothing is left to draw, also when the map is idle already.
        map.once('idle', () => resolve());
        map.triggerRepaint();
      }),
    selector,
  );
}

/** No element wider than the viewport: nothing to scroll sideways on a phone. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
