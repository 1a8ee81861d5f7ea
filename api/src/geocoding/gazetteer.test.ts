import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALITIES_FILE, createGazetteer, extractLines, readLocalities } from './gazetteer.ts';
import { nameWords, normalizeName } from './normalize.ts';

describe('normalizeName', () => {
  it.each([
    ['שְׂדֵרוֹת', 'שדרות'],
    ['נחל־עוז', 'נחל עוז'],
    ['Nahal-Oz', 'nahal oz'],
    ['Be’eri', 'beeri'],
    ["Be'eri", 'beeri'],
    ['קריית שמונה', 'קריית שמונה'],
    ['ניר עוז', 'ניר עוז'],
    ['עין הבשור', 'עינ הבשור'],
    ['سْدِيرُوت', 'سديروت'],
    ['أم الفحم', 'ام الفحم'],
    ['Sdérot', 'sderot'],
    ['  HERZL,  12 ', 'herzl 12'],
  ])('%s → %s', (name, normal) => expect(normalizeName(name)).toBe(normal));

  it('leaves out a leading settlement kind, not a first word that is the name’s own', () => {
    expect(nameWords('קיבוץ בארי')).toEqual(['בארי']);
    expect(nameWords('Kibbutz Nir Oz')).toEqual(['nir', 'oz']);
    expect(nameWords('מושב עין הבשור')).toEqual(['עינ', 'הבשור']);
    expect(nameWords('Kfar Aza')).toEqual(['kfar', 'aza']);
    expect(nameWords('Kibbutz')).toEqual(['kibbutz']);
  });
});

describe('the gazetteer', () => {
  // Two rows in GeoNames' layout (id, name, ascii, alternates, lat, lng, class, code, country, …, population at 14).
  const row = (name: string, alternates: string[], lat: number, lng: number, country: string, population: number) =>
    [1, name, name, alternates.join(','), lat, lng, 'P', 'PPL', country, '', '', '', '', '', population, '', 0, 'Asia/Jerusalem', '2024-01-01'].join('\t');
  const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
  const file = join(dir, 'cities500.txt');
  writeFileSync(
    file,
    [
      row('Sderot', ['Sederot', 'שדרות', 'سديروت', 'Сдерот'], 31.525, 34.59693, 'IL', 27000),
      row('Jerusalem', ['אֵילִיָּה קַפִּיטוֹלִינָה', 'ירושלים', 'יְרוּשָׁלַיִם', 'القدس', 'اورشلیم'], 31.769, 35.216, 'IL', 800000),
      row('Sderot Beach', ['Sderot Beach'], 40, -70, 'US', 600),
    ].join('\n') + '\n',
  );
  const communities = async () => [{ name: 'Kibbutz Nir Oz', slug: 'nir-oz', centerLat: 31.31, centerLng: 34.4 }];
  const g = createGazetteer(() => readLocalities(file), communities);
  const search = (text: string, language = 'he') => g.search({ text, language, near: null, limit: 5 });

  it('reads the localities of Israel and the territories only, each with its everyday name per script', async () => {
    expect(await g.places()).toBe(2);
    expect((await search('jerusalem', 'he'))[0]?.label).toBe('ירושלים');
    expect((await search('jerusalem', 'ar'))[0]?.label).toBe('القدس');
    expect((await search('שדרות', 'ru'))[0]?.label).toBe('Сдерот');
  });

  it('finds the locality in a street address, keeps the street in the label, at locality precision', async () => {
    expect(await search('רחוב הרצל 12, בשדרות')).toEqual([{ label: 'רחוב הרצל 12, שדרות', lat: 31.525, lng: 34.59693, precision: 'LOCALITY', source: 'OFFLINE' }]);
    expect((await search('הרצל 12 שדר'))[0]?.label).toBe('הרצל 12, שדרות');
    expect(await search('הרצל 12')).toEqual([]);
  });

  it('finds a community by its own name, with or without the settlement kind', async () => {
    for (const text of ['kibbutz nir-oz', 'Nir Oz', 'קיבוץ nir oz']) {
      expect((await search(text, 'en'))[0]).toMatchObject({ label: 'Kibbutz Nir Oz', precision: 'COMMUNITY' });
    }
  });
});

describe('the shipped extract (localities.tsv)', () => {
  it('is exactly the Israeli and Palestinian lines of the pinned GeoNames package (api/scripts/gazetteer.ts)', async () => {
    const lines = await extractLines();
    expect(lines.length).toBeGreaterThan(1_000);
    expect(readFileSync(LOCALITIES_FILE, 'utf8')).toBe(lines.join('\n') + '\n');
  });
});
