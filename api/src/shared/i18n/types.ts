// The shape of a message catalogue, shared by the API's catalogues (server.ts here) and the web
// app's (web/src/lib/i18n/messages): a feature's messages are written once in English (the
// reference, `as const`) and every other locale must translate every key, which the type checks.
// A counted message gives its CLDR plural forms; `other` is required, the rest as the language has them.
export type PluralForms = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : PluralForms };

/** The languages the app speaks (the schema's Locale enum), and the one used when a person's is not known. */
export const LOCALES = ['he', 'ar', 'en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'he';

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** A stored language (User.locale, Need.requesterLocale) as one the catalogues have; the default otherwise. */
export const localeOr = (value: string | null | undefined, fallback: Locale = DEFAULT_LOCALE): Locale => (isLocale(value) ? value : fallback);
