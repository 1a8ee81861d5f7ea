import { describe, expect, it } from 'vitest';
import { startOfDay } from './stats.ts';

const start = (at: string, zone?: string) => startOfDay(new Date(at), zone).toISOString();

// Israel: UTC+2 in winter, UTC+3 in summer (2026: from 27 March to 25 October).
describe('startOfDay', () => {
  it.each([
    ['winter: midnight is 22:00 UTC the day before', '2026-11-01T10:00:00.000Z', '2026-10-31T22:00:00.000Z'],
    ['summer: midnight is 21:00 UTC the day before', '2026-07-01T10:00:00.000Z', '2026-06-30T21:00:00.000Z'],
    ['at midnight itself', '2026-10-31T22:00:00.000Z', '2026-10-31T22:00:00.000Z'],
    ['a millisecond before midnight: the day before', '2026-10-31T21:59:59.999Z', '2026-10-30T22:00:00.000Z'],
    ['milliseconds are dropped', '2026-11-01T10:00:00.456Z', '2026-10-31T22:00:00.000Z'],
    ['before the change, the night of spring forward', '2026-03-26T23:30:00.000Z', '2026-03-26T22:00:00.000Z'],
    ['before the change, the night of fall back', '2026-10-24T21:30:00.000Z', '2026-10-24T21:00:00.000Z'],
  ])('%s', (_label, at, midnight) => {
    expect(start(at)).toBe(midnight);
  });

  it.each([
    ['UTC', '2026-11-01T00:00:00.000Z'],
    // 1 November 2026 is New York's fall-back day: its midnight was still summer time (UTC−4).
    ['America/New_York', '2026-11-01T04:00:00.000Z'],
  ])('in another zone: %s', (zone, midnight) => {
    expect(start('2026-11-01T10:00:00.000Z', zone)).toBe(midnight);
  });

  // The two days a year whose length is not 24 hours: the hours on the wall clock since
  // midnight are not the hours that passed (this used to come out an hour off).
  it('finds midnight later on the day of spring forward (at 13:00 summer time)', () => {
    expect(start('2026-03-27T10:00:00.000Z')).toBe('2026-03-26T22:00:00.000Z');
  });
  it('finds midnight later on the day of fall back (at 12:00 winter time)', () => {
    expect(start('2026-10-25T10:00:00.000Z')).toBe('2026-10-24T21:00:00.000Z');
  });
});
