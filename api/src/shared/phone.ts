// Phone numbers as callers say them, read as Israeli unless they say otherwise (libphonenumber-js):
// 050-123-4567, 0501234567, +972 50 123 4567 and ٠٥٠١٢٣٤٥٦٧ are one number. Shared by the API (the
// duplicate key) and the web's intake form (the phone field's check and the caller's needs), so
// both agree on what a valid number is.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { asciiDigits } from './digits.ts';

/** The number in E.164 when it is a valid one (Israeli by default), else null. */
export function validPhone(text: string | null | undefined): string | null {
  if (!text) return null;
  const parsed = parsePhoneNumberFromString(asciiDigits(text).slice(0, 64), 'IL');
  return parsed?.isValid() ? parsed.number : null;
}
