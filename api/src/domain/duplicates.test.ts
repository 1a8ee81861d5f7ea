import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Need } from '../generated/prisma/client.ts';
import { DUPLICATE_RULES, phoneKey, scoreDuplicate } from './duplicates.ts';

const T0 = new Date('2026-11-01T10:00:00Z');
const KM_PER_DEGREE_LAT = 6371.0088 * (Math.PI / 180);

/** A need with only what scoring reads; `northKm` and `hoursLater` place it from the first. */
function need(o: { title?: string; description?: string; category?: Need['category']; phone?: string | null; email?: string | null; northKm?: number; hoursLater?: number; seriesId?: string } = {}): Need {
  return {
    seriesId: o.seriesId ?? null,
    title: o.title ?? 'Groceries for an elderly couple',
    description: o.description ?? '',
    category: o.category ?? 'FOOD',
    requesterPhone: o.phone ?? null,
    requesterEmail: o.email ?? null,
    lat: 31.525 + (o.northKm ?? 0) / KM_PER_DEGREE_LAT,
    lng: 34.597,
    createdAt: new Date(T0.getTime() + (o.hoursLater ?? 0) * 3_600_000),
  } as Need;
}

describe('phoneKey', () => {
  it.each([
    ['050-123-4567', '+972501234567'],
    ['+972 50 123 4567', '+972501234567'],
    ['0501234567', '+972501234567'],
    ['+972-50-1234567', '+972501234567'],
    ['00972 50 123 4567', '+972501234567'],
    ['(08) 661-2345', '+97286612345'],
    ['+1 (212) 555-0142', '+12125550142'],
    ['1234567', '+9721234567'],
    ['123456', null],
    ['call me', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (phone, key) => {
    expect(phoneKey(phone)).toBe(key);
  });

  it('tells 050 from 052', () => {
    expect(phoneKey('052-123-4567')).not.toBe(phoneKey('050-123-4567'));
  });

  // A landline has 9 digits with its trunk 0 (08-661-2345): its last nine digits kept the 0
  // that +972 8 661 2345 drops, and the two ways of writing it gave two keys.
  it('treats a landline written locally and internationally as one number', () => {
    expect(phoneKey('+972 8 661 2345')).toBe(phoneKey('08-661-2345'));
  });
});

describe('scoreDuplicate', () => {
  it('uses 30 days for contacts, 150 m, 72 h and 0.45 text similarity for the rest', () => {
    expect(DUPLICATE_RULES).toEqual({ contactWindowDays: 30, radiusKm: 0.15, windowHours: 72, minTextSimilarity: 0.45 });
  });

  // Text similarity is Sørensen–Dice on letter pairs: "abc"/"abd" 0.5, "abc"/"abxy" 0.4,
  // "night"/"nacht" 0.25, unrelated words 0.
  it.each([
    [
      'the same caller, another category, other words, far away: 0.7',
      need({ phone: '050-123-4567', title: 'food' }),
      need({ phone: '+972 50 123 4567', title: 'ride', category: 'TRANSPORT', northKm: 20, hoursLater: 500 }),
      { score: 0.7, reasons: ['SAME_PHONE'] },
    ],
    [
      'the same caller asking the same, same place: 1',
      need({ phone: '050-123-4567' }),
      need({ phone: '0501234567', hoursLater: 1 }),
      { score: 1, reasons: ['SAME_PHONE', 'SAME_CATEGORY', 'NEARBY', 'SIMILAR_TEXT'] },
    ],
    [
      'the same e-mail, spaced and capitalised otherwise, half-similar text: 0.95',
      need({ email: 'miriam@example.org', title: 'abc' }),
      need({ email: ' Miriam@Example.ORG ', title: 'abd', northKm: 5 }),
      { score: 0.95, reasons: ['SAME_EMAIL', 'SAME_CATEGORY', 'SIMILAR_TEXT'] },
    ],
    [
      'the same phone and e-mail',
      need({ phone: '050-123-4567', email: 'a@example.org', title: 'abc' }),
      need({ phone: '050 123 4567', email: 'a@example.org', title: 'xyz', category: 'MEDICINE', northKm: 5 }),
      { score: 0.7, reasons: ['SAME_PHONE', 'SAME_EMAIL'] },
    ],
    [
      'same category, 140 m, 3 h, half-similar text: 0.4 + 0.6 × 0.5',
      need({ title: 'abc' }),
      need({ title: 'abd', northKm: 0.14, hoursLater: 3 }),
      { score: 0.7, reasons: ['SAME_CATEGORY', 'NEARBY', 'SIMILAR_TEXT'] },
    ],
    [
      'the same request retyped (similarity 0.78125), rounded to 0.869',
      need({ title: 'Groceries for elderly couple on Herzl', description: 'They cannot leave home' }),
      need({ title: 'Grocery delivery for an elderly couple, Herzl St', description: 'cannot leave the house', northKm: 0.04, hoursLater: 3 }),
      { score: 0.869, reasons: ['SAME_CATEGORY', 'NEARBY', 'SIMILAR_TEXT'] },
    ],
    [
      'the same e-mail with other words, 160 m away: 0.7 + 0.2 + 0.1 × 0.25',
      need({ email: 'x@example.org', title: 'night' }),
      need({ email: 'X@example.org', title: 'nacht', northKm: 0.16 }),
      { score: 0.925, reasons: ['SAME_EMAIL', 'SAME_CATEGORY'] },
    ],
    [
      'exactly 72 hours apart',
      need(),
      need({ hoursLater: 72 }),
      { score: 1, reasons: ['SAME_CATEGORY', 'NEARBY', 'SIMILAR_TEXT'] },
    ],
    [
      'punctuation and case do not count',
      need({ title: 'Groceries, for an ELDERLY couple!' }),
      need({ title: 'groceries for an elderly couple' }),
      { score: 1, reasons: ['SAME_CATEGORY', 'NEARBY', 'SIMILAR_TEXT'] },
    ],
  ])('flags %s', (_label, a, b, expected) => {
    const s = scoreDuplicate(a, b);
    expect(s?.reasons).toEqual(expected.reasons);
    expect(s?.score).toBeCloseTo(expected.score, 12);
  });

  it.each([
    ['text just under the threshold (0.4)', need({ title: 'abc' }), need({ title: 'abxy' })],
    ['"night" and "nacht" (0.25)', need({ title: 'night' }), need({ title: 'nacht' })],
    ['another category', need(), need({ category: 'TRANSPORT' })],
    ['160 m apart', need(), need({ northKm: 0.16 })],
    ['72 hours and a second apart', need(), need({ hoursLater: 72 + 1 / 3600 })],
    ['different phones', need({ phone: '050-123-4567', title: 'a' }), need({ phone: '052-123-4567', title: 'b', northKm: 1 })],
    ['phones too short to compare', need({ phone: '123456', title: 'a' }), need({ phone: '123456', title: 'b', northKm: 1 })],
    ['no e-mail on either', need({ title: 'a' }), need({ title: 'b', northKm: 1 })],
    ['two shifts of one series (same place, words and caller)', need({ phone: '050-123-4567', seriesId: 's1' }), need({ phone: '050-123-4567', seriesId: 's1', hoursLater: 24 })],
  ])('does not flag %s', (_label, a, b) => {
    expect(scoreDuplicate(a, b)).toBeNull();
  });

  // Both texts empty after normalising (a title of only emoji or punctuation): Dice was 0/0,
  // and a same-phone pair scored NaN.
  it('scores a number when neither text has a letter or digit', () => {
    const s = scoreDuplicate(need({ phone: '050-123-4567', title: '🙏' }), need({ phone: '050-123-4567', title: '!!!' }));
    expect(s?.score).toBe(0.9);
  });

  const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
  const arbitraryNeed = fc
    .record({
      title: fc.array(pick('groceries', 'ride', 'hospital', 'elderly', 'couple', 'herzl', 'medicine', 'בקשה', 'מזון'), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
      category: pick<Need['category']>('FOOD', 'MEDICINE'),
      phone: pick(null, '050-123-4567', '+972 50 123 4567', '052-765-4321', '123'),
      email: pick(null, 'miriam@example.org', ' Miriam@Example.org ', 'dan@example.org'),
      northKm: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
      hoursLater: fc.double({ min: -100, max: 100, noNaN: true }),
    })
    .map(need);

  it('is symmetric, and a flagged pair scores 0.4 to 1', () => {
    fc.assert(
      fc.property(arbitraryNeed, arbitraryNeed, (a, b) => {
        const s = scoreDuplicate(a, b);
        expect(scoreDuplicate(b, a)).toEqual(s);
        if (s) {
          expect(s.score).toBeGreaterThanOrEqual(0.4);
          expect(s.score).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('always flags the same caller, at 0.7 or more', () => {
    fc.assert(
      fc.property(arbitraryNeed, arbitraryNeed, (a, b) => {
        fc.pre(phoneKey(a.requesterPhone) !== null && phoneKey(a.requesterPhone) === phoneKey(b.requesterPhone));
        const s = scoreDuplicate(a, b);
        expect(s?.reasons[0]).toBe('SAME_PHONE');
        expect(s!.score).toBeGreaterThanOrEqual(0.7);
      }),
    );
  });
});

describe('a need still being typed (intake on a call)', () => {
  const typed = (o: Partial<Pick<Need, 'title' | 'requesterPhone'>> & { category?: Need['category'] | null; lat?: number | null }) => ({
    seriesId: null,
    title: o.title ?? '',
    description: '',
    category: o.category ?? null,
    requesterPhone: o.requesterPhone ?? null,
    requesterEmail: null,
    lat: o.lat ?? null,
    lng: o.lat === undefined || o.lat === null ? null : 34.597,
    createdAt: T0,
  });

  it('without a place or a category is near nothing, and still found by its phone', () => {
    expect(scoreDuplicate(need({ title: 'Groceries' }), typed({ title: 'Groceries' }))).toBeNull();
    expect(scoreDuplicate(need({ phone: '050-123-4567' }), typed({ requesterPhone: '0501234567' }))?.reasons).toEqual(['SAME_PHONE']);
  });

  it('scores as the saved need will once its place and category are given', () => {
    const saved = need({ title: 'Groceries for an elderly couple' });
    const draft = typed({ title: 'Groceries for an elderly couple', category: 'FOOD', lat: 31.525 });
    expect(scoreDuplicate(saved, draft)).toEqual(scoreDuplicate(saved, need({ title: 'Groceries for an elderly couple' })));
  });
});
