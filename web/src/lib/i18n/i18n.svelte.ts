// The UI language: which catalogue to read, which direction to lay out, and Intl formatting.
import { getContext, setContext } from 'svelte';
import { formatMessage } from '@mutual-aid/api/shared/i18n/format.ts';
import { en, type MessageKey, type Messages } from './messages/en.ts';
import { he } from './messages/he.ts';
import { ar } from './messages/ar.ts';
import { ru } from './messages/ru.ts';
import { DEFAULT_LOCALE, LOCALE_COOKIE, directionOf, type Locale } from './locales.ts';

const catalogues: Record<Locale, Messages> = { en, he, ar, ru };

type Params = Record<string, string | number>;

export class I18n {
  #locale = $state<Locale>(DEFAULT_LOCALE);
  #numbers = $derived(new Intl.NumberFormat(this.#locale));
  #relative = $derived(new Intl.RelativeTimeFormat(this.#locale, { numeric: 'auto' }));
  #dateTime = $derived(new Intl.DateTimeFormat(this.#locale, { dateStyle: 'medium', timeStyle: 'short' }));
  #time = $derived(new Intl.DateTimeFormat(this.#locale, { timeStyle: 'short' }));

  constructor(locale: Locale) {
    this.#locale = locale;
  }

  get locale(): Locale {
    return this.#locale;
  }

  get dir(): 'rtl' | 'ltr' {
    return directionOf(this.#locale);
  }

  /** Switches language; `remember` keeps the choice in a cookie the server reads for <html lang dir>. */
  set(locale: Locale, remember = true) {
    this.#locale = locale;
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
    if (remember) document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }

  /** A message in this locale, filled as the API fills its own (one formatter: @mutual-aid/api/shared/i18n/format.ts). */
  t = (key: MessageKey, params: Params = {}): string => formatMessage(this.#locale, catalogues[this.#locale][key] ?? en[key], params);

  /** Whether a key exists, e.g. a message for one input field reported by the server. */
  has(key: string): key is MessageKey {
    return Object.hasOwn(en, key);
  }

  number = (value: number, options?: Intl.NumberFormatOptions): string =>
    options ? new Intl.NumberFormat(this.#locale, options).format(value) : this.#numbers.format(value);

  dateTime = (value: string | Date): string => this.#dateTime.format(new Date(value));

  time = (value: string | Date): string => this.#time.format(new Date(value));

  hour = (value: string | Date): string => new Intl.DateTimeFormat(this.#locale, { hour: 'numeric' }).format(new Date(value));

  /** "5 minutes ago", "in 2 hours", relative to `now`. */
  relative = (value: string | Date, now: number = Date.now()): string => {
    const seconds = Math.round((new Date(value).getTime() - now) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return this.t('common.justNow');
    if (abs < 3600) return this.#relative.format(Math.round(seconds / 60), 'minute');
    if (abs < 86400) return this.#relative.format(Math.round(seconds / 3600), 'hour');
    return this.#relative.format(Math.round(seconds / 86400), 'day');
  };

  /** A duration such as "3:59:12" or "12:05" for countdowns. */
  duration = (totalSeconds: number): string => {
    const s = Math.max(0, Math.floor(totalSeconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const two = (n: number) => this.number(n, { minimumIntegerDigits: 2 });
    return h > 0 ? `${this.number(h)}:${two(m)}:${two(sec)}` : `${this.number(m)}:${two(sec)}`;
  };
}

const KEY = Symbol('i18n');
export const setI18n = (i18n: I18n) => setContext(KEY, i18n);
export const getI18n = () => getContext<I18n>(KEY);
