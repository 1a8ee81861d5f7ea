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
import { createRecurringNeed } from '../domain/recurrence.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { CommunityKind, JoinPolicy, MembershipRole, NeedCategory, Urgency } from '../generated/prisma/enums.ts';
import { AppError } from '../errors.ts';
import { recordVetting } from '../domain/vettingRecords.ts';
import { DEFAULT_TRAININGS } from '../domain/vetting.ts';

export const DEMO_PASSWORD = 'demo-password';

type Area = { name: string; lat: number; lng: number };
const AREAS: Area[] = [
  { name: 'Jerusalem', lat: 31.7683, lng: 35.2137 },
  { name: 'Tel Aviv-Yafo', lat: 32.0853, lng: 34.7818 },
  { name: 'Haifa', lat: 32.794, lng: 34.9896 },
  { name: "Be'er Sheva", lat: 31.252, lng: 34.7915 },
  { name: 'Sderot', lat: 31.525, lng: 34.5969 },
  { name: 'Ashkelon', lat: 31.6688, lng: 34.5743 },
  { name: 'Ashdod', lat: 31.8014, lng: 34.6435 },
  { name: 'Netivot', lat: 31.4231, lng: 34.5886 },
  { name: 'Ofakim', lat: 31.3141, lng: 34.6203 },
  { name: 'Kiryat Shmona', lat: 33.2073, lng: 35.5702 },
  { name: 'Nahariya', lat: 33.0059, lng: 35.0941 },
  { name: 'Safed', lat: 32.9646, lng: 35.496 },
  { name: 'Tiberias', lat: 32.7922, lng: 35.5312 },
  { name: 'Eilat', lat: 29.5577, lng: 34.9519 },
  { name: 'Eshkol (Gaza border)', lat: 31.335, lng: 34.43 },
];

