import { describe, expect, it } from 'vitest';
import { serverAr, serverEn, serverHe, serverRu } from './server.ts';
import { formatMessage } from './format.ts';
import { languageOfText } from './detect.ts';
import { translator } from './translate.ts';
import type { PluralForms } from './types.ts';

const catalogues = { he: serverHe, ar: serverAr, ru: serverRu, en: serverEn } as const;

describe('server catalogues', () => {
  it('every counted message has the form each language needs for every count', () => {
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const [key, entry] of Object.entries(catalogue)) {
        if (typeof entry === 'string') continue;
        for (const c of categories) expect(entry[c as keyof PluralForms], `${locale} ${key} ${c}`).toBeTypeOf('string');
      }
    }
  });

  it('every placeholder of the English text is in each translation', () => {
    const names = (v: string | PluralForms) => new Set([...(typeof v === 'string' ? v : v.other).matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      for (const [key, entry] of Object.entries(serverEn)) {
        const theirs = names(catalogue[key as keyof typeof serverEn]);
        for (const name of names(entry)) if (name !== 'count') expect(theirs.has(name), `${locale} ${key} {${name}}`).toBe(true);
      }
    }
  });

  it('picks CLDR plural forms: Russian 1, 3, 5, 21; Arabic 0, 1, 2, 3, 11, 100', () => {
    const ru = translator('ru');
    expect([1, 3, 5, 21].map((count) => ru('notify.claimExpiring.title', { count }))).toEqual([
      'Ваша задача истекает через 1 минуту',
      'Ваша задача истекает через 3 минуты',
      'Ваша задача истекает через 5 минут',
      'Ваша задача истекает через 21 минуту',
    ]);
    const ar = translator('ar');
    expect([0, 1, 2, 3, 11, 100].map((count) => ar('notify.claimExpiring.title', { count }))).toEqual([
      'تنتهي مهمتك خلال 0 دقيقة',
      'تنتهي مهمتك خلال دقيقة واحدة',
      'تنتهي مهمتك خلال دقيقتين',
      'تنتهي مهمتك خلال 3 دقائق',
      'تنتهي مهمتك خلال 11 دقيقة',
      'تنتهي مهمتك خلال 100 دقيقة',
    ]);
  });

  it('writes dates in the locale on Israel’s clock, whatever the process zone', () => {
    // 18:30 UTC on 4 December is 20:30 in Israel (winter, UTC+2).
    const at = new Date('2026-12-04T18:30:00Z');
    expect(formatMessage('he', 'עד {t}', { t: at })).toBe('עד 4 בדצמ׳ 2026, 20:30');
    expect(formatMessage('en', 'by {t}', { t: at })).toBe('by Dec 4, 2026, 8:30 PM');
  });
});

describe('languageOfText', () => {
  it('reads the script most letters are in', () => {
    expect(languageOfText('אמא שלי צריכה אינסולין, רח׳ הרצל 5')).toBe('he');
    expect(languageOfText('أمي تحتاج إلى الأنسولين')).toBe('ar');
    expect(languageOfText('Маме нужен инсулин, ул. Герцль 5')).toBe('ru');
    expect(languageOfText('Need a ride to Soroka at 8')).toBe('en');
    expect(languageOfText('צריך insulin בבקשה')).toBe('he');
    expect(languageOfText('050 123 4567 🙏')).toBeNull();
  });
});
