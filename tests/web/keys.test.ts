// API keys in Chromium against the real stack: a coordinator creates a read-only key for their
// community, sees its token once and copies it, the partner uses it (the list then says when),
// and the coordinator revokes it (the token then refused). In Hebrew on a phone: right-to-left,
// no sideways scrolling, no serious accessibility violation, the shown-once panel included.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PHONE, browserSuite, communityId, horizontalOverflow, screenshot, seriousViolations, signIn, type Stack } from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let coordinatorToken: string;
let sderot: Awaited<ReturnType<typeof communityId>>;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 600_000);

async function createKey(page: Page, name: string): Promise<string> {
  await page.getByTestId('key-name').fill(name);
  await page.locator(`[data-testid="key-community"][value="${sderot.id}"]`).check();
  await page.getByTestId('key-create').click();
  await page.getByTestId('key-created').waitFor();
  return page.getByTestId('key-token').inputValue();
}

const item = (page: Page, token: string) => page.locator(`[data-testid="key-item"][data-hint="${token.slice(0, 8)}"]`);

describe('API keys', () => {
  test('create a read-only key, copy its token once, see it used, revoke it (English)', async () => {
    const page = await suite.page('/keys', { token: coordinatorToken, locale: 'en' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    await page.getByTestId('key-form').waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'API keys', exact: true }).getAttribute('aria-current')).toBe('page');

    // The form's own checks first: a name and a community.
    await page.getByTestId('key-create').click();
    await expect.poll(() => page.locator('#key-name-error').textContent()).toBe('Name the key.');

    const token = await createKey(page, `Hotline ${Date.now()}`);
    expect(token).toMatch(/^mab_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId('key-copy').click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    expect(await item(page, token).getByTestId('key-last-used').textContent()).toBe('Never used');
    expect(await item(page, token).textContent()).toContain('Read only');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'keys-created-en', { fullPage: true });

    // The partner uses it; the list, read again, says it was used.
    const partner = stack.api(token);
    expect((await partner.ok(`{ communities { id } }`)).communities.length).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => item(page, token).getByTestId('key-last-used').textContent()).toMatch(/^Last used/);
    // Shown once: after a reload the token is nowhere on the page.
    expect(await page.content()).not.toContain(token);

    await item(page, token).getByTestId('key-revoke').click();
    await page.getByTestId('key-revoked').waitFor();
    await expect.poll(() => item(page, token).getAttribute('data-revoked')).toBe('true');
    const refused = await partner.gql(`{ communities { id } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('in Hebrew on a phone: right-to-left, no sideways scrolling, accessible, the new key shown once', async () => {
    const page = await suite.page('/keys', { token: coordinatorToken, locale: 'he', viewport: PHONE });
    await page.getByTestId('key-form').waitFor();
    expect(await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }))).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('מפתחות API למערכות שותפות');
    await page.getByTestId('key-named').check();
    await page.getByTestId('key-mutations').fill('createNeed, updateNeed');
    const token = await createKey(page, 'המוקד העירוני');
    expect(token).toMatch(/^mab_/);
    expect(await item(page, token).textContent()).toContain('שינויים: createNeed, updateNeed');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'keys-phone-he', { fullPage: true });
  });
});
