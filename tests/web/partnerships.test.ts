// Partnerships and outcomes in Chromium against the real stack: the partnership list and page in Hebrew
// (right-to-left, amounts formatted for he-IL) and English; a coordinator completing a milestone and
// recording a disbursement, with the totals checked through the API; the indicators equal to the API's,
// each drilling down to exactly the needs it counts; a CSV import's per-row report; an export download.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { PHONE, browserSuite, communityId, horizontalOverflow, screenshot, seriousViolations, signIn, type Stack } from '../helpers/stack.ts';

let stack: Stack;
const suite = browserSuite();
let coordinatorToken: string;
let adminToken: string;
let sderot: Awaited<ReturnType<typeof communityId>>;

type Money = { amountMinor: string; currency: string };
type PartnershipData = {
  id: string;
  israeliCommunity: { id: string; name: string };
  abroadCommunity: { id: string; name: string };
  pledged: Money[];
  disbursed: Money[];
  remaining: Money[];
  pledges: { year: number; amount: Money }[];
};

const open = (path: string, opts: Parameters<typeof suite.page>[1] = {}) => suite.page(path, opts);

const htmlAttrs = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

/** The amount as the browser's own Intl formats the exact decimal for `locale` (independently of the app). */
function expectedMoney(page: Page, locale: string, money: Money): Promise<string> {
  return page.evaluate(
    ([loc, m]) => {
      const format = new Intl.NumberFormat(loc, { style: 'currency', currency: m.currency });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      const padded = m.amountMinor.padStart(digits + 1, '0');
      const decimal = digits ? `${padded.slice(0, -digits)}.${padded.slice(-digits)}` : padded;
      return format.format(decimal as Intl.StringNumericLiteral);
    },
    [locale, money] as const,
  );
}

const PARTNERSHIP_FIELDS = `id israeliCommunity { id name } abroadCommunity { id name }
  pledged { amountMinor currency } disbursed { amountMinor currency } remaining { amountMinor currency }
  pledges { year amount { amountMinor currency } }`;

async function sderotPartnership(): Promise<PartnershipData> {
  const d = await stack.api(coordinatorToken).ok(`{ partnerships { ${PARTNERSHIP_FIELDS} } }`);
  const p = (d.partnerships as PartnershipData[]).find((x) => x.israeliCommunity.id === sderot.id);
  if (!p) throw new Error('No Sderot partnership in the seed');
  return p;
}

async function roadmap() {
  const d = await stack.api(coordinatorToken).ok(
    `query($c: ID!) { recoveryRoadmap(communityId: $c) { id title progress milestones { id title doneAt } needs { id title } } }`,
    { c: sderot.id },
  );
  return d.recoveryRoadmap as { id: string; title: string; progress: number; milestones: { id: string; title: string; doneAt: string | null }[]; needs: { id: string; title: string }[] }[];
}

/** The money block of one currency shows exactly the API's amounts, formatted for the locale. */
async function expectMoneyBlock(page: Page, scope: string, locale: string, p: Pick<PartnershipData, 'pledged' | 'disbursed' | 'remaining'>) {
  for (const m of p.pledged) {
    const block = page.locator(`${scope} [data-testid="money-${m.currency}"]`);
    expect(await block.getAttribute('data-pledged')).toBe(m.amountMinor);
    expect(await block.getByTestId('pledged').textContent()).toBe(await expectedMoney(page, locale, m));
    const disbursed = p.disbursed.find((x) => x.currency === m.currency) ?? { amountMinor: '0', currency: m.currency };
    expect(await block.getAttribute('data-disbursed')).toBe(disbursed.amountMinor);
    expect(await block.getByTestId('disbursed').textContent()).toBe(await expectedMoney(page, locale, disbursed));
    const remaining = p.remaining.find((x) => x.currency === m.currency)!;
    expect(await block.getByTestId('remaining').textContent()).toBe(await expectedMoney(page, locale, remaining));
  }
}

beforeAll(async () => {
  // Seeding takes longer when other suites share the machine.
  stack = suite.stack;
  sderot = await communityId(stack, 'sderot');
  [coordinatorToken, adminToken] = await Promise.all([signIn(stack, 'coordinator.sderot@example.org'), signIn(stack, 'admin@example.org')]);
}, 600_000);

