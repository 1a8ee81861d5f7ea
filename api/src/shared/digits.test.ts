import { describe, expect, it } from 'vitest';
import { asciiDigits } from './digits.ts';

describe('asciiDigits', () => {
  it.each([
    ['١٢٣', '123'],
    ['٣١٫٥٢٧', '31.527'],
    ['١٬٢٥٠٫٥٠', '1250.50'],
    ['۱۲۳۴', '1234'],
    ['1250.5', '1250.5'],
    ['12a', '12a'],
    ['', ''],
  ])('%j → %j', (typed, ascii) => {
    expect(asciiDigits(typed)).toBe(ascii);
  });
});
