import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { normalizeOpeningHours, type OpeningHours } from './stock.ts';

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).extensions as { code: string; field?: string };
  }
  throw new Error('did not throw');
};

describe('opening hours', () => {
  it('are stored in the week’s order (Monday first), each day’s openings by time', () => {
    const hours: OpeningHours[] = [
      { weekday: 'SUNDAY', opens: '16:00', closes: '19:00' },
      { weekday: 'MONDAY', opens: '16:00', closes: '19:00' },
      { weekday: 'MONDAY', opens: '09:00', closes: '12:00' },
    ];
    expect(normalizeOpeningHours(hours).map((h) => `${h.weekday} ${h.opens}`)).toEqual(['MONDAY 09:00', 'MONDAY 16:00', 'SUNDAY 16:00']);
    expect(normalizeOpeningHours([])).toEqual([]);
  });

  it('close after they open, and a day’s openings do not overlap: else bad input naming the field', () => {
    expect(fieldOf(() => normalizeOpeningHours([{ weekday: 'MONDAY', opens: '12:00', closes: '09:00' }]))).toEqual({ code: 'BAD_USER_INPUT', field: 'openingHours.0.closes' });
    expect(fieldOf(() => normalizeOpeningHours([{ weekday: 'MONDAY', opens: '12:00', closes: '12:00' }])).code).toBe('BAD_USER_INPUT');
    expect(
      fieldOf(() =>
        normalizeOpeningHours([
          { weekday: 'TUESDAY', opens: '09:00', closes: '13:00' },
          { weekday: 'TUESDAY', opens: '12:30', closes: '15:00' },
        ]),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'openingHours.1.opens' });
    // Back to back is not an overlap; the same hours on two days neither.
    expect(
      normalizeOpeningHours([
        { weekday: 'TUESDAY', opens: '09:00', closes: '13:00' },
        { weekday: 'TUESDAY', opens: '13:00', closes: '15:00' },
        { weekday: 'WEDNESDAY', opens: '09:00', closes: '13:00' },
      ]),
    ).toHaveLength(3);
  });
});