describe('partnerships', () => {
  test('the list and the partnership page in Hebrew: right-to-left, Hebrew text, amounts formatted for he-IL; on a phone too', async () => {
    const p = await sderotPartnership();
    const page = await open('/partnerships', { token: coordinatorToken, locale: 'he' });
    const item = page.locator(`[data-testid="partnership"][data-id="${p.id}"]`);
    await item.waitFor();
    expect(await htmlAttrs(page)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('שותפויות קהילתיות');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'שותפויות', exact: true }).getAttribute('aria-current')).toBe('page');
    expect(await item.getByRole('heading', { level: 3 }).textContent()).toBe('צוות משותף');
    await expectMoneyBlock(page, `[data-testid="partnership"][data-id="${p.id}"]`, 'he-IL', p);
    // Written the Hebrew way: the amount with its currency sign, the label in Hebrew.
    expect(await item.locator('dt').first().textContent()).toBe('הובטח');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'partnerships-he');

    await item.getByTestId('partnership-link').click();
    const detail = page.getByTestId('partnership-page');
    await detail.waitFor();
    await page.getByTestId('roadmap').waitFor();
    expect(page.url()).toBe(`${stack.url}/partnerships/${encodeURIComponent(p.id)}`);
    expect(await page.getByRole('heading', { level: 2, name: `מפת הדרכים לשיקום של ${sderot.name}` }).count()).toBe(1);
    await expectMoneyBlock(page, '[data-testid="partnership-page"]', 'he-IL', p);
    // Pledges per year, each amount exact.
    const pledgeCells = await page.locator('[data-testid="pledges"] tbody tr td:nth-child(2)').allTextContents();
    expect(pledgeCells).toEqual(await Promise.all(p.pledges.map((x) => expectedMoney(page, 'he-IL', x.amount))));
    // The road map: each goal of the community with its milestones.
    const goals = await roadmap();
    expect(await page.getByTestId('goal').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(goals.map((g) => g.id));
    expect(await page.getByTestId('milestone').count()).toBe(goals.reduce((n, g) => n + g.milestones.length, 0));
    expect(await page.getByTestId('goal').first().locator('h4').first().textContent()).toBe('אבני דרך');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'partnership-desktop-he', { fullPage: true });

    const phone = await open(`/partnerships/${encodeURIComponent(p.id)}`, { token: coordinatorToken, locale: 'he', viewport: PHONE });
    await phone.getByTestId('roadmap').waitFor();
    expect(await htmlAttrs(phone)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'partnership-phone-he', { fullPage: true });

    await phone.goto(`${stack.url}/partnerships`);
    await phone.getByTestId('partnership').first().waitFor();
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
  });

  test('in English: left-to-right, English text, amounts formatted for en; linked needs lead to their pages', async () => {
    const p = await sderotPartnership();
    const goals = await roadmap();
    const coordinator = stack.api(coordinatorToken);
    const need = (await coordinator.ok(`query($c: [ID!]) { needs(first: 1, filter: { communityIds: $c }) { edges { node { id title } } } }`, { c: [sderot.id] })).needs.edges[0].node;
    await coordinator.ok(`mutation($n: ID!, $g: ID!) { linkNeedToGoal(needId: $n, goalId: $g) }`, { n: need.id, g: goals[0]!.id });

    const page = await open('/partnerships', { token: coordinatorToken, locale: 'en' });
    await page.locator(`[data-testid="partnership"][data-id="${p.id}"]`).waitFor();
    expect(await htmlAttrs(page)).toEqual({ lang: 'en', dir: 'ltr' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Community partnerships');
    await expectMoneyBlock(page, `[data-testid="partnership"][data-id="${p.id}"]`, 'en', p);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${stack.url}/partnerships/${encodeURIComponent(p.id)}`);
    await page.getByTestId('roadmap').waitFor();
    expect(await page.getByRole('heading', { level: 2, name: `Recovery road map of ${sderot.name}` }).count()).toBe(1);
    await expectMoneyBlock(page, '[data-testid="partnership-page"]', 'en', p);
    const link = page.locator(`[data-testid="goal"][data-id="${goals[0]!.id}"] [data-testid="goal-need"][data-need-id="${need.id}"]`);
    expect(await link.textContent()).toBe(need.title);
    expect(await seriousViolations(page)).toEqual([]);
    await link.click();
    await page.getByTestId('need-page').waitFor();
    expect(await page.getByTestId('need-title').textContent()).toBe(need.title);
  });

  test('a coordinator completes a milestone, adds one and records a disbursement: validation at the fields, totals updated', async () => {
    const before = await sderotPartnership();
    const admin = stack.api(adminToken);
    const totalsBefore = (await admin.ok(`{ partnershipTotals(of: DISBURSED) { amountMinor currency } }`)).partnershipTotals as Money[];
    const goals = await roadmap();
    const goal = goals.find((g) => g.milestones.some((m) => !m.doneAt))!;
    const milestone = goal.milestones.find((m) => !m.doneAt)!;

    const page = await open(`/partnerships/${encodeURIComponent(before.id)}`, { token: coordinatorToken, locale: 'en' });
    await page.getByTestId('roadmap').waitFor();
    const goalCard = page.locator(`[data-testid="goal"][data-id="${goal.id}"]`);

    // Complete a milestone.
    const row = goalCard.locator(`[data-testid="milestone"][data-id="${milestone.id}"]`);
    await row.getByRole('button', { name: `Mark done — ${milestone.title}` }).click();
    await page.locator(`[data-testid="milestone"][data-id="${milestone.id}"][data-done="true"]`).waitFor();
    const doneCount = goal.milestones.filter((m) => m.doneAt).length + 1;
    const after = (await roadmap()).find((g) => g.id === goal.id)!;
    expect(after.milestones.find((m) => m.id === milestone.id)!.doneAt).not.toBeNull();
    expect(after.progress).toBeCloseTo(doneCount / goal.milestones.length, 10);
    await expect.poll(async () => Number(await goalCard.getAttribute('data-progress'))).toBeCloseTo(after.progress, 10);
    expect(await row.getByTestId('milestone-state').textContent()).toMatch(/^Done .+ · (on time|late)$/);

    // Add a milestone: what is missing is said at each field.
    await goalCard.locator('summary').click();
    const form = goalCard.getByTestId('milestone-form');
    await form.getByTestId('milestone-submit').click();
    const titleInput = form.locator('input[name="title"]');
    await expect.poll(() => titleInput.getAttribute('aria-invalid')).toBe('true');
    const titleError = await titleInput.getAttribute('aria-describedby');
    expect(await page.locator(`#${titleError}`).textContent()).toBe('This field is required.');
    expect(await page.locator(`#${await form.locator('input[name="dueDate"]').getAttribute('aria-describedby')}`).textContent()).toBe('Enter a date.');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('title');
    expect(await seriousViolations(page)).toEqual([]);
    const title = `Handover to the residents ${Date.now()}`;
    await titleInput.fill(title);
    await form.locator('input[name="dueDate"]').fill('2027-03-31');
    await form.getByTestId('milestone-submit').click();
    await form.getByTestId('milestone-added').waitFor();
    await goalCard.getByTestId('milestone').filter({ hasText: title }).waitFor();
    const added = (await roadmap()).find((g) => g.id === goal.id)!.milestones.find((m) => m.title === title);
    expect(added?.doneAt).toBeNull();

    // Record a disbursement: the amount is checked at its field before anything is sent.
    const currency = before.pledged[0]!.currency;
    const disb = page.getByTestId('disbursement-form');
    await disb.getByTestId('disbursement-submit').click();
    const amount = page.locator('#disb-amount');
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#disb-amount-error').textContent()).toBe('This field is required.');
    expect(await amount.getAttribute('aria-describedby')).toBe('disb-amount-error disb-amount-hint');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('disb-amount');
    await amount.fill('1234.567');
    await disb.getByTestId('disbursement-submit').click();
    await expect.poll(() => page.locator('#disb-amount-error').textContent()).toBe(`At most 2 digits after the decimal point in ${currency}.`);
    await amount.fill('ten');
    await disb.getByTestId('disbursement-submit').click();
    await expect.poll(() => page.locator('#disb-amount-error').textContent()).toBe('Enter an amount in digits, such as 1250.50.');
    expect(await seriousViolations(page)).toEqual([]);

    await amount.fill('1234.56');
    await page.locator('#disb-currency').selectOption(currency);
    await page.locator('#disb-goalId').selectOption(goal.id);
    await page.locator('#disb-note').fill('Works on the shelter');
    await disb.getByTestId('disbursement-submit').click();
    await disb.getByTestId('disbursement-recorded').waitFor();
    expect(await page.locator('#disb-amount-error').count()).toBe(0);

    const paid = 123456n;
    const disbursedBefore = BigInt(before.disbursed.find((m) => m.currency === currency)?.amountMinor ?? '0');
    const remainingBefore = BigInt(before.remaining.find((m) => m.currency === currency)!.amountMinor);
    // The page shows the new totals…
    const block = page.locator(`[data-testid="partnership-page"] [data-testid="money-${currency}"]`);
    await expect.poll(() => block.getAttribute('data-disbursed')).toBe((disbursedBefore + paid).toString());
    expect(await block.getAttribute('data-remaining')).toBe((remainingBefore - paid).toString());
    await page.locator(`[data-testid="disbursement"][data-minor="${paid}"]`).waitFor();
    // …and so does the API, for the partnership and across all of them.
    const afterP = await sderotPartnership();
    expect(afterP.disbursed.find((m) => m.currency === currency)!.amountMinor).toBe((disbursedBefore + paid).toString());
    expect(afterP.remaining.find((m) => m.currency === currency)!.amountMinor).toBe((remainingBefore - paid).toString());
    await expectMoneyBlock(page, '[data-testid="partnership-page"]', 'en', afterP);
    const totalsAfter = (await admin.ok(`{ partnershipTotals(of: DISBURSED) { amountMinor currency } }`)).partnershipTotals as Money[];
    const total = (list: Money[]) => BigInt(list.find((m) => m.currency === currency)?.amountMinor ?? '0');
    expect(total(totalsAfter) - total(totalsBefore)).toBe(paid);
    const goalDisbursed = await stack.api(coordinatorToken).ok(`query($id: ID!) { node(id: $id) { ... on RecoveryGoal { disbursed { amountMinor currency } } } }`, { id: goal.id });
    expect(goalDisbursed.node.disbursed.some((m: Money) => m.currency === currency && BigInt(m.amountMinor) >= paid)).toBe(true);
  });

  test('the partner community’s coordinator records disbursements but does not change the Israeli community’s road map', async () => {
    const p = await sderotPartnership();
    const token = await signIn(stack, 'coordinator.buenos-aires@example.org');
    const page = await open(`/partnerships/${encodeURIComponent(p.id)}`, { token, locale: 'en' });
    await page.getByTestId('roadmap').waitFor();
    // What this coordinator may do shows once the session has loaded.
    await page.getByTestId('disbursement-form').waitFor();
    expect(await page.getByTestId('milestone').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('complete-milestone').count()).toBe(0);
    expect(await page.getByTestId('milestone-form').count()).toBe(0);
    expect(await page.getByTestId('disbursement-form').count()).toBe(1);
    // As the API has it: the road map is for the Israeli community's coordinators.
    const open_ = (await roadmap()).flatMap((g) => g.milestones).find((m) => !m.doneAt)!;
    const refused = await stack.api(token).gql(`mutation($m: ID!) { completeMilestone(milestoneId: $m) { id } }`, { m: open_.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('is for coordinators only', async () => {
    const page = await open('/partnerships');
    await page.getByTestId('coordinator-only').waitFor();
    expect(await page.getByTestId('partnerships').count()).toBe(0);
  });
});

describe('indicators', () => {
  const API_FIELDS = `periodStart category needsReceived needsMet medianMinutesToClaim medianMinutesToComplete criticalReceived criticalMetWithin24h criticalMetWithin24hShare`;

  test('show the figures the API computes, and each count opens exactly the needs it counts', async () => {
    const page = await open(`/indicators?community=${encodeURIComponent(sderot.id)}&period=MONTH`, { token: coordinatorToken, locale: 'en' });
    const figures = page.getByTestId('figures');
    await figures.waitFor();
    const at = (await figures.getAttribute('data-period-start'))!;
    const api = stack.api(coordinatorToken);
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const d = await api.ok(
      `query($c: [ID!], $from: DateTime!, $to: DateTime!) { needIndicators(communityIds: $c, period: MONTH, from: $from, to: $to) { ${API_FIELDS} } volunteerIndicators(communityIds: $c, period: MONTH, from: $from, to: $to) { periodStart active returning } }`,
      { c: [sderot.id], from: at, to },
    );
    const rows = (d.needIndicators as Record<string, any>[]).filter((r) => r.periodStart === at);
    const all = rows.find((r) => r.category === null)!;
    expect(all.needsReceived).toBeGreaterThan(0);
    const value = async (id: string) => page.getByTestId(id).getAttribute('data-value');
    expect(Number(await value('figure-RECEIVED'))).toBe(all.needsReceived);
    expect(Number(await value('figure-MET'))).toBe(all.needsMet);
    expect(Number(await value('figure-CRITICAL_RECEIVED'))).toBe(all.criticalReceived);
    expect(Number(await value('figure-CRITICAL_MET_24H'))).toBe(all.criticalMetWithin24h);
    expect(await page.getByTestId('figure-RECEIVED').locator('.value').textContent()).toBe(String(all.needsReceived));
    for (const [id, field] of [['figure-median-claim', 'medianMinutesToClaim'], ['figure-median-done', 'medianMinutesToComplete'], ['figure-share', 'criticalMetWithin24hShare']] as const) {
      const v = await value(id);
      if (all[field] === null) expect(v).toBe('');
      else expect(Number(v)).toBeCloseTo(all[field], 9);
    }
    const vol = (d.volunteerIndicators as { periodStart: string; active: number; returning: number }[]).find((r) => r.periodStart === at);
    expect(Number(await value('figure-volunteers-active'))).toBe(vol?.active ?? 0);
    expect(Number(await value('figure-volunteers-returning'))).toBe(vol?.returning ?? 0);
    // One row per category, with the API's counts.
    const byCategory = rows.filter((r) => r.category !== null);
    expect(await page.getByTestId('category-row').count()).toBe(byCategory.length);
    for (const r of byCategory) {
      const tr = page.locator(`[data-testid="category-row"][data-category="${r.category}"]`);
      expect(Number(await tr.locator('[data-measure="RECEIVED"]').getAttribute('data-value'))).toBe(r.needsReceived);
      expect(Number(await tr.locator('[data-measure="MET"]').getAttribute('data-value'))).toBe(r.needsMet);
    }
    const bars = await page.getByTestId('chart-received').locator('g[data-value]').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-value'))));
    expect(bars.sort((a, b) => a - b)).toEqual(byCategory.map((r) => r.needsReceived).sort((a, b) => a - b));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-desktop', { fullPage: true });

    const traced = async (measure: string, category: string | null) =>
      (
        await api.ok(
          `query($c: ID!, $p: DateTime!, $m: IndicatorMeasure!, $cat: NeedCategory) { indicatorNeeds(communityId: $c, period: MONTH, periodStart: $p, measure: $m, category: $cat) { id } }`,
          { c: sderot.id, p: at, m: measure, cat: category },
        )
      ).indicatorNeeds.map((n: { id: string }) => n.id) as string[];
    const listed = () => page.locator('[data-testid="drill-needs"] [data-testid="need-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-need-id')));

    // Needs met: the list is exactly the needs counted.
    await page.getByTestId('figure-MET').getByRole('link').click();
    await page.locator('[data-testid="drill"][data-measure="MET"] [data-testid="drill-count"]').waitFor();
    expect(page.url()).toContain('measure=MET');
    const met = await traced('MET', null);
    expect(met).toHaveLength(all.needsMet);
    expect(await listed()).toEqual(met);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('drill-title');
    expect(await page.locator('[data-testid="drill-needs"] [data-status]').evaluateAll((els) => els.filter((e) => e.matches('[data-testid="need-card"]')).every((e) => e.getAttribute('data-status') === 'DONE'))).toBe(true);

    // One category's needs received.
    const cat = byCategory[0]!;
    await page.locator(`[data-testid="category-row"][data-category="${cat.category}"] [data-measure="RECEIVED"] a`).click();
    await page.locator(`[data-testid="drill"][data-measure="RECEIVED"][data-category="${cat.category}"] [data-testid="drill-count"]`).waitFor();
    const received = await traced('RECEIVED', cat.category);
    expect(received).toHaveLength(cat.needsReceived);
    await expect.poll(listed).toEqual(received);
    expect(await seriousViolations(page)).toEqual([]);

    // The address holds the view: reloading shows the same list.
    await page.reload();
    await page.locator(`[data-testid="drill"][data-measure="RECEIVED"][data-category="${cat.category}"] [data-testid="drill-count"]`).waitFor();
    expect(await listed()).toEqual(received);
  });

  test('the pilot view compares every community for the period, with the API’s figures; a name opens its own', async () => {
    const page = await open('/indicators?period=MONTH', { token: adminToken, locale: 'en' });
    const at = (await page.getByTestId('figures').getAttribute('data-period-start'))!;
    const compare = page.getByTestId('compare');
    await compare.locator('[data-testid="compare-row"]').first().waitFor();
    const { communities } = await stack.api(adminToken).ok(`{ communities { id kind } }`);
    const israeli = (communities as { id: string; kind: string }[]).filter((c) => c.kind !== 'PARTNER_ABROAD').map((c) => c.id);
    const d = await stack.api(adminToken).ok(
      `query($c: [ID!], $from: DateTime!, $to: DateTime!) { needIndicators(communityIds: $c, period: MONTH, from: $from, to: $to) { community { id } periodStart category needsReceived needsMet } volunteerIndicators(communityIds: $c, period: MONTH, from: $from, to: $to) { community { id } periodStart active } }`,
      { c: israeli, from: at, to: new Date(Date.now() + 86_400_000).toISOString() },
    );
    const shown = await compare.locator('[data-testid="compare-row"]').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-community'),
        received: Number(tr.querySelector('[data-measure="RECEIVED"]')!.getAttribute('data-value')),
        met: Number(tr.querySelector('[data-measure="MET"]')!.getAttribute('data-value')),
        active: Number(tr.querySelector('[data-measure="ACTIVE"]')!.getAttribute('data-value')),
      })),
    );
    expect(shown.map((r) => r.id).sort()).toEqual([...israeli].sort());
    const expected = israeli.map((id) => {
      const n = (d.needIndicators as any[]).find((r) => r.community.id === id && r.periodStart === at && r.category === null);
      const v = (d.volunteerIndicators as any[]).find((r) => r.community.id === id && r.periodStart === at);
      return { id, received: n?.needsReceived ?? 0, met: n?.needsMet ?? 0, active: v?.active ?? 0 };
    });
    expect([...shown].sort((a, b) => a.id!.localeCompare(b.id!))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
    expect(shown.filter((r) => r.received > 0).length).toBeGreaterThan(3);
    expect(await seriousViolations(page)).toEqual([]);

    await compare.locator(`[data-testid="compare-row"][data-community="${sderot.id}"] a`).click();
    await page.waitForURL((u) => u.searchParams.get('community') === sderot.id);
    expect(await page.getByTestId('figures').locator('h2').textContent()).toContain('Sderot');
    await screenshot(page, 'indicators-compare', { fullPage: true });
  });

  test('in Hebrew on a phone: right-to-left, nothing to scroll sideways', async () => {
    const page = await open(`/indicators?community=${encodeURIComponent(sderot.id)}&period=WEEK`, { token: coordinatorToken, locale: 'he', viewport: PHONE });
    await page.getByTestId('figures').waitFor();
    expect(await htmlAttrs(page)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('מדדי תוצאה');
    expect(await page.getByTestId('figure-RECEIVED').locator('.label').textContent()).toBe('בקשות שהתקבלו');
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-phone-he', { fullPage: true });
  });
});