type CommunitySeed = { slug: string; name: string; kind: CommunityKind; area: string; lat: number; lng: number; country?: string };
const COMMUNITIES: CommunitySeed[] = [
  { slug: 'jerusalem-ops', name: 'Jerusalem Operations Centre', kind: 'OPERATIONS_CENTER', area: 'Jerusalem', lat: 31.7767, lng: 35.2345 },
  { slug: 'jerusalem-students', name: 'Hebrew University Student Community', kind: 'STUDENT', area: 'Jerusalem', lat: 31.7944, lng: 35.2422 },
  { slug: 'katamon', name: 'Katamon Neighbourhood Community', kind: 'NEIGHBORHOOD', area: 'Jerusalem', lat: 31.7606, lng: 35.2108 },
  { slug: 'tel-aviv-ops', name: 'Tel Aviv Operations Centre', kind: 'OPERATIONS_CENTER', area: 'Tel Aviv-Yafo', lat: 32.0809, lng: 34.7806 },
  { slug: 'jaffa', name: 'Jaffa Neighbourhood Community', kind: 'NEIGHBORHOOD', area: 'Tel Aviv-Yafo', lat: 32.0504, lng: 34.7522 },
  { slug: 'tau-students', name: 'Tel Aviv University Student Community', kind: 'STUDENT', area: 'Tel Aviv-Yafo', lat: 32.1133, lng: 34.8044 },
  { slug: 'haifa-ops', name: 'Haifa Operations Centre', kind: 'OPERATIONS_CENTER', area: 'Haifa', lat: 32.8156, lng: 34.9892 },
  { slug: 'hadar', name: 'Hadar HaCarmel Community', kind: 'NEIGHBORHOOD', area: 'Haifa', lat: 32.8092, lng: 34.9997 },
  { slug: 'beer-sheva-ops', name: "Be'er Sheva Operations Centre", kind: 'OPERATIONS_CENTER', area: "Be'er Sheva", lat: 31.2518, lng: 34.7913 },
  { slug: 'bgu-students', name: 'Ben-Gurion University Student Community', kind: 'STUDENT', area: "Be'er Sheva", lat: 31.2622, lng: 34.8013 },
  { slug: 'sderot', name: 'Sderot', kind: 'TOWN', area: 'Sderot', lat: 31.525, lng: 34.5969 },
  { slug: 'ashkelon', name: 'Ashkelon', kind: 'TOWN', area: 'Ashkelon', lat: 31.6688, lng: 34.5743 },
  { slug: 'ashdod', name: 'Ashdod Neighbourhood Network', kind: 'NEIGHBORHOOD', area: 'Ashdod', lat: 31.8014, lng: 34.6435 },
  { slug: 'netivot', name: 'Netivot', kind: 'TOWN', area: 'Netivot', lat: 31.4231, lng: 34.5886 },
  { slug: 'ofakim', name: 'Ofakim', kind: 'TOWN', area: 'Ofakim', lat: 31.3141, lng: 34.6203 },
  { slug: 'kiryat-shmona', name: 'Kiryat Shmona', kind: 'TOWN', area: 'Kiryat Shmona', lat: 33.2073, lng: 35.5702 },
  { slug: 'nahariya', name: 'Nahariya', kind: 'TOWN', area: 'Nahariya', lat: 33.0059, lng: 35.0941 },
  { slug: 'safed', name: 'Safed', kind: 'TOWN', area: 'Safed', lat: 32.9646, lng: 35.496 },
  { slug: 'tiberias', name: 'Tiberias', kind: 'TOWN', area: 'Tiberias', lat: 32.7922, lng: 35.5312 },
  { slug: 'eilat-hosting', name: 'Eilat Hosting Network', kind: 'NEIGHBORHOOD', area: 'Eilat', lat: 29.5577, lng: 34.9519 },
  { slug: 'beeri', name: "Kibbutz Be'eri", kind: 'KIBBUTZ', area: 'Eshkol (Gaza border)', lat: 31.4247, lng: 34.4917 },
  { slug: 'nir-oz', name: 'Kibbutz Nir Oz', kind: 'KIBBUTZ', area: 'Eshkol (Gaza border)', lat: 31.3103, lng: 34.4003 },
  { slug: 'kfar-aza', name: 'Kibbutz Kfar Aza', kind: 'KIBBUTZ', area: 'Eshkol (Gaza border)', lat: 31.4833, lng: 34.5333 },
  { slug: 'nahal-oz', name: 'Kibbutz Nahal Oz', kind: 'KIBBUTZ', area: 'Eshkol (Gaza border)', lat: 31.4733, lng: 34.4975 },
  { slug: 'toronto', name: 'Toronto Partner Community', kind: 'PARTNER_ABROAD', area: 'Toronto', country: 'CA', lat: 43.6532, lng: -79.3832 },
  { slug: 'london', name: 'London Partner Community', kind: 'PARTNER_ABROAD', area: 'London', country: 'GB', lat: 51.5072, lng: -0.1276 },
  { slug: 'new-york', name: 'New York Partner Community', kind: 'PARTNER_ABROAD', area: 'New York', country: 'US', lat: 40.7128, lng: -74.006 },
  { slug: 'melbourne', name: 'Melbourne Partner Community', kind: 'PARTNER_ABROAD', area: 'Melbourne', country: 'AU', lat: -37.8136, lng: 144.9631 },
  { slug: 'buenos-aires', name: 'Buenos Aires Partner Community', kind: 'PARTNER_ABROAD', area: 'Buenos Aires', country: 'AR', lat: -34.6037, lng: -58.3816 },
  { slug: 'paris', name: 'Paris Partner Community', kind: 'PARTNER_ABROAD', area: 'Paris', country: 'FR', lat: 48.8566, lng: 2.3522 },
];

/**
 * The demo keeps a mix: operations centres and student communities take anyone at once (large
 * open calls), and so does Sderot; neighbourhoods, the other towns, kibbutzim and partners
 * abroad approve who joins.
 */
export const joinPolicyOf = (c: Pick<CommunitySeed, 'slug' | 'kind'>): JoinPolicy =>
  c.kind === 'OPERATIONS_CENTER' || c.kind === 'STUDENT' || c.slug === 'sderot' ? 'OPEN' : 'APPROVAL';

