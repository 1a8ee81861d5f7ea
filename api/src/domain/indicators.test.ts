import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodStartOf, type Period } from './indicators.ts';
import { toWallClock } from './timezone.ts';

const start = (p: Period, s: string) => periodStartOf(p, new Date(s)).toISOString();

describe('periodStartOf', () => {
  it('is the Israel midnight that starts the period, across summer time', () => {
    expect(start('MONTH', '2026-03-15T12:00:00Z')).toBe('2026-02-28T22:00:00.000Z');
    expect(start('MONTH', '2026-04-30T20:59:59Z')).toBe('2026-03-31T21:00:00.000Z');
    // 22:30 UTC on 31 March is already 1 April in Israel.
    expect(start('MONTH', '2026-03-31T22:30:00Z')).toBe('2026-03-31T21:00:00.000Z');
    expect(start('QUARTER', '2026-05-10T00:00:00Z')).toBe('2026-03-31T21:00:00.000Z');
    expect(start('QUARTER', '2026-02-10T00:00:00Z')).toBe('2025-12-31T22:00:00.000Z');
    // Weeks from Monday: Saturday 14 March 2026 is in the week of Monday 9 March.
    expect(start('WEEK', '2026-03-13T21:00:00Z')).toBe('2026-03-08T22:00:00.000Z');
    expect(start('WEEK', '2026-03-08T22:00:00Z')).toBe('2026-03-08T22:00:00.000Z');
    // The week in which summer time starts (Friday 27 March) begins at winter time's midnight.
    expect(start('WEEK', '2026-03-29T10:00:00Z')).toBe('2026-03-22T22:00:00.000Z');
  });

  it('is a fixed point, never after the instant, and a midnight on the first day of the period', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom<Period>('WEEK', 'MONTH', 'QUARTER'), (d, p) => {
        const s = periodStartOf(p, d);
        expect(s.getTime()).toBeLessThanOrEqual(d.getTime());
        expect(periodStartOf(p, s).getTime()).toBe(s.getTime());
        const wall = toWallClock(s);
        expect([wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()]).toEqual([0, 0, 0]);
        if (p === 'WEEK') expect(wall.getUTCDay()).toBe(1);
        else expect(wall.getUTCDate()).toBe(1);
        if (p === 'QUARTER') expect(wall.getUTCMonth() % 3).toBe(0);
      }),
    );
  });
});
