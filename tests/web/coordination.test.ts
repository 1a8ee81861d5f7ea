// Coordination screens end to end, in Chromium against the real stack: the live duplicate queue (merge
// keeps both histories and redirects; a dismissed pair stays dismissed), text messages (live) confirmed into needs,
// and matching (ranked volunteers with their reasons, ask and assign; suggestions on My tasks).
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PHONE,
  communityId,
  horizontalOverflow,
  newVolunteer,
  screenshot,
  seriousViolations,
  signIn,
  browserSuite,
  type Stack,
} from '../helpers/stack.ts';
import { smsSignature } from '../../api/src/domain/intake.ts';

const SMS_TOKEN = 'test-sms-auth-token';
const HOTLINE = '+972-8-555-0170';

let stack: Stack;
const suite = browserSuite({ SMS_AUTH_TOKEN: SMS_TOKEN });
let sderot: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;
let coordinatorId: string;

const open = (token: string | null, path: string, opts: Parameters<typeof suite.page>[1] = {}) => suite.page(path, { ...opts, token });

type NeedInput = { title: string; description?: string; category: string; urgency?: string; lat: number; lng: number; phone: string; slots?: number };

/** A need through the API, with its own requester phone (which is what duplicate detection keys on). */
async function createNeed(community: string, n: NeedInput): Promise<{ id: string; title: string }> {
  const d = await stack.api(coordinatorToken).ok(`mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id title } } }`, {
    input: {
      communityId: community,
      title: n.title,
      description: n.description ?? '',
      category: n.category,
      urgency: n.urgency ?? 'HIGH',
      slots: n.slots ?? 1,
      lat: n.lat,
      lng: n.lng,
      address: '12 Herzl St, Sderot',
      requesterName: 'Miriam Cohen',
      requesterPhone: n.phone,
    },
  });
  return d.createNeed.need;
}

const openPairs = async () =>
  (await stack.api(coordinatorToken).ok(`{ duplicateCandidates { id need { id } otherNeed { id } } }`)).duplicateCandidates as { id: string; need: { id: string }; otherNeed: { id: string } }[];

/** Metres north of the Sderot centre, as degrees of latitude. */
const north = (m: number) => m / 111_320;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
  coordinatorId = (await stack.api(coordinatorToken).ok(`{ me { id } }`)).me.id;
}, 300_000);