const TITLES: Record<NeedCategory, string[]> = {
  FOOD: ['Weekly groceries for a family of five', 'Hot meals for evacuated elderly couple', 'Shabbat food package', 'Baby formula and diapers'],
  MEDICINE: ['Pick up prescription from the pharmacy', 'Insulin delivery', 'Blood pressure medication run', 'Bring inhaler refills'],
  TRANSPORT: ['Drive to hospital appointment', 'Ride to the evacuation hotel', 'Take children to school', 'Transport donated furniture'],
  CHILDCARE: ["Babysitting for a reservist's family", 'Afternoon activities for three children', 'Help with homework after school'],
  HOSTING: ['Host a displaced family for two weeks', 'Room for a mother and baby', 'Short stay for an evacuated couple'],
  MENTAL_HEALTH: ['Someone to talk to, twice a week', 'Accompany to a support group', 'Check-in calls for a lonely widower'],
  EQUIPMENT: ['Winter blankets and heaters', 'Laptop for remote schooling', 'Mobility walker needed', 'Generator for a farm'],
  ELDERLY_SUPPORT: ['Weekly visit to a Holocaust survivor', 'Help setting up video calls', 'Shopping for an elderly neighbour'],
  AGRICULTURE: ['Harvest help in the orchard', 'Greenhouse work, two days', 'Pick tomatoes before they spoil', 'Feed the chickens mornings'],
  JOBS: ['CV help for an evacuee', 'Interview practice', 'Temporary shop assistant wanted'],
  FUNERAL_SHIVA: ['Meals for a shiva house', 'Drive family to the funeral', 'Set up chairs for the shiva'],
  OTHER: ['Fix a broken window', 'Translate documents to Hebrew', 'Help clean a damaged home'],
};
const CATEGORIES = Object.keys(TITLES) as NeedCategory[];
const STREETS = ['Herzl', 'Ben Yehuda', 'Jabotinsky', 'Rothschild', 'HaNassi', 'Weizmann', 'Bialik', 'HaPalmach', 'Ha-Atzmaut', 'Rabin'];
const FIRST = ['Noa', 'Yael', 'Avi', 'Moshe', 'Miriam', 'Daniel', 'Tamar', 'Yosef', 'Shira', 'Omer', 'Maya', 'Eitan', 'Rivka', 'Amir', 'Lior', 'Nadia', 'Samir', 'Olga', 'Dmitri', 'Hila'];
const LAST = ['Cohen', 'Levi', 'Mizrahi', 'Peretz', 'Biton', 'Dahan', 'Avraham', 'Friedman', 'Azoulay', 'Katz', 'Haddad', 'Ivanov', 'Khoury', 'Shapiro'];

