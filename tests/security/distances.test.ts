// Findings of an attacker's test ("Trust and safety"): distances in matching answers measured
// to the exact point of a need (a volunteer moving their home nine times around a need's
// public point found its door within 7–17 m; a coordinator moving a need five times found a
// volunteer's home within ~33 m), and public points that averaged out (each shift of a series
// had its own offset around one address). No answer to a viewer without access may depend on
// a private value finer than the public point and a half-kilometre step.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { adminClient, createCommunity, createNeed, member } from '../helpers/fixtures.ts';
import { Api } from '../helpers/client.ts';
import { distanceKm, KM_PER_DEGREE, type Point } from '../../api/src/shared/geo.ts';

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const M_PER_DEGREE = KM_PER_DEGREE * 1000;

/** The point `east` and `north` metres from `p` (flat over a few km: well under a metre off). */
const offset = (p: Point, east: number, north: number): Point => ({
  lat: p.lat + north / M_PER_DEGREE,
  lng: p.lng + east / (M_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180)),
});
/** Where `q` lies from `p`, in metres east and north (the inverse of offset). */
const metresFrom = (p: Point, q: Point) => ({
  east: (q.lng - p.lng) * M_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180),
  north: (q.lat - p.lat) * M_PER_DEGREE,
});

const PROFILE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }`;
const SUGGESTED = `{ suggestedNeeds(first: 100) { score need { id } reasons { code text weight } } }`;
const MATCHES = `query($id: ID!) { volunteerMatches(needId: $id, first: 100) { score volunteer { id } reasons { code text weight } } }`;
const UPDATE = `mutation($id: ID!, $lat: Float!, $lng: Float!) { updateNeed(id: $id, input: { lat: $lat, lng: $lng }) { need { id } } }`;
const PUBLIC = `query($id: ID!) { need(id: $id) { publicLat publicLng } }`;

let s: TestServer;
let admin: Api;
const anonymous = () => new Api(s.url);
const publicPoint = async (needId: string): Promise<Point> => {
  const n = (await anonymous().ok(PUBLIC, { id: needId })).need;
  return { lat: n.publicLat, lng: n.publicLng };
};
const exactPoint = async (needId: string): Promise<Point> => {
  const row = await s.app.services.prisma.need.findUniqueOrThrow({ where: { id: uuidOf(needId) } });
  return { lat: row.lat, lng: row.lng };
};

beforeAll(async () => {
  s = await startServer({ LOG_LEVEL: 'silent' });
  admin = await adminClient(s.url, s.app.services.prisma);
});
afterAll(async () => s?.stop());

/** A community with a coordinator, a volunteer and a FOOD need, and that need's public point. */
async function needAndVolunteer() {
  const community = await createCommunity(admin);
  const coordinator = await member(s.url, admin, community, 'COORDINATOR');
  const volunteer = await member(s.url, admin, community, 'VOLUNTEER');
  const need = await createNeed(coordinator, community, { category: 'FOOD' });
  return { coordinator, volunteer, need, pub: await publicPoint(need.id) };
}

describe('matching distances', () => {
  it('suggestedNeeds: a volunteer moving home around a need learns nothing finer than half a kilometre', async () => {
    const { coordinator, volunteer, need, pub } = await needAndVolunteer();
    // The attack: homes all around the public point, 2.60 km and 2.62 km from it (20 m apart).
    // Measured to the exact point (250–500 m off), the reasons differed with the direction.
    const seen: unknown[] = [];
    for (let i = 0; i < 9; i++) {
      const bearing = (i / 9) * 2 * Math.PI;
      for (const m of [2600, 2620]) {
        const home = offset(pub, m * Math.sin(bearing), m * Math.cos(bearing));
        await volunteer.ok(PROFILE, { input: { skills: ['FOOD'], homeLat: home.lat, homeLng: home.lng, homeArea: 'Sderot' } });
        const match = (await volunteer.ok(SUGGESTED)).suggestedNeeds.find((x: any) => x.need.id === need.id);
        seen.push({ score: match.score, reasons: match.reasons });
      }
    }
    expect(new Set(seen.map((x) => JSON.stringify(x))).size, JSON.stringify(seen)).toBe(1);
    expect((seen[0] as any).reasons.find((r: any) => r.code === 'DISTANCE').text).toBe('about 2.5 km from home (Sderot)');
  });

  it('volunteerMatches: a coordinator moving a need by small steps learns nothing about a home', async () => {
    const { coordinator, volunteer, need, pub } = await needAndVolunteer();
    const exact = await exactPoint(need.id);
    // Steps of 20 m along the circle around the public point through the exact one (so the
    // need stays as far from its public point), with the home 5 km along that circle's tangent:
    // measured to the exact point, the distance to the home changed by ~20 m a step.
    const { east, north } = metresFrom(pub, exact);
    const r = Math.hypot(east, north);
    const start = Math.atan2(north, east);
    const home = offset(exact, -5000 * Math.sin(start), 5000 * Math.cos(start));
    await volunteer.ok(PROFILE, { input: { skills: ['FOOD'], homeLat: home.lat, homeLng: home.lng } });
    const seen: unknown[] = [];
    const publicPoints = new Set<string>();
    for (let step = 0; step <= 8; step++) {
      const angle = start + (step * 20) / r;
      const at = offset(pub, r * Math.cos(angle), r * Math.sin(angle));
      if (step > 0) await coordinator.ok(UPDATE, { id: need.id, lat: at.lat, lng: at.lng });
      const match = (await coordinator.ok(MATCHES, { id: need.id })).volunteerMatches.find((x: any) => x.volunteer.id === volunteer.userId);
      seen.push({ score: match.score, reasons: match.reasons });
      publicPoints.add(JSON.stringify(await publicPoint(need.id)));
    }
    expect(new Set(seen.map((x) => JSON.stringify(x))).size, JSON.stringify(seen)).toBe(1);
    expect((seen[0] as any).reasons.find((x: any) => x.code === 'DISTANCE').text).toBe('about 5.0 km from home');
    // A move within the offset keeps the public point.
    expect([...publicPoints]).toEqual([JSON.stringify(pub)]);
  });
});

describe('public points', () => {
  it('all shifts of a series share one public point, so their mean is that point, 250 m or more from the door', async () => {
    const community = await createCommunity(admin);
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const created = (await coordinator.ok(
      `mutation($i: CreateNeedInput!, $r: RecurrenceInput!) { createRecurringNeed(input: $i, recurrence: $r) { id } }`,
      {
        i: { communityId: community, title: 'Daily hot meal', category: 'FOOD', urgency: 'NORMAL', lat: 31.5231, lng: 34.5987, address: '5 Hidden Lane', requesterName: 'Tamar' },
        r: { frequency: 'DAILY', startsAt: new Date(Date.now() + 86_400_000).toISOString(), count: 60, durationMinutes: 60, slotsPerOccurrence: 1 },
      },
    )).createRecurringNeed;
    expect(created).toHaveLength(60);
    const points: Point[] = (await anonymous().ok(`query($id: ID!) { need(id: $id) { seriesOccurrences { publicLat publicLng } } }`, { id: created[0].id }))
      .need.seriesOccurrences.map((n: any) => ({ lat: n.publicLat, lng: n.publicLng }));
    expect(points).toHaveLength(60);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(1);
    const mean = { lat: points.reduce((t, p) => t + p.lat, 0) / points.length, lng: points.reduce((t, p) => t + p.lng, 0) / points.length };
    expect(distanceKm(mean, points[0]!) * 1000).toBeLessThan(0.01);
    expect(distanceKm(mean, { lat: 31.5231, lng: 34.5987 }) * 1000).toBeGreaterThanOrEqual(250);
  });

  it('a need at the same place in the same community shares the public point; one in another community does not', async () => {
    const community = await createCommunity(admin);
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const place = { lat: 31.5302, lng: 34.6011 };
    const first = await createNeed(coordinator, community, place);
    const again = await createNeed(coordinator, community, offset(place, 5, 5));
    expect(await publicPoint(again.id)).toEqual(await publicPoint(first.id));
    // Across communities a shared point would confirm another community's address to whoever guessed it.
    const other = await createCommunity(admin);
    const otherCoordinator = await member(s.url, admin, other, 'COORDINATOR');
    const elsewhere = await createNeed(otherCoordinator, other, place);
    expect(await publicPoint(elsewhere.id)).not.toEqual(await publicPoint(first.id));
  });

  it('a need moved farther than its offset gets a public point around its new place', async () => {
    const community = await createCommunity(admin);
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const need = await createNeed(coordinator, community);
    const before = await publicPoint(need.id);
    const moved = offset(await exactPoint(need.id), 0, 5000);
    await coordinator.ok(UPDATE, { id: need.id, ...moved });
    const after = await publicPoint(need.id);
    expect(after).not.toEqual(before);
    const m = distanceKm(moved, after) * 1000;
    expect(m).toBeGreaterThanOrEqual(250);
    expect(m).toBeLessThanOrEqual(500);
  });

  it("cannot be undone from the need's id", async () => {
    // The offset used to be derived from sha256 of the (public) id: anyone could subtract it.
    const community = await createCommunity(admin);
    const coordinator = await member(s.url, admin, community, 'COORDINATOR');
    const need = await createNeed(coordinator, community);
    const pub = await publicPoint(need.id);
    const h = createHash('sha256').update(`public-location:${uuidOf(need.id)}`).digest();
    const angle = (h.readUInt32BE(0) / 0xffffffff) * 2 * Math.PI;
    const m = 250 + (h.readUInt32BE(4) / 0xffffffff) * 250;
    const guess = offset(pub, -m * Math.sin(angle), -m * Math.cos(angle));
    expect(distanceKm(guess, await exactPoint(need.id)) * 1000).toBeGreaterThan(10);
  });

  it('nearbyNeeds filters and sorts by public points only', async () => {
    const A = await createCommunity(admin);
    const B = await createCommunity(admin);
    const coordinatorA = await member(s.url, admin, A, 'COORDINATOR');
    const coordinatorB = await member(s.url, admin, B, 'COORDINATOR');
    const far = await createNeed(coordinatorA, A, { lat: 31.61, lng: 34.71 });
    const farPublic = await publicPoint(far.id);
    // `near`'s exact point is at `far`'s public point, yet its public point is farther from it.
    const near = await createNeed(coordinatorB, B, farPublic);
    const NEARBY = `query($p: PointInput!, $r: Float!) { nearbyNeeds(point: $p, radiusKm: $r) { id } }`;
    const ids = async (p: Point, r: number) => (await anonymous().ok(NEARBY, { p, r })).nearbyNeeds.map((n: any) => n.id);
    expect(await ids(farPublic, 1)).toEqual([far.id, near.id]);
    // Within 200 m of `near`'s exact point there is no public point of it.
    expect(await ids(await exactPoint(near.id), 0.2)).toEqual([far.id]);
    expect(await ids(await publicPoint(near.id), 0.01)).toEqual([near.id]);
  });
});
