// The server's messages in a reader's language: `translator(locale)` gives the `t` every text a
// person reads goes through (notifications, e-mail, text messages, import reasons).
import { formatMessage, type Params } from './format.ts';
import { serverAr, serverEn, serverHe, serverRu } from './server.ts';
import type { Locale } from './types.ts';

export type ServerKey = keyof typeof serverEn;
/** A message not yet in anyone's language: its key and what fills it. */
export type Text = { key: ServerKey; params?: Params };
export type Translate = (key: ServerKey, params?: Params) => string;

const catalogues = { en: serverEn, he: serverHe, ar: serverAr, ru: serverRu } as const;

export const text = (key: ServerKey, params?: Params): Text => ({ key, params });

export function translator(locale: Locale): Translate {
  return (key, params) => formatMessage(locale, catalogues[locale][key] ?? serverEn[key], params);
}

export const render = (locale: Locale, t: Text): string => translator(locale)(t.key, t.params);
