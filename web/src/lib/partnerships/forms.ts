// What the partnership forms say about amounts, and how they read and show calendar dates.
import type { I18n } from '#lib/i18n/i18n.svelte.ts';
import type { AmountProblem } from '#lib/money.ts';

export function amountMessage(i18n: I18n, problem: AmountProblem, currency: string): string {
  switch (problem.kind) {
    case 'required':
      return i18n.t('pform.required');
    case 'format':
      return i18n.t('pform.amountFormat');
    case 'digits':
      return i18n.t('pform.amountDigits', { digits: problem.digits, currency });
    case 'positive':
      return i18n.t('pform.amountPositive');
    case 'tooLarge':
      return i18n.t('pform.amountTooLarge');
  }
}

/** A calendar date from a date input ("2026-12-31") as the end of that day, UTC. */
export const endOfDay = (date: string) => `${date}T23:59:59.999Z`;
/** Calendar dates (due, target, paid) are shown as the UTC date they were entered as. */
export const formatDate = (locale: string, iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
/** Today as a date input's value. */
export const today = () => new Date().toISOString().slice(0, 10);
