// Money as the API keeps it: a string of integer minor units (agorot, cents) and an ISO 4217 code.
// Never a float: amounts are shown by formatting an exact decimal string, added up as BigInt, and
// typed-in amounts are turned into minor units by moving the decimal point, not by multiplying.
import { asciiDigits } from '@mutual-aid/api/shared/digits.ts';
export type Money = { amountMinor: string; currency: string };

/** How many minor-unit digits a currency has (2 for ILS and USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as an exact decimal string: "123456" in USD is "1234.56". */
function toDecimal(amountMinor: string, digits: number): string {
  const negative = amountMinor.startsWith('-');
  const abs = negative ? amountMinor.slice(1) : amountMinor;
  const padded = abs.padStart(digits + 1, '0');
  const decimal = digits ? `${padded.slice(0, -digits)}.${padded.slice(-digits)}` : padded;
  return negative ? `-${decimal}` : decimal;
}

/** "₪1,500,000.00", "US$12.00"…: the locale's currency format of the exact amount. */
export function formatMoney(locale: string, money: Money): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  // A numeric string is formatted exactly (no rounding through a double), however many digits.
  return format.format(toDecimal(money.amountMinor, currencyDigits(money.currency)) as Intl.StringNumericLiteral);
}

/** Sums per currency, currencies kept apart, sorted by code as the API sorts them. */
export function sumByCurrency(items: Money[]): Money[] {
  const totals = new Map<string, bigint>();
  for (const m of items) totals.set(m.currency, (totals.get(m.currency) ?? 0n) + BigInt(m.amountMinor));
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => ({ currency, amountMinor: sum.toString() }));
}

/** The amount of `currency` in a list, zero when absent. */
export function amountIn(list: Money[], currency: string): bigint {
  return BigInt(list.find((m) => m.currency === currency)?.amountMinor ?? '0');
}

/** part / whole between 0 and 1 (for bars and percentages), exact to a thousandth. */
export function share(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  const r = Number((part * 1000n) / whole) / 1000;
  return Math.min(1, Math.max(0, r));
}

export type AmountProblem = { kind: 'required' } | { kind: 'format' } | { kind: 'digits'; digits: number } | { kind: 'positive' } | { kind: 'tooLarge' };

/**
 * A typed amount in major units ("1250.5", "1 250,50") as minor units, or what is wrong with it.
 * A comma is read as the decimal point; spaces (thousands) are ignored; Arabic-Indic digits count.
 */
export function parseAmount(text: string, currency: string): { minor: string } | { problem: AmountProblem } {
  const compact = asciiDigits(text).replace(/[\s\u00a0\u202f]/g, '');
  if (!compact) return { problem: { kind: 'required' } };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(compact);
  if (!match) return { problem: { kind: 'format' } };
  const digits = currencyDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return { problem: { kind: 'digits', digits } };
  const minor = BigInt(match[1]! + fraction.padEnd(digits, '0'));
  if (minor <= 0n) return { problem: { kind: 'positive' } };
  if (minor.toString().length > 18) return { problem: { kind: 'tooLarge' } };
  return { minor: minor.toString() };
}
