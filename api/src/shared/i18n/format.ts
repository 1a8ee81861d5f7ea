// Fills a catalogue entry for a locale: the plural form CLDR picks for `count` (Intl.PluralRules),
// then {name} placeholders, numbers in the locale's digits and separators (Intl.NumberFormat),
// dates as the locale writes them, on Israel's wall clock (Intl.DateTimeFormat with ZONE). The API
// and the web app format through this one function.
import { ZONE } from '../time.ts';
import type { PluralForms } from './types.ts';

export type Params = Record<string, string | number | Date>;

const cache = new Map<string, Intl.PluralRules | Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.PluralRules | Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let found = cache.get(key) as T | undefined;
  if (!found) cache.set(key, (found = make()));
  return found;
}

const plurals = (locale: string) => cached(`p:${locale}`, () => new Intl.PluralRules(locale));
const numbers = (locale: string) => cached(`n:${locale}`, () => new Intl.NumberFormat(locale));
/** A date and time as the locale writes them, in Israel's zone: "4 בדצמ׳ 2026, 21:30", "Dec 4, 2026, 9:30 PM". */
const dateTimes = (locale: string) => cached(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE }));

export const formatNumber = (locale: string, value: number): string => numbers(locale).format(value);
export const formatDateTime = (locale: string, value: Date): string => dateTimes(locale).format(value);

/** The form of a counted message for `count` in `locale`, `other` when the language's form is missing. */
export function pluralForm(locale: string, forms: PluralForms, count: number): string {
  return forms[plurals(locale).select(count) as keyof PluralForms] ?? forms.other;
}

export function formatMessage(locale: string, entry: string | PluralForms, params: Params = {}): string {
  const text = typeof entry === 'string' ? entry : pluralForm(locale, entry, Number(params.count ?? 0));
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (value instanceof Date) return formatDateTime(locale, value);
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}
