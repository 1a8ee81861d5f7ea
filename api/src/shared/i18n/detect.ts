// The language a text message was written in, by its script: Hebrew, Arabic, Cyrillic (Russian)
// and Latin (English) letters are disjoint, so for the four languages the app speaks the script
// most of the letters are in is reliable where word-based guessing on a short text is not.
import type { Locale } from './types.ts';

const SCRIPTS: readonly (readonly [Locale, RegExp])[] = [
  ['he', /\p{Script=Hebrew}/u],
  ['ar', /\p{Script=Arabic}/u],
  ['ru', /\p{Script=Cyrillic}/u],
  ['en', /\p{Script=Latin}/u],
];

/** The locale whose script most letters of `text` are in; null without letters (digits, emoji). */
export function languageOfText(text: string): Locale | null {
  const counts = new Map<Locale, number>();
  for (const ch of text) {
    const found = SCRIPTS.find(([, re]) => re.test(ch));
    if (found) counts.set(found[0], (counts.get(found[0]) ?? 0) + 1);
  }
  let best: Locale | null = null;
  for (const [locale, n] of counts) if (best === null || n > counts.get(best)!) best = locale;
  return best;
}