describe('import and export', () => {
  test('a CSV of needs imported through the page: the per-row report, the bad row rejected, the good ones created', async () => {
    const stamp = Date.now();
    const phone = `050-${String(stamp).slice(-7, -4)}-${String(stamp).slice(-4)}`;
    const csv = [
      'title,category,urgency,lat,lng,address,requester name,phone',
      `Levi household: bread and milk ${stamp},food,high,31.5251,34.5972,"3 Herzl St, Sderot",Dana Levi,${phone}`,
      ',food,normal,31.52,34.59,4 Herzl St,Avi,050-000-0000',
      `הסעה למרפאה ${stamp},transport,normal,31.5262,34.5981,5 Herzl St,רות,052-${String(stamp).slice(-7)}`,
      `"Levi household: bread and milk, again ${stamp}",food,high,31.5252,34.5973,"3 Herzl St, Sderot",Dana Levi,${phone}`,
      `Pizza night ${stamp},pizza,normal,31.52,34.59,6 Herzl St,Ron,050-111-1111`,
    ].join('\r\n');

    const page = await open('/data', { token: coordinatorToken, locale: 'en' });
    await page.getByTestId('import-form').waitFor();
    // Nothing chosen: said at the field.
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.locator('#import-file-error').textContent()).toBe('Choose a CSV file.');
    expect(await page.locator('#import-file').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#import-communityId option:checked').textContent()).toBe(sderot.name);

    await page.getByTestId('import-file').setInputFiles({ name: 'needs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('import-submit').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    const rows = await page.getByTestId('import-row').evaluateAll((trs) =>
      trs.map((tr) => ({
        line: Number(tr.getAttribute('data-line')),
        status: tr.getAttribute('data-status'),
        duplicates: Number(tr.getAttribute('data-duplicates')),
        reason: tr.querySelector('[data-testid="import-reason"]')?.textContent ?? null,
        id: tr.getAttribute('data-id'),
      })),
    );
    expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
      { line: 2, status: 'ACCEPTED', duplicates: 0, reason: null },
      { line: 3, status: 'REJECTED', duplicates: 0, reason: 'Title: required.' },
      { line: 4, status: 'ACCEPTED', duplicates: 0, reason: null },
      { line: 5, status: 'ACCEPTED', duplicates: 1, reason: null },
      { line: 6, status: 'REJECTED', duplicates: 0, reason: 'category: “pizza” is not a known category.' },
    ]);
    expect(await summary.getAttribute('data-rows')).toBe('5');
    expect(await summary.getAttribute('data-accepted')).toBe('3');
    expect(await summary.getAttribute('data-rejected')).toBe('2');
    expect(await summary.getAttribute('data-duplicates')).toBe('1');
    expect(await summary.textContent()).toContain('5 rows: 3 created, 2 rejected, 1 flagged as possible duplicates.');
    expect(await page.getByTestId('import-row').nth(1).textContent()).toContain('Rejected');
    expect(await page.getByTestId('import-row').nth(3).textContent()).toContain('Possible duplicate of 1 need');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('import-summary');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'import-report', { fullPage: true });

    // The good rows are needs of Sderot now; the bad ones are not.
    const api = stack.api(coordinatorToken);
    const created = [];
    for (const r of rows.filter((x) => x.status === 'ACCEPTED')) {
      created.push((await api.ok(`query($id: ID!) { need(id: $id) { title category urgency community { id } } }`, { id: r.id })).need);
    }
    expect(created).toEqual([
      { title: `Levi household: bread and milk ${stamp}`, category: 'FOOD', urgency: 'HIGH', community: { id: sderot.id } },
      { title: `הסעה למרפאה ${stamp}`, category: 'TRANSPORT', urgency: 'NORMAL', community: { id: sderot.id } },
      { title: `Levi household: bread and milk, again ${stamp}`, category: 'FOOD', urgency: 'HIGH', community: { id: sderot.id } },
    ]);
    const pizza = await api.ok(`query($t: String!) { needs(first: 5, filter: { text: $t }) { totalCount } }`, { t: `Pizza night ${stamp}` });
    expect(pizza.needs.totalCount).toBe(0);
  });

  test('columns a spreadsheet names its own way are chosen on the page, with its first rows to check against', async () => {
    const stamp = Date.now();
    // A hotline's sheet: Hebrew headers the API does not know, and a column that is not the need's place.
    const csv = [
      'מה צריך,תחום,כמה דחוף,רחוב,איש קשר,מספר לחזרה,רוחב,אורך,הערות המוקד',
      `קניות לבית אבוטבול ${stamp},מזון,דחוף,"7 Herzl St, Sderot",שרה אבוטבול,050-${String(stamp).slice(-7)},31.5255,34.5977,לא לצלצל בפעמון`,
    ].join('\r\n');
    const page = await open('/data', { token: coordinatorToken, locale: 'en' });
    await page.getByTestId('import-form').waitFor();
    await page.getByTestId('import-file').setInputFiles({ name: 'hotline.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const mapping = page.getByTestId('column-mapping');
    await mapping.waitFor();
    expect(await page.getByTestId('file-preview').locator('thead th').allTextContents()).toEqual(csv.split('\r\n')[0]!.split(','));
    expect(await page.getByTestId('file-preview').locator('tbody td').first().textContent()).toBe(`קניות לבית אבוטבול ${stamp}`);

    // Without choosing, the titles cannot be found: every row is refused, and nothing is created.
    await page.getByTestId('import-submit').click();
    await page.getByTestId('import-summary').waitFor();
    expect(await page.getByTestId('import-summary').getAttribute('data-accepted')).toBe('0');

    for (const [field, header] of [
      ['title', 'מה צריך'],
      ['category', 'תחום'],
      ['urgency', 'כמה דחוף'],
      ['address', 'רחוב'],
      ['requesterName', 'איש קשר'],
      ['requesterPhone', 'מספר לחזרה'],
      ['lat', 'רוחב'],
      ['lng', 'אורך'],
      ['description', 'הערות המוקד'],
    ] as const) {
      await mapping.locator(`select[data-field="${field}"]`).selectOption(header);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-summary').getAttribute('data-accepted')).toBe('1');
    const id = (await page.getByTestId('import-row').first().getAttribute('data-id'))!;
    const { need } = await stack.api(coordinatorToken).ok(
      `query($id: ID!) { need(id: $id) { title description category urgency community { id } privateDetails { address requesterName requesterPhone lat lng } } }`,
      { id },
    );
    expect(need).toMatchObject({
      title: `קניות לבית אבוטבול ${stamp}`,
      description: 'לא לצלצל בפעמון',
      category: 'FOOD',
      urgency: 'HIGH',
      community: { id: sderot.id },
      privateDetails: { address: '7 Herzl St, Sderot', requesterName: 'שרה אבוטבול', lat: 31.5255, lng: 34.5977 },
    });
    await screenshot(page, 'import-mapping', { fullPage: true });
  });

  test('export links download files with the expected header row; the page works on a phone', async () => {
    const page = await open('/data', { token: coordinatorToken, locale: 'en' });
    await page.getByTestId('exports').waitFor();
    const header = async (testid: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
      const text = await readFile((await download.path())!, 'utf8');
      return { name: download.suggestedFilename(), first: text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!, text };
    };
    const needs = await header('export-needs-csv');
    expect(needs.name).toBe('needs.csv');
    expect(needs.first).toBe('id,title,category,urgency,status,slots,community,createdAt,doneAt,publicLat,publicLng');
    // With private details, for the coordinator's own community: the address columns too.
    await page.getByTestId('export-private').check();
    const withPrivate = await header('export-needs-csv');
    expect(withPrivate.first).toBe('id,title,category,urgency,status,slots,community,createdAt,doneAt,publicLat,publicLng,lat,lng,address,requesterName,requesterPhone,requesterEmail,contactConsent');
    const partnerships = await header('export-partnerships-csv');
    expect(partnerships.first).toBe('id,israeliCommunity,abroadCommunity,startDate,termYears,status,pledgedMinor,disbursedMinor,remainingMinor');
    const events = await header('export-events-ndjson');
    expect(Object.keys(JSON.parse(events.first))).toEqual(['cursor', 'at', 'type', 'fromStatus', 'toStatus', 'needId', 'communityId', 'actorId']);

    const phone = await open('/data', { token: coordinatorToken, locale: 'he', viewport: PHONE });
    await phone.getByTestId('exports').waitFor();
    expect(await htmlAttrs(phone)).toEqual({ lang: 'he', dir: 'rtl' });
    expect(await horizontalOverflow(phone)).toBe(0);
    expect(await seriousViolations(phone)).toEqual([]);
  });
});
