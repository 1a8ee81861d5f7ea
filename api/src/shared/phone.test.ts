import { describe, expect, it } from 'vitest';
import { validPhone } from './phone.ts';

describe('validPhone', () => {
  it.each([
    ['050-123-4567', '+972501234567'],
    ['0501234567', '+972501234567'],
    ['+972 50 123 4567', '+972501234567'],
    ['+972-50-1234567', '+972501234567'],
    // Typed on an Arabic keyboard.
    ['٠٥٠١٢٣٤٥٦٧', '+972501234567'],
    ['۰۵۰۱۲۳۴۵۶۷', '+972501234567'],
    // A landline, and a number abroad that says so.
    ['08-661-2345', '+97286612345'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s is %s', (typed, e164) => expect(validPhone(typed)).toBe(e164));

  it.each(['', '050-12', 'call me', '050-123-45678-9', '1'.repeat(10_000), '🙂', '\u200f050\u200e'])('%s is not (yet) a number', (typed) => {
    expect(validPhone(typed)).toBeNull();
  });
});
