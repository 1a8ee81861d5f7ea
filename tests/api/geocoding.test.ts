// Addresses that resolve (issue 18, "Geocoding"): the hotline operator types what the caller
// says and gets places to pin. Against a Nominatim and a Photon service started here on
// 127.0.0.1 (allow-listed, as an operator's self-hosted one would be), and against the offline
// gazetteer shipped with the project; the answers cached; the outbound guard still deciding what
// may be reached; and CSV rows without coordinates placed by their address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { startFakeGeocoder } from '../helpers/fakeGeocoder.ts';
import { distanceKm } from '../../api/src/shared/geo.ts';

type Fake = Awaited<ReturnType<typeof startFakeGeocoder>>;
type Candidate = { label: string; point: { lat: number; lng: number }; precision: string; source: string };

const GEOCODE = `query($t: String!, $c: ID, $l: Locale, $n: Int) { geocode(text: $t, communityId: $c, language: $l, first: $n) { label point { lat lng } precision source } }`;
const SDEROT = { lat: 31.525, lng: 34.5969 };
const BEERI = { lat: 31.4247, lng: 34.4917 };
const USER_AGENT = 'mutual-aid-board-test/1.0 (geocoding test)';

/** A server with its admin, a community centred on Sderot, and a way to get a fresh coordinator of it. */
async function world(env: Record<string, string>) {
  const s = await startServer({ GEOCODER_USER_AGENT: USER_AGENT, ...env });
  const admin = await adminClient(s.url, s.app.services.prisma);
  const community = await createCommunity(admin, undefined, SDEROT);
  const coordinator = () => member(s.url, admin, community, 'COORDINATOR');
  const geocode = async (api: Api, text: string, more: { language?: string; first?: number; near?: boolean } = {}): Promise<Candidate[]> =>
    (await api.ok(GEOCODE, { t: text, c: more.near === false ? null : community, l: more.language ?? 'he', n: more.first ?? null })).geocode;
  return { s, admin, community, coordinator, geocode };
}

describe('a Nominatim service on loopback (allow-listed)', () => {
  let fake: Fake;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    fake = await startFakeGeocoder('nominatim');
    w = await world({ GEOCODER_URL: `${fake.url}/`, GEOCODER_FLAVOR: 'nominatim', OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${fake.port}` });
  });
  afterAll(async () => {
    await w?.s.stop();
    await fake?.stop();
  });

  it('answers a street and house in a Hebrew locality at address precision, then the locality offline', async () => {
    const op = await w.coordinator();
    const found = await w.geocode(op, 'הרצל 12, שדרות');
    expect(found[0]).toEqual({ label: 'הרצל 12, שדרות, ישראל', point: { lat: 31.52412, lng: 34.59601 }, precision: 'ADDRESS', source: 'SERVICE' });
    expect(found).toContainEqual(expect.objectContaining({ label: 'הרצל 12, שדרות', precision: 'LOCALITY', source: 'OFFLINE' }));
    // The street alone: street precision first.
    expect((await w.geocode(op, 'הרצל שדרות'))[0]).toMatchObject({ label: 'הרצל, שדרות, ישראל', precision: 'STREET', source: 'SERVICE' });
  });

  it('asks as Nominatim expects: jsonv2 with address details, the viewer’s language, a box around the community, a User-Agent that names us', async () => {
    const op = await w.coordinator();
    const before = fake.requests.length;
    await w.geocode(op, 'מנחם בגין שדרות', { language: 'ar', first: 3 });
    const asked = fake.requests.slice(before);
    expect(asked).toHaveLength(1);
    const { path, query, headers } = asked[0]!;
    expect(path).toBe('/search');
    expect(Object.fromEntries(query)).toMatchObject({ q: 'מנחם בגין שדרות', format: 'jsonv2', addressdetails: '1', 'accept-language': 'ar', limit: '3' });
    const [west, north, east, south] = query.get('viewbox')!.split(',').map(Number);
    expect(west! < SDEROT.lng && SDEROT.lng < east! && south! < SDEROT.lat && SDEROT.lat < north!).toBe(true);
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(headers['accept-language']).toBe('ar');
  });

  it('asks the service once for the same search (the answer is cached), again for another', async () => {
    const op = await w.coordinator();
    const before = fake.requests.length;
    const first = await w.geocode(op, 'הרצל 12 שדרות', { language: 'ru' });
    // Spelt differently only in spacing and punctuation: the same search.
    const again = await w.geocode(op, '  הרצל 12,  שדרות ', { language: 'ru' });
    expect(fake.requests.length - before).toBe(1);
    expect(again.filter((c) => c.source === 'SERVICE')).toEqual(first.filter((c) => c.source === 'SERVICE'));
    await w.geocode(op, 'Herzl 12 Sderot', { language: 'en' });
    expect(fake.requests.length - before).toBe(2);
  });

  it('places CSV rows without coordinates by address and locality, reports the precision, and rejects what it cannot place', async () => {
    const op = await w.coordinator();
    const csv = [
      'כותרת,קטגוריה,כתובת,עיר,שם הפונה,קו רוחב,קו אורך',
      'קניות,מזון,הרצל 12,שדרות,מרים,,',
      'תרופות,תרופות,הגפן 3,בארי,יוסי,,',
      'ציוד,ציוד,דרך הים 1,אטלנטיס,דנה,,',
      'הסעה,הסעה,הזית 2,שדרות,רון,31.53,34.6',
    ].join('\n');
    const res = await fetch(`${w.s.url}/api/import/needs?communityId=${encodeURIComponent(w.community)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-graphql-csrf': '1', authorization: `Bearer ${op.token}` },
      body: csv,
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.pop()).toMatchObject({ rows: 4, accepted: 3, rejected: 1 });
    expect(lines.map((l) => [l.line, l.status, l.precision ?? null, l.location ?? null, l.reason ?? null])).toEqual([
      [2, 'ACCEPTED', 'ADDRESS', 'הרצל 12, שדרות, ישראל', null],
      [3, 'ACCEPTED', 'LOCALITY', 'הגפן 3, בארי', null],
      // In the importing coordinator's language (Hebrew, the test users' default).
      [4, 'REJECTED', null, null, 'כתובת: לא נמצא מיקום ל„דרך הים 1, אטלנטיס”: הוסיפו את שם היישוב, או קו רוחב וקו אורך.'],
      [5, 'ACCEPTED', null, null, null],
    ]);
    const uuid = (g: string) => Buffer.from(g, 'base64').toString().split(':')[1]!;
    const placed = await w.s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuid(lines[0].id) } });
    expect({ lat: placed.lat, lng: placed.lng, address: placed.address }).toEqual({ lat: 31.52412, lng: 34.59601, address: 'הרצל 12' });
    const kibbutz = await w.s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuid(lines[1].id) } });
    expect(distanceKm({ lat: kibbutz.lat, lng: kibbutz.lng }, BEERI)).toBeLessThan(2);
  });
});

