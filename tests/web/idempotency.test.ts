// A claim whose answer is lost on the way back (the server committed it, the connection dropped
// before the response arrived) is kept on the device and re-sent with the same idempotency key:
// the volunteer ends with the claim, not with an "already claimed" conflict, and the claim was
// made once.
import { beforeAll, describe, expect, test } from 'vitest';
import { browserSuite, communityId, createNeed, newVolunteer, signIn, type Stack } from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let sderot: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 300_000);

describe('a mutation whose answer was lost', () => {
  test('a claim committed but unanswered is retried with its key: the claim, not ALREADY_CLAIMED', async () => {
    const need = await createNeed(stack, coordinatorToken, sderot.id, {
      title: 'Carry water to the third floor',
      category: 'OTHER',
      urgency: 'HIGH',
      slots: 2,
      lat: sderot.centerLat,
      lng: sderot.centerLng,
    });
    const volunteer = await newVolunteer(stack, 'Eli Shapiro', sderot.id);
    const page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: volunteer.token });
    await page.getByTestId('claim-button').waitFor();

    // The claim reaches the server and commits; its answer never reaches the page.
    const keys: string[] = [];
    await page.route('**/graphql', async (route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes('claimNeed')) return route.fallback();
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByTestId('claim-button').click();
    await expect(page.getByTestId('claim-notice').textContent()).resolves.toBeTruthy();
    await page.unroute('**/graphql');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);

    // Opening the app again sends the queue: the same request, with the same key.
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('claimNeed')) void r.headerValue('idempotency-key').then((k) => sent.push(k ?? ''));
    });
    await page.goto(stack.url + '/tasks');
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    await page.locator(`[data-testid="task"][data-need-id="${need.id}"]`).waitFor({ timeout: 15_000 });
    await page.getByTestId('pending-actions').waitFor({ state: 'detached' });
    expect(await page.getByTestId('conflicts').count()).toBe(0);
    expect(sent).toEqual(keys);

    const mine = await stack.api(volunteer.token).ok(`{ myClaims(live: false) { id need { id } } }`);
    expect(mine.myClaims.filter((c: { need: { id: string } }) => c.need.id === need.id)).toHaveLength(1);
  });
});
