// Demo data: deterministic (seeded RNG), idempotent, and realistic enough for the board to
// mean something: 15 areas across Israel with real city coordinates, about 30 communities
// (partners abroad among them), 300 volunteers, 1,500 needs with their history. Needs and
// claims go through the same domain functions users call, replayed in time order, so the
// event log is exactly what real use would have written.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Services } from '../services.ts';
import { hashPassword } from '../auth/passwords.ts';
import { createNeed, cancelNeed } from '../domain/needs.ts';
import { claimNeed, completeClaim, startClaim } from '../domain/claims.ts';
import { createPartnership } from '../domain/partnerships.ts';
import { createHousehold } from '../domain/households.ts';
import { createRecurringNeed } from '../domain/recurrence.ts';
import { createOffer } from '../domain/offers.ts';
import { createCollectionPoint, createStockItem, recordDonation, setLowStockThreshold } from '../domain/stock.ts';
import { claimNeedAsGroup } from '../domain/groups.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { JoinPolicy, MembershipRole, NeedCategory, Urgency } from '../generated/prisma/enums.ts';
import { AppError } from '../errors.ts';
import { recordVetting } from '../domain/vettingRecords.ts';
import { DEFAULT_TRAININGS } from '../domain/vetting.ts';
import { linkNeedToGoal } from '../domain/recovery.ts';
import { addressIn, ALIASES, CATEGORY_WEIGHTS, COMMUNITIES, GOALS, NAMES, NEED_TEXTS, PAIRINGS, TEAM, type CommunitySeed, type Language, type NeedText } from './demoContent.ts';

export const DEMO_PASSWORD = 'demo-password';

/**
 * The demo keeps a mix: operations centres and student communities take anyone at once (large
 * open calls), and so does Sderot; neighbourhoods, the other towns, kibbutzim and partners
 * abroad approve who joins.
 */
export const joinPolicyOf = (c: Pick<CommunitySeed, 'slug' | 'kind'>): JoinPolicy =>
  c.kind === 'OPERATIONS_CENTER' || c.kind === 'STUDENT' || c.slug === 'sderot' ? 'OPEN' : 'APPROVAL';

const CATEGORIES = Object.keys(CATEGORY_WEIGHTS) as NeedCategory[];
/** Volunteers' languages by their number: volunteer001 reads Russian, most read Hebrew. */
const VOLUNTEER_LOCALES = ['he', 'ru', 'he', 'en', 'he', 'ar'] as const;
const URGENCIES: Urgency[] = ['CRITICAL', 'HIGH', 'NORMAL', 'LOW'];

const FIRST = ['Noa', 'Yael', 'Avi', 'Moshe', 'Miriam', 'Daniel', 'Tamar', 'Yosef', 'Shira', 'Omer', 'Maya', 'Eitan', 'Rivka', 'Amir', 'Lior', 'Nadia', 'Samir', 'Olga', 'Dmitri', 'Hila'];
const LAST = ['Cohen', 'Levi', 'Mizrahi', 'Peretz', 'Biton', 'Dahan', 'Avraham', 'Friedman', 'Azoulay', 'Katz', 'Haddad', 'Ivanov', 'Khoury', 'Shapiro'];

const DAY = 86_400_000;

/** What the operator adds when the same person calls again. */
const callAgain: Record<Language, string> = { he: 'התקשרה שוב', ar: 'اتصلت مرة أخرى', ru: 'позвонила ещё раз', en: 'called again' };

