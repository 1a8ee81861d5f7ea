// CSV import of the spreadsheets groups already keep: needs, volunteers, communities.
// Streamed row by row; each line is decoded on its own (UTF-8, else the legacy Hebrew
// code page or what chardet detects), so files mixing encodings still read; every row is
// reported accepted or rejected with its reason, nothing silently dropped; duplicates are
// flagged through the same scoring as intake. A need row without coordinates is placed by its
// address and locality (domain/geocoding.ts), and its report says how exactly.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { analyse } from 'chardet';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { AppError, ErrorCode, forbidden } from '../errors.ts';
import type { CommunityKind, NeedCategory, Urgency } from '../generated/prisma/enums.ts';
import { isCoordinatorOf, type Viewer } from '../auth/viewer.ts';
import { createNeed } from './needs.ts';
import { invite } from './invitations.ts';
import { emailRule, needFieldRules, phoneRule } from './needRules.ts';
import { translator, type ServerKey, type Translate } from '../shared/i18n/translate.ts';
import { serverEn } from '../shared/i18n/server.ts';
import { localeOr, type Locale } from '../shared/i18n/types.ts';
import { resolvePlaces } from './geocoding.ts';
import type { Precision } from '../geocoding/geocoder.ts';

export type ImportKind = 'needs' | 'volunteers' | 'communities';
/** A row's outcome: ACCEPTED (created, with its id), INVITED (a volunteer row: an invitation to the address, nothing else said), REJECTED (why). */
/** A need row placed by its address also says where (`location`) and how exactly (`precision`). */
export type RowReport = { line: number; status: 'ACCEPTED' | 'INVITED' | 'REJECTED'; reason?: string; id?: string; duplicates?: number; precision?: Precision; location?: string };
export type ImportSummary = { kind: ImportKind; rows: number; accepted: number; invited: number; rejected: number; flaggedDuplicates: number };

/** The legacy code pages our users' spreadsheets come in, by what chardet calls them. */
const LEGACY: Record<string, string> = {
  'ISO-8859-8': 'windows-1255',
  'windows-1255': 'windows-1255',
  'ISO-8859-6': 'windows-1256',
  'windows-1256': 'windows-1256',
  'windows-1251': 'windows-1251',
  'KOI8-R': 'koi8-r',
  'ISO-8859-5': 'windows-1251',
};

/** How much an import reads: the whole file and one line, in bytes (from the rules). */
export type ImportLimits = Readonly<{ maxBytes: number; maxLineBytes: number }>;

const UNLIMITED: ImportLimits = { maxBytes: Infinity, maxLineBytes: Infinity };