describe('a Photon service on loopback (allow-listed)', () => {
  let fake: Fake;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    fake = await startFakeGeocoder('photon');
    w = await world({ GEOCODER_URL: fake.url, GEOCODER_FLAVOR: 'photon', OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${fake.port}` });
  });
  afterAll(async () => {
    await w?.s.stop();
    await fake?.stop();
  });

  it('answers streets and houses from GeoJSON, biased to the community, in the viewer’s language', async () => {
    const op = await w.coordinator();
    const found = await w.geocode(op, 'Herzl Sderot', { language: 'en' });
    expect(found.filter((c) => c.source === 'SERVICE')).toEqual([
      { label: 'Herzl, Sderot', point: { lat: 31.52391, lng: 34.59552 }, precision: 'STREET', source: 'SERVICE' },
      { label: 'Herzl 12, Sderot', point: { lat: 31.52412, lng: 34.59601 }, precision: 'ADDRESS', source: 'SERVICE' },
    ]);
    expect(found).toContainEqual(expect.objectContaining({ label: 'Herzl, Sderot', precision: 'LOCALITY', source: 'OFFLINE' }));
    const { path, query, headers } = fake.requests.at(-1)!;
    expect(path).toBe('/api');
    expect(Object.fromEntries(query)).toMatchObject({ q: 'Herzl Sderot', lang: 'en', lat: SDEROT.lat.toFixed(5), lon: SDEROT.lng.toFixed(5) });
    expect(headers['user-agent']).toBe(USER_AGENT);
  });
});

describe('the outbound guard still decides', () => {
  let fake: Fake;
  let failing: Fake;
  let w: Awaited<ReturnType<typeof world>>;
  let broken: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    fake = await startFakeGeocoder('nominatim');
    failing = await startFakeGeocoder('nominatim', undefined, { status: 503 });
    // Configured but not allow-listed: a loopback address is refused like any webhook's.
    w = await world({ GEOCODER_URL: fake.url });
    broken = await world({ GEOCODER_URL: failing.url, OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${failing.port}` });
  });
  afterAll(async () => {
    await Promise.all([w?.s.stop(), broken?.s.stop()]);
    await Promise.all([fake?.stop(), failing?.stop()]);
  });

  it('never contacts a loopback service that is not allow-listed, and answers offline', async () => {
    const found = await w.geocode(await w.coordinator(), 'הרצל 12 שדרות');
    expect(fake.requests).toHaveLength(0);
    expect(found[0]).toMatchObject({ label: 'הרצל 12, שדרות', precision: 'LOCALITY', source: 'OFFLINE' });
  });

  it('answers offline when the service fails, and asks it again next time (a failure is not cached)', async () => {
    const op = await broken.coordinator();
    expect((await broken.geocode(op, 'הרצל 12 שדרות'))[0]).toMatchObject({ precision: 'LOCALITY', source: 'OFFLINE' });
    await broken.geocode(op, 'הרצל 12 שדרות');
    expect(failing.requests).toHaveLength(2);
  });
});