export async function seedDemoData(s: Services, opts: { needs?: number; volunteers?: number; seed?: number } = {}): Promise<{ created: boolean }> {
  const prisma = s.prisma;
  const first = await prisma.community.findFirst({ where: { slug: COMMUNITIES[0]!.slug }, select: { id: true, _count: { select: { needs: true } } } });
  if (first && first._count.needs > 0) return { created: false };
  if (first) {
    // An earlier seed was interrupted before its needs: clear its rows and start again.
    const slugs = COMMUNITIES.map((c) => c.slug);
    await prisma.need.deleteMany({ where: { community: { slug: { in: slugs } } } });
    await prisma.community.deleteMany({ where: { slug: { in: slugs } } });
    await prisma.user.deleteMany({
      where: { email: { endsWith: '@example.org' }, OR: [{ email: { startsWith: 'volunteer' } }, { email: { startsWith: 'coordinator.' } }, { email: { startsWith: 'operator' } }, { email: 'admin@example.org' }] },
    });
  }

  const needCount = opts.needs ?? 1_500;
  const volunteerCount = opts.volunteers ?? 300;
  const rng = xoroshiro128plus(opts.seed ?? 20231007);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const float = () => int(0, 1_000_000) / 1_000_000;

  const now = new Date();
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  // Communities, the admin, one coordinator per Israeli community, volunteers.
  const communities = [];
  for (const c of COMMUNITIES) {
    communities.push(
      await prisma.community.create({
        data: { slug: c.slug, name: c.name, kind: c.kind, area: c.area, country: c.country ?? 'IL', centerLat: c.lat, centerLng: c.lng, aliases: ALIASES[c.slug] ?? [], joinPolicy: joinPolicyOf(c), createdAt: new Date(now.getTime() - 60 * DAY) },
      }),
    );
  }
  const local = communities.filter((c) => c.kind !== 'PARTNER_ABROAD');
  const admin = await prisma.user.create({
    data: { email: 'admin@example.org', name: 'Admin', passwordHash, locale: 'en', globalRole: 'ADMIN' },
  });
  const coordinators = new Map<string, Viewer>();
  for (const c of communities) {
    const user = await prisma.user.create({
      data: {
        email: `coordinator.${c.slug}@example.org`,
        name: `${pick(FIRST)} ${pick(LAST)}`,
        passwordHash,
        phone: `+972-5${int(0, 8)}-${int(100, 999)}-${int(1000, 9999)}`,
        locale: c.kind === 'PARTNER_ABROAD' ? 'en' : 'he',
        homeArea: c.area,
      },
    });
    await prisma.membership.create({ data: { userId: user.id, communityId: c.id, role: 'COORDINATOR' } });
    coordinators.set(c.id, viewerOf(user.id, user.name, [[c.id, 'COORDINATOR']]));
  }
  const membersOf = new Map<string, Viewer[]>();
  const vetted = new Set<string>();
  for (let i = 1; i <= volunteerCount; i++) {
    const home = local[(i - 1) % local.length]!;
    const user = await prisma.user.create({
      data: {
        email: `volunteer${String(i).padStart(3, '0')}@example.org`,
        name: `${pick(FIRST)} ${pick(LAST)}`,
        passwordHash,
        phone: `+972-5${int(0, 8)}-${int(100, 999)}-${int(1000, 9999)}`,
        locale: VOLUNTEER_LOCALES[i % VOLUNTEER_LOCALES.length],
        skills: [pick(CATEGORIES), pick(CATEGORIES)].filter((v, j, a) => a.indexOf(v) === j),
        homeArea: home.area,
        homeLat: home.centerLat,
        homeLng: home.centerLng,
      },
    });
    // Each volunteer belongs to their home community, and some to a second one nearby.
    const joined = [home];
    const sameArea = local.filter((c) => c.area === home.area && c.id !== home.id);
    if (sameArea.length && float() < 0.5) joined.push(pick(sameArea));
    const roles: [string, MembershipRole][] = [];
    for (const c of joined) {
      await prisma.membership.create({ data: { userId: user.id, communityId: c.id, role: 'VOLUNTEER' } });
      roles.push([c.id, 'VOLUNTEER']);
    }
    const viewer = viewerOf(user.id, user.name, roles);
    if (i % 2 === 1) vetted.add(user.id);
    for (const c of joined) membersOf.set(c.id, [...(membersOf.get(c.id) ?? []), viewer]);
  }
  void admin;
  await seedCentres(s, communities, passwordHash);
  await seedVetting(s, membersOf, vetted, coordinators, now);

  // A few people waiting for approval in the communities that approve who joins, so that the
  // members screen has something to decide. Chosen without the random stream, which the needs
  // below continue from unchanged.
  const NOTES = ['I live nearby and have a car.', 'אני גרה בשכונה ויכולה לעזור בערבים.', 'Я медсестра, могу помогать пожилым.', 'أستطيع المساعدة في الترجمة والنقل.'];
  const approving = local.filter((c) => c.joinPolicy === 'APPROVAL');
  for (const [k, c] of volunteerCount > 0 ? approving.entries() : []) {
    for (let j = 0; j < 2; j++) {
      const email = `volunteer${String(((k * 37 + j * 101) % volunteerCount) + 1).padStart(3, '0')}@example.org`;
      const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, memberships: { where: { communityId: c.id } } } });
      if (user.memberships.length) continue;
      await prisma.membership.create({ data: { userId: user.id, communityId: c.id, role: 'VOLUNTEER', status: 'PENDING', note: NOTES[(k + j) % NOTES.length]! } });
    }
  }

  // Plan each need's life, then replay every step of every need in time order.
  type Step = { at: number; run: () => Promise<void> };
  const steps: Step[] = [];
  const claimsOf = new Map<number, string>();
  const needIds = new Map<number, string>();
  const seeds = new Map(COMMUNITIES.map((c) => [c.slug, c]));
  const weighted = <T extends string>(weights: Partial<Record<T, number>>): T => {
    const entries = Object.entries(weights) as [T, number][];
    let r = int(1, entries.reduce((n, [, w]) => n + w, 0));
    for (const [key, w] of entries) if ((r -= w) <= 0) return key;
    return entries[0]![0];
  };
  /** What the caller said, in their language (Hebrew when the category has nothing in theirs). */
  const textFor = (category: NeedCategory, lang: Language): NeedText => {
    const inLang = NEED_TEXTS[category].filter((t) => t.lang === lang);
    return pick(inLang.length ? inLang : NEED_TEXTS[category].filter((t) => t.lang === 'he'));
  };
  const phone = () => `+972-5${pick([0, 2, 3, 4, 8])}-${int(100, 999)}-${int(1000, 9999)}`;
  const households = await seedHouseholds(s, local, coordinators);
  for (let i = 0; i < needCount; i++) {
    const community = local[i % local.length]!;
    const seed = seeds.get(community.slug)!;
    const coordinator = coordinators.get(community.id)!;
    const category = weighted(CATEGORY_WEIGHTS);
    const lang = weighted(seed.languages ?? { he: 1 });
    const text = textFor(category, lang);
    // The urgency the request would get, now and then one step less pressing.
    const urgency = URGENCIES[Math.min(URGENCIES.length - 1, URGENCIES.indexOf(text.urgency) + (float() < 0.2 ? 1 : 0))]!;
    const r = float();
    const fate = r < 0.45 ? 'OPEN' : r < 0.6 ? 'CLAIMED' : r < 0.7 ? 'IN_PROGRESS' : r < 0.95 ? 'DONE' : 'CANCELLED';
    // Live claims are recent (they would have expired otherwise); finished needs are older.
    const createdAt =
      fate === 'CLAIMED' ? now.getTime() - int(1, 180) * 60_000 - 3_600_000 * float() : now.getTime() - int(10, 14 * 24 * 60) * 60_000;
    const claimAt = fate === 'CLAIMED' ? Math.min(now.getTime() - 60_000, createdAt + int(5, 60) * 60_000) : createdAt + int(10, 600) * 60_000;
    const radiusKm = community.kind === 'KIBBUTZ' ? 0.8 : 3;
    const angle = float() * 2 * Math.PI;
    const dist = Math.sqrt(float()) * radiusKm;
    const lat = community.centerLat + (dist / 111.32) * Math.cos(angle);
    const lng = community.centerLng + (dist / (111.32 * Math.cos((community.centerLat * Math.PI) / 180))) * Math.sin(angle);
    const slots = category === 'AGRICULTURE' || category === 'FUNERAL_SHIVA' ? int(1, 4) : 1;
    const input = {
      title: text.title,
      description: text.description,
      category,
      urgency,
      slots,
      neededBy: new Date(createdAt + (urgency === 'CRITICAL' ? int(2, 12) * 3_600_000 : int(1, 7) * DAY)),
      lat,
      lng,
      address: addressIn(seed, int(1, community.kind === 'KIBBUTZ' ? 400 : 120), pick),
      requesterName: pick(NAMES[lang]),
      requesterPhone: phone(),
      requesterLocale: lang,
      // A mix: two in three requesters agree that the volunteer may call them (no draw, so the rest of the seed stays as it was).
      contactConsent: i % 3 !== 0,
      communityId: community.id,
      // A few requesters ask again and again: their household's phone, which intake finds (drawn above all the same, so the stream is unchanged).
      ...households.caller(i),
    };
    // Now and then the same person calls again an hour or two later (the operator did not find
    // the first call): a true duplicate, 30 m off, for the queue.
    if (fate === 'OPEN' && i % 150 === 7) {
      const again = { ...input, lat: lat + 0.0003, description: `${input.description} (${callAgain[lang]})` };
      steps.push({ at: Math.min(now.getTime() - 60_000, createdAt + int(60, 180) * 60_000), run: async () => void (await createNeed(s, coordinator, again)) });
    }
    const volunteers = membersOf.get(community.id) ?? [];
    const volunteerIndex = int(0, Math.max(0, volunteers.length - 1));
    const needIndex = i;
    steps.push({ at: createdAt, run: async () => void needIds.set(needIndex, (await createNeed(s, coordinator, input)).id) });
    const idOf = () => needIds.get(needIndex)!;
    if (fate === 'CANCELLED') {
      steps.push({ at: createdAt + int(30, 2_000) * 60_000, run: async () => void (await cancelNeed(s, coordinator, idOf(), 'המשפחה הסתדרה'))});
      continue;
    }
    if (fate === 'OPEN' || volunteers.length === 0) continue;
    steps.push({
      at: claimAt,
      run: async () => {
        // Try volunteers in turn: some already hold as many claims as they may.
        for (let k = 0; k < volunteers.length; k++) {
          const v = volunteers[(volunteerIndex + k) % volunteers.length]!;
          try {
            claimsOf.set(needIndex, (await claimNeed(s, v, idOf())).id);
            claimsOf.set(-needIndex - 1, v.id);
            return;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
          }
        }
      },
    });
    if (fate === 'CLAIMED') continue;
    const startAt = claimAt + int(10, 120) * 60_000;
    const volunteerOf = () => volunteers.find((v) => v.id === claimsOf.get(-needIndex - 1));
    steps.push({
      at: startAt,
      run: async () => {
        const v = volunteerOf();
        if (v && claimsOf.has(needIndex)) await startClaim(s, v, claimsOf.get(needIndex)!);
      },
    });
    if (fate === 'IN_PROGRESS') continue;
    steps.push({
      at: startAt + int(20, 600) * 60_000,
      run: async () => {
        const v = volunteerOf();
        if (v && claimsOf.has(needIndex)) await completeClaim(s, v, claimsOf.get(needIndex)!, 'נמסר, תודה!');
      },
    });
  }
  steps.sort((a, b) => a.at - b.at);
  try {
    for (const step of steps) {
      s.clock.set(new Date(Math.min(step.at, now.getTime())));
      await step.run();
    }
  } finally {
    s.clock.reset();
  }
  await seedPartnerships(s, communities, coordinators, int, now);
  // Weekly babysitting shifts for reservists' families, and daily farm days.
  const sderot = communities.find((c) => c.slug === 'sderot')!;
  const nirOz = communities.find((c) => c.slug === 'nir-oz')!;
  const nextWeek = new Date(now.getTime() + 86_400_000);
  nextWeek.setUTCHours(15, 0, 0, 0);
  await createRecurringNeed(s, coordinators.get(sderot.id)!, {
    title: 'בייביסיטר בערב למשפחת מילואימניק', description: 'שני ילדים, בני 4 ו-7. ארוחת ערב והשכבה. האבא במילואים.', category: 'CHILDCARE', urgency: 'HIGH',
    lat: sderot.centerLat + 0.004, lng: sderot.centerLng - 0.003, address: 'הרצל 12, שדרות', requesterName: 'נעמה פרץ', requesterPhone: '+972-52-111-2233', requesterLocale: 'he', communityId: sderot.id,
  }, { frequency: 'WEEKLY', weekdays: [0, 2, 4], startsAt: nextWeek, count: 9, durationMinutes: 240, slotsPerOccurrence: 1 });
  await createRecurringNeed(s, coordinators.get(nirOz.id)!, {
    title: 'יום קטיף במטע האבוקדו', description: 'להביא כובע ומים. הסעה מהשער בשש בבוקר.', category: 'AGRICULTURE', urgency: 'NORMAL',
    lat: nirOz.centerLat + 0.002, lng: nirOz.centerLng + 0.004, address: 'קיבוץ ניר עוז, שער המטעים', requesterName: 'מרכז המשק', requesterPhone: '+972-8-999-0000', requesterLocale: 'he', communityId: nirOz.id,
  }, { frequency: 'DAILY', startsAt: new Date(nextWeek.getTime() - 9 * 3_600_000), count: 10, durationMinutes: 420, slotsPerOccurrence: 8 });
  await seedOffersAndStock(s, communities, coordinators, membersOf, now);
  return { created: true };
}

