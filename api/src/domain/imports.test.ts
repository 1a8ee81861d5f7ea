import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../auth/viewer.ts';
import type { Services } from '../services.ts';
import { loadConfig } from '../config.ts';
import { rulesFrom } from './rules.ts';
import { importCsv, lineDecoder, resolveColumns, type ImportKind, type ImportLimits } from './imports.ts';

/** Rows refused before anything is saved: a test that reached the database would throw here. */
const NO_SERVICES = { rules: rulesFrom(loadConfig({ IMPORT_MAX_LINE_BYTES: '100' })) } as Services;

describe('resolveColumns', () => {
  it.each([
    [
      'English headers',
      ['Title', 'Description', 'Category', 'Urgency', 'Volunteers needed', 'Latitude', 'Lon', 'Address', 'Name', 'Phone', 'Email', 'Deadline'],
      {
        title: 'Title', description: 'Description', category: 'Category', urgency: 'Urgency', slots: 'Volunteers needed', lat: 'Latitude', lng: 'Lon',
        address: 'Address', requesterName: 'Name', requesterPhone: 'Phone', requesterEmail: 'Email', neededBy: 'Deadline',
      },
    ],
    [
      'Hebrew headers',
      ['כותרת', 'קטגוריה', 'דחיפות', 'כתובת', 'שם הפונה', 'טלפון', 'מייל', 'עד תאריך'],
      { title: 'כותרת', category: 'קטגוריה', urgency: 'דחיפות', address: 'כתובת', requesterName: 'שם הפונה', requesterPhone: 'טלפון', requesterEmail: 'מייל', neededBy: 'עד תאריך' },
    ],
    ['Russian and Arabic headers', ['название', 'адрес', 'هاتف', 'عنوان السكن'], { title: 'название', address: 'адрес', requesterPhone: 'هاتف' }],
    [
      'case, spacing, dashes, underscores and a byte-order mark do not count',
      ['\uFEFFTITLE', ' Requester_Name ', 'E-mail', 'needed-by', 'home   area'],
      { title: '\uFEFFTITLE', requesterName: ' Requester_Name ', requesterEmail: 'E-mail', neededBy: 'needed-by', homeArea: 'home   area' },
    ],
    [
      'volunteer and community columns',
      ['slug', 'kind', 'country', 'skills', 'city'],
      { slug: 'slug', kind: 'kind', country: 'country', skills: 'skills', homeArea: 'city' },
    ],
    ['the field name before its aliases', ['lon', 'lng'], { lng: 'lng' }],
    ['unknown headers: nothing', ['foo', 'bar baz'], {}],
  ])('%s', (_label, headers, columns) => {
    expect(resolveColumns(headers)).toEqual(columns);
  });

  it('takes the explicit mapping over known names', () => {
    expect(resolveColumns(['Title', 'Subject', 'Where'], { title: 'subject', address: 'WHERE' })).toEqual({ title: 'Subject', address: 'Where' });
  });

  it('maps nothing for a mapping to a column that is not there (no guessing)', () => {
    expect(resolveColumns(['Title'], { title: 'Subject' })).toEqual({});
  });
});

/** Everything the decoder writes for these chunks. */
async function decode(chunks: Buffer[], fallback?: string, limits?: ImportLimits): Promise<string> {
  let out = '';
  const decoder = lineDecoder(fallback, limits);
  Readable.from(chunks).pipe(decoder);
  for await (const piece of decoder) out += piece;
  return out;
}

