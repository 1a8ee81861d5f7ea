import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterQuietHours } from './notifications.ts';

const after = (at: string, from: number | null, to: number | null) => afterQuietHours(new Date(at), from, to).toISOString();

// 1 November 2026, Israel on winter time (UTC+2): 21:30Z is 23:30 there.
describe('afterQuietHours', () => {
  it.each([
    ['no quiet hours', '2026-11-01T21:30:00.000Z', null, null, '2026-11-01T21:30:00.000Z'],
    ['only a start', '2026-11-01T21:30:00.000Z', 22, null, '2026-11-01T21:30:00.000Z'],
    ['only an end', '2026-11-01T21:30:00.000Z', null, 7, '2026-11-01T21:30:00.000Z'],
    ['from 7 to 7 (none)', '2026-11-01T21:30:00.000Z', 7, 7, '2026-11-01T21:30:00.000Z'],
    ['22–07, at 23:30: 07:00 next morning', '2026-11-01T21:30:00.000Z', 22, 7, '2026-11-02T05:00:00.000Z'],
    ['22–07, at 22:00 sharp: quiet', '2026-11-01T20:00:00.000Z', 22, 7, '2026-11-02T05:00:00.000Z'],
    ['22–07, at 06:59:59.5: 07:00', '2026-11-01T04:59:59.500Z', 22, 7, '2026-11-01T05:00:00.000Z'],
    ['22–07, at 07:00 sharp: not quiet', '2026-11-01T05:00:00.000Z', 22, 7, '2026-11-01T05:00:00.000Z'],
    ['22–07, at 21:59: not quiet', '2026-11-01T19:59:00.000Z', 22, 7, '2026-11-01T19:59:00.000Z'],
    ['13–15, at 14:10: 15:00', '2026-11-01T12:10:00.000Z', 13, 15, '2026-11-01T13:00:00.000Z'],
    ['13–15, at 13:00: 15:00', '2026-11-01T11:00:00.000Z', 13, 15, '2026-11-01T13:00:00.000Z'],
    ['13–15, at 12:59:59: not quiet', '2026-11-01T10:59:59.000Z', 13, 15, '2026-11-01T10:59:59.000Z'],
    ['13–15 in summer (UTC+3), at 14:10: 15:00', '2026-07-01T11:10:00.000Z', 13, 15, '2026-07-01T12:00:00.000Z'],
  ])('%s', (_label, at, from, to, expected) => {
    expect(after(at, from, to)).toBe(expected);
  });

  // Across the night the clocks change, 07:00 is found on the wall clock (hours used to be
  // added as real hours: an hour late in spring, an hour early, still quiet, in autumn).
  it('waits for 07:00 across the night of spring forward (23:30 → 07:00 summer time)', () => {
    expect(after('2026-03-26T21:30:00.000Z', 22, 7)).toBe('2026-03-27T04:00:00.000Z');
  });
  it('waits for 07:00 across the night of fall back (23:30 → 07:00 winter time)', () => {
    expect(after('2026-10-24T20:30:00.000Z', 22, 7)).toBe('2026-10-25T05:00:00.000Z');
  });
});