describe('duplicate queue', () => {
  let queue: Page;

  test('a new duplicate appears live; merging keeps one need with both histories, and the other leads to it', async () => {
    queue = await open(coordinatorToken, '/duplicates');
    await queue.locator('[data-testid="duplicates-live"][data-live="true"]').waitFor();

    const a = await createNeed(sderot.id, {
      title: 'Groceries for elderly couple on Herzl',
      description: 'They cannot leave home',
      category: 'FOOD',
      lat: sderot.centerLat + north(300),
      lng: sderot.centerLng,
      phone: '050-111-2222',
    });
    // The same couple, retyped by another hotline operator 40 m away, with the number written differently.
    const volunteer = await newVolunteer(stack, 'Yael Shani', sderot.id);
    const b = await createNeed(sderot.id, {
      title: 'Grocery delivery for an elderly couple, Herzl St',
      description: 'cannot leave the house',
      category: 'FOOD',
      lat: sderot.centerLat + north(340),
      lng: sderot.centerLng,
      phone: '+972 50 111 2222',
    });
    await stack.api(volunteer.token).ok(`mutation($id: ID!) { claimNeed(needId: $id) { claim { id } } }`, { id: b.id });

    // Live: the pair arrives without a reload.
    const pair = queue.locator(`[data-testid="duplicate-pair"][data-need-id="${b.id}"][data-other-need-id="${a.id}"]`);
    await pair.waitFor({ timeout: 10_000 });
    const reasons = await pair.locator('[data-testid="duplicate-reasons"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')));
    expect(reasons).toEqual(expect.arrayContaining(['SAME_PHONE', 'SAME_CATEGORY', 'NEARBY', 'TIME_APART']));
    await expect(pair.locator('[data-reason="SAME_PHONE"]').textContent()).resolves.toBe('Same phone number');
    expect(await pair.getByRole('heading', { level: 2 }).textContent()).toMatch(/\d+% likely the same/);
    // Both needs side by side, the older kept unless chosen otherwise.
    await expect(pair.locator(`[data-testid="duplicate-side"][data-need-id="${a.id}"]`).textContent()).resolves.toContain('Groceries for elderly couple on Herzl');
    await expect(pair.locator(`[data-testid="duplicate-side"][data-need-id="${b.id}"]`).textContent()).resolves.toContain('Grocery delivery for an elderly couple');
    expect(await pair.locator(`[data-testid="duplicate-side"][data-need-id="${a.id}"] [data-testid="keep-radio"]`).isChecked()).toBe(true);

    expect(await seriousViolations(queue)).toEqual([]);
    await screenshot(queue, 'duplicates-desktop', { fullPage: true });

    // Keep the older one (chosen explicitly), merge.
    const candidateId = await pair.getAttribute('data-candidate-id');
    await pair.locator(`[data-testid="duplicate-side"][data-need-id="${a.id}"]`).getByLabel('Keep this one').check();
    await pair.getByTestId('merge-button').click();
    await pair.waitFor({ state: 'detached' });
    await expect(queue.getByTestId('duplicate-notice').textContent()).resolves.toContain('now leads to');
    expect((await openPairs()).map((p) => p.id)).not.toContain(candidateId);

    // Through the API: the duplicate leads to the survivor, which holds both histories and the moved claim.
    const api = stack.api(coordinatorToken);
    const redirected = await api.ok(`query($id: ID!) { need(id: $id) { id } node(id: $id) { ... on Need { status mergedInto { id } } } }`, { id: b.id });
    expect(redirected.need.id).toBe(a.id);
    expect(redirected.node).toMatchObject({ status: 'CANCELLED', mergedInto: { id: a.id } });
    const survivor = (
      await api.ok(`query($id: ID!) { need(id: $id) { status slots claims { status volunteer { id } } events(first: 100) { edges { node { type needId } } } } }`, { id: a.id })
    ).need;
    const history = survivor.events.edges.map((e: { node: { type: string; needId: string } }) => e.node);
    expect(history.filter((e: { needId: string }) => e.needId === b.id).map((e: { type: string }) => e.type)).toEqual(['CREATED', 'CLAIMED', 'MERGED']);
    expect(history.filter((e: { needId: string }) => e.needId === a.id).map((e: { type: string }) => e.type)).toEqual(['CREATED', 'MERGED']);
    expect(survivor.claims.filter((c: { status: string }) => c.status === 'ACTIVE').map((c: { volunteer: { id: string } }) => c.volunteer.id)).toEqual([volunteer.id]);

    // In the browser: the merged need's page goes to the survivor, and its history shows both.
    const merged = await open(coordinatorToken, `/needs/${encodeURIComponent(b.id)}`);
    await merged.waitForURL((url) => url.pathname === `/needs/${encodeURIComponent(a.id)}` && url.searchParams.get('merged') === b.id);
    await merged.getByTestId('merged-notice').waitFor();
    await expect(merged.getByTestId('need-title').textContent()).resolves.toBe(a.title);
    await merged.getByTestId('need-history').waitFor();
    await expect(merged.locator('[data-testid="need-history"] > li').count()).resolves.toBe(history.length);
    const shown = await merged.getByTestId('need-history').textContent();
    expect(shown?.match(/Merged with a duplicate/g)).toHaveLength(2);
    expect(shown?.match(/Created/g)).toHaveLength(2);
    expect(shown).toContain('Claimed by a volunteer');
  });

  test('a dismissed pair leaves the queue and does not come back; the queue works on a phone', async () => {
    const c = await createNeed(sderot.id, { title: 'Shabbat food package', category: 'FOOD', lat: sderot.centerLat - north(800), lng: sderot.centerLng, phone: '050-333-4444' });
    const d = await createNeed(sderot.id, { title: 'Shabbat food package', category: 'FOOD', lat: sderot.centerLat - north(800), lng: sderot.centerLng, phone: '050-333-4444' });
    await queue.locator(`[data-testid="duplicate-pair"][data-need-id="${d.id}"][data-other-need-id="${c.id}"]`).waitFor({ timeout: 10_000 });

    const phone = await open(coordinatorToken, '/duplicates', { viewport: PHONE });
    const pair = phone.locator(`[data-testid="duplicate-pair"][data-need-id="${d.id}"][data-other-need-id="${c.id}"]`);
    await pair.waitFor();
    await phone.locator('[data-testid="duplicates-live"][data-live="true"]').waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'duplicates-phone', { fullPage: true });

    const candidateId = await pair.getAttribute('data-candidate-id');
    await pair.getByTestId('dismiss-button').click();
    await pair.waitFor({ state: 'detached' });
    await expect(phone.getByTestId('duplicate-notice').textContent()).resolves.toContain('Marked as different needs');
    // The other screen, live, drops it too once anything in the community changes.
    await stack.api(coordinatorToken).ok(`mutation($id: ID!) { updateNeed(id: $id, input: { urgency: CRITICAL }) { need { id } } }`, { id: c.id });
    await queue.locator(`[data-candidate-id="${candidateId}"]`).waitFor({ state: 'detached', timeout: 10_000 });

    // Remembered: not in the API's queue, not after another change or a reload.
    expect((await openPairs()).map((p) => p.id)).not.toContain(candidateId);
    await createNeed(sderot.id, { title: 'Ride to the clinic', category: 'TRANSPORT', lat: sderot.centerLat - north(800), lng: sderot.centerLng, phone: '050-777-8888' });
    await phone.reload();
    await phone.locator('[data-testid="duplicates-live"][data-live="true"]').waitFor();
    // A new pair after the reload: the list that brings it is the whole queue as it is now, and the dismissed pair is not in it.
    const blankets = { title: 'Blankets for the shelter', category: 'OTHER', lat: sderot.centerLat - north(2_500), lng: sderot.centerLng, phone: '050-555-6666' };
    const e = await createNeed(sderot.id, blankets);
    const f = await createNeed(sderot.id, blankets);
    await phone.locator(`[data-testid="duplicate-pair"][data-need-id="${f.id}"][data-other-need-id="${e.id}"]`).waitFor({ timeout: 10_000 });
    expect(await phone.locator(`[data-candidate-id="${candidateId}"]`).count()).toBe(0);
    const row = await stack.api(coordinatorToken).ok(`query($id: ID!) { node(id: $id) { ... on DuplicateCandidate { status } } }`, { id: candidateId });
    expect(row.node.status).toBe('DISMISSED');
    expect((await openPairs()).map((p) => p.id)).not.toContain(candidateId);
  });
});

