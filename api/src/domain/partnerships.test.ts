import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import type { MembershipRole } from '../generated/prisma/enums.ts';
import {
  assertDisbursement,
  assertPledge,
  canManagePartnership,
  CURRENCY,
  goalProgress,
  goalServesPartnership,
  subtractByCurrency,
  sumByCurrency,
  type Money,
} from './partnerships.ts';

const m = (amountMinor: bigint, currency: string): Money => ({ amountMinor, currency });

describe('CURRENCY', () => {
  it.each([
    ['ILS', true],
    ['USD', true],
    ['usd', false],
    ['US', false],
    ['USDT', false],
    ['U$D', false],
  ])('%s → %s', (code, ok) => {
    expect(CURRENCY.test(code)).toBe(ok);
  });
});

describe('sumByCurrency', () => {
  it.each([
    ['nothing', [], []],
    ['one currency', [m(150_000n, 'ILS'), m(2_500n, 'ILS')], [m(152_500n, 'ILS')]],
    [
      'currencies kept apart, sorted by code',
      [m(100n, 'USD'), m(5n, 'EUR'), m(200n, 'ILS'), m(1n, 'USD')],
      [m(5n, 'EUR'), m(200n, 'ILS'), m(101n, 'USD')],
    ],
    ['a total of zero is kept', [m(100n, 'ILS'), m(-100n, 'ILS')], [m(0n, 'ILS')]],
    [
      'exact beyond 2^53',
      [m(9_007_199_254_740_993n, 'ILS'), m(9_007_199_254_740_993n, 'ILS')],
      [m(18_014_398_509_481_986n, 'ILS')],
    ],
  ])('%s', (_label, items, totals) => {
    expect(sumByCurrency(items)).toEqual(totals);
  });

  const money = fc.record({ amountMinor: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), currency: fc.constantFrom('ILS', 'USD', 'EUR', 'GBP') });

  it('totals each currency whatever the order, one entry per currency', () => {
    fc.assert(
      fc.property(fc.array(money, { maxLength: 30 }), (items) => {
        const totals = sumByCurrency(items);
        expect(sumByCurrency([...items].reverse())).toEqual(totals);
        expect(totals.map((t) => t.currency)).toEqual([...new Set(items.map((i) => i.currency))].sort());
        for (const t of totals) expect(t.amountMinor).toBe(items.filter((i) => i.currency === t.currency).reduce((s, i) => s + i.amountMinor, 0n));
      }),
    );
  });

  it('leaves nothing when a list is subtracted from itself', () => {
    fc.assert(
      fc.property(fc.array(money, { maxLength: 30 }), (items) => {
        expect(subtractByCurrency(items, items).every((t) => t.amountMinor === 0n)).toBe(true);
      }),
    );
  });
});

describe('subtractByCurrency', () => {
  it.each([
    ['pledged minus disbursed', [m(500_000n, 'ILS')], [m(120_000n, 'ILS')], [m(380_000n, 'ILS')]],
    ['more disbursed than pledged', [m(100n, 'ILS')], [m(250n, 'ILS')], [m(-150n, 'ILS')]],
    [
      'a currency only disbursed comes out negative, one only pledged stays',
      [m(500n, 'USD')],
      [m(70n, 'EUR'), m(200n, 'USD')],
      [m(-70n, 'EUR'), m(300n, 'USD')],
    ],
    ['nothing disbursed', [m(500n, 'USD'), m(1n, 'ILS')], [], [m(1n, 'ILS'), m(500n, 'USD')]],
  ])('%s', (_label, a, b, remaining) => {
    expect(subtractByCurrency(a, b)).toEqual(remaining);
  });
});

describe('canManagePartnership', () => {
  const viewer = (roles: [string, MembershipRole][], isAdmin = false): Viewer => ({
    id: 'u', name: 'U', isAdmin, roles: new Map(roles), operatesFor: new Set(), sessionId: 's', sessionExpiresAt: new Date(0),
  });
  const pair = { israeliCommunityId: 'sderot', abroadCommunityId: 'boston' };

  it.each([
    ['nobody signed in', null, false],
    ['a coordinator of the community in Israel', viewer([['sderot', 'COORDINATOR']]), true],
    ['a coordinator of the community abroad', viewer([['boston', 'COORDINATOR']]), true],
    ['a volunteer of both', viewer([['sderot', 'VOLUNTEER'], ['boston', 'VOLUNTEER']]), false],
    ['a coordinator of another community', viewer([['beeri', 'COORDINATOR']]), false],
    ['an admin', viewer([], true), true],
  ])('%s → %s', (_label, v, ok) => {
    expect(canManagePartnership(v, pair)).toBe(ok);
  });
});

describe('assertPledge', () => {
  it.each([
    ['zero', 0n],
    ['a yearly pledge', 150_000_000n],
    ['beyond 2^53', 9_007_199_254_740_993n],
  ])('takes %s', (_label, amount) => {
    expect(() => assertPledge(amount, 'amountMinor')).not.toThrow();
  });

  it.each([
    [-1n, 'yearlyPledgeMinor'],
    [-150_000n, 'amountMinor'],
  ])('refuses %s, naming the field %s', (amount, field) => {
    expect(() => assertPledge(amount, field)).toThrow(expect.objectContaining({ message: 'A pledge cannot be negative.', extensions: { code: 'BAD_USER_INPUT', field } }));
  });
});

describe('assertDisbursement', () => {
  it.each([
    [1n, true],
    [250_000n, true],
    [0n, false],
    [-1n, false],
  ])('%s → %s', (amount, ok) => {
    const check = () => assertDisbursement(amount);
    if (ok) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ message: 'A disbursement must be more than zero.', extensions: { code: 'BAD_USER_INPUT', field: 'amountMinor' } }));
  });
});

describe('goalServesPartnership', () => {
  const pair = { israeliCommunityId: 'sderot' };
  it.each([
    ["a goal on the Israeli community's road map", { communityId: 'sderot' }, true],
    ["a goal on the partner's road map", { communityId: 'boston' }, false],
    ['a goal of another community', { communityId: 'beeri' }, false],
    ['no goal (an unknown id)', null, false],
  ])('%s → %s', (_label, goal, ok) => {
    expect(goalServesPartnership(goal, pair)).toBe(ok);
  });
});

describe('goalProgress', () => {
  const done = new Date('2026-01-01T00:00:00Z');
  it.each([
    [[], 0],
    [[null], 0],
    [[done], 1],
    [[done, null, null, null], 0.25],
    [[done, done, null], 2 / 3],
  ])('%j → %s', (doneAts, progress) => {
    expect(goalProgress(doneAts.map((doneAt) => ({ doneAt })))).toBe(progress);
  });
});
