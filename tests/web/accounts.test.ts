// A newcomer's first minutes: signing up with their skills, filling in the profile (availability,
// home area, quiet hours), joining a community, signing out and back in. What the screens show is
// checked against what the API then holds.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, PHONE, browserSuite, horizontalOverflow, screenshot, seriousViolations } from '../helpers/stack.ts';

const suite = browserSuite();
const email = `maya.levi.${Date.now()}@example.org`;

/** The account as the API holds it, read with a fresh sign-in. */
async function account() {
  const api = suite.stack.api();
  await api.signIn(email, PASSWORD);
  const { me } = await api.ok(`{ me { name skills homeArea availableDays availableFromHour availableToHour quietFromHour quietToHour memberships { role community { slug } } } }`);
  return me;
}

describe('a newcomer', () => {
  let page: Page;

  test('signs up with their skills and is signed in; missing fields are pointed out first', async () => {
    page = await suite.page();
    await page.goto(suite.stack.url + '/signup?next=%2Fprofile');
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('#name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#password-error').textContent()).toContain('At least 8 characters.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');

    await page.getByLabel('Full name').fill('Maya Levi');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Childcare').check();
    await page.getByLabel('Transport').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((u) => u.pathname === '/profile');
    await page.getByTestId('profile-form').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Maya Levi');
    expect((await account()).skills.sort()).toEqual(['CHILDCARE', 'TRANSPORT']);
  });

  test('fills in availability, home area and quiet hours, joins a community, and finds it all after a reload', async () => {
    await page.getByTestId('profile-form').waitFor();
    expect(await page.getByTestId('my-communities').textContent()).toContain('You have not joined a community yet.');
    await page.locator('#homeArea').fill('Sderot, Neve Eshkol');
    await page.getByLabel('Friday').check();
    await page.getByLabel('Saturday').check();
    await page.locator('#fromHour').selectOption('16');
    await page.locator('#toHour').selectOption('22');
    await page.locator('#quietFrom').selectOption('23');
    await page.locator('#quietTo').selectOption('7');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor();

    await page.getByTestId('join-community').selectOption({ label: 'Sderot' });
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByTestId('joined').waitFor();
    await page.locator('[data-testid="membership"][data-slug="sderot"]').waitFor();
    // Joined communities leave the list of those to join.
    expect(await page.locator('[data-testid="join-community"] option', { hasText: 'Sderot' }).count()).toBe(0);

    expect(await account()).toMatchObject({
      homeArea: 'Sderot, Neve Eshkol',
      availableDays: [5, 6],
      availableFromHour: 16,
      availableToHour: 22,
      quietFromHour: 23,
      quietToHour: 7,
      memberships: [{ role: 'VOLUNTEER', community: { slug: 'sderot' } }],
    });

    await page.reload();
    await page.getByTestId('profile-form').waitFor();
    expect(await page.locator('#homeArea').inputValue()).toBe('Sderot, Neve Eshkol');
    expect(await page.getByLabel('Friday').isChecked()).toBe(true);
    expect(await page.getByLabel('Sunday').isChecked()).toBe(false);
    expect(await page.locator('#quietFrom').inputValue()).toBe('23');
    expect(await page.getByLabel('Childcare').isChecked()).toBe(true);
    await page.locator('[data-testid="membership"][data-slug="sderot"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'profile-desktop', { fullPage: true });
  });

  test('signs out, is refused with a wrong password, and signs back in to where they were going', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/signin');
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);

    await page.goto(suite.stack.url + '/signin?next=%2Ftasks');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not-my-password');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    expect(await page.getByTestId('form-error').textContent()).toBe('Email or password is wrong.');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await page.waitForURL((u) => u.pathname === '/tasks');
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Maya Levi');
  });

  test('an e-mail already in use is said so at its field, in the page’s language, and no account is made', async () => {
    const hebrew = await suite.page('/signup', { locale: 'he' });
    await hebrew.locator('#name').fill('מאיה לוי');
    await hebrew.locator('#email').fill(email);
    await hebrew.locator('#password').fill('another-password');
    await hebrew.locator('button[type="submit"]').click();
    const message = hebrew.locator('#email-error');
    await message.waitFor();
    expect(await message.textContent()).toBe('כבר קיים חשבון עם כתובת הדוא״ל הזו. אולי להיכנס במקום?');
    expect(await hebrew.locator('#email').getAttribute('aria-invalid')).toBe('true');
    expect(await hebrew.evaluate(() => document.activeElement?.id)).toBe('email');
    expect(await hebrew.getByTestId('form-error').textContent()).toBe('בדקו את השדות המסומנים.');
    expect(new URL(hebrew.url()).pathname).toBe('/signup');
    // The first account is untouched: its name and password still the ones it was made with.
    expect((await account()).name).toBe('Maya Levi');
    await hebrew.close();
  });

  test('the profile works on a phone', async () => {
    const api = suite.stack.api();
    await api.signIn(email, PASSWORD);
    const phone = await suite.page(undefined, { token: api.token, viewport: PHONE });
    await phone.goto(suite.stack.url + '/profile');
    await phone.getByTestId('profile-form').waitFor();
    await phone.locator('[data-testid="membership"][data-slug="sderot"]').waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'profile-phone', { fullPage: true });
  });
});