/**
 * What people offer and what is in stock: homes in Eilat for evacuated families, rides from Sderot
 * to Soroka hospital, two collection points with stock (one running low on mattresses), and a
 * group from a partner community abroad on the first farm day at Nir Oz. Without the random
 * stream, which the rest of the seed continues unchanged.
 */
async function seedOffersAndStock(s: Services, communities: { id: string; slug: string }[], coordinators: Map<string, Viewer>, membersOf: Map<string, Viewer[]>, now: Date) {
  const community = (slug: string) => communities.find((c) => c.slug === slug)!;
  const at = (slug: string) => COMMUNITIES.find((c) => c.slug === slug)!;
  const until = new Date(now.getTime() + 30 * DAY);
  const eilat = community('eilat-hosting');
  const hosts = (membersOf.get(eilat.id) ?? []).slice(0, 3);
  const homes = [
    { beds: 4, address: 'שדרות התמרים 14, אילת', stepFree: true, pets: false },
    { beds: 2, address: 'רחוב האלמוגים 3, אילת', stepFree: false, pets: true },
    { beds: 6, address: 'שכונת שחמון, רחוב הים 21, אילת', stepFree: false, pets: false },
  ];
  for (const [k, host] of hosts.entries()) {
    const home = homes[k]!;
    await createOffer(s, host, {
      communityId: eilat.id,
      kind: 'HOSTING',
      title: `חדר למשפחה מפונה, ${home.beds} מיטות`,
      description: 'כניסה נפרדת, מטבחון. אפשר לשהות עד חודש.',
      place: { lat: at('eilat-hosting').lat + 0.004 * (k + 1), lng: at('eilat-hosting').lng - 0.003 * k, address: home.address },
      capacity: home.beds,
      availableFrom: now,
      availableUntil: until,
      stepFree: home.stepFree,
      petsAllowed: home.pets,
      languages: ['he', 'en'],
    });
  }
  const sderot = community('sderot');
  const soroka = { lat: 31.2589, lng: 34.8003, address: 'המרכז הרפואי סורוקה, שדרות רגר 151, באר שבע' };
  for (const [k, driver] of (membersOf.get(sderot.id) ?? []).slice(0, 2).entries()) {
    await createOffer(s, driver, {
      communityId: sderot.id,
      kind: 'RIDE',
      title: 'הסעה לסורוקה בבקרים',
      place: { lat: at('sderot').lat + 0.002 * (k + 1), lng: at('sderot').lng + 0.002, address: k ? 'רחוב הרצל 40, שדרות' : 'כיכר העצמאות, שדרות' },
      destination: soroka,
      capacity: 3,
      availableFrom: now,
      availableUntil: until,
      recurringNote: k ? 'ימי שני ורביעי, יציאה ב-7:30' : 'ימי ראשון ושלישי, יציאה ב-8:00',
      languages: ['he', 'ru'],
    });
  }
  // Two collection points, their stock from a drive, and a low-stock threshold the mattresses are under.
  const points = [
    { slug: 'sderot', name: 'מרכז איסוף – מתנ"ס שדרות', address: 'רחוב הרצל 2, שדרות', stock: { 'סל מזון': 120, 'מזרן': 8, 'ערכת היגיינה': 60 } },
    { slug: 'ashkelon', name: 'מחסן התרומות – אשקלון', address: 'רחוב הנשיאים 10, אשקלון', stock: { 'סל מזון': 45, 'מזרן': 30, 'ערכת היגיינה': 25 } },
  ];
  const units = { 'סל מזון': 'PACK', 'מזרן': 'UNIT', 'ערכת היגיינה': 'PACK' } as const;
  for (const p of points) {
    const c = community(p.slug);
    const coordinator = coordinators.get(c.id)!;
    const point = await createCollectionPoint(s, coordinator, {
      communityId: c.id,
      name: p.name,
      address: p.address,
      lat: at(p.slug).lat + 0.001,
      lng: at(p.slug).lng + 0.001,
      openingHours: ['SUNDAY', 'TUESDAY', 'THURSDAY'].map((weekday) => ({ weekday: weekday as 'SUNDAY', opens: '09:00', closes: '13:00' })),
    });
    for (const [name, quantity] of Object.entries(p.stock)) {
      const item = await createStockItem(s, coordinator, { communityId: c.id, name, unit: units[name as keyof typeof units] });
      if (name === 'מזרן') await setLowStockThreshold(s, coordinator, { pointId: point.id, itemId: item.id, threshold: 10 });
      await recordDonation(s, coordinator, { pointId: point.id, itemId: item.id, quantity, donorName: null, donorPhone: null, drive: 'מבצע חורף' });
    }
  }
  // A group from the partner community abroad: six volunteers on the first farm day.
  const nirOz = community('nir-oz');
  const farmDay = await s.prisma.need.findFirst({ where: { communityId: nirOz.id, category: 'AGRICULTURE', seriesId: { not: null } }, orderBy: { occurrenceAt: 'asc' } });
  for (const leader of farmDay ? (membersOf.get(nirOz.id) ?? []) : []) {
    try {
      await claimNeedAsGroup(s, leader, { needId: farmDay!.id, name: 'Volunteers from Toronto', size: 6, languages: ['en', 'he'], members: [] });
      return;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
}

/**
 * Each operations centre covers the communities of its region (coverage as an admin sets it,
 * domain/centres.ts), and has two hotline operators, `operator.<centre>@example.org` and
 * `operator2.<centre>@example.org`. Without the random stream, which the rest continues unchanged.
 */
export const CENTRE_COVERAGE: Record<string, string[]> = {
  'jerusalem-ops': ['jerusalem-students', 'katamon'],
  'tel-aviv-ops': ['jaffa', 'tau-students', 'ashdod'],
  'haifa-ops': ['hadar', 'nahariya', 'kiryat-shmona', 'safed', 'tiberias', 'metula', 'shlomi', 'manara'],
  'beer-sheva-ops': [
    'bgu-students', 'sderot', 'ashkelon', 'netivot', 'ofakim', 'eilat-hosting',
    // The Gaza border: the kibbutzim of Eshkol, Sha'ar HaNegev, Hof Ashkelon and Sdot Negev.
    'beeri', 'nir-oz', 'kfar-aza', 'nahal-oz', 'kissufim', 'ein-hashlosha', 'nirim', 'nir-yitzhak', 'holit', 'sufa', 'kerem-shalom', 'reim', 'mefalsim', 'saad', 'erez', 'yad-mordechai', 'zikim', 'alumim',
  ],
};
const OPERATOR_NAMES = ['Tamar Levi', 'Nadia Haddad', 'Olga Ivanov', 'Yosef Dahan', 'Miriam Katz', 'Samir Khoury', 'Shira Biton', 'Dmitri Shapiro'];

/**
 * A few households recorded with consent (domain/households.ts) in the first communities, each of
 * whose people asks for help three times over the fortnight: intake links those needs to the
 * household by its phone, and the indicators count it once. `caller(i)`: the requester of the
 * i-th need when it is one of theirs. No random draw, so the rest of the seed stays as it was.
 */
async function seedHouseholds(s: Services, local: { id: string; slug: string }[], coordinators: Map<string, Viewer>) {
  const families = [
    { name: 'משפחת אזולאי', size: 5, ages0to5: 1, ages6to17: 2, ages18to64: 2, groups: ['EVACUEES', 'RESERVISTS_FAMILIES'] as const, currentLocation: 'מלון באילת', languages: ['he'] },
    { name: 'Ivanov family', size: 2, ages65plus: 2, groups: ['ELDERLY'] as const, languages: ['ru', 'he'], accessibilityNeeds: 'Walker; second floor without a lift.' },
    { name: 'משפחת חדאד', size: 4, ages6to17: 2, ages18to64: 2, groups: ['INJURED'] as const, languages: ['ar', 'he'] },
  ];
  const byCommunity = new Map<number, { phone: string; name: string }>();
  for (const [k, family] of families.entries()) {
    const community = local[k % local.length]!;
    const phone = `+972-50-900-${String(k + 1).padStart(4, '0')}`;
    const evacuatedFrom = (family.groups as readonly string[]).includes('EVACUEES') ? local.find((c) => c.slug === 'nir-oz' && c.id !== community.id)?.id ?? null : null;
    await createHousehold(s, coordinators.get(community.id)!, { ...family, groups: [...family.groups], phone, communityId: community.id, consent: true, homeCommunityId: evacuatedFrom });
    byCommunity.set(k, { phone, name: family.name });
  }
  return {
    caller: (i: number) => {
      const k = i % local.length;
      const round = Math.floor(i / local.length);
      const household = byCommunity.get(k);
      return household && [3, 21, 43].includes(round) ? { requesterPhone: household.phone, requesterName: household.name } : {};
    },
  };
}

async function seedCentres(s: Services, communities: { id: string; slug: string }[], passwordHash: string) {
  const bySlug = new Map(communities.map((c) => [c.slug, c.id]));
  let n = 0;
  for (const [centre, covered] of Object.entries(CENTRE_COVERAGE)) {
    const centreId = bySlug.get(centre);
    if (!centreId) continue;
    await s.prisma.centreCoverage.createMany({ data: covered.flatMap((slug) => (bySlug.has(slug) ? [{ centreId, communityId: bySlug.get(slug)! }] : [])) });
    for (const prefix of ['operator', 'operator2']) {
      const user = await s.prisma.user.create({
        data: { email: `${prefix}.${centre}@example.org`, name: OPERATOR_NAMES[n++ % OPERATOR_NAMES.length]!, passwordHash, locale: 'he' },
      });
      await s.prisma.membership.create({ data: { userId: user.id, communityId: centreId, role: 'HOTLINE_OPERATOR' } });
    }
  }
}

/**
 * Half the volunteers (volunteer001, 003, …) are vetted in each of their communities, recorded by
 * its coordinator two months ago: identity, a background check valid for a year, every default
 * training. So the demo's child-care, hosting, elderly and hotline needs have people to take them,
 * and the others show what an unvetted volunteer sees.
 */
async function seedVetting(s: Services, membersOf: Map<string, Viewer[]>, vetted: Set<string>, coordinators: Map<string, Viewer>, now: Date) {
  const checkedAt = new Date(now.getTime() - 60 * DAY);
  s.clock.set(checkedAt);
  try {
    for (const [communityId, members] of membersOf) {
      for (const v of members) {
        if (!vetted.has(v.id)) continue;
        await recordVetting(s, coordinators.get(communityId)!, {
          communityId,
          volunteerId: v.id,
          identityChecked: true,
          backgroundCheck: { checkedAt, expiresAt: new Date(checkedAt.getTime() + 365 * DAY) },
          trainings: DEFAULT_TRAININGS.map((t) => ({ key: t.key, completedAt: checkedAt })),
        });
      }
    }
  } finally {
    s.clock.reset();
  }
}

/**
 * The Communities2Gether pairings as the programme describes them: each war-hit community with a
 * Jewish community abroad for three years, $250,000 pledged a year, a joint team of two
 * representatives of each side and two of the Jewish Agency, and a road map to recovery whose
 * milestones fall in order; transfers every quarter so far; and some of the community's immediate
 * needs linked to the goals they serve.
 */
async function seedPartnerships(
  s: Services,
  communities: { id: string; slug: string; kind: string }[],
  coordinators: Map<string, Viewer>,
  int: (min: number, max: number) => number,
  now: Date,
) {
  const prisma = s.prisma;
  const bySlug = new Map(communities.map((c) => [c.slug, c]));
  const yearly = 250_000_00n; // US cents
  for (const [k, [il, abroad]] of PAIRINGS.entries()) {
    const israeli = bySlug.get(il)!;
    const partner = bySlug.get(abroad)!;
    const coordinator = coordinators.get(israeli.id)!;
    // The programme started in May 2024; pairings were made over the following months.
    const start = new Date(Date.UTC(2024, 5 + (k % 5), 1));
    const p = await createPartnership(s, coordinator, { israeliCommunityId: israeli.id, abroadCommunityId: partner.id, startDate: start, yearlyPledgeMinor: yearly, currency: 'USD' });
    const team = (['ISRAEL', 'ABROAD', 'COORDINATOR'] as const).flatMap((side) => TEAM[side].roles.map((role, j) => ({ partnershipId: p.id, name: nth(TEAM[side].names, k + j * 2), role, side })));
    await prisma.partnershipMember.createMany({ data: team });
    // Three or four goals, none twice, from a different starting point for each community.
    const count = 3 + (k % 2);
    const goals = Array.from({ length: count }, (_, g) => GOALS[(k * 2 + g) % GOALS.length]!);
    const goalIds: string[] = [];
    for (const [g, seed] of goals.entries()) {
      // Milestones spread over the three years, in order, the last at the end of the term; those due
      // a month before today or earlier are done, around their date.
      const term = 3 * 365 * DAY;
      const milestones: { title: string; dueDate: Date; doneAt: Date | null }[] = [];
      let lastDone = start.getTime();
      for (const [m, title] of seed.milestones.entries()) {
        const due = start.getTime() + ((m + 1) * term) / seed.milestones.length - int(0, 45) * DAY;
        const doneAt = due < now.getTime() - 30 * DAY ? Math.max(lastDone + DAY, due + int(-20, 30) * DAY) : null;
        if (doneAt !== null && doneAt < now.getTime()) lastDone = doneAt;
        milestones.push({ title, dueDate: new Date(due), doneAt: doneAt !== null && doneAt < now.getTime() ? new Date(doneAt) : null });
      }
      const doneCount = milestones.filter((m) => m.doneAt).length;
      const goal = await prisma.recoveryGoal.create({
        data: {
          communityId: israeli.id,
          partnershipId: p.id,
          title: seed.title,
          domain: seed.domain,
          ownerName: 'Joint team',
          targetDate: milestones.at(-1)!.dueDate,
          budgetMinor: (yearly * 3n) / BigInt(count),
          currency: 'USD',
          status: doneCount === milestones.length ? 'DONE' : doneCount > 0 || g === 0 ? 'IN_PROGRESS' : 'PLANNED',
          milestones: { create: milestones },
        },
      });
      goalIds.push(goal.id);
      // The community's immediate needs that serve this goal.
      const needs = await prisma.need.findMany({ where: { communityId: israeli.id, category: { in: seed.serves } }, select: { id: true }, orderBy: { createdAt: 'asc' }, take: 3 });
      for (const need of needs) await linkNeedToGoal(s, coordinator, need.id, goal.id);
    }
    // A transfer each quarter since the start, to the goals in turn.
    for (let q = 0, paid = start.getTime() + 45 * DAY; paid < now.getTime(); q++, paid += 91 * DAY) {
      await prisma.disbursement.create({ data: { partnershipId: p.id, goalId: goalIds[q % goalIds.length]!, amountMinor: yearly / 4n, currency: 'USD', paidAt: new Date(paid), note: `Quarterly transfer ${q + 1}` } });
    }
  }
}

/** The `k`th of `names`, round and round: each pairing's team has other people. */
const nth = (names: readonly string[], k: number) => names[k % names.length]!;

function viewerOf(id: string, name: string, roles: [string, MembershipRole][]): Viewer {
  return { id, name, isAdmin: false, roles: new Map(roles), operatesFor: new Set(), sessionId: '', sessionExpiresAt: new Date(8.64e15) };
}
