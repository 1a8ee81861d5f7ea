// How place names are compared: forgiving of what people type during a call. Hebrew niqqud and
// cantillation, Arabic harakat and tatweel, Latin accents, final letters (ך ם ן ף ץ), Arabic
// letter variants (أ إ آ ٱ → ا, ة → ه, ى → ي), geresh, gershayim and apostrophes (Be'eri, Be’eri,
// Beeri), hyphens, maqaf and punctuation (Nahal-Oz, נחל־עוז), and case all compare equal.

const HEBREW_MARKS = /[\u0591-\u05BD\u05BF-\u05C7]/g;
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
const LATIN_MARKS = /[\u0300-\u036F]/g;
const QUOTES = /['’‘`´\u05F3\u05F4"“”]/g;
const SEPARATORS = /[\s\u05BE\-‐‑‒–—―_,.;:/\\()[\]{}|+*#!?،؛]+/g;

const FINALS: Record<string, string> = { ך: 'כ', ם: 'מ', ן: 'נ', ף: 'פ', ץ: 'צ' };
const ARABIC_LETTERS: Record<string, string> = { أ: 'ا', إ: 'ا', آ: 'ا', ٱ: 'ا', ة: 'ه', ى: 'ي', ؤ: 'و', ئ: 'ي' };

/** The comparable form of a name or a query: lower case, marks and quotes gone, separators one space. */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(HEBREW_MARKS, '')
    .replace(ARABIC_MARKS, '')
    .replace(LATIN_MARKS, '')
    .replace(QUOTES, '')
    .toLowerCase()
    .replace(/[ךםןףץ]/g, (c) => FINALS[c]!)
    .replace(/[أإآٱةىؤئ]/g, (c) => ARABIC_LETTERS[c]!)
    .replace(SEPARATORS, ' ')
    .trim();
}

/**
 * Words that say what kind of place follows ("Kibbutz Be'eri", "קיבוץ בארי", "מושב", "كيبوتس")
 * and are left out of names and queries alike, so that either spelling finds the place.
 */
export const KIND_WORDS = new Set(
  ['kibbutz', 'kibutz', 'qibbutz', 'moshav', 'moshava', 'kfar', 'kefar', 'kiryat', 'qiryat', 'קיבוץ', 'קבוץ', 'מושב', 'מושבה', 'יישוב', 'ישוב', 'כפר', 'קרית', 'קריית', 'كيبوتس', 'كيبوتز', 'موشاف', 'قرية']
    .map(normalizeName),
);

/** The words a name is matched by: its normalised words, without a leading kind word (when more follow). */
export function nameWords(name: string): string[] {
  const words = normalizeName(name).split(' ').filter(Boolean);
  while (words.length > 1 && KIND_WORDS.has(words[0]!) && isStrippable(words[0]!)) words.shift();
  return words;
}

// "Kfar Aza" and "Kiryat Shmona" keep their first word when it is the name's own: only the
// settlement kinds that never start a proper name are dropped from names.
const DROPPED_FROM_NAMES = new Set(['kibbutz', 'kibutz', 'qibbutz', 'moshav', 'moshava', 'קיבוצ', 'קבוצ', 'מושב', 'מושבה', 'יישוב', 'ישוב', 'كيبوتس', 'كيبوتز', 'موشاف'].map(normalizeName));
const isStrippable = (word: string) => DROPPED_FROM_NAMES.has(word);