describe('text messages', () => {
  let hotline: string;
  const post = (params: Record<string, string>) =>
    fetch(`${stack.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': smsSignature(SMS_TOKEN, `${stack.url}/sms/inbound`, params) },
      body: new URLSearchParams(params),
    });

  beforeAll(async () => {
    // A community whose hotline number receives texts, coordinated by the Sderot coordinator too.
    const admin = stack.api(await signIn(stack, 'admin@example.org'));
    hotline = (
      await admin.ok(`mutation($i: CreateCommunityInput!) { createCommunity(input: $i) { id } }`, {
        i: { slug: `netivot-hotline-${Date.now()}`, name: 'Netivot hotline', kind: 'TOWN', area: 'Netivot', centerLat: 31.4206, centerLng: 34.5883, smsNumber: HOTLINE },
      })
    ).createCommunity.id;
    await admin.ok(`mutation($c: ID!, $u: ID!) { setMembershipRole(communityId: $c, userId: $u, role: COORDINATOR) { role } }`, { c: hotline, u: coordinatorId });
  });

  test('one draft per text however often it arrives; confirming it makes the need and the draft leaves the list', async () => {
    const text = { From: '+972501112233', To: HOTLINE, Body: 'My mother in Netivot needs insulin, she cannot leave home. Herzl 5' };
    const results = await Promise.all([
      post({ ...text, MessageSid: 'SMweb1' }),
      post({ ...text, MessageSid: 'SMweb1' }), // the provider retrying
      post({ ...text, MessageSid: 'SMweb2' }), // the sender sending again
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);

    const page = await open(coordinatorToken, '/sms');
    const drafts = page.locator(`[data-testid="sms-draft"][data-from="${text.From}"]`);
    await drafts.first().waitFor();
    expect(await drafts.count()).toBe(1);
    const draft = drafts.first();
    const draftId = await draft.getAttribute('data-draft-id');
    await expect(draft.getByTestId('sms-body').textContent()).resolves.toBe(text.Body);
    await expect(draft.textContent()).resolves.toContain('Netivot hotline');
    await expect(draft.getByTestId('sms-repeats').textContent()).resolves.toContain('Arrived 1 more time');
    await draft.locator('time').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The form comes pre-filled from the text: title, kind of help, community, a pin on its map.
    await draft.getByTestId('sms-confirm').click();
    const form = draft.getByTestId('sms-confirm-form');
    await form.waitFor();
    expect(await form.getByLabel('Title *').inputValue()).toBe('My mother in Netivot needs insulin');
    expect(await form.getByLabel('Category *').inputValue()).toBe('MEDICINE');
    expect(await form.getByLabel('Community *').inputValue()).toBe(hotline);
    expect(Number(await form.getByLabel('Latitude').inputValue())).toBeCloseTo(31.4206, 3);
    expect(await form.getByLabel('Requester phone').inputValue()).toBe(text.From);
    await form.getByRole('radio', { name: 'High' }).check();
    await form.getByLabel('Address *').fill('Herzl 5, Netivot');
    await form.getByLabel('Requester name *').fill('Rivka Azulay');
    await form.getByTestId('consent-yes').check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sms-confirm-desktop', { fullPage: true });
    await form.getByTestId('sms-confirm-submit').click();

    await draft.waitFor({ state: 'detached' });
    const notice = page.getByTestId('sms-notice');
    await expect(notice.textContent()).resolves.toContain('Need created from the message');
    const href = await notice.getByRole('link').getAttribute('href');
    const needId = decodeURIComponent(href!.replace('/needs/', ''));

    const api = stack.api(coordinatorToken);
    const need = (await api.ok(`query($id: ID!) { need(id: $id) { title category urgency status community { id } privateDetails { address requesterName requesterPhone } } }`, { id: needId })).need;
    expect(need).toMatchObject({
      title: 'My mother in Netivot needs insulin',
      category: 'MEDICINE',
      urgency: 'HIGH',
      status: 'OPEN',
      community: { id: hotline },
      privateDetails: { address: 'Herzl 5, Netivot', requesterName: 'Rivka Azulay', requesterPhone: text.From },
    });
    const pending = (await api.ok(`{ intakeDrafts { id fromNumber } }`)).intakeDrafts as { id: string; fromNumber: string }[];
    expect(pending.map((d) => d.id)).not.toContain(draftId);
    expect(pending.filter((d) => d.fromNumber === text.From)).toHaveLength(0);
  });

  test('a text arrives live while the page is open; one that is not a request is rejected and leaves the list; the list works on a phone', async () => {
    const page = await open(coordinatorToken, '/sms', { viewport: PHONE });
    await page.getByRole('heading', { name: 'Text messages' }).waitFor();
    // The first list is in; the text comes after it, and shows without a reload well before a 5 s poll would have looked again.
    await page.getByTestId('sms-count').waitFor();
    const text = { From: '+972529998877', To: HOTLINE, Body: 'Thank you all for the food last week! שבוע טוב' };
    expect((await post({ ...text, MessageSid: 'SMweb3' })).status).toBe(200);
    const draft = page.locator(`[data-testid="sms-draft"][data-from="${text.From}"]`);
    await draft.waitFor({ timeout: 3_000 });
    // Sent again: the same draft counts the repeat, live too.
    expect((await post({ ...text, MessageSid: 'SMweb4' })).status).toBe(200);
    await expect.poll(() => draft.getAttribute('data-repeats'), { timeout: 3_000 }).toBe('1');
    expect(await draft.count()).toBe(1);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sms-phone', { fullPage: true });

    const draftId = await draft.getAttribute('data-draft-id');
    await draft.getByTestId('sms-reject').click();
    await draft.getByLabel('Why (optional, kept on record)').fill('A thank-you, not a request.');
    await draft.getByTestId('sms-reject-confirm').click();
    await draft.waitFor({ state: 'detached' });
    await expect(page.getByTestId('sms-notice').textContent()).resolves.toContain('rejected');
    const row = await stack.api(coordinatorToken).ok(`query($id: ID!) { node(id: $id) { ... on IntakeDraft { status rejectReason } } }`, { id: draftId });
    expect(row.node).toEqual({ status: 'REJECTED', rejectReason: 'A thank-you, not a request.' });
    await page.reload();
    await page.getByRole('heading', { name: 'Text messages' }).waitFor();
    await page.getByTestId('sms-count').waitFor();
    // A text after the reload: the list that brings it is the whole list as it is now, and the rejected draft is not in it.
    const later = { From: '+972521230000', To: HOTLINE, Body: 'Please bring water to Herzl 9, Netivot' };
    expect((await post({ ...later, MessageSid: 'SMweb5' })).status).toBe(200);
    await page.locator(`[data-testid="sms-draft"][data-from="${later.From}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator(`[data-draft-id="${draftId}"]`).count()).toBe(0);
  });
});