describe('the offline gazetteer (no address service)', () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world({ RATE_LIMIT_GEOCODE_PER_MINUTE: '12' });
  });
  afterAll(async () => {
    await w?.s.stop();
  });

  const near = (c: Candidate | undefined, p: { lat: number; lng: number }, km = 3) => !!c && distanceKm(c.point, p) < km;

  it('resolves a street in a Hebrew locality at least to the locality, keeping the street in the label', async () => {
    const op = await w.coordinator();
    const [first] = await w.geocode(op, 'רחוב הרצל 12, בשדרות');
    expect(first).toMatchObject({ label: 'רחוב הרצל 12, שדרות', precision: 'LOCALITY', source: 'OFFLINE' });
    expect(near(first, SDEROT)).toBe(true);
    // Still being typed: the beginning of the locality's name.
    expect((await w.geocode(op, 'הרצל 12 שדר'))[0]).toMatchObject({ label: 'הרצל 12, שדרות', precision: 'LOCALITY' });
  });

  it('knows localities by their Hebrew, Arabic and English names, forgiving niqqud, prefixes, hyphens, apostrophes and case', async () => {
    const op = await w.coordinator();
    const NETIVOT = { lat: 31.42305, lng: 34.58911 };
    const cases: [string, string, { lat: number; lng: number }, string][] = [
      ['نتيفوت', 'ar', NETIVOT, 'نتيفوت'],
      ['NETIVOT', 'en', NETIVOT, 'Netivot'],
      ['נְתִיבוֹת', 'he', NETIVOT, 'נתיבות'],
      ['קיבוץ בארי', 'he', BEERI, 'בארי'],
      ['Kibbutz Be’eri', 'en', BEERI, 'Be’eri'],
      ['beeri', 'he', BEERI, 'בארי'],
      ['ירושלים', 'en', { lat: 31.769, lng: 35.216 }, 'Jerusalem'],
    ];
    for (const [text, language, place, label] of cases) {
      const [first] = await w.geocode(op, text, { language, near: false });
      expect([text, first?.label, first?.precision, near(first, place, 5)]).toEqual([text, label, 'LOCALITY', true]);
    }
  });

  it('knows every community by its own name, at community precision', async () => {
    const op = await w.coordinator();
    const name = 'Kibbutz Nahal-Oz Hotline';
    const c = await createCommunity(w.admin, name, { lat: 31.4733, lng: 34.4975 });
    expect(c).toBeTruthy();
    const found = await w.geocode(op, 'nahal oz hotline');
    expect(found[0]).toMatchObject({ label: name, point: { lat: 31.4733, lng: 34.4975 }, precision: 'COMMUNITY', source: 'OFFLINE' });
  });

  // "…plus every community's own names and aliases, in Hebrew, Arabic and English where the data
  // has them": a community's coordinators name its place as callers say it, and the offline
  // geocoder finds it by each name, labelled in the reader's script.
  it("knows a community by the other names its coordinators give it, labelled in the reader's script", async () => {
    const place = { lat: 31.4761, lng: 34.5121 };
    const c = await createCommunity(w.admin, 'Southern Hotline Quarter', place);
    const coordinator = await member(w.s.url, w.admin, c, 'COORDINATOR');
    const volunteer = await member(w.s.url, w.admin, c, 'VOLUNTEER');
    const SET = `mutation($c: ID!, $a: [String!]!) { setCommunityAliases(communityId: $c, names: $a) { aliases } }`;
    expect((await volunteer.gql(SET, { c, a: ['x'] })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const set = await coordinator.ok(SET, { c, a: [' שכונת הדקלים ', 'حي النخيل', 'Пальмовый квартал', 'שכונת  הדקלים'] });
    expect(set.setCommunityAliases.aliases).toEqual(['שכונת הדקלים', 'حي النخيل', 'Пальмовый квартал']);
    const cases: [string, string, string][] = [
      ['שכונת הדקלים', 'he', 'שכונת הדקלים'],
      ['حي النخيل', 'ar', 'حي النخيل'],
      ['Пальмовый квартал', 'ru', 'Пальмовый квартал'],
      ['שכונת הדקלים', 'en', 'Southern Hotline Quarter'],
    ];
    for (const [text, language, label] of cases) {
      const [first] = await w.geocode(coordinator, text, { language, near: false });
      expect([text, first?.label, first?.precision, first?.point]).toEqual([text, label, 'COMMUNITY', place]);
    }
    expect((await coordinator.gql(SET, { c, a: Array.from({ length: 21 }, (_, i) => `name ${i}`) })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is for those who take in needs, and rate limited per person', async () => {
    const volunteer = await member(w.s.url, w.admin, w.community, 'VOLUNTEER');
    expect((await volunteer.gql(GEOCODE, { t: 'שדרות' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await new Api(w.s.url).gql(GEOCODE, { t: 'שדרות' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const op = await w.coordinator();
    for (let i = 0; i < 12; i++) await w.geocode(op, `שדרות ${i}`);
    const refused = await op.gql(GEOCODE, { t: 'שדרות' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    // Another operator is not held up by the first.
    expect((await w.geocode(await w.coordinator(), 'שדרות'))[0]?.label).toBe('שדרות');
  });
});
