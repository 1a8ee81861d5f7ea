import type { Handle } from '@sveltejs/kit/hooks';
import { DEFAULT_LOCALE, directionOf, fromAcceptLanguage, fromCookie } from '#lib/i18n/locales.ts';

// The page is rendered in the browser, but <html lang dir> comes from the server so the first paint
// is already in the right language and direction.
export const handle: Handle = async ({ event, resolve }) => {
  const locale = fromCookie(event.request.headers.get('cookie') ?? '') ?? fromAcceptLanguage(event.request.headers.get('accept-language')) ?? DEFAULT_LOCALE;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', locale).replace('%dir%', directionOf(locale)),
  });
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
};
