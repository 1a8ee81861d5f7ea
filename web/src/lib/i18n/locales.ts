// Supported locales and how to pick one; shared by the server hook (for <html lang dir>) and the client.
import type { introspection_types } from '../graphql/graphql-env.d.ts';

/** The API's Locale enum: a language added there is a type error here (LOCALE_NAMES) until the app speaks it. */
export type Locale = introspection_types['Locale']['enumValues'];
export const LOCALES = ['he', 'ar', 'en', 'ru'] as const satisfies readonly Locale[];
export const DEFAULT_LOCALE: Locale = 'he';
export const LOCALE_COOKIE = 'ma_locale';

/** Each locale's own name, shown in the switcher whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, string> = { he: 'עברית', ar: 'العربية', en: 'English', ru: 'Русский' };

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

export const directionOf = (locale: Locale): 'rtl' | 'ltr' => (locale === 'he' || locale === 'ar' ? 'rtl' : 'ltr');

/** The first supported language of a list such as navigator.languages or Accept-Language. */
export function negotiate(preferred: readonly string[]): Locale | undefined {
  for (const tag of preferred) {
    const base = tag.trim().split(/[-_;]/)[0]?.toLowerCase();
    if (base === 'iw') return 'he';
    if (isLocale(base)) return base;
  }
  return undefined;
}

export function fromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const tags = header
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag ?? '', q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q)
    .map((t) => t.tag);
  return negotiate(tags);
}

export function fromCookie(cookieHeader: string): Locale | undefined {
  const match = cookieHeader.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([a-z]{2})`));
  return isLocale(match?.[1]) ? match[1] : undefined;
}
