import { describe, expect, it } from 'vitest';
import { occurrenceStarts, SERIES_LIMITS, type Recurrence } from './recurrence.ts';

const starts = (r: Omit<Recurrence, 'durationMinutes' | 'slotsPerOccurrence' | 'startsAt'> & { startsAt: string; until?: string; dates?: string[] }) =>
  occurrenceStarts({
    ...r,
    startsAt: new Date(r.startsAt),
    until: r.until ? new Date(r.until) : null,
    dates: r.dates?.map((d) => new Date(d)) ?? null,
    durationMinutes: 60,
    slotsPerOccurrence: 1,
  }).map((d) => d.toISOString());

// Israel in 2026: UTC+2, summer time (UTC+3) from 27 March 02:00 to 25 October 02:00.
describe('occurrenceStarts', () => {
  it('has its limits', () => {
    expect(SERIES_LIMITS).toEqual({ maxOccurrences: 60, horizonDays: 120 });
  });

  it.each([
    [
      'daily 18:00 across spring forward',
      { frequency: 'DAILY', startsAt: '2026-03-25T16:00:00Z', count: 4 },
      ['2026-03-25T16:00:00.000Z', '2026-03-26T16:00:00.000Z', '2026-03-27T15:00:00.000Z', '2026-03-28T15:00:00.000Z'],
    ],
    [
      'daily 08:30 across fall back',
      { frequency: 'DAILY', startsAt: '2026-10-23T05:30:00Z', count: 4 },
      ['2026-10-23T05:30:00.000Z', '2026-10-24T05:30:00.000Z', '2026-10-25T06:30:00.000Z', '2026-10-26T06:30:00.000Z'],
    ],
    [
      'daily 02:30, a time skipped on the night of spring forward: 03:30 that day',
      { frequency: 'DAILY', startsAt: '2026-03-26T00:30:00Z', count: 3 },
      ['2026-03-26T00:30:00.000Z', '2026-03-27T00:30:00.000Z', '2026-03-27T23:30:00.000Z'],
    ],
    [
      'daily 01:30, a time that comes twice on the night of fall back: once, the second',
      { frequency: 'DAILY', startsAt: '2026-10-23T22:30:00Z', count: 3 },
      ['2026-10-23T22:30:00.000Z', '2026-10-24T23:30:00.000Z', '2026-10-25T23:30:00.000Z'],
    ],
    [
      'every other day',
      { frequency: 'DAILY', interval: 2, startsAt: '2026-01-01T08:00:00Z', count: 3 },
      ['2026-01-01T08:00:00.000Z', '2026-01-03T08:00:00.000Z', '2026-01-05T08:00:00.000Z'],
    ],
    [
      'weekly on Thursday 18:00 across fall back',
      { frequency: 'WEEKLY', weekdays: [4], startsAt: '2026-10-15T15:00:00Z', count: 4 },
      ['2026-10-15T15:00:00.000Z', '2026-10-22T15:00:00.000Z', '2026-10-29T16:00:00.000Z', '2026-11-05T16:00:00.000Z'],
    ],
    [
      'weekly on Sunday, Tuesday and Thursday 08:00 across spring forward',
      { frequency: 'WEEKLY', weekdays: [0, 2, 4], startsAt: '2026-03-22T06:00:00Z', count: 6 },
      ['2026-03-22T06:00:00.000Z', '2026-03-24T06:00:00.000Z', '2026-03-26T06:00:00.000Z', '2026-03-29T05:00:00.000Z', '2026-03-31T05:00:00.000Z', '2026-04-02T05:00:00.000Z'],
    ],
    [
      'weekly without weekdays: the weekday it starts on (Wednesday)',
      { frequency: 'WEEKLY', weekdays: [], startsAt: '2026-03-18T16:00:00Z', count: 3 },
      ['2026-03-18T16:00:00.000Z', '2026-03-25T16:00:00.000Z', '2026-04-01T15:00:00.000Z'],
    ],
    [
      'every other Friday 10:00',
      { frequency: 'WEEKLY', interval: 2, weekdays: [5], startsAt: '2026-03-13T08:00:00Z', count: 3 },
      ['2026-03-13T08:00:00.000Z', '2026-03-27T07:00:00.000Z', '2026-04-10T07:00:00.000Z'],
    ],
    [
      'seconds and milliseconds of the start are kept',
      { frequency: 'DAILY', startsAt: '2026-03-26T16:15:30.250Z', count: 2 },
      ['2026-03-26T16:15:30.250Z', '2026-03-27T15:15:30.250Z'],
    ],
    [
      'until an occurrence: that one included',
      { frequency: 'DAILY', startsAt: '2026-03-25T16:00:00Z', until: '2026-03-27T15:00:00Z' },
      ['2026-03-25T16:00:00.000Z', '2026-03-26T16:00:00.000Z', '2026-03-27T15:00:00.000Z'],
    ],
    [
      'until a minute before an occurrence: that one left out',
      { frequency: 'DAILY', startsAt: '2026-03-25T16:00:00Z', until: '2026-03-27T14:59:00Z' },
      ['2026-03-25T16:00:00.000Z', '2026-03-26T16:00:00.000Z'],
    ],
    ['until before the start', { frequency: 'DAILY', startsAt: '2026-03-01T08:00:00Z', until: '2026-02-01T08:00:00Z' }, []],
    ['a count of zero', { frequency: 'DAILY', startsAt: '2026-03-01T08:00:00Z', count: 0 }, []],
    [
      'dates, in order, whatever order they were given in',
      { frequency: 'DATES', startsAt: '2026-03-01T08:00:00Z', dates: ['2026-03-10T08:00:00Z', '2026-03-05T08:00:00Z'] },
      ['2026-03-05T08:00:00.000Z', '2026-03-10T08:00:00.000Z'],
    ],
    [
      'dates up to the count',
      { frequency: 'DATES', startsAt: '2026-03-01T08:00:00Z', count: 1, dates: ['2026-03-10T08:00:00Z', '2026-03-05T08:00:00Z'] },
      ['2026-03-05T08:00:00.000Z'],
    ],
    [
      'dates up to until',
      { frequency: 'DATES', startsAt: '2026-03-01T08:00:00Z', until: '2026-03-07T00:00:00Z', dates: ['2026-03-10T08:00:00Z', '2026-03-05T08:00:00Z'] },
      ['2026-03-05T08:00:00.000Z'],
    ],
    [
      'dates beyond the 120-day horizon left out',
      { frequency: 'DATES', startsAt: '2026-03-01T08:00:00Z', dates: ['2026-06-29T08:00:00Z', '2026-06-29T08:00:01Z'] },
      ['2026-06-29T08:00:00.000Z'],
    ],
    ['no dates', { frequency: 'DATES', startsAt: '2026-03-01T08:00:00Z' }, []],
  ] as const)('%s', (_label, r, expected) => {
    expect(starts(r as Parameters<typeof starts>[0])).toEqual(expected);
  });

  it('makes at most 60 occurrences, whatever the count', () => {
    for (const count of [undefined, 61, 1_000]) {
      const daily = starts({ frequency: 'DAILY', startsAt: '2026-01-01T08:00:00Z', count });
      expect(daily).toHaveLength(60);
      expect(daily.at(-1)).toBe('2026-03-01T08:00:00.000Z');
    }
  });

  it('stops at 120 days from the start', () => {
    const weekly = starts({ frequency: 'WEEKLY', startsAt: '2026-01-01T08:00:00Z', count: 100 });
    expect(weekly).toHaveLength(18);
    expect(weekly.at(-1)).toBe('2026-04-30T07:00:00.000Z');
    // Day 120 itself is in (1 May 10:00 local is 07:00Z, before the 08:00Z horizon).
    const everyThirdDay = starts({ frequency: 'DAILY', interval: 3, startsAt: '2026-01-01T08:00:00Z', count: 100 });
    expect(everyThirdDay).toHaveLength(41);
    expect(everyThirdDay.at(-1)).toBe('2026-05-01T07:00:00.000Z');
  });

  it('keeps the local time of day for a whole year of Thursdays at 18:00 (in 120-day series)', () => {
    for (const from of ['2026-01-01T16:00:00Z', '2026-05-07T15:00:00Z', '2026-09-03T15:00:00Z']) {
      const series = starts({ frequency: 'WEEKLY', weekdays: [4], startsAt: from });
      expect(series).toHaveLength(18);
      for (const s of series) {
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jerusalem', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(s));
        expect(local).toBe('Thu 18:00');
      }
    }
  });
});
