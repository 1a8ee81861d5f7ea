// Coordination workflows end to end, in Chromium against the real stack: a volunteer asks to take over a
// need someone else holds and the holder accepts (or declines) from their own browser; a coordinator
// creates a weekly series of shifts at intake and volunteers take different shifts, each filling on its
// own; a critical need rings the bell of a volunteer of that town, live, and preferences are kept.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PHONE,
  communityId,
  createNeed,
  horizontalOverflow,
  newVolunteer,
  screenshot,
  seriousViolations,
  signIn,
  browserSuite,
  type Stack,
} from '../helpers/stack.ts';
import { vet } from '../helpers/vetting.ts';

let stack: Stack;
const suite = browserSuite();
let sderot: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;

const open = (token: string | null, path: string, opts: Parameters<typeof suite.page>[1] = {}) => suite.page(path, { ...opts, token });

const needPath = (id: string) => `/needs/${encodeURIComponent(id)}`;
const MY_CLAIMS = `{ myClaims(live: true) { id status need { id } } }`;
const heldNeeds = async (token: string) => ((await stack.api(token).ok(MY_CLAIMS)).myClaims as { need: { id: string } }[]).map((c) => c.need.id);
const historyTypes = async (needId: string) =>
  ((await stack.api(coordinatorToken).ok(`query($id: ID!) { need(id: $id) { events(first: 50) { edges { node { type } } } } }`, { id: needId })).need.events.edges as { node: { type: string } }[]).map(
    (e) => e.node.type,
  );

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);

describe('handover', () => {
  let holder: { token: string; id: string };
  let taker: { token: string; id: string };

  beforeAll(async () => {
    [holder, taker] = await Promise.all([newVolunteer(stack, 'Avi Holder', sderot.id), newVolunteer(stack, 'Bina Taker', sderot.id)]);
  });

  async function claimedByHolder(title: string) {
    const need = await createNeed(stack, coordinatorToken, sderot.id, { title, category: 'TRANSPORT', urgency: 'HIGH', lat: sderot.centerLat, lng: sderot.centerLng });
    await stack.api(holder.token).ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: need.id });
    return need;
  }

  /** The taker asks on the need page, with a note; the page then shows when it passes automatically. */
  async function askToTakeOver(needId: string): Promise<Page> {
    const page = await open(taker.token, needPath(needId));
    await page.getByTestId('handover-request-button').waitFor();
    await page.getByLabel('Note for the volunteer holding it (optional)').fill('I am driving that way anyway.');
    await page.getByTestId('handover-request-button').click();
    const waiting = page.locator(`[data-testid="handover-waiting"][data-need-id="${needId}"]`);
    await waiting.waitFor();
    const respondBy = Date.parse((await waiting.getByTestId('handover-deadline').getAttribute('data-respond-by'))!);
    // The configured time: an hour from now.
    expect(respondBy - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(respondBy - Date.now()).toBeLessThan(65 * 60_000);
    expect(await waiting.textContent()).toContain('passes to you automatically');
    expect(await page.getByTestId('handover-request-button').count()).toBe(0);
    return page;
  }

  test('the holder sees the request live on My tasks and accepts; the taker then holds the claim', async () => {
    const need = await claimedByHolder('Drive a patient to Barzilai hospital');
    const tasks = await open(holder.token, '/tasks');
    await tasks.locator(`[data-testid="task"][data-need-id="${need.id}"]`).waitFor();
    // Subscribed before the request is made: what follows arrives without a reload.
    await tasks.waitForFunction(() => !!document.querySelector('[data-testid="notification-bell"][data-live="true"]'));
    expect(await tasks.getByTestId('handover-request').count()).toBe(0);

    const takerPage = await askToTakeOver(need.id);

    const request = tasks.locator(`[data-testid="handover-request"][data-need-id="${need.id}"]`);
    await request.waitFor({ timeout: 10_000 });
    expect(await request.textContent()).toContain('Bina Taker asks to take over');
    expect(await request.textContent()).toContain('I am driving that way anyway.');
    expect(await request.getByTestId('handover-deadline').textContent()).toContain('without an answer it is handed over then');
    expect(await seriousViolations(tasks)).toEqual([]);
    await screenshot(tasks, 'handover-tasks-desktop', { fullPage: true });

    await request.getByTestId('handover-accept').click();
    await expect(tasks.getByTestId('handover-notice').textContent()).resolves.toContain('Handed over');
    // The task leaves the holder's list.
    await tasks.waitForFunction((id) => !document.querySelector(`[data-testid="task"][data-need-id="${id}"]`), need.id);

    expect(await heldNeeds(taker.token)).toContain(need.id);
    expect(await heldNeeds(holder.token)).not.toContain(need.id);
    expect(await historyTypes(need.id)).toEqual(['CREATED', 'CLAIMED', 'HANDOVER_REQUESTED', 'HANDOVER_ACCEPTED']);

    // The taker's page follows live: the claim is theirs and the history lists the handover.
    await takerPage.locator('[data-testid="my-claim"][data-status="ACTIVE"]').waitFor();
    await takerPage.waitForFunction(() => document.querySelector('[data-testid="need-history"]')?.textContent?.includes('Handover accepted'));
    const history = await takerPage.getByTestId('need-history').textContent();
    for (const step of ['Created', 'Claimed by a volunteer', 'Handover requested', 'Handover accepted']) expect(history).toContain(step);
    expect(await takerPage.getByTestId('handover-waiting').count()).toBe(0);
  });

  test('declined on the need page: the holder keeps the claim, and the history says so', async () => {
    const need = await claimedByHolder('Collect a wheelchair from Yad Sarah');
    const takerPage = await askToTakeOver(need.id);

    // The holder opens the need later (a reload, not live): the request waits there with its deadline.
    const holderPage = await open(holder.token, needPath(need.id));
    const request = holderPage.locator(`[data-testid="handover-request"][data-need-id="${need.id}"]`);
    await request.waitFor();
    expect(await request.textContent()).toContain('Bina Taker asks to take over this task.');
    await holderPage.locator('[data-testid="my-claim"][data-status="ACTIVE"]').waitFor();
    expect(await seriousViolations(holderPage)).toEqual([]);
    await screenshot(holderPage, 'handover-need-desktop', { fullPage: true });

    await request.getByTestId('handover-decline').click();
    await holderPage.waitForFunction(() => document.querySelector('[data-testid="need-history"]')?.textContent?.includes('Handover declined'));
    expect(await holderPage.locator('[data-testid="my-claim"][data-status="ACTIVE"]').count()).toBe(1);

    expect(await heldNeeds(holder.token)).toContain(need.id);
    expect(await heldNeeds(taker.token)).not.toContain(need.id);
    expect(await historyTypes(need.id)).toEqual(['CREATED', 'CLAIMED', 'HANDOVER_REQUESTED', 'HANDOVER_DECLINED']);

    // The taker is no longer waiting, and may ask again.
    await takerPage.waitForFunction(() => document.querySelector('[data-testid="need-history"]')?.textContent?.includes('Handover declined'));
    await takerPage.getByTestId('handover-request-button').waitFor();
    expect(await takerPage.getByTestId('handover-waiting').count()).toBe(0);

    const phone = await open(holder.token, needPath(need.id), { viewport: PHONE });
    await phone.locator('[data-testid="my-claim"][data-status="ACTIVE"]').waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
  });
});

