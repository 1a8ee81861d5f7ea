import { describe, expect, it } from 'vitest';
import type { Need } from '../generated/prisma/client.ts';
import { isAvailable, scoreMatch, withVetting } from './matching.ts';

/** The claim cap (config MAX_ACTIVE_CLAIMS, default 5) that the load reason is measured against. */
const MAX_ACTIVE = 5;

// 1 November 2026 is a Sunday; Israel is on winter time (UTC+2): 07:00Z is 09:00 there.
const SUNDAY_0900 = new Date('2026-11-01T07:00:00Z');
const KM_PER_DEGREE_LAT = 6371.0088 * (Math.PI / 180);

type Volunteer = Parameters<typeof scoreMatch>[1];
const anyone: Volunteer = { skills: [], homeLat: null, homeLng: null, homeArea: null, availableDays: [], availableFromHour: null, availableToHour: null };
const NEED: Pick<Need, 'category' | 'publicLat' | 'publicLng' | 'neededFrom'> = { category: 'FOOD', publicLat: 31.525, publicLng: 34.597, neededFrom: null };
/** A volunteer living `km` north of the need's public point. */
const livingNorth = (km: number, homeArea: string | null = null): Partial<Volunteer> => ({ homeLat: NEED.publicLat + km / KM_PER_DEGREE_LAT, homeLng: NEED.publicLng, homeArea });

describe('isAvailable', () => {
  const hours = (availableFromHour: number | null, availableToHour: number | null, availableDays: number[] = []) => ({ availableDays, availableFromHour, availableToHour });

  it.each([
    ['no preferences, any time', hours(null, null), '2026-11-01T07:00:00Z', true],
    ['on a listed day (Sunday)', hours(null, null, [0, 6]), '2026-11-01T07:00:00Z', true],
    ['not on an unlisted day (Sunday)', hours(null, null, [1, 2, 3]), '2026-11-01T07:00:00Z', false],
    ['Saturday 23:30 in Israel is still Saturday', hours(null, null, [6]), '2026-10-31T21:30:00Z', true],
    ['Sunday 00:30 in Israel is no longer Saturday', hours(null, null, [6]), '2026-10-31T22:30:00Z', false],
    ['from 09:00, at 09:00', hours(9, null), '2026-11-01T07:00:00Z', true],
    ['from 09:00, at 08:59', hours(9, null), '2026-11-01T06:59:00Z', false],
    ['until 17:00, at 16:59', hours(null, 17), '2026-11-01T14:59:00Z', true],
    ['until 17:00, at 17:00', hours(null, 17), '2026-11-01T15:00:00Z', false],
    ['until 24:00, at 23:59', hours(null, 24), '2026-11-01T21:59:00Z', true],
    ['09:00–17:00 in summer (UTC+3), at 09:00', hours(9, 17), '2026-07-05T06:00:00Z', true],
    ['09:00–17:00 in summer (UTC+3), at 08:00', hours(9, 17), '2026-07-05T05:00:00Z', false],
  ])('%s → %s', (_label, user, at, expected) => {
    expect(isAvailable(user, new Date(at))).toBe(expected);
  });
});

