import { describe, expect, it } from 'vitest';
import { offerKindsFor, scoreOffer, type NeedSide, type OfferSide } from './offerMatching.ts';

const now = new Date('2026-12-05T10:00:00Z');
const day = (d: number) => new Date(now.getTime() + d * 86_400_000);
const SDEROT = { lat: 31.525, lng: 34.597 };
const BEER_SHEVA = { lat: 31.252, lng: 34.791 };
const TEL_AVIV = { lat: 32.085, lng: 34.782 };

const need = (over: Partial<NeedSide> = {}): NeedSide => ({
  category: 'HOSTING',
  publicLat: SDEROT.lat,
  publicLng: SDEROT.lng,
  remote: false,
  neededFrom: null,
  neededBy: null,
  people: 3,
  needsStepFree: false,
  requesterLocale: 'he',
  destinationPublicLat: null,
  destinationPublicLng: null,
  ...over,
});

const offer = (over: Partial<OfferSide> = {}): OfferSide => ({
  kind: 'HOSTING',
  remaining: 4,
  publicLat: SDEROT.lat + 0.003,
  publicLng: SDEROT.lng,
  availableFrom: day(0),
  availableUntil: day(10),
  expiresAt: day(10),
  stepFree: false,
  languages: [],
  destinationPublicLat: null,
  destinationPublicLng: null,
  ...over,
});

const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe('scoreOffer', () => {
  it('a near host with enough beds, free when needed, speaking the language, fits', () => {
    const r = scoreOffer(need({ neededFrom: day(1), neededBy: day(3) }), offer({ languages: ['he'] }), now);
    expect(codes(r)).toEqual(['CAPACITY', 'DATES', 'DISTANCE', 'LANGUAGE']);
    expect(r.score).toBeGreaterThan(0.8);
  });

  it('too few beds, the wrong dates or no step-free access when asked each halve the score', () => {
    const base = scoreOffer(need(), offer(), now).score;
    expect(codes(scoreOffer(need({ people: 5 }), offer(), now))).toContain('TOO_SMALL');
    expect(scoreOffer(need({ people: 5 }), offer(), now).score).toBeLessThan(base / 2 + 0.001);
    const late = scoreOffer(need({ neededFrom: day(20), neededBy: day(22) }), offer(), now);
    expect(codes(late)).toContain('DATES_CONFLICT');
    const steps = scoreOffer(need({ needsStepFree: true }), offer({ stepFree: false }), now);
    expect(codes(steps)).toContain('NOT_STEP_FREE');
    expect(codes(scoreOffer(need({ needsStepFree: true }), offer({ stepFree: true }), now))).toContain('STEP_FREE');
  });

  it('a ride is judged by both ends: the one arriving where the need goes ranks first', () => {
    const trip = need({ category: 'TRANSPORT', people: 2, destinationPublicLat: BEER_SHEVA.lat, destinationPublicLng: BEER_SHEVA.lng });
    const ride = (to: { lat: number; lng: number }) => offer({ kind: 'RIDE', remaining: 3, destinationPublicLat: to.lat, destinationPublicLng: to.lng });
    const there = scoreOffer(trip, ride(BEER_SHEVA), now);
    const elsewhere = scoreOffer(trip, ride(TEL_AVIV), now);
    expect(codes(there)).toEqual(expect.arrayContaining(['DISTANCE', 'DESTINATION']));
    expect(codes(elsewhere)).toContain('TOO_FAR');
    expect(there.score).toBeGreaterThan(elsewhere.score);
  });

  it('reads only public values: distances are coarse and from public points', () => {
    const a = scoreOffer(need(), offer({ publicLat: SDEROT.lat + 0.01 }), now);
    const b = scoreOffer(need(), offer({ publicLat: SDEROT.lat + 0.0101 }), now);
    expect(a).toEqual(b);
  });

  it("without the requester's language (a viewer who may not know it) no reason and no score depends on it", () => {
    const hidden = (locale: string) => scoreOffer(need({ requesterLocale: null }), offer({ languages: [locale] }), now);
    expect(hidden('he')).toEqual(hidden('ar'));
    expect(codes(hidden('he')).filter((c) => c.includes('LANGUAGE'))).toEqual([]);
    expect(scoreOffer(need(), offer({ languages: ['he'] }), now)).not.toEqual(scoreOffer(need(), offer({ languages: ['ar'] }), now));
  });

  it('every category is answered by some kind of offer', () => {
    for (const kinds of Object.values(offerKindsFor)) expect(kinds.length).toBeGreaterThan(0);
  });
});