const DAY = 86_400_000;

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
      where: { email: { endsWith: '@example.org' }, OR: [{ email: { startsWith: 'volunteer' } }, { email: { startsWith: 'coordinator.' } }, { email: { startsWith: 'operator.' } }, { email: 'admin@example.org' }] },
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
        data: { slug: c.slug, name: c.name, kind: c.kind, area: c.area, country: c.country ?? 'IL', centerLat: c.lat, centerLng: c.lng, joinPolicy: joinPolicyOf(c), createdAt: new Date(now.getTime() - 60 * DAY) },
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
        locale: pick(['he', 'he', 'he', 'en', 'ru', 'ar']),
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
  for (let i = 0; i < needCount; i++) {
    const community = local[i % local.length]!;
    const coordinator = coordinators.get(community.id)!;
    const category = pick(CATEGORIES);
    const urgency: Urgency = pick(['CRITICAL', 'HIGH', 'HIGH', 'NORMAL', 'NORMAL', 'NORMAL', 'LOW']);
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
      title: pick(TITLES[category]),
      description: `Requested through the ${community.name} hotline.`,
      category,
      urgency,
      slots,
      neededBy: new Date(createdAt + int(1, 7) * DAY),
      lat,
      lng,
      address: `${pick(STREETS)} ${int(1, 120)}, ${community.area}`,
      requesterName: `${pick(FIRST)} ${pick(LAST)}`,
      requesterPhone: `+972-5${int(0, 8)}-${int(100, 999)}-${int(1000, 9999)}`,
      // A mix: two in three requesters agree that the volunteer may call them (no draw, so the rest of the seed stays as it was).
      contactConsent: i % 3 !== 0,
      communityId: community.id,
    };
    const volunteers = membersOf.get(community.id) ?? [];
    const volunteerIndex = int(0, Math.max(0, volunteers.length - 1));
    const needIndex = i;
    steps.push({ at: createdAt, run: async () => void needIds.set(needIndex, (await createNeed(s, coordinator, input)).id) });
    const idOf = () => needIds.get(needIndex)!;
    if (fate === 'CANCELLED') {
      steps.push({ at: createdAt + int(30, 2_000) * 60_000, run: async () => void (await cancelNeed(s, coordinator, idOf(), 'Resolved by the family'))});
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
        if (v && claimsOf.has(needIndex)) await completeClaim(s, v, claimsOf.get(needIndex)!, 'Delivered, thank you!');
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
  await seedPartnerships(s, communities, coordinators, int, pick, now);
  // Weekly babysitting shifts for reservists' families, and daily farm days.
  const sderot = communities.find((c) => c.slug === 'sderot')!;
  const nirOz = communities.find((c) => c.slug === 'nir-oz')!;
  const nextWeek = new Date(now.getTime() + 86_400_000);
  nextWeek.setUTCHours(15, 0, 0, 0);
  await createRecurringNeed(s, coordinators.get(sderot.id)!, {
    title: "Evening babysitting for a reservist's family", description: 'Two children, 4 and 7. Dinner and bedtime.', category: 'CHILDCARE', urgency: 'HIGH',
    lat: sderot.centerLat + 0.004, lng: sderot.centerLng - 0.003, address: 'Herzl 12, Sderot', requesterName: 'Noa Peretz', requesterPhone: '+972-52-111-2233', communityId: sderot.id,
  }, { frequency: 'WEEKLY', weekdays: [0, 2, 4], startsAt: nextWeek, count: 9, durationMinutes: 240, slotsPerOccurrence: 1 });
  await createRecurringNeed(s, coordinators.get(nirOz.id)!, {
    title: 'Harvest day in the avocado orchard', description: 'Bring a hat and water. Transport from the gate.', category: 'AGRICULTURE', urgency: 'NORMAL',
    lat: nirOz.centerLat + 0.002, lng: nirOz.centerLng + 0.004, address: 'Orchard gate, Nir Oz', requesterName: 'Farm office', requesterPhone: '+972-8-999-0000', communityId: nirOz.id,
  }, { frequency: 'DAILY', startsAt: new Date(nextWeek.getTime() - 9 * 3_600_000), count: 10, durationMinutes: 420, slotsPerOccurrence: 8 });
  return { created: true };
}

/**
 * Half the volunteers (volunteer001, 003, …) are vetted in each of their communities, recorded by
 * its coordinator two months ago: identity, a background check valid for a year, every default
 * training. So the demo's child-care, hosting, elderly and hotline needs have people to take them,
 * and the others show what an unvetted volunteer sees.
 */
/**
 * Each operations centre covers the communities of its region (coverage as an admin sets it,
 * domain/centres.ts), and has two hotline operators, `operator.<centre>@example.org` and
 * `operator2.<centre>@example.org`. Without the random stream, which the rest continues unchanged.
 */
export const CENTRE_COVERAGE: Record<string, string[]> = {
  'jerusalem-ops': ['jerusalem-students', 'katamon'],
  'tel-aviv-ops': ['jaffa', 'tau-students', 'ashdod'],
  'haifa-ops': ['hadar', 'nahariya', 'kiryat-shmona', 'safed', 'tiberias'],
  'beer-sheva-ops': ['bgu-students', 'sderot', 'ashkelon', 'netivot', 'ofakim', 'eilat-hosting', 'beeri', 'nir-oz', 'kfar-aza', 'nahal-oz'],
};
const OPERATOR_NAMES = ['Tamar Levi', 'Nadia Haddad', 'Olga Ivanov', 'Yosef Dahan', 'Miriam Katz', 'Samir Khoury', 'Shira Biton', 'Dmitri Shapiro'];

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

