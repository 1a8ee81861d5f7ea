import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWallClock, toWallClock, ZONE } from './timezone.ts';

// Israel in 2026: UTC+2, summer time (UTC+3) from Friday 27 March 02:00 (clocks jump to 03:00)
// to Sunday 25 October 02:00 (clocks fall back to 01:00, which comes twice).
const wall = (s: string) => toWallClock(new Date(s)).toISOString();
const instant = (s: string) => fromWallClock(new Date(s)).toISOString();
const HOUR = 3_600_000;

describe('timezone', () => {
  it('is Israel', () => {
    expect(ZONE).toBe('Asia/Jerusalem');
  });

  // [what, instant, the wall clock it reads, which way it holds]: both ways, or only from the
  // instant (the first pass of the hour repeated in autumn), or only from the wall clock (the
  // hour skipped in spring).
  const pairs: [string, string, string, 'both' | 'to wall' | 'from wall'][] = [
    ['winter', '2026-01-15T10:00:00.000Z', '2026-01-15T12:00:00.000Z', 'both'],
    ['summer', '2026-07-01T10:00:00.000Z', '2026-07-01T13:00:00.000Z', 'both'],
    ['the date changes at local midnight', '2026-06-30T21:30:00.000Z', '2026-07-01T00:30:00.000Z', 'both'],
    ['milliseconds are kept', '2026-01-15T10:00:00.123Z', '2026-01-15T12:00:00.123Z', 'both'],
    ['01:59:59 before spring forward', '2026-03-26T23:59:59.000Z', '2026-03-27T01:59:59.000Z', 'both'],
    ['spring forward: 02:00 reads 03:00', '2026-03-27T00:00:00.000Z', '2026-03-27T03:00:00.000Z', 'both'],
    ['02:30 does not exist that night: it is read as 03:30', '2026-03-27T00:30:00.000Z', '2026-03-27T02:30:00.000Z', 'from wall'],
    ['00:30 before fall back', '2026-10-24T21:30:00.000Z', '2026-10-25T00:30:00.000Z', 'both'],
    ['01:30 the first time (summer time)', '2026-10-24T22:30:00.000Z', '2026-10-25T01:30:00.000Z', 'to wall'],
    ['the last second of summer time', '2026-10-24T22:59:59.000Z', '2026-10-25T01:59:59.000Z', 'to wall'],
    ['fall back: 02:00 reads 01:00 again', '2026-10-24T23:00:00.000Z', '2026-10-25T01:00:00.000Z', 'both'],
    ['01:30 the second time (winter time), the one a wall clock means', '2026-10-24T23:30:00.000Z', '2026-10-25T01:30:00.000Z', 'both'],
    ['02:00 after fall back', '2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', 'both'],
    ['2027 spring forward (26 March)', '2027-03-26T00:00:00.000Z', '2027-03-26T03:00:00.000Z', 'both'],
    ['2027 fall back (31 October)', '2027-10-30T23:00:00.000Z', '2027-10-31T01:00:00.000Z', 'both'],
  ];

  it.each(pairs.filter(([, , , way]) => way !== 'from wall'))('toWallClock, %s', (_label, at, w) => {
    expect(wall(at)).toBe(w);
  });

  it.each(pairs.filter(([, , , way]) => way !== 'to wall'))('fromWallClock, %s', (_label, at, w) => {
    expect(instant(w)).toBe(at);
  });

  const years = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });

  it('is always two or three hours ahead of UTC', () => {
    fc.assert(
      fc.property(years, (t) => {
        expect([2 * HOUR, 3 * HOUR]).toContain(toWallClock(t).getTime() - t.getTime());
      }),
    );
  });

  it('reads back every wall-clock time, but for the hour skipped in spring (an hour later)', () => {
    fc.assert(
      fc.property(years, (w) => {
        const back = toWallClock(fromWallClock(w)).getTime() - w.getTime();
        if (back !== 0) {
          expect(back).toBe(HOUR);
          expect([w.getUTCMonth(), w.getUTCHours()]).toEqual([2, 2]); // March, 02:xx
        }
      }),
    );
  });

  it('finds every instant again, but for the first of the hour repeated in autumn (the second)', () => {
    fc.assert(
      fc.property(years, (t) => {
        const w = toWallClock(t);
        const back = fromWallClock(w).getTime() - t.getTime();
        if (back !== 0) {
          expect(back).toBe(HOUR);
          expect([w.getUTCMonth(), w.getUTCHours()]).toEqual([9, 1]); // October, 01:xx
        }
      }),
    );
  });
});
