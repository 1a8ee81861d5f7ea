// Membership approval end to end, in Chromium at phone width, in English and Hebrew: a volunteer
// applies to a community that approves who joins (with a few words about themself), is told they
// wait and cannot take its tasks yet; the coordinator sees the application live on /members and
// approves it; the volunteer can then claim. /members is axe-clean and fits a 360 px phone.
import { beforeAll, describe, expect, test } from 'vitest';
import { PHONE, browserSuite, communityId, createNeed, horizontalOverflow, screenshot, seriousViolations, signIn, type Stack } from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let ashkelon: Awaited<ReturnType<typeof communityId>>;
let coordinatorToken: string;

beforeAll(async () => {
  stack = suite.stack;
  ashkelon = await communityId(stack, 'ashkelon');
  coordinatorToken = await signIn(stack, 'coordinator.ashkelon@example.org');
}, 300_000);

const htmlAttrs = (page: Awaited<ReturnType<typeof suite.page>>) =>
  page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

describe.each([
  ['en', 'ltr'],
  ['he', 'rtl'],
] as const)('applying and approval (%s)', (locale, dir) => {
  test('a volunteer applies, waits, is approved on /members, and can then claim', async () => {
    expect((await stack.api().ok(`query($id: ID!) { node(id: $id) { ... on Community { joinPolicy } } }`, { id: ashkelon.id })).node.joinPolicy).toBe('APPROVAL');
    const need = await createNeed(stack, coordinatorToken, ashkelon.id, { title: `Shopping for an elderly neighbour (${locale})`, category: 'FOOD', lat: ashkelon.centerLat + 0.002, lng: ashkelon.centerLng });
    const api = stack.api();
    const email = `applicant.${locale}.${Date.now()}@example.org`;
    const signedUp = await api.ok(`mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }`, {
      input: { email, name: `Applicant ${locale}`, password: 'demo-password-123', locale },
    });
    const token = signedUp.signUp.token as string;
    const userId = signedUp.signUp.user.id as string;
    const note = locale === 'he' ? 'יש לי רכב ואני גר/ה קרוב' : 'I have a car and live nearby';

    // The volunteer applies from their profile, with a few words about themself.
    const volunteer = await suite.page('/profile', { token, locale, viewport: PHONE });
    expect(await htmlAttrs(volunteer)).toEqual({ lang: locale, dir });
    await volunteer.getByTestId('join-community').selectOption(ashkelon.id);
    await volunteer.getByTestId('needs-approval').waitFor();
    await volunteer.getByTestId('join-note').fill(note);
    await volunteer.getByTestId('my-communities').locator('button[type="submit"]').click();
    await volunteer.locator('[data-testid="joined"][data-status="PENDING"]').waitFor();
    await volunteer.locator('[data-testid="membership-status"][data-status="PENDING"]').waitFor();
    expect(await horizontalOverflow(volunteer)).toBeLessThanOrEqual(0);

    // Waiting: the need page says so, and offers no claim.
    await volunteer.goto(`${stack.url}/needs/${encodeURIComponent(need.id)}`);
    await volunteer.locator('[data-testid="membership-waiting"][data-status="PENDING"]').waitFor();
    expect(await volunteer.getByTestId('claim-button').count()).toBe(0);

    // The coordinator sees the application, with the note, and approves it.
    const members = await suite.page(`/members?community=${encodeURIComponent(ashkelon.id)}`, { token: coordinatorToken, locale, viewport: PHONE });
    const application = members.locator(`[data-testid="application"][data-user-id="${userId}"]`);
    await application.waitFor();
    expect(await application.getByTestId('application-note').textContent()).toBe(note);
    expect(await members.getByTestId('policy-APPROVAL').isChecked()).toBe(true);
    expect(await htmlAttrs(members)).toEqual({ lang: locale, dir });
    expect(await horizontalOverflow(members)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(members)).toEqual([]);
    await screenshot(members, `members-${locale}-phone`, { fullPage: true });
    await application.getByTestId('approve').click();
    await members.getByTestId('members-notice').waitFor();
    await application.waitFor({ state: 'detached' });
    await members.locator(`[data-testid="member"][data-user-id="${userId}"]`).waitFor();

    // The coordinator may call the new member (the look is recorded).
    await members.locator(`[data-testid="member"][data-user-id="${userId}"]`).getByTestId('show-contact').click();
    await members.locator(`[data-testid="member"][data-user-id="${userId}"] [data-testid="member-contact"]`).getByText(email).waitFor();
    expect(await seriousViolations(members)).toEqual([]);

    // Approved: the volunteer claims.
    await volunteer.reload();
    await volunteer.getByTestId('claim-button').click();
    await volunteer.locator('[data-testid="my-claim"][data-status="ACTIVE"]').waitFor();
  });
});