/** Communities2Gether-style pairings: a kibbutz or town with a community abroad, three years. */
async function seedPartnerships(
  s: Services,
  communities: { id: string; slug: string; kind: string }[],
  coordinators: Map<string, Viewer>,
  int: (min: number, max: number) => number,
  pick: <T>(xs: readonly T[]) => T,
  now: Date,
) {
  const prisma = s.prisma;
  const pairs: [string, string, string][] = [
    ['beeri', 'toronto', 'CAD'],
    ['nir-oz', 'london', 'GBP'],
    ['kfar-aza', 'new-york', 'USD'],
    ['nahal-oz', 'melbourne', 'AUD'],
    ['sderot', 'buenos-aires', 'USD'],
    ['kiryat-shmona', 'paris', 'EUR'],
  ];
  const bySlug = new Map(communities.map((c) => [c.slug, c]));
  const goals: [string, 'HOUSING' | 'EDUCATION' | 'INFRASTRUCTURE' | 'SOCIAL_FABRIC' | 'ECONOMY' | 'HEALTH' | 'AGRICULTURE'][] = [
    ['Rebuild the homes of the southern neighbourhood', 'HOUSING'],
    ['Reopen the kindergarten and the after-school club', 'EDUCATION'],
    ['Repair the water and power networks', 'INFRASTRUCTURE'],
    ['Community events and a memorial garden', 'SOCIAL_FABRIC'],
    ['Restart the orchards and the dairy', 'AGRICULTURE'],
    ['Resilience centre: counselling for families', 'HEALTH'],
  ];
  for (const [il, abroad, currency] of pairs) {
    const israeli = bySlug.get(il)!;
    const partner = bySlug.get(abroad)!;
    const start = new Date(Date.UTC(2024, 5 + int(0, 4), 1));
    const yearly = BigInt(int(20, 90)) * 10_000_00n; // 200,000–900,000 in the currency, in cents
    const p = await createPartnership(s, coordinators.get(israeli.id)!, { israeliCommunityId: israeli.id, abroadCommunityId: partner.id, startDate: start, yearlyPledgeMinor: yearly, currency });
    await prisma.partnershipMember.createMany({
      data: [
        { partnershipId: p.id, name: `${pick(['Noa', 'Avi', 'Tamar', 'Eitan'])} ${pick(['Cohen', 'Levi', 'Katz'])}`, role: 'Community lead', side: 'ISRAEL' },
        { partnershipId: p.id, name: `${pick(['Sarah', 'David', 'Rachel', 'Michael'])} ${pick(['Goldberg', 'Rosen', 'Adler'])}`, role: 'Partnership chair', side: 'ABROAD' },
        { partnershipId: p.id, name: 'Jewish Agency liaison', role: 'Coordinator', side: 'COORDINATOR' },
      ],
    });
    for (let g = 0; g < 3; g++) {
      const [title, domain] = goals[(int(0, goals.length - 1) + g) % goals.length]!;
      const target = new Date(start.getTime() + int(300, 1000) * 86_400_000);
      const goal = await prisma.recoveryGoal.create({
        data: { communityId: israeli.id, partnershipId: p.id, title, domain, ownerName: 'Joint team', targetDate: target, budgetMinor: yearly / 2n, currency, status: g === 0 ? 'IN_PROGRESS' : 'PLANNED' },
      });
      for (let m = 0; m < 4; m++) {
        const due = new Date(start.getTime() + (m + 1) * int(60, 200) * 86_400_000);
        const done = due < now && m < 3 ? new Date(due.getTime() + int(-20, 25) * 86_400_000) : null;
        await prisma.milestone.create({ data: { goalId: goal.id, title: ['Survey and plan', 'Funding approved', 'Works begin', 'Opening'][m]!, dueDate: due, doneAt: done && done < now ? done : null } });
      }
      await prisma.disbursement.create({ data: { partnershipId: p.id, goalId: goal.id, amountMinor: yearly / BigInt(int(3, 8)), currency, paidAt: new Date(start.getTime() + int(30, 400) * 86_400_000), note: 'Quarterly transfer' } });
    }
  }
}

function viewerOf(id: string, name: string, roles: [string, MembershipRole][]): Viewer {
  return { id, name, isAdmin: false, roles: new Map(roles), operatesFor: new Set(), sessionId: '', sessionExpiresAt: new Date(8.64e15) };
}