describe('recurring shifts', () => {
  const title = 'Evening babysitting for a reservist family';
  let shifts: { id: string; occurrenceAt: string; slots: number; openSlots: number; status: string; onBoard: boolean }[];

  const series = async (id: string) =>
    (await stack.api(coordinatorToken).ok(`query($id: ID!) { need(id: $id) { seriesOccurrences { id occurrenceAt slots openSlots status onBoard } } }`, { id })).need.seriesOccurrences as typeof shifts;

  test('a coordinator creates a weekly series of shifts at intake', async () => {
    const page = await open(coordinatorToken, '/intake');
    await page.getByTestId('intake-form').waitFor();
    await page.waitForSelector('[data-testid="pin-map"][data-ready="true"]');
    await page.locator('#title').fill(title);
    await page.locator('#category').selectOption('CHILDCARE');
    await page.locator('#address').fill('3 Herzl St, Sderot');
    await page.locator('#requesterName').fill('Tamar Levi');
    await page.getByTestId('consent-yes').check();
    await page.getByTestId('pin-map').click();
    await expect.poll(() => page.locator('#pin-lat').inputValue()).not.toBe('');

    await page.getByLabel('How often').selectOption('WEEKLY');
    // A series sets places and times per shift: the single need's fields step aside and say why.
    await page.getByTestId('per-shift-hint').waitFor();
    for (const id of ['slots', 'neededFrom', 'neededBy']) expect(await page.locator(`#${id}`).isDisabled(), id).toBe(true);
    // Asked for before sending: when the first shift starts.
    await page.getByTestId('intake-submit').click();
    await expect(page.locator('#repeat-startsAt-error').textContent()).resolves.toBe('This field is required.');
    expect(await page.getByTestId('intake-created').count()).toBe(0);

    // Two days from now at 18:00, Israel time (the browser's time zone).
    const day = new Date(Date.now() + 2 * 86_400_000);
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jerusalem', year: 'numeric', month: '2-digit', day: '2-digit' }).format(day);
    await page.getByLabel('First shift starts').fill(`${local}T18:00`);
    await page.getByLabel('Shift length (minutes)').fill('180');
    await page.getByLabel('Volunteers per shift').fill('1');
    await page.getByLabel('Number of shifts').fill('3');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'intake-repeats-desktop', { fullPage: true });
    await page.getByTestId('intake-submit').click();
    const created = page.getByTestId('intake-created');
    await created.waitFor();
    expect(await created.textContent()).toContain(title);

    await created.getByRole('link').click();
    await page.getByTestId('need-page').waitFor();
    const firstId = new URL(page.url()).pathname.split('/').pop()!;
    shifts = await series(decodeURIComponent(firstId));
    expect(shifts).toHaveLength(3);
    expect(shifts.map((s) => s.slots)).toEqual([1, 1, 1]);
    expect(shifts.map((s) => s.onBoard)).toEqual([true, false, false]);
    const starts = shifts.map((s) => Date.parse(s.occurrenceAt));
    expect(starts[1]! - starts[0]!).toBe(7 * 86_400_000);
    expect(starts[2]! - starts[1]!).toBe(7 * 86_400_000);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jerusalem', hour: '2-digit', minute: '2-digit' }).format(starts[0])).toBe('18:00');

    // The need page lists the shifts, each with its places.
    const list = page.locator('[data-testid="shifts"] [data-testid="shift"]');
    await expect.poll(() => list.count()).toBe(3);
    expect(await list.first().getAttribute('data-current')).toBe('true');
    expect(await page.locator('[data-testid="shift"][data-open="1"]').count()).toBe(3);
  });

  test('two volunteers take different shifts; each fills on its own and the board shows the next open one', async () => {
    const [c, d] = await Promise.all([newVolunteer(stack, 'Chen Shift', sderot.id), newVolunteer(stack, 'Dana Shift', sderot.id)]);
    // Babysitting asks for vetting: the coordinator has recorded theirs (identity, background check, child safety).
    for (const v of [c, d]) await vet(stack.api(coordinatorToken), sderot.id, v.id);
    const [first, second, third] = shifts;

    const pageC = await open(c.token, needPath(first!.id));
    await pageC.locator(`[data-testid="shift"][data-need-id="${first!.id}"] [data-testid="shift-claim"]`).click();
    await pageC.locator(`[data-testid="shift"][data-need-id="${first!.id}"] [data-testid="shift-mine"]`).waitFor();

    // D opens the first shift's page and takes the third from its list.
    const pageD = await open(d.token, needPath(first!.id));
    await pageD.locator(`[data-testid="shift"][data-need-id="${first!.id}"][data-open="0"]`).waitFor();
    expect(await pageD.locator(`[data-testid="shift"][data-need-id="${first!.id}"] [data-testid="shift-claim"]`).count()).toBe(0);
    await pageD.locator(`[data-testid="shift"][data-need-id="${third!.id}"] [data-testid="shift-claim"]`).click();
    await pageD.locator(`[data-testid="shift"][data-need-id="${third!.id}"] [data-testid="shift-mine"]`).waitFor();
    await pageD.locator(`[data-testid="shift"][data-need-id="${third!.id}"][data-open="0"]`).waitFor();
    await pageD.locator(`[data-testid="shift"][data-need-id="${second!.id}"][data-open="1"]`).waitFor();
    expect(await seriousViolations(pageD)).toEqual([]);
    await screenshot(pageD, 'shifts-need-desktop', { fullPage: true });

    const now = await series(first!.id);
    expect(now.map((s) => s.openSlots)).toEqual([0, 1, 0]);
    expect(now.map((s) => s.status)).toEqual(['CLAIMED', 'OPEN', 'CLAIMED']);
    expect(now.map((s) => s.onBoard)).toEqual([false, true, false]);
    expect(await heldNeeds(c.token)).toEqual([first!.id]);
    expect(await heldNeeds(d.token)).toEqual([third!.id]);

    // The board lists the series once: its next open shift, with its date.
    const board = await open(d.token, `/?q=${encodeURIComponent('reservist family')}`);
    const card = board.locator(`[data-testid="need-list"] [data-testid="need-card"][data-need-id="${second!.id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('next-shift').textContent()).toContain('next shift');
    for (const other of [first!, third!]) expect(await board.locator(`[data-testid="need-card"][data-need-id="${other.id}"]`).count()).toBe(0);

    const phone = await open(d.token, needPath(second!.id), { viewport: PHONE });
    await phone.getByTestId('shifts').waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    await screenshot(phone, 'shifts-need-phone', { fullPage: true });
  });
});

describe('notifications', () => {
  test('a critical need in Sderot rings the bell live; it links to the need and is marked read', async () => {
    const volunteer = await newVolunteer(stack, 'Eli Notified', sderot.id);
    await stack.api(volunteer.token).ok(`mutation { updateProfile(input: { homeArea: "Sderot" }) { id } }`);
    const page = await open(volunteer.token, '/');
    const bell = page.getByTestId('notification-bell');
    await page.locator('[data-testid="notification-bell"][data-live="true"]').waitFor();
    const before = Number(await bell.getAttribute('data-count'));

    const need = await createNeed(stack, coordinatorToken, sderot.id, {
      title: 'Oxygen concentrator needed tonight',
      category: 'MEDICINE',
      urgency: 'CRITICAL',
      lat: sderot.centerLat,
      lng: sderot.centerLng,
    });
    // The bell has no polling: the count can only change through its subscription (speed is bench:fanout's business).
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-count')) === n, before + 1, { timeout: 15_000 });
    expect(await bell.getAttribute('aria-label')).toBe(`Notifications: ${before + 1} unread`);
    expect(await seriousViolations(page, ['[data-testid="board-map"]'])).toEqual([]);

    await bell.click();
    await page.waitForURL(/\/notifications$/);
    const item = page.locator('[data-testid="notification"][data-kind="NEW_CRITICAL_NEED"]').first();
    await item.waitFor();
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await item.textContent()).toContain('Critical: Oxygen concentrator needed tonight');
    expect(await item.getByTestId('notification-link').getAttribute('href')).toBe(needPath(need.id));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'notifications-desktop', { fullPage: true });

    await item.getByTestId('notification-mark-read').click();
    await page.locator(`[data-testid="notification"][data-id="${await item.getAttribute('data-id')}"][data-read="true"]`).waitFor();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="notification-bell"]')?.getAttribute('data-count')) === n, before);
    const unread = (await stack.api(volunteer.token).ok(`{ myNotifications(unreadOnly: true) { id } }`)).myNotifications;
    expect(unread).toHaveLength(before);

    await page.locator(`[data-testid="notification"][data-read="true"] [data-testid="notification-link"]`).first().click();
    await page.getByTestId('need-page').waitFor();
    expect(await page.getByTestId('need-title').textContent()).toBe('Oxygen concentrator needed tonight');

    const phone = await open(volunteer.token, '/notifications', { viewport: PHONE });
    await phone.getByTestId('notification-list').waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'notifications-phone', { fullPage: true });
  });

  test('notification preferences: channels, muted kinds and quiet hours are saved and shown again', async () => {
    const volunteer = await newVolunteer(stack, 'Fay Preferences', sderot.id);
    const page = await open(volunteer.token, '/profile');
    await page.getByTestId('profile-form').waitFor();
    await page.getByLabel('By email').check();
    await page.getByLabel('A need I followed is done').uncheck();
    await page.getByLabel('My claim is about to expire').uncheck();
    await page.getByLabel('Quiet hours from').selectOption('22');
    await page.getByLabel('Quiet hours until').selectOption('7');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor();

    const me = (await stack.api(volunteer.token).ok(`{ me { notifyEmail notifyInApp mutedKinds quietFromHour quietToHour } }`)).me;
    expect(me).toMatchObject({ notifyEmail: true, notifyInApp: true, quietFromHour: 22, quietToHour: 7 });
    expect([...me.mutedKinds].sort()).toEqual(['CLAIM_EXPIRING', 'NEED_COMPLETED']);

    await page.reload();
    await page.getByTestId('profile-form').waitFor();
    expect(await page.getByLabel('By email').isChecked()).toBe(true);
    expect(await page.getByLabel('In the app').isChecked()).toBe(true);
    expect(await page.getByLabel('A need I followed is done').isChecked()).toBe(false);
    expect(await page.getByLabel('My claim is about to expire').isChecked()).toBe(false);
    expect(await page.getByLabel('New critical needs in my communities').isChecked()).toBe(true);
    expect(await page.getByLabel('Quiet hours from').inputValue()).toBe('22');
    expect(await page.getByLabel('Quiet hours until').inputValue()).toBe('7');
  });
});