describe('matching', () => {
  let volunteer: Awaited<ReturnType<typeof newVolunteer>>;
  let need: { id: string; title: string };
  // A kilometre north of the centre, where the seeded volunteers live: the new volunteer lives at the need.
  const here = () => ({ lat: sderot.centerLat + north(1_000), lng: sderot.centerLng });

  beforeAll(async () => {
    volunteer = await newVolunteer(stack, 'Tamar Ben David', sderot.id);
    await stack.api(volunteer.token).ok(`mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`, {
      input: { skills: ['MEDICINE', 'TRANSPORT'], homeArea: 'Sderot', homeLat: here().lat, homeLng: here().lng },
    });
    need = await createNeed(sderot.id, { title: 'Pick up prescription from the pharmacy', category: 'MEDICINE', urgency: 'HIGH', ...here(), phone: '050-444-1212' });
  });

  test('a coordinator sees volunteers ranked with their reasons, asks one and assigns them', async () => {
    const page = await open(coordinatorToken, `/needs/${encodeURIComponent(need.id)}`);
    const panel = page.getByTestId('match-panel');
    await panel.waitFor();
    const first = panel.locator('[data-testid="volunteer-match"]').first();
    await first.waitFor();
    expect(await first.getAttribute('data-volunteer-id')).toBe(volunteer.id);
    await expect(first.getByRole('heading').textContent()).resolves.toBe('Tamar Ben David');
    const codes = await first.locator('[data-testid="match-reasons"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual(expect.arrayContaining(['SKILL', 'DISTANCE', 'AVAILABLE', 'LOAD']));
    await expect(first.locator('[data-code="SKILL"]').textContent()).resolves.toContain('Skill: Medicine');
    await expect(first.locator('[data-code="DISTANCE"]').textContent()).resolves.toContain('about 0.5 km from home (Sderot)'); // public point, 0.5 km steps
    await expect(first.locator('[data-code="LOAD"]').textContent()).resolves.toContain('0 active tasks');
    // Ranked best first.
    const scores = await panel.locator('[data-testid="volunteer-match"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score'))));
    expect(scores.length).toBeGreaterThan(1);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'need-matches-desktop', { fullPage: true });

    // One click to ask: the volunteer is notified.
    await first.getByTestId('ask-button').click();
    await panel.getByTestId('match-notice').filter({ hasText: 'Tamar Ben David was asked to help.' }).waitFor();
    await expect(first.getByTestId('ask-button').textContent()).resolves.toContain('Asked');
    const notifications = (await stack.api(volunteer.token).ok(`{ myNotifications { kind needId } }`)).myNotifications;
    expect(notifications).toContainEqual({ kind: 'ASKED_TO_HELP', needId: need.id });

    // One click to assign: the need shows the claim.
    await first.getByTestId('assign-button').click();
    await panel.getByTestId('match-notice').filter({ hasText: 'Assigned to Tamar Ben David.' }).waitFor();
    await page.locator('[data-testid="need-page"][data-status="CLAIMED"]').waitFor();
    await panel.locator(`[data-testid="need-volunteers"] [data-volunteer-id="${volunteer.id}"]`).waitFor();
    await panel.getByTestId('match-full').waitFor();
    await page.getByTestId('need-history').filter({ hasText: 'Assigned to a volunteer' }).waitFor();
    const after = (await stack.api(coordinatorToken).ok(`query($id: ID!) { need(id: $id) { status openSlots claims { status volunteer { id } } } }`, { id: need.id })).need;
    expect(after).toMatchObject({ status: 'CLAIMED', openSlots: 0 });
    expect(after.claims).toContainEqual({ status: 'ACTIVE', volunteer: { id: volunteer.id } });
  });

  test('only coordinators of the need’s community see the panel; it fits a phone', async () => {
    const other = await createNeed(sderot.id, { title: 'Drive to the clinic on Sunday', category: 'TRANSPORT', urgency: 'NORMAL', ...here(), phone: '050-444-3434' });
    const phone = await open(coordinatorToken, `/needs/${encodeURIComponent(other.id)}`, { viewport: PHONE });
    await phone.locator('[data-testid="volunteer-match"]').first().waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'need-matches-phone', { fullPage: true });

    const asVolunteer = await open(volunteer.token, `/needs/${encodeURIComponent(other.id)}`);
    await asVolunteer.getByTestId('claim-button').waitFor();
    expect(await asVolunteer.getByTestId('match-panel').count()).toBe(0);
    const beeri = await signIn(stack, 'coordinator.beeri@example.org');
    const elsewhere = await open(beeri, `/needs/${encodeURIComponent(other.id)}`);
    await elsewhere.getByTestId('need-page').waitFor();
    expect(await elsewhere.getByTestId('match-panel').count()).toBe(0);
  });

  test('a volunteer with matching skills sees the need suggested on My tasks', async () => {
    const suggested = await createNeed(sderot.id, { title: 'Insulin from the pharmacy for a neighbour', category: 'MEDICINE', urgency: 'CRITICAL', ...here(), phone: '050-444-5656' });
    const tasks = await open(volunteer.token, '/tasks');
    const section = tasks.getByTestId('suggested-needs');
    await section.getByRole('heading', { name: 'Suggested for you' }).waitFor();
    const first = section.locator('[data-testid="suggested-need"]').first();
    await first.waitFor();
    expect(await first.getAttribute('data-need-id')).toBe(suggested.id);
    await expect(first.textContent()).resolves.toContain('Insulin from the pharmacy for a neighbour');
    await expect(first.locator('[data-code="SKILL"]').textContent()).resolves.toContain('Your skill: Medicine');
    await expect(first.locator('[data-code="DISTANCE"]').textContent()).resolves.toMatch(/about \d+\.[05] km from your home/);
    // The assigned task is listed as a task, not suggested.
    await tasks.locator(`[data-testid="task"][data-need-id="${need.id}"]`).waitFor();
    expect(await section.locator(`[data-need-id="${need.id}"]`).count()).toBe(0);
    expect(await seriousViolations(tasks)).toEqual([]);

    const phone = await open(volunteer.token, '/tasks', { viewport: PHONE });
    await phone.locator('[data-testid="suggested-need"]').first().waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'tasks-suggested-phone', { fullPage: true });
  });
});