/** A file over the import's size limit: refused (HTTP 413), read no further. */
export const fileTooLarge = (maxBytes: number) =>
  new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the import limit of ${maxBytes} bytes: split it into smaller files.`, { limitBytes: maxBytes });

const lineTooLong = (line: number, maxLineBytes: number) =>
  new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `Line ${line} is longer than the limit of ${maxLineBytes} bytes: a CSV file has one row per line.`, { line, limitBytes: maxLineBytes });

/** Bytes decoded between two turns of the event loop, so an import never holds up other requests. */
const SLICE_BYTES = 64 * 1024;

/**
 * Splits bytes into lines and decodes each on its own: strict UTF-8 first; otherwise the
 * legacy code page chardet finds likeliest for that line (Hebrew, Arabic or Cyrillic),
 * else Hebrew. One line in another encoding does not garble its neighbours.
 *
 * Linear in the input: the start of an unfinished line is kept as a list of pieces and joined
 * once, when its newline comes. Fails with PAYLOAD_TOO_LARGE past `limits` (the whole input,
 * or one line without its newline), and lets the event loop turn after every 64 KiB.
 */
export function lineDecoder(fallback = 'windows-1255', limits: ImportLimits = UNLIMITED): Transform {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const decodeLine = (bytes: Buffer) => {
    try {
      return utf8.decode(bytes);
    } catch {
      const guess = analyse(bytes).find((m) => LEGACY[m.name]);
      return iconv.decode(bytes, guess ? LEGACY[guess.name]! : fallback);
    }
  };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let line = 1;
  /** The text of the lines `bytes` completes; keeps the rest as pending. */
  const take = (bytes: Buffer) => {
    let out = '';
    let start = 0;
    for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, start)) {
      if (pendingBytes + nl - start > limits.maxLineBytes) throw lineTooLong(line, limits.maxLineBytes);
      const piece = bytes.subarray(start, nl + 1);
      out += decodeLine(pending.length ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      pendingBytes = 0;
      line++;
      start = nl + 1;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      pendingBytes += bytes.length - start;
      if (pendingBytes > limits.maxLineBytes) throw lineTooLong(line, limits.maxLineBytes);
    }
    return out;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > limits.maxBytes) return done(fileTooLarge(limits.maxBytes));
      let at = 0;
      const step = () => {
        try {
          const end = Math.min(chunk.length, at + SLICE_BYTES);
          const text = take(chunk.subarray(at, end));
          at = end;
          if (text) this.push(text);
          setImmediate(at < chunk.length ? step : done);
        } catch (err) {
          done(err as Error);
        }
      };
      step();
    },
    flush(done) {
      done(null, pendingBytes ? decodeLine(Buffer.concat(pending)) : '');
    },
  });
}

const normalizeHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** Header names we recognise without a mapping, in English, Hebrew, Russian and Arabic. */
const HEADER_ALIASES: Record<string, string[]> = {
  title: ['title', 'need', 'request', 'כותרת', 'בקשה', 'צורך', 'название', 'عنوان'],
  description: ['description', 'details', 'notes', 'תיאור', 'פרטים', 'הערות', 'описание', 'وصف'],
  category: ['category', 'type', 'קטגוריה', 'סוג', 'категория', 'فئة'],
  urgency: ['urgency', 'priority', 'דחיפות', 'עדיפות', 'срочность', 'أولوية'],
  slots: ['slots', 'volunteers needed', 'מתנדבים', 'כמות מתנדבים'],
  lat: ['lat', 'latitude', 'קו רוחב'],
  lng: ['lng', 'lon', 'long', 'longitude', 'קו אורך'],
  address: ['address', 'כתובת', 'адрес', 'عنوان السكن'],
  requesterName: ['requester', 'requester name', 'name', 'שם', 'שם הפונה', 'имя', 'اسم'],
  requesterPhone: ['phone', 'requester phone', 'telephone', 'טלפון', 'נייד', 'телефон', 'هاتف'],
  requesterEmail: ['email', 'e mail', 'requester email', 'מייל', 'דוא"ל', 'почта'],
  contactConsent: ['consent', 'contact consent', 'share contact', 'הסכמה', 'הסכמה לשיתוף', 'согласие', 'موافقة'],
  neededBy: ['needed by', 'deadline', 'עד תאריך', 'срок'],
  skills: ['skills', 'כישורים', 'навыки'],
  homeArea: ['area', 'home area', 'city', 'אזור', 'עיר', 'город'],
  slug: ['slug', 'id', 'code'],
  kind: ['kind', 'community type', 'סוג קהילה'],
  country: ['country', 'מדינה'],
};

const CATEGORY_ALIASES: Record<NeedCategory, string[]> = {
  FOOD: ['food', 'groceries', 'meals', 'מזון', 'אוכל', 'מצרכים', 'ארוחות', 'еда', 'продукты', 'طعام'],
  MEDICINE: ['medicine', 'medication', 'pharmacy', 'תרופות', 'תרופה', 'лекарства', 'دواء'],
  TRANSPORT: ['transport', 'ride', 'driving', 'הסעה', 'הסעות', 'נסיעה', 'транспорт', 'نقل'],
  CHILDCARE: ['childcare', 'babysitting', 'שמרטפות', 'בייביסיטר', 'ילדים', 'няня', 'رعاية الأطفال'],
  HOSTING: ['hosting', 'housing', 'shelter', 'אירוח', 'לינה', 'жильё', 'استضافة'],
  MENTAL_HEALTH: ['mental health', 'emotional support', 'תמיכה נפשית', 'חוסן', 'психологическая помощь'],
  EQUIPMENT: ['equipment', 'supplies', 'ציוד', 'оборудование', 'معدات'],
  ELDERLY_SUPPORT: ['elderly', 'elderly support', 'קשישים', 'ותיקים', 'пожилые', 'كبار السن'],
  AGRICULTURE: ['agriculture', 'farm', 'farming', 'harvest', 'חקלאות', 'קטיף', 'сельское хозяйство', 'زراعة'],
  JOBS: ['jobs', 'employment', 'work', 'תעסוקה', 'עבודה', 'работа', 'عمل'],
  FUNERAL_SHIVA: ['funeral', 'shiva', 'הלוויה', 'שבעה', 'похороны'],
  OTHER: ['other', 'אחר', 'другое', 'أخرى'],
};

const URGENCY_ALIASES: Record<Urgency, string[]> = {
  CRITICAL: ['critical', 'urgent', 'קריטי', 'דחוף מאוד', 'מיידי', 'критично', 'حرج'],
  HIGH: ['high', 'גבוה', 'דחוף', 'высокая', 'عالي'],
  NORMAL: ['normal', 'medium', 'רגיל', 'בינוני', 'обычная', 'عادي'],
  LOW: ['low', 'נמוך', 'низкая', 'منخفض'],
};

/** The consent column's answers; blank is no (privacy-safe, as an API caller that does not say). */
const CONSENT_ALIASES: Record<'yes' | 'no', string[]> = {
  yes: ['y', 'true', '1', 'agreed', 'כן', 'да', 'نعم'],
  no: ['n', 'false', '0', 'refused', 'לא', 'нет', 'لا'],
};

function fromAliases<T extends string>(aliases: Record<T, string[]>, value: string | undefined): T | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (!v) return undefined;
  for (const [key, list] of Object.entries(aliases) as [T, string[]][]) {
    if (key.toLowerCase() === v || list.includes(v)) return key;
  }
  return undefined;
}

/** Which CSV column feeds each field: the explicit mapping first, then known header names. */
export function resolveColumns(headers: string[], mapping: Record<string, string> = {}): Record<string, string> {
  const byNormal = new Map(headers.map((h) => [normalizeHeader(h), h]));
  const out: Record<string, string> = {};
  for (const [field, aliases] of Object.entries(HEADER_ALIASES)) {
    const explicit = mapping[field];
    if (explicit) {
      const h = byNormal.get(normalizeHeader(explicit));
      if (h) out[field] = h;
      continue;
    }
    for (const a of [field, ...aliases]) {
      const h = byNormal.get(normalizeHeader(a));
      if (h) {
        out[field] = h;
        break;
      }
    }
  }
  return out;
}

const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : Number(s.trim().replace(',', '.')));

const needRow = z.object({
  title: needFieldRules.title,
  description: needFieldRules.description.optional(),
  category: z.string({ error: 'Category is missing or unknown.' }),
  urgency: z.string({ error: 'Urgency is missing or unknown.' }),
  slots: needFieldRules.slots.optional(),
  lat: z.number({ error: 'Latitude is required.' }).pipe(needFieldRules.lat),
  lng: z.number({ error: 'Longitude is required.' }).pipe(needFieldRules.lng),
  address: needFieldRules.address,
  requesterName: needFieldRules.requesterName,
  requesterPhone: phoneRule.optional(),
  requesterEmail: emailRule.optional(),
  neededBy: z.date({ error: 'Needed-by is not a date.' }).optional(),
});

/**
 * Why a row was refused, in the importing coordinator's language: the first issue zod found,
 * told by its kind (missing, too long, out of range, malformed) and the field's name.
 */
function firstIssue(t: Translate, err: z.ZodError): string {
  const i = err.issues[0]!;
  const name = String(i.path[0] ?? '');
  const field = (name && FIELD_KEYS.has(`field.${name}`) ? t(`field.${name}` as ServerKey) : name) || '—';
  switch (i.code) {
    case 'invalid_type':
      if (i.input === undefined) return t('import.required', { field });
      return t(i.expected === 'number' ? 'import.notNumber' : i.expected === 'date' ? 'import.notDate' : 'import.invalid', { field });
    case 'too_small':
      if (i.origin === 'string') return t('import.required', { field });
      return t('import.tooSmall', { field, min: Number(i.minimum) });
    case 'too_big':
      if (i.origin === 'string') return t('import.tooLong', { field, count: Number(i.maximum) });
      return t('import.tooBig', { field, max: Number(i.maximum) });
    case 'invalid_value':
      return t(name === 'kind' ? 'import.unknownKind' : 'import.invalid', { field });
    case 'invalid_format':
      return t(name === 'slug' ? 'import.slugFormat' : 'import.invalid', { field });
    default:
      return t('import.invalid', { field });
  }
}

/** Issues carry the value they refused, so that "missing" and "malformed" read differently. */
const WITH_INPUT = { reportInput: true } as const;

const FIELD_KEYS = new Set(Object.keys(serverEn).filter((k) => k.startsWith('field.')));

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

export async function* importCsv(
  s: Services,
  viewer: Viewer,
  kind: ImportKind,
  input: Readable,
  opts: { communityId?: string; mapping?: Record<string, string>; locale?: Locale },
): AsyncGenerator<RowReport | ImportSummary> {
  if (kind === 'communities' ? !viewer.isAdmin : !opts.communityId || !isCoordinatorOf(viewer, opts.communityId)) {
    throw forbidden(kind === 'communities' ? 'import communities' : 'import into this community');
  }
  const decoder = lineDecoder(undefined, s.rules.imports);
  const parser = parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, trim: true, info: true });
  // A decoder refusal (too large) or a broken upload ends the parse with its error; the input
  // is unpiped, read no further.
  pipeline(decoder, parser, () => {});
  input.on('error', (err) => decoder.destroy(err));
  input.pipe(decoder);
  // Reasons in the importing coordinator's language: the one the page they import from is read
  // in when it says (`locale`), else their profile's.
  const importer = opts.locale ? null : await s.prisma.user.findUnique({ where: { id: viewer.id }, select: { locale: true } });
  const t = translator(opts.locale ?? localeOr(importer?.locale));
  const summary: ImportSummary = { kind, rows: 0, accepted: 0, invited: 0, rejected: 0, flaggedDuplicates: 0 };
  let columns: Record<string, string> | null = null;
  // Addresses are placed near the community first (read when a row first needs it).
  let centre: Promise<Point | null> | undefined;
  const near = () => (centre ??= communityCentre(s, opts.communityId!));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    columns ??= resolveColumns(Object.keys(record), opts.mapping);
    const get = (field: string) => (columns![field] ? blankToUndefined(record[columns![field]!]) : undefined);
    summary.rows++;
    let report: RowReport;
    try {
      report = await importRow(s, viewer, t, kind, get, opts.communityId, near);
    } catch (err) {
      report = { line: 0, status: 'REJECTED', reason: err instanceof AppError ? err.message : t('import.notSaved') };
      if (!(err instanceof AppError)) s.log.error({ err, line: info.lines }, 'import: a row failed unexpectedly');
    }
    report.line = info.lines;
    summary[report.status === 'ACCEPTED' ? 'accepted' : report.status === 'INVITED' ? 'invited' : 'rejected']++;
    if (report.duplicates) summary.flaggedDuplicates++;
    yield report;
  }
  yield summary;
}

type Point = { lat: number; lng: number };

async function communityCentre(s: Services, communityId: string): Promise<Point | null> {
  const c = await s.prisma.community.findUnique({ where: { id: communityId }, select: { centerLat: true, centerLng: true } });
  return c && { lat: c.centerLat, lng: c.centerLng };
}

/**
 * A row with neither latitude nor longitude: its address (with the locality column, when there
 * is one) placed by the geocoder, the best candidate taken; null when nothing matches.
 */
async function locate(s: Services, get: (f: string) => string | undefined, near: () => Promise<Point | null>) {
  const text = [get('address'), get('homeArea')].filter(Boolean).join(', ');
  if (!text) return null;
  const [best] = await resolvePlaces(s, { text, language: 'he', near: await near(), limit: 1 });
  return best ?? null;
}

async function importRow(
  s: Services,
  viewer: Viewer,
  t: Translate,
  kind: ImportKind,
  get: (f: string) => string | undefined,
  communityId: string | undefined,
  near: () => Promise<Point | null> = async () => null,
): Promise<RowReport> {
  if (kind === 'needs') {
    const located = get('lat') === undefined && get('lng') === undefined && get('address') ? await locate(s, get, near) : undefined;
    if (located === null) {
      return { line: 0, status: 'REJECTED', reason: t('import.notLocated', { value: [get('address'), get('homeArea')].filter(Boolean).join(', ') }) };
    }
    const categoryText = get('category');
    const urgencyText = get('urgency');
    const neededByText = get('neededBy');
    const consentText = get('contactConsent');
    const consent = consentText === undefined ? 'no' : fromAliases(CONSENT_ALIASES, consentText);
    if (!consent) return { line: 0, status: 'REJECTED', reason: t('import.consent', { value: consentText! }) };
    const parsed = needRow.safeParse({
      title: get('title') ?? '',
      description: get('description'),
      category: fromAliases(CATEGORY_ALIASES, categoryText),
      urgency: fromAliases(URGENCY_ALIASES, urgencyText) ?? (urgencyText ? undefined : 'NORMAL'),
      slots: num(get('slots')),
      lat: located?.lat ?? num(get('lat')),
      lng: located?.lng ?? num(get('lng')),
      address: get('address') ?? '',
      requesterName: get('requesterName') ?? '',
      requesterPhone: get('requesterPhone'),
      requesterEmail: get('requesterEmail'),
      neededBy: neededByText ? new Date(neededByText) : undefined,
    }, WITH_INPUT);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      if (issue.path[0] === 'category' && categoryText) return { line: 0, status: 'REJECTED', reason: t('import.unknownCategory', { value: categoryText }) };
      if (issue.path[0] === 'urgency' && urgencyText) return { line: 0, status: 'REJECTED', reason: t('import.unknownUrgency', { value: urgencyText }) };
      return { line: 0, status: 'REJECTED', reason: firstIssue(t, parsed.error) };
    }
    if (parsed.data.neededBy && Number.isNaN(parsed.data.neededBy.getTime())) return { line: 0, status: 'REJECTED', reason: t('import.notDate', { field: t('field.neededBy') }) };
    const need = await createNeed(s, viewer, {
      ...parsed.data,
      category: parsed.data.category as NeedCategory,
      urgency: parsed.data.urgency as Urgency,
      contactConsent: consent === 'yes',
      communityId: communityId!,
    });
    const duplicates = await s.prisma.duplicateCandidate.count({ where: { needId: need.id } });
    const placed = located ? { precision: located.precision, location: located.label } : {};
    return { line: 0, status: 'ACCEPTED', id: encodeGlobalID('Need', need.id), duplicates, ...placed };
  }
  if (kind === 'volunteers') {
    const parsed = z
      .object({ email: emailRule, name: z.string().trim().min(1, 'Name is required.').max(100), phone: phoneRule.optional(), homeArea: z.string().max(100).optional() })
      .safeParse({ email: get('requesterEmail')?.toLowerCase(), name: get('requesterName') ?? '', phone: get('requesterPhone'), homeArea: get('homeArea') }, WITH_INPUT);
    if (!parsed.success) return { line: 0, status: 'REJECTED', reason: firstIssue(t, parsed.error) };
    // An invitation, never an enrolment, and the same report whether or not the address has an
    // account (no id, no "duplicate"): see invitations.ts.
    await invite(s, viewer, communityId!, parsed.data);
    return { line: 0, status: 'INVITED' };
  }
  const kinds = ['NEIGHBORHOOD', 'STUDENT', 'TOWN', 'KIBBUTZ', 'OPERATIONS_CENTER', 'PARTNER_ABROAD'];
  const parsed = z
    .object({
      slug: z.string().regex(/^[a-z0-9-]{2,60}$/, 'slug: use 2–60 lowercase letters, digits and dashes.'),
      name: z.string().trim().min(1, 'Name is required.').max(120),
      kind: z.enum(kinds as [string, ...string[]], { error: 'kind: not a known community kind.' }),
      area: z.string().trim().min(1, 'Area is required.').max(100),
      lat: z.number({ error: 'Latitude is required.' }).pipe(needFieldRules.lat),
      lng: z.number({ error: 'Longitude is required.' }).pipe(needFieldRules.lng),
      country: z.string().regex(/^[A-Z]{2}$/).optional(),
    })
    .safeParse({
      slug: get('slug')?.toLowerCase(),
      name: get('requesterName') ?? get('title') ?? '',
      kind: get('kind')?.toUpperCase().replace(/\s+/g, '_'),
      area: get('homeArea') ?? get('address') ?? '',
      lat: num(get('lat')),
      lng: num(get('lng')),
      country: get('country')?.toUpperCase(),
    }, WITH_INPUT);
  if (!parsed.success) return { line: 0, status: 'REJECTED', reason: firstIssue(t, parsed.error) };
  const d = parsed.data;
  if (await s.prisma.community.findUnique({ where: { slug: d.slug }, select: { id: true } })) {
    return { line: 0, status: 'REJECTED', reason: t('import.slugTaken', { value: d.slug }), duplicates: 1 };
  }
  const c = await s.prisma.community.create({
    data: { slug: d.slug, name: d.name, kind: d.kind as CommunityKind, area: d.area, centerLat: d.lat, centerLng: d.lng, country: d.country ?? 'IL' },
  });
  return { line: 0, status: 'ACCEPTED', id: encodeGlobalID('Community', c.id) };
}
