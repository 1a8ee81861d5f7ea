// Vetting in Chromium against the real stack, at phone width: a coordinator records a volunteer's
// identity check, background check and child-safety training on /vetting (Hebrew, right-to-left);
// the volunteer's profile shows what they have and what they lack, and a babysitting need's page
// says it needs a vetted volunteer and what to do, until they are vetted (English). axe on /vetting.
import { beforeAll, describe, expect, test } from 'vitest';
import { PHONE, browserSuite, communityId, createNeed, horizontalOverflow, newVolunteer, screenshot, seriousViolations, signIn, type Stack } from '../helpers/stack.ts';
import { vet } from '../helpers/vetting.ts';

const suite = browserSuite();
let stack: Stack;
let coordinatorToken: string;
let sderot: Awaited<ReturnType<typeof communityId>>;

const vettingOf = async (token: string) =>
  (await stack.api(token).ok(`{ me { memberships { vetting { identityCheckedAt backgroundCheckedAt backgroundValid trainings { key valid } lacks { category } } } } }`)).me.memberships[0].vetting;

beforeAll(async () => {
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  coordinatorToken = await signIn(stack, 'coordinator.sderot@example.org');
}, 600_000);

describe('vetting', () => {
  test('a coordinator records identity, background check and training on /vetting, in Hebrew on a phone', async () => {
    const volunteer = await newVolunteer(stack, 'Yael Vetting', sderot.id);
    const page = await suite.page('/vetting', { token: coordinatorToken, locale: 'he', viewport: PHONE });
    const card = page.locator('[data-testid="vetting-volunteer"][data-name="Yael Vetting"]');
    await card.waitFor();
    expect(await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }))).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('אימות מתנדבים');
    expect(await card.getByTestId('identity-status').textContent()).toContain('הזהות לא אומתה');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await card.locator('summary').click();
    await card.getByTestId('check-identity').click();
    await expect.poll(async () => card.getByTestId('identity-status').textContent()).toContain('הזהות אומתה');
    const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    await card.getByLabel('בתוקף עד').first().fill(inAYear);
    await card.getByRole('button', { name: 'תיעוד בדיקת רקע' }).click();
    await expect.poll(async () => card.getByTestId('background-status').textContent()).toContain('בדיקת רקע בתוקף עד');
    await card.getByRole('combobox', { name: 'הכשרה' }).selectOption('child-safety');
    await card.getByRole('button', { name: 'תיעוד הכשרה' }).click();
    await expect.poll(async () => card.getByTestId('training-status').count()).toBe(1);
    expect(await card.getByTestId('training-status').textContent()).toContain('מוגנות ילדים');

    // As the API has it: vetted for child care and hosting, still lacking the elderly and hotline trainings.
    const v = await vettingOf(volunteer.token);
    expect(v).toMatchObject({ backgroundValid: true, trainings: [{ key: 'child-safety', valid: true }] });
    expect(v.identityCheckedAt).not.toBeNull();
    expect(v.lacks.map((l: { category: string }) => l.category).sort()).toEqual(['ELDERLY_SUPPORT', 'MENTAL_HEALTH']);
    // The change is in the history, by this coordinator.
    await page.reload();
    await page.getByTestId('vetting-history').waitFor();
    expect(await page.getByTestId('vetting-history').textContent()).toContain('הכשרה תועדה');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'vetting-phone-he', { fullPage: true });
  });

  test('in English: the profile says what a volunteer lacks; a babysitting need needs a vetted volunteer until they are', async () => {
    const volunteer = await newVolunteer(stack, 'Noam Unvetted', sderot.id);
    const need = await createNeed(stack, coordinatorToken, sderot.id, { title: 'Babysitting for a reservist family', category: 'CHILDCARE', urgency: 'HIGH', lat: sderot.centerLat, lng: sderot.centerLng });

    const profile = await suite.page('/profile', { token: volunteer.token, locale: 'en', viewport: PHONE });
    const mine = profile.getByTestId('my-vetting');
    await mine.waitFor();
    expect(await mine.textContent()).toContain('Identity not checked');
    expect(await mine.getByTestId('my-vetting-lacks').allTextContents()).toContain(
      'ask your coordinator to check your identityask your coordinator to record a background checkask your coordinator for the Child safety training',
    );
    expect(await horizontalOverflow(profile)).toBe(0);
    expect(await seriousViolations(profile)).toEqual([]);

    const page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { token: volunteer.token, locale: 'en', viewport: PHONE });
    const requirements = page.getByTestId('need-requirements');
    await requirements.waitFor();
    expect(await requirements.textContent()).toContain('Needs a vetted volunteer');
    expect(await requirements.textContent()).toContain('Requires: Identity check, Background check, Child safety');
    expect(await page.getByTestId('need-lacks').locator('li').allTextContents()).toEqual([
      'ask your coordinator to check your identity',
      'ask your coordinator to record a background check',
      'ask your coordinator for the Child safety training',
    ]);
    expect(await page.getByTestId('claim-button').count()).toBe(0);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'need-vetting-phone-en', { fullPage: true });

    // Vetted by the coordinator: the page offers the claim, and the claim goes through.
    await vet(stack.api(coordinatorToken), sderot.id, volunteer.id);
    await page.reload();
    await page.getByTestId('claim-button').click();
    await page.getByTestId('my-claim').waitFor();
    expect(await page.getByTestId('need-lacks').count()).toBe(0);
  });

  test('intake fills in what the kind of need requires, and the coordinator may change it (English, phone)', async () => {
    const page = await suite.page('/intake', { token: coordinatorToken, locale: 'en', viewport: PHONE });
    await page.getByTestId('intake-form').waitFor();
    await page.locator('#category').selectOption('CHILDCARE');
    const requirements = page.getByTestId('intake-requirements');
    await requirements.waitFor();
    const checked = (name: string) => requirements.getByRole('checkbox', { name, exact: true }).isChecked();
    expect([await checked('Identity check'), await checked('Background check'), await checked('Child safety'), await checked('First aid')]).toEqual([true, true, true, false]);
    await page.locator('#category').selectOption('FOOD');
    await expect.poll(() => checked('Child safety')).toBe(false);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the need page in Hebrew shows the requirement to anyone, and the board card marks it', async () => {
    const need = await createNeed(stack, coordinatorToken, sderot.id, { title: 'Hosting an evacuated family', category: 'HOSTING', urgency: 'CRITICAL', lat: sderot.centerLat, lng: sderot.centerLng });
    const page = await suite.page(`/needs/${encodeURIComponent(need.id)}`, { locale: 'he', viewport: PHONE });
    const requirements = page.getByTestId('need-requirements');
    await requirements.waitFor();
    expect(await requirements.textContent()).toContain('דרוש מתנדב מאומת');
    expect(await page.getByTestId('need-lacks').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${stack.url}/?q=${encodeURIComponent('Hosting an evacuated family')}`);
    const card = page.locator(`[data-testid="need-card"][data-need-id="${need.id}"]`);
    await card.first().waitFor();
    expect(await card.first().getByTestId('needs-vetted').textContent()).toBe('דרוש מתנדב מאומת');
  });
});