describe('scoreMatch', () => {
  it.each([
    [
      'a skilled, free, available neighbour 1',
      { ...anyone, skills: ['FOOD', 'TRANSPORT'], ...livingNorth(0, 'Sderot') },
      1,
      [
        { code: 'SKILL', text: 'Has the skill FOOD', weight: 0.35 },
        { code: 'DISTANCE', text: 'about 0.0 km from home (Sderot)', weight: 0.35 },
        { code: 'AVAILABLE', text: 'Available at that time', weight: 0.15 },
        { code: 'LOAD', text: '0 active claims', weight: 0.15 },
      ],
    ],
    [
      'someone without a home, skills or time only the load',
      { ...anyone, availableDays: [3] },
      0.15,
      [
        { code: 'NO_HOME', text: 'No home area given', weight: 0 },
        { code: 'UNAVAILABLE', text: 'Usually not available then', weight: 0 },
        { code: 'LOAD', text: '0 active claims', weight: 0.15 },
      ],
    ],
  ] satisfies [string, Volunteer, number, ReturnType<typeof scoreMatch>['reasons']][])('gives %s', (_label, volunteer, score, reasons) => {
    expect(scoreMatch(NEED, volunteer, 0, SUNDAY_0900, MAX_ACTIVE)).toEqual({ score, reasons });
  });

  it.each([
    [0, 0.35],
    [2.5, 0.315],
    [12.5, 0.175],
    [25, 0],
  ])('weighs a home %s km away %s', (km, weight) => {
    const distance = scoreMatch(NEED, { ...anyone, ...livingNorth(km) }, 0, SUNDAY_0900, MAX_ACTIVE).reasons.find((r) => r.code === 'DISTANCE');
    expect(distance).toEqual({ code: 'DISTANCE', text: `about ${km.toFixed(1)} km from home`, weight });
  });

  it.each([
    [2.26, 2.74, 'about 2.5 km from home', 0.315],
    [0.01, 0.24, 'about 0.0 km from home', 0.35],
    [11.76, 12.24, 'about 12.0 km from home', 0.182],
  ])('shows, weighs and scores homes %s to %s km away alike: %s', (from, to, text, weight) => {
    const at = (km: number) => scoreMatch(NEED, { ...anyone, ...livingNorth(km) }, 0, SUNDAY_0900, MAX_ACTIVE);
    const first = at(from);
    expect(first.reasons.find((r) => r.code === 'DISTANCE')).toEqual({ code: 'DISTANCE', text, weight });
    for (let km = from; km <= to; km += 0.02) expect(at(km)).toEqual(first);
  });

  it('measures from the public point: the exact one is not even an input', () => {
    const exactElsewhere = { ...NEED, lat: 0, lng: 0 } as typeof NEED;
    expect(scoreMatch(exactElsewhere, { ...anyone, ...livingNorth(3) }, 0, SUNDAY_0900, MAX_ACTIVE)).toEqual(scoreMatch(NEED, { ...anyone, ...livingNorth(3) }, 0, SUNDAY_0900, MAX_ACTIVE));
  });

  it('halves the score of someone more than 25 km away, whatever their skills', () => {
    const m = scoreMatch(NEED, { ...anyone, skills: ['FOOD'], ...livingNorth(30) }, 0, SUNDAY_0900, MAX_ACTIVE);
    expect(m.score).toBe(0.325);
    expect(m.reasons.map((r) => [r.code, r.weight])).toEqual([
      ['SKILL', 0.35],
      ['DISTANCE', 0],
      ['AVAILABLE', 0.15],
      ['LOAD', 0.15],
      ['TOO_FAR', -0.325],
    ]);
    expect(m.reasons.at(-1)!.text).toBe('More than 25 km away: score halved');
  });

  it.each([
    [0, '0 active claims', 0.15],
    [1, '1 active claim', 0.12],
    [2, '2 active claims', 0.09],
    [4, '4 active claims', 0.03],
    [5, '5 active claims', 0],
    [7, '7 active claims', 0],
  ])('weighs %s live claims (of at most 5) %s', (claims, text, weight) => {
    const m = scoreMatch(NEED, anyone, claims, SUNDAY_0900, MAX_ACTIVE);
    expect(m.reasons.at(-1)).toEqual({ code: 'LOAD', text, weight });
    expect(m.score).toBe(Math.round((0.15 + weight) * 1000) / 1000);
  });

  it('asks about availability when the need starts, if that is later, not now', () => {
    const weekdaysOnly = { ...anyone, availableDays: [1, 2, 3, 4, 5] };
    const monday = new Date('2026-11-02T07:00:00Z');
    const codes = (neededFrom: Date | null) => scoreMatch({ ...NEED, neededFrom }, weekdaysOnly, 0, SUNDAY_0900, MAX_ACTIVE).reasons.map((r) => r.code);
    expect(codes(null)).toContain('UNAVAILABLE');
    expect(codes(monday)).toContain('AVAILABLE');
    // A start already past counts as now.
    expect(codes(new Date('2026-10-27T07:00:00Z'))).toContain('UNAVAILABLE');
  });

  it('ignores a skill in another category', () => {
    const m = scoreMatch(NEED, { ...anyone, skills: ['MEDICINE'] }, 0, SUNDAY_0900, MAX_ACTIVE);
    expect(m.reasons.map((r) => r.code)).toEqual(['NO_HOME', 'AVAILABLE', 'LOAD']);
    expect(m.score).toBe(0.3);
  });
});

describe('withVetting', () => {
  const match = { subject: 'x', score: 0.5, reasons: [] };
  it('leaves a need that asks nothing as it is', () => {
    expect(withVetting(match, false, [])).toEqual({ ...match, vetted: true });
  });
  it('says who is vetted, and what the others lack', () => {
    expect(withVetting(match, true, []).reasons[0]).toMatchObject({ code: 'VETTED', weight: 0 });
    const other = withVetting(match, true, [{ requirement: 'BACKGROUND_CHECK', training: null, expiredAt: new Date('2027-01-31T00:00:00Z') }]);
    expect(other.vetted).toBe(false);
    expect(other.reasons[0]).toEqual({ code: 'NOT_VETTED', text: 'Not vetted for this need: lacks BACKGROUND_CHECK (expired on 2027-01-31)', weight: 0 });
    expect(other.score).toBe(0.5);
  });
});