describe('lineDecoder', () => {
  const hebrew = 'משלוח מזון לזוג קשישים ברחוב הרצל, הם לא יכולים לצאת מהבית';
  const russian = 'Доставка продуктов пожилой паре на улице Герцля, они не выходят из дома';
  const utf8 = (s: string) => Buffer.from(s, 'utf8');

  it.each([
    ['UTF-8 as it is', [utf8(`${hebrew}\n`)], `${hebrew}\n`],
    ['a Hebrew line in windows-1255', [iconv.encode(`${hebrew}\n`, 'windows-1255')], `${hebrew}\n`],
    ['a Russian line in windows-1251', [iconv.encode(`${russian}\n`, 'windows-1251')], `${russian}\n`],
    [
      'each line in its own encoding',
      [Buffer.concat([utf8('title,city\n'), iconv.encode(`${hebrew}\n`, 'windows-1255'), utf8(`${hebrew},Sderot\n`)])],
      `title,city\n${hebrew}\n${hebrew},Sderot\n`,
    ],
    ['a character split between chunks', [utf8('שלום\n').subarray(0, 3), utf8('שלום\n').subarray(3)], 'שלום\n'],
    ['a line split between chunks, in windows-1255', [iconv.encode(hebrew, 'windows-1255').subarray(0, 10), iconv.encode(`${hebrew}\n`, 'windows-1255').subarray(10)], `${hebrew}\n`],
    ['a last line without a newline', [utf8('a\nb')], 'a\nb'],
    ['CRLF line ends kept', [utf8('a,b\r\nc,d\r\n')], 'a,b\r\nc,d\r\n'],
    ['nothing', [], ''],
  ])('decodes %s', async (_label, chunks, text) => {
    expect(await decode(chunks)).toBe(text);
  });
});

describe('lineDecoder, limits', () => {
  const limits = { maxBytes: 1_000, maxLineBytes: 10 };
  const ascii = (s: string) => Buffer.from(s, 'latin1');

  it.each([
    ['a line of exactly the limit', [ascii('0123456789\nab\n')], '0123456789\nab\n'],
    ['a last line of exactly the limit, without a newline', [ascii('a\n0123456789')], 'a\n0123456789'],
    ['a line of the limit in pieces', [ascii('012'), ascii('345'), ascii('678'), ascii('9\nx')], '0123456789\nx'],
    ['a file of exactly the limit', [ascii('012345678\n'.repeat(100))], '012345678\n'.repeat(100)],
  ])('reads %s', async (_label, chunks, text) => {
    expect(await decode(chunks, undefined, limits)).toBe(text);
  });

  it.each([
    ['a line one byte too long', [ascii('ok\n01234567890\n')], 'Line 2 is longer than the limit of 10 bytes: a CSV file has one row per line.'],
    ['a line too long in pieces, before its newline comes', [ascii('ok\n0123'), ascii('4567'), ascii('890'), ascii('...')], 'Line 2 is longer than the limit of 10 bytes'],
    ['a last line too long, without a newline', [ascii('01234567890')], 'Line 1 is longer than the limit of 10 bytes'],
    ['a file one byte too large', [ascii('012345678\n'.repeat(100)), ascii('x')], 'The file is larger than the import limit of 1000 bytes: split it into smaller files.'],
  ])('refuses %s', async (_label, chunks, message) => {
    await expect(decode(chunks, undefined, limits)).rejects.toMatchObject({ message: expect.stringContaining(message), extensions: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('reads a long line in many chunks whole, and a big chunk of many lines', async () => {
    const long = 'א'.repeat(300_000);
    const bytes = Buffer.from(`${long}\n${'a,b\n'.repeat(100_000)}`);
    const chunks = [...Array(Math.ceil(bytes.length / 1000)).keys()].map((i) => bytes.subarray(i * 1000, (i + 1) * 1000));
    expect(await decode(chunks)).toBe(bytes.toString());
    expect(await decode([bytes])).toBe(bytes.toString());
  });
});

describe('importCsv, rows refused before anything is saved', () => {
  const viewer = (isAdmin = false): Viewer => ({ id: 'u', name: 'U', isAdmin, roles: new Map([['c1', 'COORDINATOR']]), operatesFor: new Set(), sessionId: 's', sessionExpiresAt: new Date(0) });
  const run = async (kind: ImportKind, csv: string, opts: { communityId?: string; locale?: 'en' | 'he' } = { communityId: 'c1' }, who = viewer()) => {
    const out = [];
    // Reasons in English unless a test asks otherwise (the importer's language: tests/api/i18n.test.ts).
    for await (const r of importCsv(NO_SERVICES, who, kind, Readable.from([Buffer.from(csv)]), { locale: 'en', ...opts })) out.push(r);
    return out;
  };
  const NEED_HEADER = 'title,category,urgency,lat,lng,address,name,phone,email,needed by';

  it.each([
    ['an unknown category', 'Groceries,xyz,,31.5,34.6,Herzl 1,Tamar,,,', 'category: “xyz” is not a known category.'],
    ['an unknown urgency', 'Groceries,food,urgentish,31.5,34.6,Herzl 1,Tamar,,,', 'urgency: “urgentish” is not a known urgency.'],
    // The category (Hebrew for food) is known: the first problem is further on.
    ['no latitude', 'Groceries,מזון,,,34.6,Herzl 1,Tamar,,,', 'Latitude: required.'],
    // A decimal comma is read as a point: 91,5 is 91.5, out of range.
    ['a latitude of 91,5', 'Groceries,food,,"91,5",34.6,Herzl 1,Tamar,,,', 'Latitude: at most 90.'],
    ['no title', ',food,,31.5,34.6,Herzl 1,Tamar,,,', 'Title: required.'],
    ['a bad phone (with a known Hebrew urgency)', 'Groceries,food,דחוף,31.5,34.6,Herzl 1,Tamar,abc,,', 'Phone: not valid.'],
    ['a bad e-mail', 'Groceries,food,,31.5,34.6,Herzl 1,Tamar,,nope,', 'E-mail: not valid.'],
    ['a needed-by that is not a date', 'Groceries,food,,31.5,34.6,Herzl 1,Tamar,,,someday', 'Needed by: not a date.'],
    ['no address', 'Groceries,food,,31.5,34.6,,Tamar,,,', 'Address: required.'],
  ])('needs: %s', async (_label, row, reason) => {
    expect(await run('needs', `${NEED_HEADER}\n${row}\n`)).toEqual([
      { line: 2, status: 'REJECTED', reason },
      { kind: 'needs', rows: 1, accepted: 0, invited: 0, rejected: 1, flaggedDuplicates: 0 },
    ]);
  });

  it('reports every row with its line, then the counts', async () => {
    const rows = await run('volunteers', 'email,name\nnope,Dan\n\nDAN@example.org,\n');
    expect(rows).toEqual([
      { line: 2, status: 'REJECTED', reason: 'E-mail: not valid.' },
      { line: 4, status: 'REJECTED', reason: 'Name: required.' },
      { kind: 'volunteers', rows: 2, accepted: 0, invited: 0, rejected: 2, flaggedDuplicates: 0 },
    ]);
  });

  it.each([
    ['a slug with a space', 'A B,X,town,North,1,2,IL', 'Slug: use 2–60 lowercase letters, digits and dashes.'],
    ['an unknown kind', 'ab,X,village,North,1,2,IL', 'Kind: not a known community kind.'],
    ['a three-letter country', 'ab,X,town,North,1,2,ISR', 'Country: not valid.'],
    ['no name', 'ab,,town,North,1,2,IL', 'Name: required.'],
  ])('communities: %s', async (_label, row, reason) => {
    const [report] = await run('communities', `slug,name,kind,area,lat,lng,country\n${row}\n`, {}, viewer(true));
    expect(report).toEqual({ line: 2, status: 'REJECTED', reason });
  });

  it('tells the reasons in the language asked for', async () => {
    const rows = await run('needs', `${NEED_HEADER}\nGroceries,xyz,,31.5,34.6,Herzl 1,Tamar,,,\n,food,,31.5,34.6,Herzl 1,Tamar,,,\n`, { communityId: 'c1', locale: 'he' });
    expect(rows.slice(0, 2).map((r) => 'reason' in r && r.reason)).toEqual(['קטגוריה: „xyz” אינה קטגוריה מוכרת.', 'כותרת: שדה חובה.']);
  });

  it('stops at a line longer than the rules allow', async () => {
    await expect(run('volunteers', `email,name\nnope,Dan\n${'x'.repeat(101)}\n`)).rejects.toMatchObject({
      message: 'Line 3 is longer than the limit of 100 bytes: a CSV file has one row per line.',
      extensions: { code: 'PAYLOAD_TOO_LARGE', line: 3, limitBytes: 100 },
    });
  });

  it.each([
    ['communities, by a coordinator', 'communities', {}, 'You are not allowed to import communities.'],
    ['needs, without a community', 'needs', {}, 'You are not allowed to import into this community.'],
    ['needs, into a community the viewer does not coordinate', 'needs', { communityId: 'c2' }, 'You are not allowed to import into this community.'],
  ] as const)('refuses to import %s', async (_label, kind, opts, message) => {
    await expect(run(kind, 'title\nx\n', opts)).rejects.toThrow(message);
  });
});
